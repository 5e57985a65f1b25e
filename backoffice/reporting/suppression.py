"""Small-count suppression: no count of people below 5 leaves the product, nor any cell from
which such a count could be recomputed.

For each count (board members, active volunteers) in a district report:
1. a group's count below THRESHOLD (0 to 4) is suppressed (primary suppression);
2. the district total is suppressed when it is below THRESHOLD;
3. when exactly one group's count is suppressed and the total is shown, the total minus the
   other groups would give it away, so the smallest other shown count is suppressed too
   (complementary suppression; ties by the group's slug).
Suppressed cells are `null` and named in the cell owner's `suppressed` list. The rule is
stated in the API documentation (api/schema.py, SUPPRESSION_RULE).
"""

THRESHOLD = 5


def suppress(cells: dict[str, int], total: int) -> tuple[set[str], bool]:
    """Which of `cells` (key -> count) to hide, and whether to hide `total` (their sum)."""
    hidden = {key for key, count in cells.items() if count < THRESHOLD}
    total_hidden = total < THRESHOLD
    if len(hidden) == 1 and not total_hidden:
        shown = sorted((count, key) for key, count in cells.items() if key not in hidden)
        if shown:
            hidden.add(shown[0][1])
    return hidden, total_hidden
