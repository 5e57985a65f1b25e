"""The neighbourhood consultation (wijkraadpleging): one ballot per household.

Each household gets a code (on a printed letter). A ballot counts through one conditional
UPDATE of the household's code (not yet voted → voted, with the channel), inside the same
transaction as the ballot row, which the database allows once per code. Paper ballots are
typed twice by two different volunteers; only two entries that agree make a ballot, so a
mistyped paper ballot cannot silently change the outcome.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.money import format_euro, to_money
from groups import facade as groups
from groups.initiatives import codes, events, report_counts
from groups.initiatives.models import (
    Ballot,
    BallotLine,
    Household,
    Initiative,
    PaperEntry,
    Round,
    VotingCode,
)
from groups.initiatives.protection import rate_hit
from groups.initiatives.vouchers import Printed
from tenants.facade import BOARD_ROLES, Role, require_role

VOLUNTEERS = (*BOARD_ROLES, Role.MEMBER)


def eligible(round_: Round):
    return Initiative.objects.filter(round=round_, status=Initiative.Status.SUBMITTED).order_by(
        "title"
    )


@transaction.atomic
def codes_issue(*, round_: Round, user) -> list[Printed]:
    require_role(user, *BOARD_ROLES, message=_("Alleen het bestuur geeft stemcodes uit."))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.decided_by != Round.DecidedBy.CONSULTATION:
        raise ValidationError(_("In deze ronde beslist geen wijkraadpleging."))
    have = VotingCode.objects.filter(round=round_).values("household_id")
    households = list(Household.objects.exclude(pk__in=have).order_by("postcode", "house_number"))
    if not households:
        raise ValidationError(_("Elk huishouden heeft al een stemcode voor deze ronde."))
    printed, rows = [], []
    for household in households:
        code = codes.new_code()
        row = VotingCode(
            round=round_, household=household, code_hash=codes.code_hash(codes.normalise(code))
        )
        rows.append(row)
        printed.append((row, household, code))
    created = VotingCode.objects.bulk_create(rows, batch_size=2000)
    VotingCode.history.bulk_history_create(created, default_user=user, batch_size=2000)
    report_counts.codes_issued(created)  # households reached, for the reports
    return [Printed(row.pk, household, code) for row, household, code in printed]


def _choices_clean(round_: Round, choices: dict[int, object]) -> dict[int, Decimal]:
    allowed = set(eligible(round_).values_list("pk", flat=True))
    clean: dict[int, Decimal] = {}
    for initiative_id, value in choices.items():
        if value in (None, "", 0):
            continue
        if int(initiative_id) not in allowed:
            raise ValidationError({"choices": _("Op dit plan kan niet worden gestemd.")})
        points = to_money(value, field="choices")
        if points < 0:
            raise ValidationError({"choices": _("Een negatief bedrag kan niet.")})
        if points > 0:
            clean[int(initiative_id)] = points
    if not clean:
        raise ValidationError({"choices": _("Kies minstens één plan.")})
    if round_.ballot == Round.Ballot.ONE_CHOICE:
        if len(clean) != 1:
            raise ValidationError({"choices": _("Kies precies één plan.")})
        clean = {k: Decimal("1.00") for k in clean}
    elif sum(clean.values()) > round_.budget:
        raise ValidationError(
            {
                "choices": _("Je verdeelt meer dan het budget van %(budget)s.")
                % {"budget": format_euro(round_.budget)}
            }
        )
    return clean


def _code_row(round_: Round, code: str) -> VotingCode:
    try:
        raw = codes.normalise(code)
    except codes.CodeError as exc:
        if exc.kind == "typo":
            raise ValidationError({"code": _("Er zit een tikfout in de stemcode.")}) from None
        raise ValidationError({"code": _("Dit is geen stemcode.")}) from None
    row = VotingCode.objects.filter(code_hash=codes.code_hash(raw)).first()
    if row is None:
        raise ValidationError({"code": _("Deze stemcode kennen we niet.")})
    if row.round_id != round_.pk:
        raise ValidationError({"code": _("Deze stemcode hoort bij een andere ronde.")})
    return row


def _already(row: VotingCode) -> ValidationError:
    row.refresh_from_db(fields=["channel"])
    if row.channel == VotingCode.Channel.PAPER:
        return ValidationError({"code": _("Met deze code is al op papier gestemd.")})
    return ValidationError({"code": _("Met deze code is al gestemd.")})


def _count(row: VotingCode, round_: Round, choices: dict[int, Decimal], channel: str) -> Ballot:
    """Inside a transaction: claim the code (conditional UPDATE), then write the ballot."""
    won = VotingCode.objects.filter(pk=row.pk, voted_at__isnull=True).update(
        voted_at=timezone.now(), channel=channel
    )
    if won != 1:
        raise _already(row)
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(round=round_, voting_code=row, channel=channel)
    except IntegrityError:
        raise _already(row) from None
    BallotLine.objects.bulk_create(
        [BallotLine(ballot=ballot, initiative_id=k, points=v) for k, v in choices.items()]
    )
    events.initiative_event(events.Kind.BALLOT_COUNTED, obj=ballot, new={"channel": channel})
    return ballot


def _open(round_: Round, today: datetime.date) -> None:
    if round_.decided_by != Round.DecidedBy.CONSULTATION:
        raise ValidationError(_("In deze ronde beslist geen wijkraadpleging."))
    if not round_.opens_on <= today <= round_.ends_on:
        raise ValidationError(_("De wijkraadpleging is niet open."))


def vote_online(
    *,
    round_: Round,
    code: str,
    choices: dict[int, object],
    address: str,
    today: datetime.date | None = None,
) -> Ballot:
    today = today or timezone.localdate()
    if not rate_hit(f"vote-ip:{address}", limit=30, window=datetime.timedelta(hours=1)):
        raise ValidationError(_("Te veel pogingen. Probeer het over een uur opnieuw."))
    _open(round_, today)
    row = _code_row(round_, code)
    clean = _choices_clean(round_, choices)
    with transaction.atomic():
        return _count(row, round_, clean, VotingCode.Channel.ONLINE)


@dataclass(frozen=True)
class PaperResult:
    counted: bool
    mismatch: bool
    waiting: bool  # the first entry: waits for a second volunteer


@transaction.atomic
def paper_enter(
    *,
    round_: Round,
    user,
    code: str,
    choices: dict[int, object],
    today: datetime.date | None = None,
) -> PaperResult:
    require_role(
        user, *VOLUNTEERS, message=_("Alleen vrijwilligers van de groep voeren stemmen in.")
    )
    _open(round_, today or timezone.localdate())
    row = _code_row(round_, code)
    clean = _choices_clean(round_, choices)
    row = VotingCode.objects.select_for_update().get(pk=row.pk)
    if row.voted_at is not None:
        raise _already(row)
    live = PaperEntry.objects.filter(voting_code=row, discarded_at__isnull=True)
    if live.filter(entered_by_id=user.pk).exists():
        raise ValidationError(
            _("Je hebt dit stembiljet al ingevoerd; een andere vrijwilliger voert het nog eens in.")
        )
    stored = {str(k): str(v) for k, v in sorted(clean.items())}
    PaperEntry.objects.create(round=round_, voting_code=row, entered_by_id=user.pk, choices=stored)
    others = [e for e in live if e.entered_by_id != user.pk]
    if not others:
        return PaperResult(False, False, True)
    if all(e.choices == stored for e in others):
        _count(row, round_, clean, VotingCode.Channel.PAPER)
        return PaperResult(True, False, False)
    return PaperResult(False, True, False)


@transaction.atomic
def paper_discard(*, round_: Round, user, voting_code_id: int) -> int:
    """Entries that differ are thrown away (recorded), so the ballot is typed again."""
    require_role(user, *BOARD_ROLES, message=_("Alleen het bestuur lost verschillen op."))
    entries = list(
        PaperEntry.objects.select_for_update().filter(
            round=round_, voting_code_id=voting_code_id, discarded_at__isnull=True
        )
    )
    for entry in entries:
        entry.discarded_at = timezone.now()
        entry._history_user = user
        entry.save(update_fields=["discarded_at"])
    return len(entries)


def mismatches(round_: Round) -> list[int]:
    """Voting codes (ids) whose paper entries differ and that have not counted."""
    rows = (
        PaperEntry.objects.filter(
            round=round_, discarded_at__isnull=True, voting_code__voted_at__isnull=True
        )
        .values("voting_code_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
    )
    return [r["voting_code_id"] for r in rows]


@dataclass(frozen=True)
class Results:
    rows: list[tuple[Initiative, Decimal]]  # most points first
    codes_issued: int
    online: int
    paper: int

    @property
    def turnout(self) -> int:
        return self.online + self.paper

    @property
    def turnout_percent(self) -> int:
        return round(100 * self.turnout / self.codes_issued) if self.codes_issued else 0


def results(round_: Round) -> Results:
    points = dict(
        BallotLine.objects.filter(ballot__round=round_)
        .values("initiative_id")
        .annotate(total=Sum("points"))
        .values_list("initiative_id", "total")
    )
    initiatives = list(Initiative.objects.filter(round=round_).exclude(status="afgewezen"))
    rows = sorted(
        (
            (i, points.get(i.pk, Decimal("0.00")))
            for i in initiatives
            if i.pk in points or i.status == Initiative.Status.SUBMITTED
        ),
        key=lambda r: (-r[1], r[0].pk),
    )
    channels = dict(
        Ballot.objects.filter(round=round_)
        .values("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    return Results(
        rows,
        VotingCode.objects.filter(round=round_).count(),
        channels.get(VotingCode.Channel.ONLINE, 0),
        channels.get(VotingCode.Channel.PAPER, 0),
    )


@transaction.atomic
def results_record(
    *, round_: Round, user, meeting_id: int, notify: bool = True
) -> groups.DecisionRef:
    """The outcome as the group's numbered decision (the board confirms the count); the
    winners, in order of points while the budget lasts, are approved with a commitment."""
    from groups.initiatives import assessment

    require_role(user, *BOARD_ROLES, message=_("Alleen het bestuur legt de uitslag vast."))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if mismatches(round_):
        raise ValidationError(_("Er zijn nog papieren stemmen met verschillen. Los die eerst op."))
    outcome = results(round_)
    left = round_.budget - assessment.round_awarded(round_)
    winners = []
    for initiative, points in outcome.rows:
        if points > 0 and initiative.status == Initiative.Status.SUBMITTED:
            if initiative.requested_amount <= left:
                winners.append(initiative)
                left -= initiative.requested_amount
    lines = [
        _(
            "Uitslag van de wijkraadpleging %(round)s: %(n)s van %(codes)s huishoudens stemden "
            "(%(online)s online, %(paper)s op papier)."
        )
        % {
            "round": round_.name,
            "n": outcome.turnout,
            "codes": outcome.codes_issued,
            "online": outcome.online,
            "paper": outcome.paper,
        }
    ]
    lines += [f"{i.reference} {i.title}: {p}" for i, p in outcome.rows]
    ref = None
    for initiative in winners:
        ref = assessment.decide(
            initiative=initiative,
            user=user,
            outcome=Initiative.Status.APPROVED,
            reason="\n".join(lines),
            meeting_id=meeting_id,
            votes_for=_present(meeting_id),
            votes_against=0,
            notify=notify,
        )
    if ref is None:
        ref = groups.decision_record(
            meeting_id=meeting_id,
            title=_("Uitslag wijkraadpleging %(round)s") % {"round": round_.name},
            text="\n".join(lines),
            votes_for=_present(meeting_id),
            votes_against=0,
            by_user_id=user.pk,
        )
    return ref


def _present(meeting_id: int) -> int:
    return groups.meeting_present(meeting_id)
