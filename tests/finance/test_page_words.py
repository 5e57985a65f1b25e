"""Every finance page as people read it: years and numbers unlocalised, plain words, English.

Walks the GET pages of the role table (tests/finance/test_pages.py) as the treasurer and the
kascommissie, in Dutch and English, and reads what a person would see.
"""

import re

import pytest
from django.urls import reverse

from tests.finance.test_pages import PAGES, _url, sample  # noqa: F401  (sample is a fixture)

# A year or another identifier with a thousands separator: 2.025, 2,026-0002, "Kascontrole
# 2.025". Money (€ 2.025,00 / €2,025.00) has cents after it and is left alone.
LOCALISED_NUMBER = re.compile(r"(?<![\d.,€])(?<!€ )[12][.,]\d{3}(?![.,]?\d)")
GET_PAGES = [(n, kw) for n, kw, method, _e in PAGES if method == "get" and "export" not in n]
PAGE_IDS = [f"{n}-{kw.get('kind', '')}" for n, kw in GET_PAGES]


def _read(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


# The receipt is a file download, not a page: it has no words to check.
WORDED_PAGES = [(name, kwargs) for name, kwargs in GET_PAGES if name != "receipt"]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "name, kwargs", WORDED_PAGES, ids=[f"{n}-{kw.get('kind', '')}" for n, kw in WORDED_PAGES]
)
def test_years_and_numbers_are_never_localised(world, client_as, sample, name, kwargs, language):  # noqa: F811
    body = _read(client_as("treasurer"), _url(world, sample, name, kwargs), language)
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", body, flags=re.S)
    assert not LOCALISED_NUMBER.findall(text), (name, LOCALISED_NUMBER.findall(text)[:5])
    title = re.search(r"<title>(.*?)</title>", body, flags=re.S).group(1)
    assert "<" not in title and ">" not in title, title
    assert "Select an option" not in body


def test_the_year_picker_sends_the_year_itself(world, client_as, sample):  # noqa: F811
    report = _url(world, sample, "report", {"kind": "proefbalans"})
    body = _read(client_as("treasurer"), report, "nl")
    assert '<option value="2025"' in body and '<option value="2026"' in body
    assert "Boekjaar 2025" in _read(client_as("treasurer"), f"{report}?jaar=2025", "nl")


def test_the_kascommissie_page_names_the_year_plainly(world, client_as, sample):  # noqa: F811
    body = _read(client_as("audit"), _url(world, sample, "audit", {"year": 2026}), "en")
    assert "2026" in body and "2,026" not in body and "2.026" not in body


def test_report_names_are_english_in_the_english_interface(world, client_as, sample):  # noqa: F811
    body = _read(client_as("treasurer"), _url(world, sample, "reports", {}), "en")
    assert "Cash book" in body and "Kasboek" not in body
    assert "Proef- en saldibalans" not in body


def test_history_speaks_in_plain_words_and_names_the_person(world, client_as, sample):  # noqa: F811
    # The draft booked by the treasurer: status, number and who booked it change.
    client = client_as("treasurer")
    client.post(_url(world, sample, "entry_post", {"pk": "draft"}))
    body = _read(client, _url(world, sample, "entry", {"pk": "draft"}), "nl")
    history = body[body.index('id="history-h"') :]
    assert not re.search(r"\b[a-z]+_[a-z_]+:", history), history  # no posted_by_id: …
    assert "True" not in history and "False" not in history
    assert "onbekend" not in history
    assert "Status: concept → geboekt" in history or "Status: Concept → Geboekt" in history
    english = _read(client, _url(world, sample, "entry", {"pk": "draft"}), "en")
    assert "Status: draft → posted" in english[english.index('id="history-h"') :]


def test_a_member_sees_no_links_to_bank_pages(world, client_as, group_a):
    client = client_as("member")
    body = client.get(reverse("finance:claims", kwargs={"group_slug": group_a.slug})).content
    body = body.decode()
    for name in ("bank", "bank_lines"):
        href = reverse(f"finance:{name}", kwargs={"group_slug": group_a.slug})
        assert f'href="{href}"' not in body
        assert client.get(href).status_code == 403
