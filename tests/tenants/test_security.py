"""Security baseline: lockout, deactivation, headers, CSRF, deploy checks, cache keys."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from tenants.models import User
from tenants.services import user_deactivate


def _attempt(client, username, password, **extra):
    return client.post("/account/login/", {"username": username, "password": password}, **extra)


def test_login_locks_out_after_repeated_failures(world):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "treasurer", "wrong-password")
    response = _attempt(client, "treasurer", "test-password-123")
    assert response.status_code == 429
    assert "te vaak een verkeerd wachtwoord" in response.content.decode()


def test_spoofed_forwarded_for_does_not_reset_the_lockout(world):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "chair", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = _attempt(client, "chair", "test-password-123", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_failures_with_made_up_names_do_not_lock_out_others_on_that_computer(world):
    # given: someone at the community centre's computer tries many names that do not exist
    centre = "198.51.100.7"
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        _attempt(Client(), f"verzonnen{n}", "wrong", REMOTE_ADDR=centre)
    # when: the treasurer signs in at the same computer
    response = _attempt(Client(), "treasurer", "test-password-123", REMOTE_ADDR=centre)
    # then: she gets in
    assert response.status_code == 302


def test_failures_on_a_name_elsewhere_do_not_lock_that_person_out_everywhere(world):
    # given: someone elsewhere tries the chair's name with wrong passwords until locked
    attacker = "203.0.113.66"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(Client(), "chair", "wrong", REMOTE_ADDR=attacker)
    assert _attempt(Client(), "chair", "test-password-123", REMOTE_ADDR=attacker).status_code == 429
    # when: the chair signs in from her own computer
    response = _attempt(Client(), "chair", "test-password-123", REMOTE_ADDR="198.51.100.20")
    # then: she gets in
    assert response.status_code == 302


def test_login_page_says_how_many_tries_are_left_and_warns_before_the_last(world):
    limit = settings.AXES_FAILURE_LIMIT
    client = Client()
    bodies = [_attempt(client, "secretary", "wrong").content.decode() for _ in range(limit - 1)]
    for n, body in enumerate(bodies, start=1):
        left = limit - n
        if left > 1:
            assert f"Je hebt nog {left} pogingen." in body
            assert "nog 1 poging" not in body
    assert "Let op: je hebt nog 1 poging" in bodies[-1]
    assert "30 minuten niet aanmelden" in bodies[-1]
    # the last try also fails: locked, with the real waiting time
    response = _attempt(client, "secretary", "wrong")
    assert response.status_code == 429
    assert "over 30 minuten opnieuw" in response.content.decode()


def test_behind_a_trusted_proxy_the_address_it_appended_counts(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    # given: a resident behind the proxy fails too often; the part she forged is ignored
    for n in range(settings.AXES_FAILURE_LIMIT):
        _attempt(
            Client(),
            "member",
            "wrong",
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",
        )
    blocked = _attempt(
        Client(),
        "member",
        "test-password-123",
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9",
    )
    assert blocked.status_code == 429
    # then: the same person at another address behind the same proxy is not locked out
    other = _attempt(
        Client(),
        "member",
        "test-password-123",
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert other.status_code == 302


def test_successful_login_sends_member_to_their_group(world):
    client = Client()
    response = _attempt(client, "treasurer", "test-password-123")
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == f"/g/{world.group_a.slug}/"


def test_deactivated_user_loses_session_at_once(world, client_as, users):
    client = client_as("member")
    assert client.get(f"/g/{world.group_a.slug}/").status_code == 200
    # a copy of the session's person: the shared object stays active for the other tests
    user_deactivate(user=User.objects.get(pk=users["member"].pk))
    response = client.get(f"/g/{world.group_a.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_security_headers_present(world, client_as):
    response = client_as("treasurer").get(f"/g/{world.group_a.slug}/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_csrf_failure_gets_dutch_403(world, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["chair"])
    response = client.post(f"/g/{world.group_a.slug}/profiel/bewerken/", {"name": "X"})
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()


def test_cache_keys_are_per_group(world):
    cache.set("balance", "public")
    with tenant_context(world.group_a):
        cache.set("balance", "a")
    with tenant_context(world.group_b):
        assert cache.get("balance") is None
        cache.set("balance", "b")
    with tenant_context(world.group_a):
        assert cache.get("balance") == "a"
    connection.set_schema_to_public()
    assert cache.get("balance") == "public"


def _run_manage(args, env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_secret_key_required_when_debug_off():
    result = _run_manage(["check"], {"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_ledger_key_required_when_debug_off():
    result = _run_manage(
        ["check"],
        {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50, "BUURTKAS_LEDGER_KEY": ""},
    )
    assert result.returncode != 0
    assert "BUURTKAS_LEDGER_KEY is required" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _run_manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-value-123",
            "BUURTKAS_LEDGER_KEY": "a-long-random-ledger-key-kept-outside-the-database",
            "DJANGO_ALLOWED_HOSTS": "buurtkas.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dutch_first_even_with_english_browser_and_english_on_request(world, client_as):
    client = client_as("treasurer")
    url = f"/g/{world.group_a.slug}/"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    client.post("/taal/", {"language": "en", "next": url})
    assert client.get(url)["Content-Language"] == "en"


def test_english_translation_is_complete_and_used(world, client_as):
    import polib

    catalog = polib.pofile(str(settings.BASE_DIR / "backoffice/locale/en/LC_MESSAGES/django.po"))
    assert catalog.percent_translated() == 100 and not catalog.fuzzy_entries()
    client = client_as("treasurer")
    client.post("/taal/", {"language": "en", "next": "/"})
    body = client.get(f"/g/{world.group_a.slug}/").content.decode()
    assert "Meetings" in body and "Vergaderingen" not in body
