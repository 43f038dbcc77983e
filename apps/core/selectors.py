from django.conf import settings
from django.db import connection


def health_checks() -> dict[str, bool]:
    """Whether each backing service answers. The broker is checked only when one is configured."""
    checks = {"database": _database_up()}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _broker_up()
    return checks


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


def _broker_up() -> bool:
    from onesource.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False
