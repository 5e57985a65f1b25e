"""The browser enforces the Content-Security-Policy, and the pages still work under it.

Every other browser test fails on any policy violation in the console (the `page` fixture);
these two open their own page because they expect one.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def own_page(browser):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    yield page, messages
    context.close()


def test_an_injected_inline_script_does_not_run(browser_world, own_page, live_url):
    page, messages = own_page
    page.goto(live_url("/account/login/"))
    assert (
        "script-src 'self'"
        in page.request.get(live_url("/account/login/")).headers["content-security-policy"]
    )
    # a script added the way injected markup would add it (inline) is refused
    page.evaluate(
        """() => {
            const s = document.createElement("script");
            s.textContent = "document.body.dataset.injected = 'yes'";
            document.body.appendChild(s);
        }"""
    )
    assert page.evaluate("() => document.body.dataset.injected") is None
    assert any("Content Security Policy" in text for text in messages)


def test_admin_export_select_all_works_without_its_inline_handler(
    browser_world, own_page, live_url
):
    page, messages = own_page
    page.goto(live_url("/beheer/login/"))
    page.fill("#id_username", browser_world.users["coordinator"].username)
    page.fill("#id_password", "test-password-123")
    page.click("input[type=submit]")
    page.goto(live_url("/beheer/tenants/user/export/"))
    boxes = page.locator("input[type=checkbox][name^=userresource_]")
    expect(boxes.first).to_be_checked()
    page.locator("input.select-toggle").uncheck()
    expect(boxes.first).not_to_be_checked()
    page.locator("input.select-toggle").check()
    expect(boxes.first).to_be_checked()
    # refused: import-export's two cosmetic style attributes and its (replaced) handler;
    # never a script
    refused = [text for text in messages if "Content Security Policy" in text]
    kinds = sorted(text.split(" violates")[0] for text in refused)
    # (the handler's refusal is reported only when the browser gets to it: not counted)
    assert kinds and set(kinds) <= {"Applying inline style", "Executing inline event handler"}, (
        refused
    )
