"""The tamper-evident chain over posted entries: the digest of an entry and its verification."""

import hashlib
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from finance.ledger.models import JournalEntry, JournalLine, LedgerState

GENESIS = "0" * 64


def entry_payload(entry, year_number: int, rows: list[dict]) -> list:
    return [
        entry.sequence,
        year_number,
        entry.number,
        entry.date.isoformat(),
        entry.description,
        entry.kind,
        entry.reverses_id,
        [
            [
                r["line_no"],
                r["account__code"],
                f"{r['debit']:.2f}",
                f"{r['credit']:.2f}",
                r["description"],
                r["grant_id"],
                r["budget_line_id"],
            ]
            for r in rows
        ],
    ]


def entry_digest(prev_hash: str, payload: list) -> str:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256((prev_hash + "\n" + text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int | None
    label: str
    reason: str

    def __str__(self):
        return f"{self.label}: {self.reason}"


def verify_chain() -> ChainProblem | None:
    """Recompute the chain in the current schema; None if it holds, else the first problem."""
    state = LedgerState.objects.get(pk=1)
    entries = (
        JournalEntry.objects.filter(status=JournalEntry.Status.POSTED)
        .order_by("sequence")
        .values(
            "id",
            "sequence",
            "year__year",
            "number",
            "date",
            "description",
            "kind",
            "reverses_id",
            "prev_hash",
            "hash",
        )
    )
    lines = (
        JournalLine.objects.filter(entry__status=JournalEntry.Status.POSTED)
        .order_by("entry__sequence", "line_no")
        .values_list(
            "entry_id",
            "line_no",
            "account__code",
            "debit",
            "credit",
            "description",
            "grant_id",
            "budget_line_id",
        )
    )
    line_iter = iter(lines.iterator(chunk_size=5000))
    pending = next(line_iter, None)
    expected_sequence, prev = 0, GENESIS

    class _E:  # a light stand-in so entry_payload works on values()
        pass

    for row in entries.iterator(chunk_size=2000):
        expected_sequence += 1
        label = _("Boeking %(y)s-%(n)04d (id %(id)s)") % {
            "y": row["year__year"],
            "n": row["number"] or 0,
            "id": row["id"],
        }
        rows = []
        while pending is not None and pending[0] == row["id"]:
            rows.append(
                dict(
                    zip(
                        (
                            "entry_id",
                            "line_no",
                            "account__code",
                            "debit",
                            "credit",
                            "description",
                            "grant_id",
                            "budget_line_id",
                        ),
                        pending,
                        strict=True,
                    )
                )
            )
            pending = next(line_iter, None)
        if row["sequence"] != expected_sequence:
            return ChainProblem(
                row["id"],
                label,
                _("de keten mist een boeking vóór deze (volgnummer %(s)s verwacht).")
                % {"s": expected_sequence},
            )
        if row["prev_hash"] != prev:
            return ChainProblem(
                row["id"], label, _("de verwijzing naar de vorige boeking klopt niet meer.")
            )
        e = _E()
        e.sequence, e.number, e.date = row["sequence"], row["number"], row["date"]
        e.description, e.kind, e.reverses_id = row["description"], row["kind"], row["reverses_id"]
        if entry_digest(prev, entry_payload(e, row["year__year"], rows)) != row["hash"]:
            return ChainProblem(
                row["id"],
                label,
                _(
                    "de inhoud (regels, bedragen, datum of "
                    "rekeningen) klopt niet meer met de "
                    "vastgelegde vingerafdruk."
                ),
            )
        prev = row["hash"]
    if pending is not None:
        return ChainProblem(
            pending[0],
            _("Regel van boeking id %(id)s") % {"id": pending[0]},
            _("staat niet in de volgorde van de keten."),
        )
    if state.last_sequence != expected_sequence or state.last_hash != prev:
        return ChainProblem(
            None,
            _("Einde van de keten"),
            _("er ontbreken geboekte boekingen na volgnummer %(s)s.") % {"s": expected_sequence},
        )
    return None
