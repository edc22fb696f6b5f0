# Production image: gunicorn serves the app; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=ceop_crm.settings.production \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
WORKDIR /app
# postgresql-client: pg_dump and pg_restore for `scripts/backup.py`.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 ceop
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY --from=assets /app/node_modules ./node_modules
COPY . .
# collectstatic needs a secret and hosts to import production settings; these are build-only.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --no-input
# The media volume is first created from this folder, so it belongs to the user
# the app runs as and uploads can be written.
RUN mkdir -p /app/media /app/backups && chown ceop:ceop /app/media /app/backups
USER ceop
EXPOSE 8000
CMD ["gunicorn", "ceop_crm.wsgi:application", "--config", "gunicorn.conf.py"]
