"""Input (query) and output serializers of the reporting API. Names are camelCase on purpose:
they are the API's field and parameter names (API Design Rules)."""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from backoffice.reporting.generation import rfc3339


class LinkSerializer(serializers.Serializer):
    href = serializers.URLField()


class LinksSerializer(serializers.Serializer):
    self = LinkSerializer()
    first = LinkSerializer()
    last = LinkSerializer()
    prev = LinkSerializer(required=False)
    next = LinkSerializer(required=False)


def paged(name: str, item) -> type[serializers.Serializer]:
    return type(
        name,
        (serializers.Serializer,),
        {
            "_links": LinksSerializer(),
            "totalCount": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "pageSize": serializers.IntegerField(),
            "results": item(many=True),
        },
    )


# --- query parameters -------------------------------------------------------------------
class PageQuery(serializers.Serializer):
    page = serializers.IntegerField(
        min_value=1, max_value=1_000_000, default=1, help_text=_("Paginanummer, vanaf 1.")
    )
    pageSize = serializers.IntegerField(  # noqa: N815 - the API's own parameter name
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        default=DEFAULT_PAGE_SIZE,
        help_text=_("Aantal resultaten per pagina, 1 tot en met 100."),
    )


class PeriodQuery(PageQuery):
    kind = serializers.ChoiceField(
        choices=["kwartaal", "jaar"], required=False, help_text=_("Alleen kwartalen of jaren.")
    )


class DistrictQuery(PageQuery):
    pass


class GroupQuery(PageQuery):
    district = serializers.SlugField(
        max_length=20, required=False, help_text=_("Code van een stadsdeel, bijv. zuidoost.")
    )


class ReportQuery(PageQuery):
    period = serializers.RegexField(
        r"^\d{4}(-Q[1-4])?$",
        max_length=7,
        required=False,
        help_text=_("Periode: 2026-Q3 (kwartaal) of 2026 (jaar)."),
    )
    district = serializers.SlugField(
        max_length=20, required=False, help_text=_("Code van een stadsdeel, bijv. zuidoost.")
    )
    includeSuperseded = serializers.BooleanField(  # noqa: N815
        default=False, help_text=_("Ook vervangen (oudere) versies tonen.")
    )


# --- output -------------------------------------------------------------------------------
class MunicipalitySerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("CBS-gemeentecode"))
    name = serializers.CharField()


class DistrictSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    municipality = MunicipalitySerializer()


class PeriodSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=["kwartaal", "jaar"])
    start = serializers.DateField()
    end = serializers.DateField()


class GroupSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    district = serializers.CharField()
    neighbourhood = serializers.CharField()


class MoneySerializer(serializers.Serializer):
    awarded = serializers.CharField(help_text=_("Toegekend, euro met twee decimalen"))
    received = serializers.CharField()
    spent = serializers.CharField()
    committed = serializers.CharField()
    unspent = serializers.CharField()
    toReturn = serializers.CharField()  # noqa: N815


class CategorySerializer(serializers.Serializer):
    rgsCode = serializers.CharField(allow_blank=True)  # noqa: N815
    accountCode = serializers.CharField()  # noqa: N815
    amount = serializers.CharField()


class CountsSerializer(serializers.Serializer):
    """Counts of people: `null` when suppressed (see the suppression rule)."""

    boardMembers = serializers.IntegerField(allow_null=True)  # noqa: N815
    activeVolunteers = serializers.IntegerField(allow_null=True)  # noqa: N815
    # From format buurtkas-rapportage/2 on (older versions lack them).
    householdsReached = serializers.IntegerField(  # noqa: N815
        allow_null=True,
        required=False,
        help_text=_("Huishoudens die in de periode een voucher of stemcode kregen"),
    )
    vouchersUsed = serializers.IntegerField(allow_null=True, required=False)  # noqa: N815
    consultationBallotsOnline = serializers.IntegerField(  # noqa: N815
        allow_null=True, required=False
    )
    consultationBallotsPaper = serializers.IntegerField(  # noqa: N815
        allow_null=True, required=False
    )
    consultationBallots = serializers.IntegerField(  # noqa: N815
        allow_null=True, required=False, help_text=_("Online en op papier samen")
    )


class InitiativesSerializer(serializers.Serializer):
    """Initiatives (applications, not people: never suppressed) in the period."""

    submitted = serializers.IntegerField()
    approved = serializers.IntegerField(help_text=_("Goedgekeurd, ook deels"))
    completed = serializers.IntegerField(help_text=_("Afgerond na verantwoording"))


class AuditCommitteeSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        help_text=_("Het laatste boekjaar dat op of voor het einde van de periode eindigde")
    )
    booksClosed = serializers.BooleanField()  # noqa: N815
    status = serializers.ChoiceField(
        choices=["notStarted", "inProgress", "signedOnce", "discharged"],
        help_text=_("Hoe ver de kascommissie is; discharged: decharge verleend"),
    )


class SupportHoursSerializer(serializers.Serializer):
    offering = serializers.CharField()
    hours = serializers.CharField()


class BooksSerializer(serializers.Serializer):
    """The books a report was made from: the head of the group's keyed hash chain."""

    chainSequence = serializers.IntegerField(  # noqa: N815
        help_text=_("Volgnummer van de laatste geboekte boeking")
    )
    chainHead = serializers.CharField(  # noqa: N815
        allow_blank=True,
        help_text=_("HMAC-SHA256 (hex) van die boeking: de kop van de keten van de boeken"),
    )


class GroupSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    money = MoneySerializer()
    spendingByCategory = CategorySerializer(many=True)  # noqa: N815
    counts = CountsSerializer()
    suppressed = serializers.ListField(child=serializers.CharField())
    supportHoursByOffering = SupportHoursSerializer(many=True)  # noqa: N815
    # From format buurtkas-rapportage/2 on (older versions lack them).
    initiatives = InitiativesSerializer(required=False)
    auditCommittee = AuditCommitteeSerializer(required=False)  # noqa: N815
    accountability = serializers.ChoiceField(
        choices=["notDue", "due", "accounted"],
        required=False,
        help_text=_("Verantwoording van de subsidies in de periode"),
    )
    books = BooksSerializer(required=False)


class ReportSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField(source="period.code")
    district = serializers.CharField(source="district.code")
    version = serializers.IntegerField()
    isSuperseded = serializers.BooleanField(source="superseded")  # noqa: N815
    supersedesId = serializers.IntegerField(source="supersedes_id", allow_null=True)  # noqa: N815
    generatedAt = serializers.SerializerMethodField()  # noqa: N815
    sha256 = serializers.CharField()

    def get_generatedAt(self, snapshot) -> str:  # noqa: N802
        return rfc3339(snapshot.generated_at)


class ReportDetailSerializer(ReportSummarySerializer):
    reason = serializers.CharField()
    content = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "description": (
                "De rapportage zelf, precies zoals ondertekend: de SHA-256 (`sha256`) is over "
                "de canonieke JSON van dit object (docs/reporting-checksum.md)."
            ),
            "additionalProperties": True,
        }
    )
    def get_content(self, snapshot):
        return json.loads(snapshot.canonical)
