"""The reporting API for municipal systems (HTTP layer only: selectors do the reading).

Every view reads through the caller's `Scope` (its municipality or district): a report,
district or group outside it answers 404, exactly like one that does not exist.
"""

import csv
import io
import json
from decimal import Decimal

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from openpyxl import Workbook
from rest_framework import exceptions, permissions, renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.authentication import ApiClient, ClientKeyAuthentication
from api.pagination import page_of
from api.throttling import PerKeyThrottle
from backoffice.core.exports import neutralise_row
from backoffice.reporting import selectors
from backoffice.reporting.generation import COUNT_KEYS, INITIATIVE_KEYS, MONEY_KEYS


class HasClientKey(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.user, ApiClient)


class CsvRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes | str) else json.dumps(data)


class XlsxRenderer(CsvRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None


def parse_query(request, serializer_class) -> dict:
    """Validate every query parameter at once: unknown, repeated and invalid ones are all
    listed in one 400 problem."""
    errors: dict[str, list[str]] = {}
    serializer = serializer_class(data={k: v for k, v in request.query_params.items()})
    for name in request.query_params:
        if name not in serializer.fields:
            errors[name] = ["Onbekende parameter."]
        elif len(request.query_params.getlist(name)) > 1:
            errors[name] = ["Geef deze parameter één keer."]
    if not serializer.is_valid():
        for name, messages in serializer.errors.items():
            errors.setdefault(name, []).extend(str(m) for m in messages)
    if errors:
        raise exceptions.ValidationError(errors)
    return serializer.validated_data


class ScopedApi(APIView):
    """A read-only endpoint for a municipal client's key."""

    authentication_classes = [ClientKeyAuthentication]
    permission_classes = [HasClientKey]
    throttle_classes = [PerKeyThrottle]
    http_method_names = ["get", "head", "options"]

    @property
    def scope(self) -> selectors.Scope:
        return selectors.Scope.of(self.request.user.client)

    def permission_denied(self, request, message=None, code=None):
        # Without a (valid) key the answer is 401, never 403.
        raise exceptions.NotAuthenticated("Een geldige API-sleutel is nodig.")

    def report(self, report_id: int):
        report = self.scope.reports().filter(pk=report_id).first()
        if report is None:
            raise Http404
        return report

    def paged(self, rows_query, query, serializer_class):
        rows, meta = page_of(
            self.request, rows_query, page=query["page"], page_size=query["pageSize"]
        )
        return Response({**meta, "results": serializer_class(rows, many=True).data})


def _in_scope_district(scope, code):
    if code is None:
        return None
    district = scope.districts().filter(code=code).first()
    if district is None:
        raise Http404
    return district


@extend_schema_view(
    get=extend_schema(
        operation_id="periodList",
        summary="Rapportageperiodes",
        parameters=[s.PeriodQuery],
        responses=s.paged("PeriodPage", s.PeriodSerializer),
    )
)
class PeriodListApi(ScopedApi):
    def get(self, request):
        query = parse_query(request, s.PeriodQuery)
        periods = selectors.periods_list()
        if "kind" in query:
            periods = periods.filter(kind=query["kind"])
        return self.paged(periods, query, s.PeriodSerializer)


@extend_schema_view(
    get=extend_schema(
        operation_id="periodDetail", summary="Eén rapportageperiode", responses=s.PeriodSerializer
    )
)
class PeriodDetailApi(ScopedApi):
    def get(self, request, periodCode):  # noqa: N803 - the path parameter's API name
        parse_query(request, _NoQuery)
        period = selectors.periods_list().filter(code=periodCode).first()
        if period is None:
            raise Http404
        return Response(s.PeriodSerializer(period).data)


class _NoQuery(s.serializers.Serializer):
    pass


@extend_schema_view(
    get=extend_schema(
        operation_id="districtList",
        summary="Stadsdelen binnen het bereik van de sleutel",
        parameters=[s.DistrictQuery],
        responses=s.paged("DistrictPage", s.DistrictSerializer),
    )
)
class DistrictListApi(ScopedApi):
    def get(self, request):
        query = parse_query(request, s.DistrictQuery)
        return self.paged(self.scope.districts(), query, s.DistrictSerializer)


@extend_schema_view(
    get=extend_schema(
        operation_id="groupList",
        summary="Bewonersgroepen (register, zonder persoonsgegevens)",
        parameters=[s.GroupQuery],
        responses=s.paged("GroupPage", s.GroupSerializer),
    )
)
class GroupListApi(ScopedApi):
    def get(self, request):
        query = parse_query(request, s.GroupQuery)
        groups = self.scope.groups().order_by("slug")
        district = _in_scope_district(self.scope, query.get("district"))
        if district is not None:
            groups = groups.filter(district=district.code)
        return self.paged(groups, query, s.GroupSerializer)


@extend_schema_view(
    get=extend_schema(
        operation_id="reportList",
        summary="Rapportages",
        description="Standaard alleen de geldende versie per periode en stadsdeel.",
        parameters=[s.ReportQuery],
        responses=s.paged("ReportPage", s.ReportSummarySerializer),
    )
)
class ReportListApi(ScopedApi):
    def get(self, request):
        query = parse_query(request, s.ReportQuery)
        reports = self.scope.reports().defer("canonical")  # the list shows no content
        if not query["includeSuperseded"]:
            reports = reports.filter(superseded=False)
        if "period" in query:
            reports = reports.filter(period__code=query["period"])
        district = _in_scope_district(self.scope, query.get("district"))
        if district is not None:
            reports = reports.filter(district=district)
        return self.paged(reports, query, s.ReportSummarySerializer)


REPORT_ID = OpenApiParameter("reportId", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    get=extend_schema(
        operation_id="reportDetail",
        summary="Eén versie van een rapportage, met inhoud en controlegetal",
        parameters=[REPORT_ID],
        responses=s.ReportDetailSerializer,
    )
)
class ReportDetailApi(ScopedApi):
    def get(self, request, reportId):  # noqa: N803
        parse_query(request, _NoQuery)
        report = self.report(reportId)
        # The content is the stored canonical JSON as it is (what the checksum is over), not
        # decoded and encoded again: the same JSON value, a fraction of the work per request.
        head = {**s.ReportSummarySerializer(report).data, "reason": report.reason}
        body = b"".join(
            [
                renderers.JSONRenderer().render(head)[:-1],
                b',"content":',
                report.canonical.encode(),
                b"}",
            ]
        )
        return HttpResponse(body, content_type="application/json")


@extend_schema_view(
    get=extend_schema(
        operation_id="reportVersionList",
        summary="Alle versies van deze rapportage (nieuwste eerst)",
        parameters=[REPORT_ID, s.PageQuery],
        responses=s.paged("ReportVersionPage", s.ReportSummarySerializer),
    )
)
class ReportVersionListApi(ScopedApi):
    def get(self, request, reportId):  # noqa: N803
        query = parse_query(request, s.PageQuery)
        report = self.report(reportId)
        versions = selectors.report_versions(report).defer("canonical")
        return self.paged(versions, query, s.ReportSummarySerializer)


@extend_schema_view(
    get=extend_schema(
        operation_id="reportGroupSummaryList",
        summary="Cijfers per bewonersgroep in deze rapportage",
        parameters=[REPORT_ID, s.PageQuery],
        responses=s.paged("GroupSummaryPage", s.GroupSummarySerializer),
    )
)
class ReportGroupSummaryListApi(ScopedApi):
    def get(self, request, reportId):  # noqa: N803
        query = parse_query(request, s.PageQuery)
        groups = json.loads(self.report(reportId).canonical)["groups"]
        rows, meta = page_of(
            request, _ListQuery(groups), page=query["page"], page_size=query["pageSize"]
        )
        return Response({**meta, "results": rows})


class _ListQuery(list):
    def count(self):  # the paginator's interface
        return len(self)


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def table_rows(snapshot) -> list[list]:
    """One row per group and one for the district's total. Versions of the first format lack
    the later columns; their cells stay empty."""
    content = json.loads(snapshot.canonical)
    header = ["period", "district", "version", "sha256", "group", "name"]
    header += [f"money.{k}" for k in MONEY_KEYS] + [f"counts.{k}" for k in COUNT_KEYS]
    header += [f"initiatives.{k}" for k in INITIATIVE_KEYS]
    header += ["accountability", "auditCommittee.year", "auditCommittee.booksClosed"]
    header += ["auditCommittee.status", "supportHours", "books.chainSequence", "books.chainHead"]
    rows = [header]
    base = [content["period"]["code"], content["district"]["code"], snapshot.version]
    for group in content["groups"] + [{"slug": "", "name": "Totaal", **content["totals"]}]:
        initiatives = group.get("initiatives", {})
        is_total = group["slug"] == ""
        audit = {} if is_total else group.get("auditCommittee", {})
        books = group.get("books", {})
        hours = sum(
            (Decimal(h["hours"]) for h in group.get("supportHoursByOffering", [])), Decimal("0")
        )
        rows.append(
            base
            + [snapshot.sha256, group["slug"], group["name"]]
            + [group["money"][k] for k in MONEY_KEYS]
            + [_cell(group["counts"].get(k)) for k in COUNT_KEYS]
            + [_cell(initiatives.get(k)) for k in INITIATIVE_KEYS]
            + ["" if is_total else group.get("accountability", "")]
            + [_cell(audit.get("year")), _cell(audit.get("booksClosed"))]
            + [_cell(audit.get("status")), f"{hours:.2f}"]
            + [_cell(books.get("chainSequence")), _cell(books.get("chainHead"))]
        )
    return rows


@extend_schema_view(
    get=extend_schema(
        operation_id="reportCsv",
        summary="Rapportage als CSV",
        parameters=[REPORT_ID],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
)
class ReportCsvApi(ScopedApi):
    renderer_classes = [renderers.JSONRenderer, CsvRenderer]

    def get(self, request, reportId):  # noqa: N803
        parse_query(request, _NoQuery)
        snapshot = self.report(reportId)
        out = io.StringIO()
        writer = csv.writer(out)
        for row in table_rows(snapshot):
            writer.writerow(neutralise_row(row))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename(snapshot)}.csv"'
        return response


@extend_schema_view(
    get=extend_schema(
        operation_id="reportXlsx",
        summary="Rapportage als Excel-bestand (XLSX)",
        parameters=[REPORT_ID],
        responses={(200, XlsxRenderer.media_type): OpenApiTypes.BINARY},
    )
)
class ReportXlsxApi(ScopedApi):
    renderer_classes = [renderers.JSONRenderer, XlsxRenderer]

    def get(self, request, reportId):  # noqa: N803
        parse_query(request, _NoQuery)
        snapshot = self.report(reportId)
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Rapportage")
        for row in table_rows(snapshot):
            sheet.append(neutralise_row(row))
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XlsxRenderer.media_type)
        response["Content-Disposition"] = f'attachment; filename="{_filename(snapshot)}.xlsx"'
        return response


def _filename(snapshot) -> str:
    return f"rapportage-{snapshot.period.code}-{snapshot.district.code}-v{snapshot.version}"
