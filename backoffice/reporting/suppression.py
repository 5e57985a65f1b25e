"""Small-count suppression: no count of people below 5 leaves the product, nor any cell from
which such a count could be recomputed.

A district report holds, for each count of people (board members, active volunteers,
households reached, vouchers used, ballots online, on paper and in all), one cell per group
and a district total. Some cells add up to others:
- every count's district total is the sum of the groups' cells (a column);
- per group, and in the totals, ballots in all = ballots online + ballots on paper (a row).

The rule:
1. a cell below THRESHOLD (0 to 4) is suppressed, a group's cell as much as a total
   (primary suppression);
2. while some sum relation (a total with its parts) has exactly one suppressed cell, that
   cell could be recomputed from the others, so one more cell of the relation is suppressed:
   the smallest shown part (ties by the cell's name), or the total when no part is shown
   (complementary suppression). This repeats until no relation has exactly one suppressed
   cell;
3. as a last check the suppressed cells are tested with linear algebra against every
   relation together (a cell can be pinned down by two relations at once): while one of
   them is still determined by the shown cells, the smallest shown cell of a relation it
   is in is suppressed too, and rule 2 runs again.
Suppressed cells are `null` and named in the cell owner's `suppressed` list. The rule is
stated in the API documentation (api/schema.py, SUPPRESSION_RULE).
"""

from collections.abc import Hashable

import numpy as np

THRESHOLD = 5

Cell = Hashable  # e.g. ("groep-a", "boardMembers") or ("", "boardMembers") for a total


def suppress(cells: dict[str, int], total: int) -> tuple[set[str], bool]:
    """Which of `cells` (key -> count) to hide, and whether to hide `total` (their sum)."""
    values = {**{("cell", k): v for k, v in cells.items()}, ("total",): total}
    hidden = suppress_cells(values, [(("total",), [("cell", k) for k in cells])])
    return {key[1] for key in hidden if key[0] == "cell"}, ("total",) in hidden


def suppress_cells(values: dict[Cell, int], relations: list[tuple[Cell, list[Cell]]]) -> set:
    """The cells of `values` to hide, given `relations` (total cell, its part cells): every
    total equals the sum of its parts."""
    hidden = {cell for cell, count in values.items() if count < THRESHOLD}
    while True:
        _complete(values, relations, hidden)
        determined = _determined(values, relations, hidden)
        if not determined:
            return hidden
        cell = min(determined, key=_order)
        extra = _smallest_shown_partner(values, relations, hidden, cell)
        if extra is None:  # nothing left to hide beside it: cannot happen with sums
            return hidden
        hidden.add(extra)


def _order(cell) -> str:
    return repr(cell)


def _complete(values, relations, hidden) -> None:
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            members = [total, *parts]
            if sum(1 for m in members if m in hidden) != 1:
                continue
            shown_parts = [p for p in parts if p not in hidden]
            if shown_parts:
                hidden.add(min(shown_parts, key=lambda p: (values[p], _order(p))))
            else:
                hidden.add(total)
            changed = True


def _smallest_shown_partner(values, relations, hidden, cell):
    partners = [
        m
        for total, parts in relations
        if cell in (total, *parts)
        for m in (total, *parts)
        if m not in hidden
    ]
    if not partners:
        return None
    return min(partners, key=lambda p: (values[p], _order(p)))


def _determined(values, relations, hidden) -> list:
    """Hidden cells whose value follows from the shown cells and the relations.

    Each relation is a linear equation; with the shown cells moved to the right-hand side,
    a hidden cell is determined when no solution of the homogeneous equations (restricted to
    the hidden cells) moves it: its column of the null space is zero."""
    unknowns = sorted(
        {c for total, parts in relations for c in (total, *parts) if c in hidden}, key=_order
    )
    if not unknowns:
        return []
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows = []
    for total, parts in relations:
        row = np.zeros(len(unknowns))
        if total in index:
            row[index[total]] += 1
        for part in parts:
            if part in index:
                row[index[part]] -= 1
        if row.any():
            rows.append(row)
    if not rows:
        return []
    matrix = np.array(rows)
    # The null space of the equations: a hidden cell no direction in it can move is fixed.
    _u, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:]
    return [cell for cell, i in index.items() if not np.any(np.abs(null_space[:, i]) > 1e-9)]
