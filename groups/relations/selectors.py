"""Reads on conflicts and partners."""

from django.db.models import Count, QuerySet

from groups.relations.models import Conflict, Partner


def conflicts_list() -> QuerySet[Conflict]:
    return Conflict.objects.order_by("-occurred_on", "-id")


def conflict_get(*, pk: int) -> Conflict | None:
    return Conflict.objects.filter(pk=pk).first()


def partners_list() -> QuerySet[Partner]:
    return Partner.objects.annotate(agreement_count=Count("agreements")).order_by("name", "id")


def partner_get(*, pk: int) -> Partner | None:
    return Partner.objects.prefetch_related("agreements").filter(pk=pk).first()
