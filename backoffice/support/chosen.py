"""Chosen support: a group picks an offering and a provider, within its support budget.

requested → agreed (hours, price, provider confirmed) → running → finished, or declined with
a reason; afterwards the group rates it (1–5 and a comment). Requests in every state except
declined count against the year's budget. The budget row is locked (`budget_lock`) by every
writer that checks it, so two requests at once cannot both take the last hours.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from backoffice.core.money import ZERO, format_euro, positive_money
from backoffice.core.services import model_update
from backoffice.support.models import Offering, Provider, SupportBudget, SupportRequest

Status = SupportRequest.Status

# Requests bigger than this need the coordinator's approval when they are agreed.
APPROVAL_ABOVE_HOURS = Decimal(str(getattr(settings, "SUPPORT_APPROVAL_ABOVE_HOURS", "16")))
APPROVAL_ABOVE_EUROS = Decimal(str(getattr(settings, "SUPPORT_APPROVAL_ABOVE_EUROS", "1000")))

NEXT = {
    Status.REQUESTED: {Status.AGREED, Status.DECLINED},
    Status.AGREED: {Status.RUNNING, Status.DECLINED},
    Status.RUNNING: {Status.FINISHED},
    Status.FINISHED: set(),
    Status.DECLINED: set(),
}


@dataclass(frozen=True)
class BudgetUse:
    year: int
    hours: Decimal | None  # None: no limit in hours
    euros: Decimal | None
    used_hours: Decimal
    used_euros: Decimal

    @property
    def hours_left(self) -> Decimal | None:
        return None if self.hours is None else self.hours - self.used_hours

    @property
    def euros_left(self) -> Decimal | None:
        return None if self.euros is None else self.euros - self.used_euros

    @property
    def exists(self) -> bool:
        return self.hours is not None or self.euros is not None


def budget_lock(group_id: int, year: int) -> SupportBudget | None:
    return SupportBudget.objects.select_for_update().filter(group_id=group_id, year=year).first()


def budget_use(*, group, year: int, excluding: int | None = None) -> BudgetUse:
    budget = SupportBudget.objects.filter(group=group, year=year).first()
    used = SupportRequest.objects.filter(
        group=group, year=year, status__in=SupportRequest.CONSUMING
    )
    if excluding is not None:
        used = used.exclude(pk=excluding)
    sums = used.aggregate(h=Sum("hours"), e=Sum("price"))
    return BudgetUse(
        year=year,
        hours=budget.hours if budget else None,
        euros=budget.euros if budget else None,
        used_hours=sums["h"] or Decimal("0"),
        used_euros=sums["e"] or ZERO,
    )


def _hours(value) -> str:
    value = Decimal(value)
    return number_format(value.quantize(Decimal(1)) if value == value.to_integral() else value)


def _check_budget(*, group, year: int, hours: Decimal, price: Decimal, excluding=None) -> None:
    budget = budget_lock(group.pk, year)
    if budget is None or (budget.hours is None and budget.euros is None):
        raise ValidationError(
            _("Jullie groep heeft voor %(y)s geen ondersteuningsbudget. Vraag de coördinator.")
            % {"y": year}
        )
    use = budget_use(group=group, year=year, excluding=excluding)
    if use.hours_left is not None and hours > use.hours_left:
        raise ValidationError(
            _(
                "Deze ondersteuning kost %(h)s uur; er is nog %(left)s uur over in het "
                "budget van %(y)s."
            )
            % {"h": _hours(hours), "left": _hours(max(use.hours_left, Decimal(0))), "y": year}
        )
    if use.euros_left is not None and price > use.euros_left:
        raise ValidationError(
            _("Deze ondersteuning kost %(p)s; er is nog %(left)s over in het budget van %(y)s.")
            % {
                "p": format_euro(price),
                "left": format_euro(max(use.euros_left, ZERO)),
                "y": year,
            }
        )


def _check_provider(offering: Offering, provider: Provider) -> None:
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if not provider.is_active:
        raise ValidationError(
            {
                "provider": _(
                    "%(p)s is gestopt of tijdelijk niet beschikbaar. Kies een andere aanbieder."
                )
                % {"p": provider.name}
            }
        )
    if not offering.is_active:
        raise ValidationError({"offering": _("Dit aanbod is er niet meer.")})
    if not offering.providers.filter(pk=provider.pk).exists():
        raise ValidationError({"provider": _("Deze aanbieder geeft dit aanbod niet.")})


@transaction.atomic
def request_create(
    *, group, user, offering: Offering, provider: Provider, year: int, question: str = ""
) -> SupportRequest:
    """The group asks for an offering from a provider; hours and price start as the
    offering's usual ones and must fit in what is left of the year's budget."""
    _check_provider(offering, provider)
    hours, price = offering.typical_hours, offering.price
    _check_budget(group=group, year=year, hours=hours, price=price)
    return model_update(
        SupportRequest(),
        user,
        group=group,
        offering=offering,
        provider=provider,
        year=year,
        question=question.strip(),
        hours=hours,
        price=price,
        requested_by=user,
    )


def _lock(request: SupportRequest) -> SupportRequest:
    return SupportRequest.objects.select_for_update().select_related("offering").get(pk=request.pk)


def _move(request: SupportRequest, to: str) -> None:
    if to not in NEXT[request.status]:
        raise ValidationError(
            _("Een vraag met status ‘%(s)s’ kan niet naar ‘%(t)s’.")
            % {"s": request.get_status_display(), "t": Status(to).label}
        )


def needs_coordinator(hours: Decimal, price: Decimal) -> bool:
    return hours > APPROVAL_ABOVE_HOURS or price > APPROVAL_ABOVE_EUROS


@transaction.atomic
def request_agree(
    *, request: SupportRequest, user, hours: Decimal, price, provider: Provider
) -> SupportRequest:
    """Hours, price and provider confirmed. Above the set size only a coordinator agrees."""
    request = _lock(request)
    _move(request, Status.AGREED)
    if hours is None or hours <= 0 or hours > 1000:
        raise ValidationError({"hours": _("Vul een aantal uren in tussen 0 en 1000.")})
    price = positive_money(price, field="price") if price else ZERO
    if needs_coordinator(hours, price) and not user.is_coordinator:
        raise PermissionDenied(
            _(
                "Boven %(h)s uur of %(e)s keurt de coördinator de afspraak goed. "
                "Vraag de coördinator om deze vraag af te spreken."
            )
            % {"h": _hours(APPROVAL_ABOVE_HOURS), "e": format_euro(APPROVAL_ABOVE_EUROS)}
        )
    _check_provider(request.offering, provider)
    _check_budget(
        group=request.group, year=request.year, hours=hours, price=price, excluding=request.pk
    )
    return model_update(
        request,
        user,
        status=Status.AGREED,
        hours=hours,
        price=price,
        provider=provider,
        approved_by=user if needs_coordinator(hours, price) else None,
    )


@transaction.atomic
def request_start(*, request: SupportRequest, user) -> SupportRequest:
    request = _lock(request)
    _move(request, Status.RUNNING)
    return model_update(request, user, status=Status.RUNNING)


@transaction.atomic
def request_finish(*, request: SupportRequest, user) -> SupportRequest:
    request = _lock(request)
    _move(request, Status.FINISHED)
    return model_update(request, user, status=Status.FINISHED)


@transaction.atomic
def request_decline(*, request: SupportRequest, user, reason: str) -> SupportRequest:
    request = _lock(request)
    _move(request, Status.DECLINED)
    if not reason.strip():
        raise ValidationError({"reason": _("Schrijf kort waarom, zodat de groep het weet.")})
    return model_update(request, user, status=Status.DECLINED, decline_reason=reason.strip()[:300])


@transaction.atomic
def request_rate(*, request: SupportRequest, user, rating, comment: str = "") -> SupportRequest:
    request = _lock(request)
    if request.status != Status.FINISHED:
        raise ValidationError(_("Een vraag krijgt een waardering als de ondersteuning klaar is."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Geef een waardering van 1 tot en met 5.")})
    return model_update(request, user, rating=rating, rating_comment=comment.strip()[:500])


@transaction.atomic
def budget_set(*, group, year: int, user, hours=None, euros=None) -> SupportBudget:
    if hours is not None and hours < 0:
        raise ValidationError({"hours": _("Een budget in uren kan niet negatief zijn.")})
    if euros is not None and euros < 0:
        raise ValidationError({"euros": _("Een budget in euro's kan niet negatief zijn.")})
    budget = budget_lock(group.pk, year) or SupportBudget(group=group, year=year)
    return model_update(budget, user, hours=hours, euros=euros)
