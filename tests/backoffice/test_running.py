"""Running it: `make run` serves on the port asked for, with the worker beside the web server,
and the demo ships a bank statement per demo group that a newcomer can import at once."""

import importlib
import re
import signal
import socket
import subprocess
import time
import urllib.request

import psutil
import pytest
from django.conf import settings
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import tenant_context

from backoffice import demo
from backoffice.models import ScheduledRun
from finance.bank import importing as bank_import
from finance.bank.models import BankAccount
from finance.claims.models import ExpenseClaim
from tenants.models import Assignment, User
from tenants.services import group_create
from tests.backoffice.conftest import manage_popen


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 90) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


def _stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


@pytest.fixture
def other_processes(django_db_setup, django_db_blocker):
    """No test transaction: the server and worker in other processes commit (the worker
    queues and runs the daily job); what they leave in the queue is removed afterwards."""
    yield
    with django_db_blocker.unblock():
        DBTaskResult.objects.all().delete()
        ScheduledRun.objects.all().delete()


def test_serve_prints_the_port_it_serves_and_stops_with_its_worker(other_processes, manage_env):
    port = _free_port()
    serve = manage_popen(["serve", f"127.0.0.1:{port}", "--noreload"], manage_env())
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/account/login/", serve) == 200
        children = psutil.Process(serve.pid).children(recursive=True)
        commands = [" ".join(child.cmdline()) for child in children]
        assert any("manage.py worker" in c for c in commands), commands
        assert any(f"manage.py runserver 127.0.0.1:{port}" in c for c in commands), commands
    finally:
        output = _stop(serve)
    assert f"Buurtkas draait op http://127.0.0.1:{port}/" in output
    assert "8000" not in output.split("\n", 1)[0]
    assert serve.returncode == 0, output
    gone = psutil.wait_procs(children, timeout=30)[1]
    assert not gone, gone  # worker and web server stopped with it


def test_when_the_web_server_cannot_start_the_worker_is_stopped_too(other_processes, manage_env):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        serve = manage_popen(["serve", f"127.0.0.1:{port}", "--noreload"], manage_env())
        try:
            serve.wait(120)
        finally:
            output = _stop(serve)
    assert serve.returncode != 0
    assert "webserver is gestopt" in output
    assert not [
        p
        for p in psutil.process_iter(["cmdline"])
        if "manage.py worker" in " ".join(p.info["cmdline"] or []) and p.ppid() == serve.pid
    ]


def test_make_run_hands_the_port_to_the_server_and_the_banner():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8101"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "manage.py serve 127.0.0.1:8101" in result.stdout
    assert "demo_logins --url http://127.0.0.1:8101/" in result.stdout
    assert "runserver" not in result.stdout  # only through serve, with the worker
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert "PORT=8101 make run" in readme


def test_demo_logins_prints_the_address_and_the_statements_to_try(db, tmp_path, capsys):
    (tmp_path / "hart-voor-de-k-buurt-bankafschrift-2026-01.xml").write_text("<x/>")
    call_command("demo_logins", url="http://127.0.0.1:8101/", files=str(tmp_path))
    out = capsys.readouterr().out
    assert "Buurtkas draait op http://127.0.0.1:8101/" in out and ":8000" not in out
    assert re.search(r"priscilla\s+\S+hart-voor-de-k-buurt-bankafschrift-2026-01\.xml", out)


def test_every_demo_module_exists():
    for name in demo.DEMO_MODULES:
        assert importlib.import_module(name).load_for_group


@pytest.fixture
def two_demo_groups(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from finance import demo as finance_demo
    from finance.bank import demo as bank_demo
    from groups import demo as groups_demo

    people = {"jeroen": User.objects.create_user(username="jeroen", org_role="ondersteuner")}
    groups = []
    for spec in (demo.GROUPS[0], demo.GROUPS[2]):
        group = group_create(
            name=spec["name"],
            slug=spec["slug"],
            district=spec["district"],
            neighbourhood=spec["neighbourhood"],
        )
        for username, first, last, _role in spec["people"]:
            people[username] = User.objects.create_user(
                username=username, first_name=first, last_name=last
            )
        Assignment.objects.create(user=people["jeroen"], group=group)
        with tenant_context(group):
            for module in (groups_demo, finance_demo, bank_demo):
                module.load_for_group(group, people, spec["people"])
        groups.append(group)
    return groups, people


def test_each_demo_group_gets_a_statement_of_its_own_account_to_import(two_demo_groups, tmp_path):
    groups, people = two_demo_groups
    written = demo.try_statement_files(tmp_path / "demo")
    assert [group for group, _path in written] == groups
    ibans = set()
    for group, path in written:
        with tenant_context(group):
            account = BankAccount.objects.get()
            ibans.add(account.iban)
            assert account.iban in path.read_text()
            waiting = ExpenseClaim.objects.get(status=ExpenseClaim.Status.APPROVED)
            treasurer = people[demo.treasurer_of(group.slug)]
            # the newcomer imports it: new lines, the balance follows on from the last one
            result = bank_import.import_statement(
                data=path.read_bytes(), filename=path.name, user=treasurer
            )
            assert (result.new_count, result.known_count) == (4, 0)
            previous = account.statements.exclude(pk=result.statement.pk).get()
            assert result.statement.opening_balance == previous.closing_balance
            # and the payment of the waiting claim is among them, ready to be matched
            assert result.statement.lines.filter(amount=-waiting.amount).exists()
    assert len(ibans) == 2  # each group its own account
    # written again (load_demo runs every `make run`): the same file, still the next one
    again = demo.try_statement_files(tmp_path / "demo")
    assert [p.name for _g, p in again] != [] and all(p.exists() for _g, p in again)
