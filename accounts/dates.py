from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone


def local_today(time_zone: str, now: datetime | None = None) -> date:
    """Today's date where the program is: sweeps remind on the program's day."""
    return (now or timezone.now()).astimezone(ZoneInfo(time_zone)).date()
