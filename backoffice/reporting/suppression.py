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
3. as a last check the suppressed cells are tested against every relation together (a cell
   can be pinned down by two relations at once, see `_determined`): while one of them is
   still determined by the shown cells, the smallest shown cell of a relation it is in is
   suppressed too, and rule 2 runs again.
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

    In a report every cell is in one or two sums (its column's total, and for the ballots
    also its row: online + paper = together), as in a two-way table with its margins. Then
    the equations restricted to the hidden cells are, up to signs, the incidence matrix of a
    graph: one node per sum, one extra node for "no second sum", one edge per hidden cell.
    What the shown cells leave free is exactly the graph's cycles, so a hidden cell is fixed
    precisely when its edge lies on no cycle: when it is a bridge (found in linear time).
    For relations of any other shape the rank test of `_determined_by_rank` is used."""
    membership: dict = {}
    for r, (total, parts) in enumerate(relations):
        for cell in (total, *parts):
            if cell in hidden:
                membership.setdefault(cell, []).append(r)
    if any(len(rs) > 2 for rs in membership.values()):
        return _determined_by_rank(relations, hidden)
    ground = len(relations)
    edges = [(cell, rs[0], rs[1] if len(rs) == 2 else ground) for cell, rs in membership.items()]
    return [edges[e][0] for e in _bridges(ground + 1, [(a, b) for _c, a, b in edges])]


def _bridges(n: int, edges: list[tuple[int, int]]) -> list[int]:
    """Indexes of the bridges of an undirected multigraph (iterative Tarjan)."""
    adjacent: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for e, (a, b) in enumerate(edges):
        adjacent[a].append((b, e))
        adjacent[b].append((a, e))
    order = [-1] * n
    low = [0] * n
    found = []
    counter = 0
    for root in range(n):
        if order[root] != -1:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, -1, iter(adjacent[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for nxt, e in neighbours:
                if e == via:
                    continue
                if order[nxt] == -1:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, e, iter(adjacent[nxt])))
                    advanced = True
                    break
                low[node] = min(low[node], order[nxt])
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    found.append(via)
    return found


def _determined_by_rank(relations, hidden) -> list:
    """The general case: a hidden cell is fixed when its unit vector lies in the row space of
    the equations restricted to the hidden cells (an SVD)."""
    unknowns = sorted({c for t, ps in relations for c in (t, *ps) if c in hidden}, key=_order)
    if not unknowns:
        return []
    index = {cell: i for i, cell in enumerate(unknowns)}
    matrix = np.zeros((len(relations), len(unknowns)))
    for r, (total, parts) in enumerate(relations):
        if total in index:
            matrix[r, index[total]] += 1
        for part in parts:
            if part in index:
                matrix[r, index[part]] -= 1
    _u, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    rank = int((singular > 1e-9).sum())
    reach = (vt[:rank] ** 2).sum(axis=0)  # squared length of e_i projected on the row space
    return [cell for cell, i in index.items() if reach[i] > 1 - 1e-9]
