"""Reconciliation (afletteren): linking bank lines to the books.

Open items a bank line can settle:

* an approved expense claim (money out, to the claimant's IBAN, "Declaratie D12" in the text);
* an expected grant tranche (money in, the award's reference in the text);
* a journal entry on the bank's ledger account that no bank line covers yet: a draft (it is
  posted when matched) or a posted entry (only linked).

Matching needs the exact amount and a date within the item's window; the counterparty IBAN,
a reference in the description, or the counterparty's name agreeing with the item's
(`finance.bank.matching`, within `NAME_DAYS` of the item's date) make it certain.
`auto_match` only takes pairs that are certain and unique (no other certain item for the
line, no other line for the item); the rest get `suggestions`, which the treasurer confirms
with one tap. A line can also be booked straight to a category (`book_line`), which creates
and posts the journal entry through the ledger.

Every link is a `MatchEvent`. A treasurer can undo one (`match_undo`): a booking the match
created (a claim's payment, a tranche received, a line booked to a category) is corrected
with a reversal, never deleted; a booking that was only linked stays as it is. PostgreSQL
refuses to unlink a line without an undo event written after its link, and a reconciled line
can never be removed (sql/guards.0025.sql).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from backoffice.core.money import ZERO
from backoffice.core.services import model_update
from finance.bank import events as bank_events
from finance.bank import facts as bank_facts
from finance.bank import matching
from finance.bank.models import BankAccount, BankLine, MatchEvent, PaymentOrder
from finance.claims import events as claim_events
from finance.claims import facts as claim_facts
from finance.claims import services as claim_services
from finance.claims.models import ExpenseClaim
from finance.grants.models import BudgetLine, Grant, Tranche
from finance.ledger import postings
from finance.ledger import services as ledger_services
from finance.ledger.models import Account, JournalEntry, JournalLine
from finance.ledger.postings import EntryInput
from finance.roles import require_treasurer

CLAIM, TRANCHE, ENTRY = "declaratie", "termijn", "boeking"
WINDOW_DAYS = {CLAIM: (-3, 60), TRANCHE: (-30, 60), ENTRY: (-15, 30)}
CERTAIN = 3  # amount (1) + IBAN (2), reference (2) or the name within NAME_DAYS (2)
NAME_DAYS = 7  # a name that agrees makes a match certain only this close to the item's date


@dataclass
class OpenItem:
    kind: str
    pk: int
    amount: Decimal  # as the bank line shows it: negative for money out
    date: dt.date
    label: str
    iban: str = ""
    references: tuple[str, ...] = ()
    names: str = ""  # who the item is about, to compare with the bank's counterparty
    obj: object = field(default=None, repr=False)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"


@dataclass
class Candidate:
    item: OpenItem
    score: int
    reasons: list[str]


# --- open items ----------------------------------------------------------------------------


def open_items(*, bank_account: BankAccount, since: dt.date | None = None) -> list[OpenItem]:
    """Everything a line on `bank_account` could settle, in three queries."""
    items: list[OpenItem] = []
    for claim in ExpenseClaim.objects.filter(
        status=ExpenseClaim.Status.APPROVED, bank_line__isnull=True
    ).order_by("pk"):
        items.append(
            OpenItem(
                CLAIM,
                claim.pk,
                -claim.amount,
                claim.spent_on,
                _("Declaratie D%(n)s: %(d)s (%(who)s)")
                % {"n": claim.number, "d": claim.description, "who": claim.claimant_name},
                iban=claim.iban,
                names=f"{claim.claimant_name} {claim.account_holder}",
                references=(f"d{claim.number}", f"declaratie-d{claim.number}"),
                obj=claim,
            )
        )
    for tranche in (
        Tranche.objects.filter(received_entry__isnull=True).select_related("grant").order_by("pk")
    ):
        items.append(
            OpenItem(
                TRANCHE,
                tranche.pk,
                tranche.amount,
                tranche.expected_on,
                _("Termijn %(ref)s, verwacht %(date)s")
                % {
                    "ref": tranche.grant.reference,
                    "date": tranche.expected_on.strftime("%d-%m-%Y"),
                },
                references=(tranche.grant.reference.lower(),),
                names=tranche.grant.funder,
                obj=tranche,
            )
        )
    account_id = bank_account.ledger_account_id
    entries = (
        JournalEntry.objects.exclude(kind=JournalEntry.Kind.REVERSAL)
        .exclude(Exists(JournalEntry.objects.filter(reverses=OuterRef("pk"))))
        .exclude(Exists(BankLine.objects.filter(entry=OuterRef("pk"))))
    )
    if since is not None:
        entries = entries.filter(date__gte=since)
    net_rows = (
        JournalLine.objects.filter(account_id=account_id, entry__in=entries.values("pk"))
        .order_by()
        .values("entry_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by()
    )
    nets = {r["entry_id"]: r["debit"] - r["credit"] for r in net_rows}
    for entry in JournalEntry.objects.filter(pk__in=list(nets)).select_related(
        "year", "payment_order"
    ):
        net = nets[entry.pk]
        if net == ZERO:
            continue
        label = _("Boeking %(n)s: %(d)s") % {"n": entry.display_number, "d": entry.description}
        try:
            order = entry.payment_order
        except PaymentOrder.DoesNotExist:
            order = None
        # A payout sent through the payment file: the bank line shows its IBAN and reference.
        extra = (
            {
                "iban": order.iban,
                "references": (order.end_to_end_id.lower(),),
                "names": f"{order.name} {entry.description}",
            }
            if order is not None
            else {"names": entry.description}
        )
        items.append(OpenItem(ENTRY, entry.pk, net, entry.date, label, obj=entry, **extra))
    return items


# --- matching ------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s/]+")


def _text(line: BankLine) -> str:
    return _SPACES.sub("-", f" {line.description} {line.bank_reference} ".lower())


def _reasons() -> dict[str, str]:
    """The reasons in the active language, translated once per matching run, not per pair."""
    return {
        "amount": _("zelfde bedrag"),
        "iban": _("zelfde rekeningnummer"),
        "reference": _("kenmerk in de omschrijving"),
        "name": _("naam lijkt op de tegenpartij"),
        "name_far": _("naam lijkt op de tegenpartij, maar de datum ligt verder weg"),
        "date": _("datum past"),
    }


def _score(line: BankLine, item: OpenItem, text: str, says: dict[str, str]) -> Candidate | None:
    low, high = WINDOW_DAYS[item.kind]
    days = (line.booking_date - item.date).days
    if not low <= days <= high:
        return None
    score, reasons = 1, [says["amount"]]
    if item.iban and line.counterparty_iban == item.iban:
        score += 2
        reasons.append(says["iban"])
    if any(f"-{ref}-" in text or ref in text and len(ref) > 5 for ref in item.references):
        score += 2
        reasons.append(says["reference"])
    counterparty = line.counterparty_name or line.description
    if item.names and matching.names_agree(counterparty, item.names):
        if abs(days) <= NAME_DAYS:
            score += 2
            reasons.append(says["name"])
        else:
            score += 1
            reasons.append(says["name_far"])
    if abs(days) <= 3:
        score += 1
        reasons.append(says["date"])
    return Candidate(item, score, reasons)


def candidates(
    line: BankLine, by_amount: dict[Decimal, list[OpenItem]], says: dict[str, str] | None = None
) -> list[Candidate]:
    options = by_amount.get(line.amount, ())
    if not options:
        return []
    says = says or _reasons()
    text = _text(line)
    found = [c for item in options if (c := _score(line, item, text, says))]
    found.sort(key=lambda c: (-c.score, abs((line.booking_date - c.item.date).days), c.item.pk))
    return found


def index_by_amount(items: list[OpenItem]) -> dict[Decimal, list[OpenItem]]:
    by_amount: dict[Decimal, list[OpenItem]] = defaultdict(list)
    for item in items:
        by_amount[item.amount].append(item)
    return by_amount


def plan_matches(lines: list[BankLine], items: list[OpenItem]) -> list[tuple[BankLine, OpenItem]]:
    """Certain, unique pairs: the line's only certain item, wanted by no other line."""
    by_amount = index_by_amount(items)
    wanted: dict[str, list[tuple[BankLine, OpenItem]]] = defaultdict(list)
    says = _reasons()
    for line in lines:
        found = candidates(line, by_amount, says)
        if not found or found[0].score < CERTAIN:
            continue
        if len(found) > 1 and found[1].score >= CERTAIN:
            continue  # two items look certain: the treasurer chooses
        wanted[found[0].item.key].append((line, found[0].item))
    return [pairs[0] for pairs in wanted.values() if len(pairs) == 1]


