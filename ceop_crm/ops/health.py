"""Health checks (django-health-check): liveness answers while the process
serves; readiness checks PostgreSQL, Redis and that the beat's reminder sweep
ran lately, so an orchestrator sends traffic only where the work gets done."""

import dataclasses
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

from ceop_crm.ops import selectors


@dataclasses.dataclass
class SweepRanLately(HealthCheck):
    """The reminder sweep finished within ``max_age`` (beat runs it hourly). A
    database set up less than ``max_age`` ago has not missed one yet."""

    max_age: timedelta = timedelta(hours=2)

    async def run(self) -> None:
        # On the request's own thread and database connection.
        await sync_to_async(self.check, thread_sensitive=True)()

    def check(self) -> None:
        now = timezone.now()
        last = selectors.task_run_last(name=selectors.SWEEP)
        if last is not None and now - last.finished_at <= self.max_age:
            return
        if last is None:
            set_up = selectors.database_set_up_at()
            if set_up is not None and now - set_up <= self.max_age:
                return
            raise ServiceUnavailable(
                "The reminder sweep has never run: is Celery beat running?"
            )
        hours = (now - last.finished_at).total_seconds() / 3600
        raise ServiceUnavailable(
            f"The reminder sweep last finished {hours:.1f} hours ago: "
            "are Celery beat and a worker running?"
        )


def readiness_checks() -> list:
    checks: list = [Database(), SweepRanLately(max_age=settings.HEALTH_SWEEP_MAX_AGE)]
    if settings.REDIS_URL:
        checks.append(
            Redis(
                client_factory=lambda: RedisClient.from_url(
                    settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
                )
            )
        )
    return checks


class LivenessView(HealthCheckView):
    """200 while the process answers; checks nothing behind it."""

    def get_checks(self):
        return []


class ReadinessView(HealthCheckView):
    def get_checks(self):
        return readiness_checks()
