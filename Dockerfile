# Production image: gunicorn serves the app; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ceop_crm.settings.production
WORKDIR /app
RUN useradd --create-home --uid 1000 ceop
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY --from=assets /app/node_modules ./node_modules
COPY . .
# collectstatic needs a secret and hosts to import production settings; these are build-only.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --no-input
USER ceop
EXPOSE 8000
CMD ["gunicorn", "ceop_crm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
