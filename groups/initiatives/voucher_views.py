"""Pages of vouchers: addresses, issuing letters (PDF), reissuing, redeeming (public)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from tablib import Dataset

from backoffice.core.client_address import client_address
from backoffice.core.forms import add_service_errors
from backoffice.core.money import format_euro
from groups import facade as groups
from groups.initiatives import vouchers
from groups.initiatives.forms import AddressImportForm, RedeemForm, ReissueForm
from groups.initiatives.letters import Letter, letters_pdf
from groups.initiatives.models import Household, Initiative, Round, Voucher
from groups.initiatives.resources import HouseholdResource
from groups.initiatives.views import _or_404, _status, _url
from tenants.facade import BOARD_ROLES, group_roles_required

MAX_ADDRESS_FILE = 5 * 1024 * 1024


@group_roles_required(*BOARD_ROLES)
def addresses(request):
    form = AddressImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read(MAX_ADDRESS_FILE + 1)
        try:
            if len(raw) > MAX_ADDRESS_FILE:
                raise ValueError(_("Het bestand is te groot (hoogstens 5 MB)."))
            if raw.startswith(b"PK"):
                dataset = Dataset().load(raw, format="xlsx")
            else:
                dataset = Dataset().load(raw.decode("utf-8-sig"), format="csv")
            resource = HouseholdResource()
            result = resource.import_data(dataset, dry_run=True, raise_errors=False)
            if not (result.has_errors() or result.has_validation_errors()):
                if form.cleaned_data["confirm"]:
                    HouseholdResource().import_data(dataset, dry_run=False, raise_errors=True)
                    messages.success(
                        request,
                        _("%(n)s adressen ingelezen.") % {"n": result.totals.get("new", 0)},
                    )
                    return redirect(_url(request, "initiatives:addresses"))
        except Exception as exc:  # a broken file gets a message, not a 500
            form.add_error("file", _("Dit bestand kan niet worden gelezen: %(e)s") % {"e": exc})
    return render(
        request,
        "initiatives/addresses.html",
        {"form": form, "result": result, "count": Household.objects.count()},
        status=400 if (form.is_bound and form.errors) else 200,
    )


def _letters(request, round_: Round, printed, kind="voucher"):
    if kind == "vote":
        yield from _vote_letters(request, round_, printed)
        return
    base = request.build_absolute_uri(_url(request, "initiatives:redeem"))
    value = format_euro(round_.voucher_value)
    group = request.group.name
    for item in printed:
        h = item.household
        yield Letter(
            address=[
                _("Aan de bewoners van"),
                f"{h.street} {h.house_number}{('-' + h.addition) if h.addition else ''}",
                h.postcode,
            ],
            heading=_("Jouw buurtvoucher van %(value)s") % {"value": value},
            lines=[
                _("%(group)s geeft elk huishouden een voucher voor %(round)s.")
                % {"group": group, "round": round_.name},
                _("Kies op de website een plan van buren dat je wilt steunen en vul je code in."),
                _("Of scan de QR-code: dan staat je code al ingevuld."),
                _("De code werkt één keer, tot en met %(date)s.")
                % {"date": round_.ends_on.strftime("%d-%m-%Y")},
            ],
            code=item.code,
            code_label=_("Jouw code:"),
            qr_url=f"{base}?code={item.code}",
        )


def _address(h) -> list[str]:
    return [
        _("Aan de bewoners van"),
        f"{h.street} {h.house_number}{('-' + h.addition) if h.addition else ''}",
        h.postcode,
    ]


def _vote_letters(request, round_: Round, printed):
    base = request.build_absolute_uri(_url(request, "initiatives:vote"))
    for item in printed:
        yield Letter(
            address=_address(item.household),
            heading=_("Stem mee: %(round)s") % {"round": round_.name},
            lines=[
                _("%(group)s vraagt elk huishouden welke plannen van buren geld krijgen.")
                % {"group": request.group.name},
                _("Stem online met de code hieronder, of vul het stembiljet in en lever het in."),
                _("Elk huishouden stemt één keer: online of op papier."),
                _("Stemmen kan tot en met %(date)s.")
                % {"date": round_.ends_on.strftime("%d-%m-%Y")},
            ],
            code=item.code,
            code_label=_("Jouw stemcode:"),
            qr_url=f"{base}?code={item.code}",
        )


def _pdf(request, round_, printed, name, kind="voucher"):
    response = StreamingHttpResponse(
        letters_pdf(_letters(request, round_, printed, kind)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@group_roles_required(*BOARD_ROLES)
def round_vouchers(request, pk):
    round_ = _or_404(Round.objects.filter(pk=pk).first())
    if request.method == "POST":
        try:
            printed = vouchers.vouchers_issue(round_=round_, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_url(request, "initiatives:round_vouchers", pk=round_.pk))
        return _pdf(request, round_, printed, f"vouchers-ronde-{round_.pk}")
    live = Voucher.objects.filter(round=round_, voided_at__isnull=True)
    return render(
        request,
        "initiatives/round_vouchers.html",
        {
            "round": round_,
            "issued": live.count(),
            "used": live.filter(redeemed_at__isnull=False).count(),
            "households": Household.objects.count(),
            "reissue_form": ReissueForm(households=_issued_households(round_)),
            "meetings": groups.meetings_for_decisions(),
        },
    )


def _issued_households(round_):
    return Household.objects.filter(
        vouchers__round=round_, vouchers__voided_at__isnull=True, vouchers__redeemed_at__isnull=True
    ).order_by("postcode", "house_number")[:2000]


@require_POST
@group_roles_required(*BOARD_ROLES)
def voucher_reissue(request, pk):
    round_ = _or_404(Round.objects.filter(pk=pk).first())
    form = ReissueForm(request.POST, households=_issued_households(round_))
    if form.is_valid():
        try:
            printed = vouchers.voucher_reissue(
                round_=round_,
                household=Household.objects.get(pk=form.cleaned_data["household_id"]),
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _pdf(request, round_, [printed], f"voucher-opnieuw-{printed.voucher.pk}")
    messages.error(
        request, _("De voucher is niet opnieuw uitgegeven: kies een huishouden en een reden.")
    )
    return redirect(_url(request, "initiatives:round_vouchers", pk=round_.pk))


@login_not_required
def redeem(request):
    """Residents give their voucher to a plan of their round (the QR code fills in the code)."""
    today = timezone.localdate()
    rounds = list(
        Round.objects.filter(
            decided_by=Round.DecidedBy.VOUCHERS, opens_on__lte=today, ends_on__gte=today
        )
    )
    initiatives = list(
        Initiative.objects.filter(round__in=rounds, status__in=vouchers.ELIGIBLE)
        .only("id", "title", "summary", "requested_amount", "round_id", "status")
        .order_by("title")
    )
    pools = {}
    for round_ in rounds:
        counts = vouchers.pools(round_)
        for initiative in initiatives:
            if initiative.round_id == round_.pk:
                pools[initiative.pk] = round_.voucher_value * counts.get(initiative.pk, 0)
    for initiative in initiatives:
        initiative.pool = pools.get(initiative.pk)
    form = RedeemForm(
        request.POST or None,
        initial={"code": request.GET.get("code", "")[:40]},
        initiatives=initiatives,
    )
    done = None
    if request.method == "POST" and form.is_valid():
        initiative = next(i for i in initiatives if i.pk == form.cleaned_data["initiative_id"])
        try:
            vouchers.voucher_redeem(
                code=form.cleaned_data["code"],
                initiative=initiative,
                address=client_address(request) or "?",
                today=today,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = initiative
    return render(
        request,
        "initiatives/redeem.html",
        {"form": form, "initiatives": initiatives, "done": done, "public_group": request.group},
        status=_status(form),
    )


@require_POST
@group_roles_required(*BOARD_ROLES)
def vouchers_settle(request, pk):
    round_ = _or_404(Round.objects.filter(pk=pk).first())
    try:
        meeting_id = int(request.POST.get("meeting_id") or 0)
    except ValueError:
        meeting_id = 0
    try:
        funded = vouchers.vouchers_settle(round_=round_, user=request.user, meeting_id=meeting_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(n)s initiatieven gefinancierd met vouchers.") % {"n": len(funded)}
        )
    return redirect(_url(request, "initiatives:round_vouchers", pk=round_.pk))