def suggestions(*, line: BankLine, limit: int = 5) -> list[Candidate]:
    items = open_items(bank_account=line.bank_account)
    return candidates(line, index_by_amount(items))[:limit]


def best_suggestions(lines: list[BankLine]) -> dict[int, Candidate]:
    """The best item per open line, for confirming from the list: open items once per account."""
    best: dict[int, Candidate] = {}
    by_account: dict[int, list[BankLine]] = defaultdict(list)
    for line in lines:
        if not line.is_reconciled:
            by_account[line.bank_account_id].append(line)
    for account_lines in by_account.values():
        account = account_lines[0].bank_account
        since = min(ln.booking_date for ln in account_lines) - dt.timedelta(days=60)
        by_amount = index_by_amount(open_items(bank_account=account, since=since))
        says = _reasons()
        for line in account_lines:
            if found := candidates(line, by_amount, says):
                best[line.pk] = found[0]
    return best


# --- writing -------------------------------------------------------------------------------


@transaction.atomic
def apply_matches(
    *, pairs: list[tuple[BankLine, OpenItem]], user, note: str = "", how: str = "handmatig"
) -> int:
    """Write matched pairs in one go: new entries for claims and tranches, drafts posted.

    `how` (automatisch, voorstel, handmatig) goes into each line's `MatchEvent`.
    """
    if not pairs:
        return 0
    line_ids = sorted(line.pk for line, _item in pairs)
    locked = {
        line.pk: line
        for line in BankLine.objects.select_for_update(of=("self",))
        .filter(pk__in=line_ids)
        .select_related("bank_account__ledger_account")
        .order_by("pk")
    }
    claim_ids = sorted(i.pk for _l, i in pairs if i.kind == CLAIM)
    tranche_ids = sorted(i.pk for _l, i in pairs if i.kind == TRANCHE)
    claims = {
        c.pk: c
        for c in ExpenseClaim.objects.select_for_update(of=("self",))
        .filter(pk__in=claim_ids)
        .select_related("category", "budget_line")
        .order_by("pk")
    }
    tranches = {
        t.pk: t
        for t in Tranche.objects.select_for_update(of=("self",))
        .filter(pk__in=tranche_ids)
        .select_related("grant")
        .order_by("pk")
    }
    entry_ids = sorted(i.pk for _l, i in pairs if i.kind == ENTRY)
    # one query for every booking to link, not one each (a bank file matches thousands)
    entries = (
        {
            e.pk: e
            for e in JournalEntry.objects.select_for_update(of=("self",))
            .filter(pk__in=entry_ids)
            .select_related("year")
            .order_by("pk")
        }
        if entry_ids
        else {}
    )
    income = Account.objects.get(role="grant_income") if tranches else None
    new_specs: list[tuple[BankLine, OpenItem, EntryInput]] = []
    to_post: list[tuple[BankLine, JournalEntry]] = []
    to_link: list[tuple[BankLine, JournalEntry]] = []
    for original, item in pairs:
        line = locked[original.pk]
        if line.is_reconciled:
            raise ValidationError(_("Bankregel %(id)s is al afgeletterd.") % {"id": line.pk})
        if line.amount != item.amount:
            raise ValidationError(_("Het bedrag van de bankregel en de post verschillen."))
        bank_ledger = line.bank_account.ledger_account
        if item.kind == CLAIM:
            claim = claims.get(item.pk)
            if claim is None or claim.status != ExpenseClaim.Status.APPROVED:
                raise ValidationError(_("Deze declaratie is niet (meer) goedgekeurd en open."))
            if BankLine.objects.filter(claim=claim).exists():
                raise ValidationError(_("Deze declaratie is al aan een bankregel gekoppeld."))
            item.obj = claim
            new_specs.append(
                (
                    line,
                    item,
                    postings.claim_paid(claim=claim, date=line.booking_date, paid_from=bank_ledger),
                )
            )
        elif item.kind == TRANCHE:
            tranche = tranches.get(item.pk)
            if tranche is None or tranche.received_entry_id:
                raise ValidationError(_("Deze termijn is al ontvangen."))
            item.obj = tranche
            new_specs.append(
                (
                    line,
                    item,
                    postings.tranche_received(
                        tranche=tranche,
                        date=line.booking_date,
                        into=bank_ledger,
                        income_account=income,
                    ),
                )
            )
        else:
            entry = entries.get(item.pk)
            if entry is None:
                raise ValidationError(_("Deze boeking bestaat niet meer."))
            (to_link if entry.is_posted else to_post).append((line, entry))
    created = (
        ledger_services.entries_create(
            entries=[spec for _l, _i, spec in new_specs], user=user, post=True
        )
        if new_specs
        else []
    )
    if to_post:
        ledger_services.entries_post(entries=[e for _l, e in to_post], user=user)
    now = timezone.now()
    changed_lines, changed_claims, changed_tranches, paid = [], [], [], []
    links: list[tuple[BankLine, int, bool]] = []
    for (line, item, _spec), entry in zip(new_specs, created, strict=True):
        line.entry = entry
        links.append((line, entry.pk, True))
        if item.kind == CLAIM:
            claim = item.obj
            line.claim = claim
            claim.status, claim.paid_entry = ExpenseClaim.Status.PAID, entry
            changed_claims.append(claim)
            paid.append((claim, line))
        else:
            item.obj.received_entry = entry
            changed_tranches.append(item.obj)
        changed_lines.append(line)
    for line, entry in (*to_post, *to_link):
        line.entry = entry
        links.append((line, entry.pk, False))
        changed_lines.append(line)
    for line in changed_lines:
        line.reconciled_at, line.reconciled_by_id, line.match_note = now, user.pk, note[:200]
    _link_lines(changed_lines, at=now, user=user, note=note[:200])
    if changed_claims:
        bulk_update_with_history(
            changed_claims, ExpenseClaim, ["status", "paid_entry"], default_user=user
        )
        claim_events.claims_paid(claims_and_lines=paid, actor=user)
        claim_services.claims_paid_receipts(claims=changed_claims, user=user)
    if changed_tranches:
        bulk_update_with_history(changed_tranches, Tranche, ["received_entry"], default_user=user)
    bank_events.lines_matched(links=links, how=how, actor=user)
    bank_facts.refresh()
    if changed_claims:
        claim_facts.refresh()
    return len(changed_lines)


