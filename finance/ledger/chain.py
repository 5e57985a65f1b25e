"""The tamper-evident chain over posted entries, its anchors, and its verification.

Each posted entry carries HMAC-SHA256(key, previous hash + every field of the entry and of
its lines); the key (`settings.LEDGER_CHAIN_KEY`) lives outside the database, so whoever
can write the database but not read the environment cannot recompute a hash after changing,
appending or removing an entry. The head of the chain (its last sequence number and hash)
is anchored at each kascommissie sign-off and each year close in a `ChainAnchor`, itself
keyed and linked to the anchor before it: cutting the tail off the chain, or wiping the
books, leaves anchors that name entries which are no longer there. See ADR 0010.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from finance.ledger.models import ChainAnchor, JournalEntry, JournalLine, LedgerState

GENESIS = "0" * 64

# Every column of an entry and of its lines goes into the fingerprint, except the entry's
# own hash (the result) and prev_hash (hashed in front of the payload). A test keeps these
# lists equal to the models' fields.
ENTRY_FIELDS = (
    "id",
    "year_id",
    "sequence",
    "number",
    "date",
    "description",
    "kind",
    "status",
    "reverses_id",
    "created_by_id",
    "created_at",
    "posted_by_id",
    "posted_at",
    "origin_kind",
    "origin_id",
    "decision_id",
    "period_exception",
)
LINE_FIELDS = (
    "id",
    "entry_id",
    "line_no",
    "account_id",
    "account__code",
    "debit",
    "credit",
    "description",
    "grant_id",
    "budget_line_id",
)


def _key() -> bytes:
    return settings.LEDGER_CHAIN_KEY.encode("utf-8")


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def entry_payload(entry, year_number: int, rows: list[dict]) -> dict:
    """What the fingerprint covers: `entry` is a JournalEntry (or a stand-in with the same
    attributes), `rows` its lines as dicts with the keys of LINE_FIELDS."""
    return {
        "entry": {name: _plain(getattr(entry, name)) for name in ENTRY_FIELDS},
        "year": year_number,
        "lines": [[_plain(row[name]) for name in LINE_FIELDS] for row in rows],
    }


def _mac(text: str) -> str:
    return hmac.new(_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def entry_digest(prev_hash: str, payload) -> str:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return _mac(prev_hash + "\n" + text)


def anchor_mac(anchor: ChainAnchor) -> str:
    """The anchor's own fingerprint, over what it says and the anchor before it."""
    return _mac(
        "anchor\n"
        + json.dumps(
            [
                anchor.kind,
                anchor.year,
                anchor.sequence,
                anchor.head_hash,
                anchor.actor_id,
                _plain(anchor.at),
                anchor.prev_mac,
            ],
            separators=(",", ":"),
        )
    )


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int | None
    label: str
    reason: str

    def __str__(self):
        return f"{self.label}: {self.reason}"


@dataclass(frozen=True)
class ChainSummary:
    entries: int
    anchors: int
    head_sequence: int
    head_hash: str


class _Row:  # a light stand-in so entry_payload works on values()
    def __init__(self, values: dict):
        self.__dict__.update(values)


def _anchor_label(anchor: ChainAnchor) -> str:
    return _("Ankerpunt %(kind)s %(year)s (%(at)s)") % {
        "kind": anchor.get_kind_display(),
        "year": anchor.year,
        "at": anchor.at.strftime("%d-%m-%Y %H:%M"),
    }


def _check_anchors(anchors: list[ChainAnchor]) -> ChainProblem | None:
    prev = GENESIS
    for anchor in anchors:
        if anchor.prev_mac != prev or not hmac.compare_digest(anchor.mac, anchor_mac(anchor)):
            return ChainProblem(
                None,
                _anchor_label(anchor),
                _(
                    "het ankerpunt is veranderd, niet met de sleutel van deze installatie "
                    "gemaakt, of er is een ankerpunt vóór dit weggehaald."
                ),
            )
        prev = anchor.mac
    return None


