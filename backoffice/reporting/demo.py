"""Demo of the reports: Amsterdam's districts of the demo groups (Zuidoost, Noord,
Nieuw-West), the last two quarters that have ended, one report corrected into a second
version, and a municipal client with a key that `make run` prints with a curl example.

Idempotent: existing versions are kept. The demo key is fixed only with DEBUG on (the
embedded development database), so a demo loaded elsewhere never has a known key.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backoffice.reporting import services
from backoffice.reporting.models import ClientKey, MunicipalClient, ReportSnapshot
from backoffice.reporting.periods import last_ended_quarter, period_spec
from tenants import facade as tenants

DEMO_KEY_PREFIX = "demoAMS1"
DEMO_KEY = f"{DEMO_KEY_PREFIX}.alleen-voor-de-demo-niet-voor-productie"
CLIENT_NAME = "Gemeente Amsterdam — demo-afnemer"
CORRECTION_REASON = "Nagekomen bonnetje verwerkt (demo)"


def demo_periods(today) -> list[str]:
    last = last_ended_quarter(today)
    before = last_ended_quarter(period_spec(last).start)
    return [before, last]


@transaction.atomic
def load(people, groups, *, password: str) -> None:
    coordinator = people["saskia"]
    for code in demo_periods(timezone.localdate()):
        services.reports_generate(period_code=code, user=coordinator)
    latest = demo_periods(timezone.localdate())[-1]
    first = (
        ReportSnapshot.objects.filter(period__code=latest, district__code="zuidoost", version=1)
        .select_related("period", "district")
        .first()
    )
    if first is not None and not ReportSnapshot.objects.filter(supersedes=first).exists():
        services.report_correct(snapshot=first, user=coordinator, reason=CORRECTION_REASON)
    client = MunicipalClient.objects.filter(name=CLIENT_NAME).first()
    if client is None:
        client = services.client_create(
            user=coordinator,
            name=CLIENT_NAME,
            municipality=tenants.Municipality.objects.get(code="0363"),
        )
    if settings.DEBUG and not ClientKey.objects.filter(prefix=DEMO_KEY_PREFIX).exists():
        key = ClientKey(client=client, name="demo", created_by_id=coordinator.pk)
        key.prefix = DEMO_KEY_PREFIX
        key.hashed_key = ClientKey.objects.key_generator.hash(DEMO_KEY)
        key.id = f"{key.prefix}.{key.hashed_key}"
        key.save()


def demo_key() -> str | None:
    """The fixed demo key, if this database has it."""
    if ClientKey.objects.filter(prefix=DEMO_KEY_PREFIX, revoked=False).exists():
        return DEMO_KEY
    return None


def logins() -> list[tuple[str, str]]:
    return []