def _link_lines(lines: list[BankLine], *, at, user, note: str) -> None:
    """Write the links of many lines in one statement, with their history rows.

    Only the entry and the claim differ per line; an UPDATE from arrays stays linear where
    Django's bulk_update (a CASE per field over every row) took half a minute for 2,000. The
    history rows are the ones `bulk_history_create` writes, copied from the table in one
    INSERT … SELECT instead of a Python object per row.
    """

    def ints(values) -> str:
        return "{" + ",".join("NULL" if v is None else str(int(v)) for v in values) + "}"

    ids = ints(line.pk for line in lines)
    table = BankLine._meta.db_table
    history = BankLine.history.model._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f.column) for f in BankLine._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} b
            SET entry_id = v.entry_id, claim_id = v.claim_id,
                reconciled_at = %s, reconciled_by_id = %s, match_note = %s
            FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) AS v(id, entry_id, claim_id)
            WHERE b.id = v.id
            """,
            [
                at,
                user.pk,
                note,
                ids,
                ints(line.entry_id for line in lines),
                ints(line.claim_id for line in lines),
            ],
        )
        cursor.execute(
            f"INSERT INTO {history} ({columns}, history_date, history_change_reason, "
            f"history_type, history_user_id) SELECT {columns}, %s, NULL, '~', %s FROM {table} "
            f"WHERE id = ANY(%s::bigint[]) ORDER BY id",
            [timezone.now(), user.pk, ids],
        )


def unreconciled(*, bank_account: BankAccount | None = None):
    qs = BankLine.objects.filter(reconciled_at__isnull=True)
    if bank_account is not None:
        qs = qs.filter(bank_account=bank_account)
    return qs.select_related("bank_account").order_by("booking_date", "id")


@transaction.atomic
def auto_match(*, user, bank_account: BankAccount | None = None) -> int:
    """Reconcile every certain pair; returns how many lines were reconciled."""
    require_treasurer(user)
    total = 0
    accounts = [bank_account] if bank_account else list(BankAccount.objects.order_by("pk"))
    for account in accounts:
        lines = list(unreconciled(bank_account=account))
        if not lines:
            continue
        since = min(line.booking_date for line in lines) - dt.timedelta(days=60)
        pairs = plan_matches(lines, open_items(bank_account=account, since=since))
        total += apply_matches(pairs=pairs, user=user, note=_("automatisch"), how="automatisch")
    return total


@transaction.atomic
def match_line(*, line: BankLine, user, kind: str, pk: int, suggested: bool = False) -> BankLine:
    """Manual match of one line to one open item (same amount required).

    `suggested`: the treasurer confirmed one of the `suggestions` (recorded as such)."""
    require_treasurer(user)
    item = next(
        (i for i in open_items(bank_account=line.bank_account) if i.kind == kind and i.pk == pk),
        None,
    )
    if item is None:
        raise ValidationError(_("Deze post staat niet (meer) open."))
    if item.amount != line.amount:
        raise ValidationError(
            _("Het bedrag verschilt: de bankregel is %(a)s, de post %(b)s.")
            % {"a": line.amount, "b": item.amount}
        )
    how = "voorstel" if suggested else "handmatig"
    note = _("voorstel bevestigd") if suggested else _("handmatig")
    apply_matches(pairs=[(line, item)], user=user, note=note, how=how)
    return BankLine.objects.get(pk=line.pk)


@transaction.atomic
def book_line(
    *,
    line: BankLine,
    user,
    category: Account,
    description: str = "",
    grant: Grant | None = None,
    budget_line: BudgetLine | None = None,
) -> JournalEntry:
    """Book a bank line straight to a category: the entry is created, posted and linked."""
    require_treasurer(user)
    line = (
        BankLine.objects.select_for_update(of=("self",))
        .select_related("bank_account__ledger_account")
        .get(pk=line.pk)
    )
    if line.is_reconciled:
        raise ValidationError(_("Deze bankregel is al afgeletterd."))
    if category.is_cash or category.pk == line.bank_account.ledger_account_id:
        raise ValidationError({"category": _("Kies een categorie, niet de bank of de kas.")})
    text = description.strip() or line.description or line.counterparty_name or _("Bankregel")
    spec = postings.bank_line_booked(
        line=line,
        bank=line.bank_account.ledger_account,
        category=category,
        description=" ".join(text.split())[:200],
        grant=grant,
        budget_line=budget_line,
    )
    entry = ledger_services.entry_book(spec=spec, user=user, post=True)
    line.entry, line.reconciled_at, line.reconciled_by_id = entry, timezone.now(), user.pk
    line.match_note = _("geboekt op %(c)s") % {"c": category}
    line._history_user = user
    line.save(update_fields=["entry", "reconciled_at", "reconciled_by_id", "match_note"])
    bank_events.lines_matched(links=[(line, entry.pk, True)], how="geboekt", actor=user)
    bank_facts.refresh()
    return entry


# --- undoing a match -----------------------------------------------------------------------


def _link_created_entry(line: BankLine, entry: JournalEntry) -> bool:
    """Whether the link made `entry` (so undoing it reverses the entry) or only found it."""
    event = (
        line.match_events.filter(kind=bank_events.Kind.MATCHED, new__entry=entry.pk)
        .order_by("-at", "-id")
        .first()
    )
    if event is not None:
        return bool(event.new.get("created"))
    # Links made before match events existed: the origin tells.
    if entry.origin_kind == postings.BANK_LINE:
        return entry.origin_id == line.pk
    if entry.origin_kind == postings.CLAIM:
        return line.claim_id is not None and entry.origin_id == line.claim_id
    return False


@transaction.atomic
def match_undo(*, line: BankLine, user, reason: str) -> MatchEvent:
    """Undo a line's link with the books; the line is open again. Returns the undo event.

    A booking the link created is corrected with a reversal dated today (the books never
    lose a posted line), the claim it paid waits for payment again and the tranche it
    received is expected again. A booking that was only linked stays as it is.
    """
    require_treasurer(user)
    reason = " ".join(reason.split())[:200]
    if not reason:
        raise ValidationError({"reason": _("Schrijf kort waarom de koppeling niet klopt.")})
    line = BankLine.objects.select_for_update(of=("self",)).get(pk=line.pk)
    if not line.is_reconciled:
        raise ValidationError(_("Deze bankregel is niet gekoppeld."))
    claim_id = line.claim_id
    # the order apply_matches locks in: line, claim, tranche, then the entry
    claim = (
        ExpenseClaim.objects.select_for_update().get(pk=claim_id) if claim_id is not None else None
    )
    tranche = Tranche.objects.select_for_update().filter(received_entry_id=line.entry_id).first()
    entry = JournalEntry.objects.select_for_update(of=("self",)).get(pk=line.entry_id)
    reversal = None
    if _link_created_entry(line, entry):
        if JournalEntry.objects.filter(reverses=entry).exists():
            raise ValidationError(_("De boeking van deze koppeling is al gecorrigeerd."))
        reversal = ledger_services.entry_reverse(
            entry=entry,
            user=user,
            reason=_("koppeling met de bank ongedaan gemaakt: %(r)s") % {"r": reason},
        )
        if tranche is not None:
            model_update(tranche, user, received_entry=None)
    else:
        claim = None  # only a link: the claim's payment (if any) stands
    event = bank_events.match_undone(
        line=line,
        actor=user,
        entry_id=entry.pk,
        claim_id=claim_id,
        reversal_id=reversal.pk if reversal else None,
        reason=reason,
    )
    line.entry, line.claim, line.reconciled_at, line.reconciled_by_id = None, None, None, None
    line.match_note = ""
    line._history_user = user
    line.save(update_fields=["entry", "claim", "reconciled_at", "reconciled_by_id", "match_note"])
    if claim is not None:  # released once the line has let go of it
        model_update(
            claim,
            user,
            validate_constraints=False,
            status=ExpenseClaim.Status.APPROVED,
            paid_entry=None,
        )
        claim_events.claim_unpaid(claim=claim, actor=user, reason=reason, reversal_id=reversal.pk)
        claim_facts.refresh()
    bank_facts.refresh()
    return event