def verify_chain() -> ChainProblem | None:
    """Recompute the chain in the current schema; None if it holds, else the first problem."""
    problem, _summary = verify_chain_with_summary()
    return problem


def verify_chain_with_summary() -> tuple[ChainProblem | None, ChainSummary | None]:
    state = LedgerState.objects.get(pk=1)
    anchors = list(ChainAnchor.objects.order_by("id"))
    problem = _check_anchors(anchors)
    if problem is not None:
        return problem, None
    anchored: dict[int, list[ChainAnchor]] = {}
    for anchor in anchors:
        anchored.setdefault(anchor.sequence, []).append(anchor)
    for anchor in anchored.get(0, []):
        if anchor.head_hash != GENESIS:
            return ChainProblem(
                None, _anchor_label(anchor), _("het begin van de keten klopt niet.")
            ), None
    entries = (
        JournalEntry.objects.filter(status=JournalEntry.Status.POSTED)
        .order_by("sequence")
        .values(*ENTRY_FIELDS, "year__year", "prev_hash", "hash")
    )
    lines = (
        JournalLine.objects.filter(entry__status=JournalEntry.Status.POSTED)
        .order_by("entry__sequence", "line_no")
        .values_list(*LINE_FIELDS)
    )
    line_iter = iter(lines.iterator(chunk_size=5000))
    pending = next(line_iter, None)
    expected_sequence, prev = 0, GENESIS
    for row in entries.iterator(chunk_size=2000):
        expected_sequence += 1
        label = _("Boeking %(y)s-%(n)04d (id %(id)s)") % {
            "y": row["year__year"],
            "n": row["number"] or 0,
            "id": row["id"],
        }
        rows = []
        while pending is not None and pending[1] == row["id"]:
            rows.append(dict(zip(LINE_FIELDS, pending, strict=True)))
            pending = next(line_iter, None)
        if row["sequence"] != expected_sequence:
            return ChainProblem(
                row["id"],
                label,
                _("de keten mist een boeking vóór deze (volgnummer %(s)s verwacht).")
                % {"s": expected_sequence},
            ), None
        if row["prev_hash"] != prev:
            return ChainProblem(
                row["id"], label, _("de verwijzing naar de vorige boeking klopt niet meer.")
            ), None
        digest = entry_digest(prev, entry_payload(_Row(row), row["year__year"], rows))
        if not hmac.compare_digest(digest, row["hash"]):
            return ChainProblem(
                row["id"],
                label,
                _(
                    "de inhoud (regels, bedragen, datum of "
                    "rekeningen) klopt niet meer met de "
                    "vastgelegde vingerafdruk."
                ),
            ), None
        for anchor in anchored.get(expected_sequence, []):
            if anchor.head_hash != row["hash"]:
                return ChainProblem(
                    row["id"],
                    label,
                    _("verschilt van wat %(anchor)s vastlegde.")
                    % {"anchor": _anchor_label(anchor)},
                ), None
        prev = row["hash"]
    if pending is not None:
        return ChainProblem(
            pending[1],
            _("Regel van boeking id %(id)s") % {"id": pending[1]},
            _("staat niet in de volgorde van de keten."),
        ), None
    beyond = [a for a in anchors if a.sequence > expected_sequence]
    if beyond:
        return ChainProblem(
            None,
            _anchor_label(beyond[0]),
            _(
                "legde de boeken vast tot volgnummer %(a)s, maar de keten eindigt bij "
                "%(s)s: boekingen zijn weggehaald of de boeken zijn gewist."
            )
            % {"a": beyond[0].sequence, "s": expected_sequence},
        ), None
    if state.last_sequence != expected_sequence or state.last_hash != prev:
        return ChainProblem(
            None,
            _("Einde van de keten"),
            _("er ontbreken geboekte boekingen na volgnummer %(s)s.") % {"s": expected_sequence},
        ), None
    return None, ChainSummary(
        entries=expected_sequence,
        anchors=len(anchors),
        head_sequence=expected_sequence,
        head_hash=prev,
    )
