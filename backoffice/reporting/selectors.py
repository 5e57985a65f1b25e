"""Reads of the reporting app. Everything a municipal client may see goes through `Scope`:
the unscoped variants have names that warn (`dangerously_all_reports`)."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from backoffice.reporting.models import (
    ApiRequestLog,
    ClientKey,
    CorrectionRequest,
    MunicipalClient,
    ReportingPeriod,
    ReportSnapshot,
)
from tenants import facade as tenants


@dataclass(frozen=True)
class Scope:
    """What one municipal client may read: its municipality, or one district of it."""

    municipality_id: int
    district_id: int | None

    @classmethod
    def of(cls, client: MunicipalClient) -> "Scope":
        return cls(municipality_id=client.municipality_id, district_id=client.district_id)

    def districts(self) -> QuerySet:
        districts = tenants.districts_list().filter(municipality_id=self.municipality_id)
        if self.district_id is not None:
            districts = districts.filter(pk=self.district_id)
        return districts

    def reports(self) -> QuerySet:
        return dangerously_all_reports().filter(district__in=self.districts())

    def groups(self) -> QuerySet:
        codes = self.districts().values_list("code", flat=True)
        return tenants.groups_list().filter(district__in=list(codes))


def dangerously_all_reports() -> QuerySet:
    """Every report version of every municipality: only for the support organisation."""
    superseded = ReportSnapshot.objects.filter(supersedes=OuterRef("pk"))
    return (
        ReportSnapshot.objects.select_related("period", "district__municipality")
        .annotate(superseded=Exists(superseded))
        .order_by("-period__start", "district__code", "-version")
    )


def current_reports() -> QuerySet:
    return dangerously_all_reports().filter(superseded=False)


def periods_list() -> QuerySet:
    return ReportingPeriod.objects.order_by("-start", "kind")


def report_versions(snapshot: ReportSnapshot) -> QuerySet:
    return dangerously_all_reports().filter(
        period_id=snapshot.period_id, district_id=snapshot.district_id
    )


def reports_of_group(group) -> QuerySet:
    """The report versions that say something about `group` (its district's)."""
    return dangerously_all_reports().filter(district__code=group.district)


def clients_list() -> QuerySet:
    return MunicipalClient.objects.select_related("municipality", "district").prefetch_related(
        "keys"
    )


def key_of(raw: str) -> ClientKey | None:
    """The usable key (not revoked, not expired, client active) for a plain key, or None."""
    if not raw or len(raw) > 200 or not (raw.isascii() and raw.isprintable()):
        return None
    try:
        key = ClientKey.objects.get_from_key(raw)
    except ClientKey.DoesNotExist:
        return None
    if key.has_expired or not key.client.is_active:
        return None
    return key


def open_correction_requests() -> QuerySet:
    return CorrectionRequest.objects.filter(status=CorrectionRequest.Status.OPEN).select_related(
        "snapshot__period", "snapshot__district", "group"
    )


def request_log(*, client: MunicipalClient | None = None, limit: int = 50):
    log = ApiRequestLog.objects.select_related("client")
    if client is not None:
        log = log.filter(client=client)
    return log[:limit]
