"""The ACTIE trend as SVG, drawn on the server (no script, no CDN, allowed by the strict CSP).

One small chart per dimension, each with two lines: the support worker's scores (solid, round
markers) and the group's own (dashed, square markers), so it reads in black and white too.
The page always shows a table with the same numbers beside it.
"""

from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from backoffice.support.models import ActieCheck, ActieDimension

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 28, 10, 12, 26


def _x(index_day: int, first: int, last: int) -> float:
    span = max(last - first, 1)
    return LEFT + (index_day - first) * (WIDTH - LEFT - RIGHT) / span


def _y(score: int) -> float:
    return TOP + (5 - score) * (HEIGHT - TOP - BOTTOM) / 4


def dimension_chart(dimension: str, worker: list[ActieCheck], group: list[ActieCheck]) -> str:
    label = str(ActieDimension(dimension).label)
    days = [c.scored_on.toordinal() for c in (*worker, *group)]
    first, last = (min(days), max(days)) if days else (0, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="actie-{dimension}-title" class="actie-chart">',
        f'<title id="actie-{dimension}-title">{escape(label)}: '
        f"{escape(_('scores van 1 tot 5 door de tijd'))}</title>",
    ]
    for score in range(1, 6):
        y = _y(score)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#bbb" stroke-width="0.5"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{score}</text>'
        )
    for checks, dash, marker in (
        (worker, "", "circle"),
        (group, ' stroke-dasharray="5 3"', "rect"),
    ):
        points = [
            (_x(c.scored_on.toordinal(), first, last), _y(getattr(c, dimension))) for c in checks
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="#000" stroke-width="1.5"{dash}/>'
            )
        for x, y in points:
            if marker == "circle":
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#000"/>')
            else:
                parts.append(
                    f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" '
                    'fill="#fff" stroke="#000"/>'
                )
    if days:
        for day, anchor in ((first, "start"), (last, "end")):
            text = date_format(date.fromordinal(day), "M Y")
            x = _x(day, first, last)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 8}" font-size="10" '
                f'text-anchor="{anchor}">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def actie_charts(series: dict[str, list[ActieCheck]]) -> list[tuple[str, SafeString]]:
    worker = series.get(ActieCheck.Source.WORKER, [])
    group = series.get(ActieCheck.Source.GROUP, [])
    return [
        (str(ActieDimension(d).label), mark_safe(dimension_chart(d, worker, group)))  # noqa: S308
        for d in ActieDimension.values
    ]


def actie_table(series: dict[str, list[ActieCheck]]) -> list[dict]:
    """Rows for the table alternative: date, who scored, the five scores."""
    rows = [
        {
            "date": c.scored_on,
            "source": c.get_source_display(),
            "scores": [getattr(c, d) for d in ActieDimension.values],
            "notes": c.notes,
        }
        for checks in series.values()
        for c in checks
    ]
    return sorted(rows, key=lambda r: (r["date"], r["source"]))
