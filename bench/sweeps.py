"""The reminder sweeps and the renewal sweep, each checked against what the
data should make it create (rolled back), then timed on its first run and on
a rerun that finds nothing new, with its queries counted."""

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from certification.models import Certification, CertificationType, ContinuingEducation
from certification.reminders import bands_for, send_renewal_alerts
from certification.status import Status, ce_progress, derive_status
from checkins import reminders
from checkins.models import CheckIn, CheckInSchedule
from core.dates import program_today
from mentorship.models import MenteeProfile
from notifications.models import Notification
from recovery_plans.models import RecoveryPlan
from recovery_plans.reminders import remind_plan_reviews

CONTROL = re.compile(r"(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|VACUUM)\b", re.IGNORECASE)
SWEEPS: dict[str, Callable[..., int]] = {
    "check-ins due": reminders.remind_checkins_due,
    "overdue": reminders.alert_overdue_checkins,
    "contact gaps": reminders.flag_contact_gaps,
    "BARC-10 due": reminders.remind_recovery_capital_due,
    "plan reviews": remind_plan_reviews,
    "unalerted crises": reminders.alert_unnotified_crises,
}


@dataclass
class SweepResult:
    name: str
    expected: int
    checked: int  # what the untimed, rolled-back run created
    created: int  # what the timed run created
    seconds: float
    queries: int
    rerun_created: int
    rerun_seconds: float
    rerun_queries: int
    # The rerun again once the new rows are vacuumed, as autovacuum does
    # after a large insert (and before the next hour's run): the rerun above
    # is the first to read the rows just written (their hint bits, the
    # visibility map), this one reads them as every later run does.
    vacuumed_rerun_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.checked == self.expected == self.created and self.rerun_created == 0

    def as_dict(self) -> dict:
        return asdict(self) | {"ok": self.ok}


def _timed(sweep, now: datetime) -> tuple[int, float, int]:
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        created = sweep(now=now)
        seconds = time.perf_counter() - began
    return created, seconds, len(queries)


def _checked(sweep, now: datetime) -> int:
    """What the sweep creates, in a transaction that is then rolled back (and
    its dead rows vacuumed away, so the timed run meets the table as it was)."""
    with transaction.atomic():
        created = sweep(now=now)
        transaction.set_rollback(True)
    if connection.vendor == "postgresql" and connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {connection.ops.quote_name(Notification._meta.db_table)}")
    return created


def warm_content_types() -> None:
    """Django caches content types per process: the timed runs pay none."""
    for model in (CheckInSchedule, MenteeProfile, CheckIn, RecoveryPlan, Certification):
        ContentType.objects.get_for_model(model)


def measure(name: str, sweep, expected: int, now: datetime) -> SweepResult:
    checked = _checked(sweep, now)
    created, seconds, queries = _timed(sweep, now)
    rerun_created, rerun_seconds, rerun_queries = _timed(sweep, now)
    vacuumed_rerun_seconds = None
    if connection.vendor == "postgresql" and connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {connection.ops.quote_name(Notification._meta.db_table)}")
        again, vacuumed_rerun_seconds, _ = _timed(sweep, now)
        rerun_created += again
    return SweepResult(
        name,
        expected,
        checked,
        created,
        seconds,
        queries,
        rerun_created,
        rerun_seconds,
        rerun_queries,
        vacuumed_rerun_seconds,
    )


def measure_reminders(expected: dict[str, int], now: datetime) -> list[SweepResult]:
    warm_content_types()
    return [measure(name, sweep, expected.get(name, 0), now) for name, sweep in SWEEPS.items()]


def one_aggregate() -> float:
    """The floor the issue compares with: one aggregate over every contact
    (each mentee's last one), in seconds."""
    table = connection.ops.quote_name(CheckIn._meta.db_table)
    sql = (
        f"SELECT count(*) FROM (SELECT mentee_id, max(occurred_at) FROM {table} "  # noqa: S608
        "WHERE kind = 'contact' AND voided_at IS NULL GROUP BY mentee_id) last_contacts"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)  # once to warm the cache, as the sweeps were
        began = time.perf_counter()
        cursor.execute(sql)
        cursor.fetchall()
        return time.perf_counter() - began


# --- Renewal ---------------------------------------------------------------------------


def renewal_expected(now: datetime) -> Counter:
    """What send_renewal_alerts should create, by kind, from the Python rules
    (derive_status, bands_for, ce_progress) applied to every certification on
    its holder's program's day: each alert to the holder and every active admin."""
    types = {t.pk: t for t in CertificationType.objects.prefetch_related("category_requirements")}
    entries: dict[int, list] = {}
    for entry in ContinuingEducation.objects.counted():
        entries.setdefault(entry.holder_id, []).append(entry)
    admins = User.objects.filter(role=Role.ADMIN, is_active=True).count()
    kinds: Counter = Counter()
    for cert in Certification.objects.select_related("holder__program"):
        cert.certification_type = ctype = types[cert.certification_type_id]
        program = cert.holder.program if cert.holder.program_id else None
        today = program_today(program, now)
        certified = not cert.manual_status and (
            cert.training_completed_on and cert.exam_passed_on and cert.expires_on
        )
        if certified:
            left = (cert.expires_on - today).days
            for kind, low, high in bands_for(ctype.renewal_window_days):
                if low <= left <= high:
                    kinds[kind] += 1
            if 0 <= left <= 180 and ce_progress(cert, entries.get(cert.holder_id, [])).short:
                kinds["cert_ce_short"] += 1
        if derive_status(cert, today) == Status.LAPSED:
            kinds["cert_lapsed"] += 1
        county = program.county if program else ""
        if (
            not cert.manual_status
            and cert.background_check_on is None
            and ctype.requires_background_check_in(county)
        ):
            kinds["cert_background_check"] += 1
    return Counter({kind: n * (1 + admins) for kind, n in kinds.items()})


def measure_renewal(now: datetime, admins: int = 5) -> dict:
    """The renewal sweep with one active admin, then with `admins`: the same
    number of queries; checked against the Python rules, timed, rerun."""
    warm_content_types()
    existing = list(User.objects.filter(role=Role.ADMIN, is_active=True))
    with CaptureQueriesContext(connection) as captured:
        _checked(send_renewal_alerts, now)
    # The sweep's own statements: not the check's BEGIN, ROLLBACK and VACUUM.
    one_admin = [q for q in captured if not CONTROL.match(q["sql"])]
    for i in range(len(existing), admins):
        User.objects.create(email=f"admin{i}@bench.test", full_name=f"Admin {i}", role=Role.ADMIN)
    kinds = renewal_expected(now)
    result = measure("renewal alerts", send_renewal_alerts, sum(kinds.values()), now)
    return result.as_dict() | {
        "admins": admins,
        "queries_with_one_admin": len(one_admin) if len(existing) == 1 else None,
        "expected_by_kind": dict(kinds),
    }
