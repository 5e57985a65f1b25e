"""Markdown to safe HTML, and the plain text that search indexes.

Two layers, so one mistake is not enough for a script to reach a reader: markdown-it-py in
its "js-default" preset (CommonMark plus tables and strikethrough, raw HTML off, links with
javascript:/vbscript:/file:/data: refused), then nh3 with an allow-list of tags, attributes
and URL schemes. Headings move one level down: the page's own title is the only <h1>.
"""

import html
import re

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "s", "del", "code", "pre", "blockquote", "hr",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Characters that never belong in text: C0 controls other than tab and newline. The search
# snippets use two of them as markers, so they must not come from a person.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|li|h[2-6]|tr|blockquote|pre)>|<br\s*/?>|<hr\s*/?>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def _markdown() -> MarkdownIt:
    md = MarkdownIt("js-default")

    def heading_open(renderer, tokens, idx, options, env):
        token = tokens[idx]
        level = min(int(token.tag[1]) + 1, 6)
        return f"<h{level}>"

    def heading_close(renderer, tokens, idx, options, env):
        level = min(int(tokens[idx].tag[1]) + 1, 6)
        return f"</h{level}>\n"

    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    return md


_MD = _markdown()


def clean_text(value: str) -> str:
    """Text as a person meant it: no control characters, Unix line ends."""
    return _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n"))


def check_length(value: str, *, limit: int, field: str) -> str:
    """The cleaned text, or a Dutch ValidationError when it is longer than `limit`."""
    value = clean_text(value)
    if len(value) > limit:
        raise ValidationError(
            {
                field: _(
                    "De tekst is te lang: %(n)s tekens, er passen er %(max)s in. "
                    "Maak hem korter of splits hem op in meer delen."
                )
                % {"n": f"{len(value):,}".replace(",", "."), "max": f"{limit:,}".replace(",", ".")}
            }
        )
    return value


def render_markdown(source: str) -> str:
    """Safe HTML for a Markdown text written by a person."""
    raw = _MD.render(clean_text(source))
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def html_to_text(safe_html: str) -> str:
    """Plain text of rendered HTML, for the search index and the snippets."""
    text = _BLOCK_END.sub("\n", safe_html)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACE.sub(" ", line).strip() for line in clean_text(text).split("\n"))
    return "\n".join(line for line in lines if line)
