"""Small counts of people are suppressed together with every cell from which one could be
recomputed: checked here against an exact (rational) solver of the table's sums."""

import random
from fractions import Fraction

from backoffice.reporting.suppression import THRESHOLD, suppress, suppress_cells


def test_a_single_count_keeps_the_existing_rule():
    assert suppress({"a": 3, "b": 10, "c": 7}, 20) == ({"a", "c"}, False)
    assert suppress({"a": 3, "b": 2, "c": 10}, 15) == ({"a", "b"}, False)
    assert suppress({"a": 1}, 1) == ({"a"}, True)
    assert suppress({"a": 5, "b": 9}, 14) == (set(), False)


def _table(groups: dict[str, tuple[int, int]]):
    """Ballots online and on paper per group; their sum per group and the district totals."""
    values, relations = {}, []
    for slug, (online, paper) in groups.items():
        values |= {(slug, "on"): online, (slug, "pa"): paper, (slug, "all"): online + paper}
    for key in ("on", "pa", "all"):
        values[("", key)] = sum(values[(s, key)] for s in groups)
        relations.append((("", key), [(s, key) for s in groups]))
    for owner in ["", *groups]:
        relations.append(((owner, "all"), [(owner, "on"), (owner, "pa")]))
    return values, relations


def test_a_small_part_of_a_groups_sum_takes_its_other_part_and_the_totals_along():
    values, relations = _table({"a": (7, 2), "b": (20, 30), "c": (12, 9)})
    hidden = suppress_cells(values, relations)
    assert {("a", "pa"), ("a", "on")} <= hidden  # 9 - 7 = 2 otherwise
    assert _determined(values, relations, hidden) == set()


def _determined(values, relations, hidden) -> set:
    """Hidden cells fixed by the shown ones: exact Gaussian elimination over the rationals."""
    unknowns = sorted({c for c in hidden}, key=repr)
    index = {c: i for i, c in enumerate(unknowns)}
    rows = []
    for total, parts in relations:
        row = [Fraction(0)] * len(unknowns)
        if total in index:
            row[index[total]] += 1
        for part in parts:
            if part in index:
                row[index[part]] -= 1
        if any(row):
            rows.append(row)
    pivots, r = [], 0
    for col in range(len(unknowns)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [x / rows[r][col] for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
    fixed = set()
    for i, col in enumerate(pivots):  # a reduced row with only its pivot pins that cell
        if sum(1 for x in rows[i] if x != 0) == 1:
            fixed.add(unknowns[col])
    return fixed


def test_on_random_tables_no_small_count_shows_and_no_hidden_cell_can_be_recomputed():
    rng = random.Random(12)
    for _ in range(300):
        groups = {
            f"g{i}": (rng.choice([0, 1, 3, 4, 5, 8, 20]), rng.choice([0, 2, 4, 6, 9, 40]))
            for i in range(rng.randint(1, 6))
        }
        values, relations = _table(groups)
        hidden = suppress_cells(values, relations)
        assert {c for c, v in values.items() if v < THRESHOLD} <= hidden
        for total, parts in relations:
            assert sum(1 for m in (total, *parts) if m in hidden) != 1
        assert _determined(values, relations, hidden) == set(), groups


def test_the_fast_bridge_test_agrees_with_the_rank_test_on_large_tables():
    from backoffice.reporting.suppression import _determined, _determined_by_rank

    rng = random.Random(7)
    for _ in range(20):
        groups = {
            f"g{i:03d}": (rng.choice([0, 3, 5, 8, 30]), rng.choice([1, 4, 6, 12]))
            for i in range(rng.randint(20, 130))
        }
        values, relations = _table(groups)
        hidden = {c for c, v in values.items() if v < THRESHOLD or rng.random() < 0.1}
        assert sorted(_determined(values, relations, hidden), key=repr) == sorted(
            _determined_by_rank(relations, hidden), key=repr
        )
