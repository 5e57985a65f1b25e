"""Background jobs: queued in PostgreSQL, run by `manage.py worker`, surviving restarts.

The queue is the real django-tasks-db backend and the worker the real command, in another
process where that matters (a web process that restarts, a worker that is killed). These
tests need committed data, so they use a group of their own and remove it afterwards.
"""

import datetime as dt
import signal
import threading
import time
import uuid
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.tasks import TaskResultStatus
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import tenant_context

from backoffice.jobs import schedule, worker
from backoffice.models import ScheduledRun
from finance.bank import importing as bank_import
from finance.bank.formats import samples
from finance.bank.models import BankLine, ImportJob
from finance.ledger.models import Account
from groups.organisation import services as group_services
from tenants.models import Group, Membership, User
from tenants.services import group_create
from tests.backoffice.conftest import manage, manage_popen
from tests.backoffice.jobs_for_tests import hang_on_first_attempt

AMSTERDAM = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker, tmp_path_factory):

    # override_settings, not assignment: it also points default_storage at the new folder
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    suffix = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock():
        group = group_create(name="Achtergrond", slug=f"achtergrond-{suffix}", district="oost")
        user = User.objects.create_user(username=f"jobs-{suffix}", password="x" * 12)
        Membership.objects.create(user=user, group=group, role="penningmeester")
        with tenant_context(group):
            bank_import.bank_account_create(
                user=user,
                iban=samples.ACCOUNT_IBAN,
                name="ING",
                holder="Achtergrond",
                ledger_account=Account.objects.get(role="bank"),
            )
        yield group, user
        connection.set_schema_to_public()
        DBTaskResult.objects.all().delete()
        ScheduledRun.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{group.schema_name}" CASCADE')
        Membership.objects.filter(group=group).delete()
        Group.objects.filter(pk=group.pk).delete()
        User.objects.filter(username__startswith=f"jobs-{suffix}").delete()
    media.disable()


@pytest.fixture
def unblocked(committed, django_db_blocker):
    with django_db_blocker.unblock():
        DBTaskResult.objects.all().delete()
        ScheduledRun.objects.all().delete()
        yield committed
        connection.set_schema_to_public()
        DBTaskResult.objects.all().delete()
        ScheduledRun.objects.all().delete()


def test_an_upload_waits_in_the_queue_until_a_worker_runs_it(unblocked, manage_env):
    group, user = unblocked
    client = Client()
    client.force_login(user)
    data = samples.build_camt053(12, seed=31)

    # when: the treasurer uploads a statement
    response = client.post(
        f"/g/{group.slug}/financien/bank/inlezen/",
        {"file": SimpleUploadedFile("maart.xml", data)},
    )
    assert response.status_code == 302
    # then: it waits as a task in the database, not on a thread of the web process
    every = [(t.task_path, t.status, t.args_kwargs) for t in DBTaskResult.objects.all()]
    assert len(every) == 1, every
    (queued,) = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "finance.bank.importing.run_import_job"
    with tenant_context(group):
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.WAITING
    # (the web process may restart now: nothing of the job lives in it)
    connections.close_all()

    # when: a worker starts, later, in its own process
    result = manage(["worker", "--batch"], manage_env())
    assert result.returncode == 0, result.stdout + result.stderr

    # then: the statement is imported and the page says so
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL, queued.traceback
    with tenant_context(group):
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE
        assert BankLine.objects.count() == 12
    page = client.get(response["Location"]).content.decode()
    assert "12 nieuwe regels ingelezen" in page
    with tenant_context(group), connection.cursor() as cursor:
        cursor.execute("TRUNCATE finance_bankline, finance_statement, finance_importjob CASCADE")


def test_a_task_left_by_a_killed_worker_is_run_by_the_next(unblocked, manage_env, tmp_path):
    # given: a worker took a task and was killed while running it
    task = hang_on_first_attempt.enqueue(str(tmp_path))
    first = manage_popen(["worker", "--interval", "0.2"], manage_env())
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "attempt-1").exists():
            assert time.monotonic() < deadline, first.stdout.read() if first.poll() else "slow"
            time.sleep(0.2)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    stuck = DBTaskResult.objects.get(pk=task.id)
    assert stuck.status == TaskResultStatus.RUNNING and len(stuck.worker_ids) == 1

    # when: the next worker starts
    result = manage(["worker", "--batch"], manage_env())
    assert result.returncode == 0, result.stdout + result.stderr

    # then: it put the task back in the queue and ran it to the end
    done = DBTaskResult.objects.get(pk=task.id)
    assert done.status == TaskResultStatus.SUCCESSFUL, done.traceback
    assert done.return_value == 2 and len(done.worker_ids) == 2
    assert "queued again" in result.stdout


def test_a_live_workers_task_is_left_alone_however_long_it_runs(db):
    live, dead = worker.new_worker_id(), worker.new_worker_id()
    mine = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="backoffice.jobs.tasks.sync_group_access",
        backend_name="default",
        run_after=dt.datetime(9999, 1, 1, tzinfo=dt.UTC),
        status=TaskResultStatus.RUNNING,
        worker_ids=[live],
        started_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),  # years ago: age means nothing
    )
    with worker.Liveness(live):
        assert worker.recover_abandoned() == (0, 0)
        mine.refresh_from_db()
        assert mine.status == TaskResultStatus.RUNNING
    # once that worker is gone, its task goes back to the queue
    assert worker.recover_abandoned() == (1, 0)
    mine.refresh_from_db()
    assert mine.status == TaskResultStatus.READY
    # a task three workers died on is not tried a fourth time
    mine.status, mine.worker_ids = TaskResultStatus.RUNNING, [dead, dead, dead]
    mine.save()
    assert worker.recover_abandoned() == (0, 1)
    mine.refresh_from_db()
    assert mine.status == TaskResultStatus.FAILED
    assert "AbandonedTaskError" in mine.exception_class_path


def test_a_task_of_a_plain_db_worker_is_never_taken_over(db):
    other = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="backoffice.jobs.tasks.sync_group_access",
        backend_name="default",
        run_after=dt.datetime(9999, 1, 1, tzinfo=dt.UTC),
        status=TaskResultStatus.RUNNING,
        worker_ids=["a-db_worker-without-a-liveness-lock"],
    )
    assert worker.recover_abandoned() == (0, 0)
    other.refresh_from_db()
    assert other.status == TaskResultStatus.RUNNING


def _at(day, hour, minute):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


ACCESS_SYNC = tuple(job for job in schedule.SCHEDULE if job.name == "toegang-bijwerken")


def test_the_daily_job_is_queued_once_a_day_from_its_time_on(db):
    day = dt.date(2026, 3, 2)
    access_only = [job for job in schedule.SCHEDULE if job.name == "toegang-bijwerken"]
    # before 00:05 local time nothing is due
    assert schedule.queue_due(now=_at(day, 0, 4), schedule=access_only) == []
    # from then on, once, however often it is asked (a restarted worker asks again)
    (run,) = schedule.queue_due(now=_at(day, 0, 6), schedule=access_only)
    assert (run.job, run.period) == ("toegang-bijwerken", "2026-03-02")
    assert schedule.queue_due(now=_at(day, 9, 0), schedule=ACCESS_SYNC) == []
    assert schedule.queue_due(now=_at(day, 23, 59), schedule=ACCESS_SYNC) == []
    task = DBTaskResult.objects.get(pk=run.task_id)
    assert task.task_path == "backoffice.jobs.tasks.sync_group_access"
    assert task.status == TaskResultStatus.READY
    # the next day it is due again
    (next_run,) = schedule.queue_due(
        now=_at(day + dt.timedelta(days=1), 7, 30), schedule=ACCESS_SYNC
    )
    assert next_run.period == "2026-03-03"
    runs = ScheduledRun.objects.filter(job="toegang-bijwerken", period__startswith="2026-03-0")
    assert runs.count() == 2
    assert DBTaskResult.objects.filter(pk__in=[r.task_id for r in runs]).count() == 2


def test_two_workers_looking_at_once_queue_the_job_once(unblocked):
    now = _at(dt.date(2026, 3, 4), 1, 0)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def look():
        try:
            barrier.wait()
            results.append(schedule.queue_due(now=now))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=look) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert sorted(len(r) for r in results) == [0, 1]
    assert ScheduledRun.objects.filter(period="2026-03-04").count() == 1
    assert DBTaskResult.objects.count() == 1


def test_the_worker_runs_the_daily_access_sync(unblocked):
    group, _treasurer = unblocked
    day = dt.date(2026, 5, 1)
    newcomer = User.objects.create_user(username=f"jobs-{group.slug[-6:]}-nieuw")
    with time_machine.travel(_at(day - dt.timedelta(days=3), 12, 0), tick=False):
        with tenant_context(group):
            member = group_services.member_create(
                name="Nieuwe Voorzitter", joined_on=dt.date(2026, 1, 1), user_id=newcomer.pk
            )
            group_services.role_assign(group=group, member=member, role="voorzitter", starts_on=day)
    # in the register already ("lid"), the chair's role waits for its day
    assert not Membership.objects.filter(user=newcomer, role="voorzitter").exists()

    # when: a worker runs on the morning of that day (the clock is frozen for its thread too)
    def run_worker():
        try:
            worker.run(batch=True)
        finally:
            connections["default"].close()

    with time_machine.travel(_at(day, 0, 30), tick=False):
        thread = threading.Thread(target=run_worker)
        thread.start()
        thread.join(60)

    # then: the schedule queued the sync, the worker ran it, and access switched on
    run = ScheduledRun.objects.get(job="toegang-bijwerken", period=day.isoformat())
    task = DBTaskResult.objects.get(pk=run.task_id)
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert task.return_value.startswith("Toegang:")
    assert Membership.objects.filter(user=newcomer, group=group, role="voorzitter").exists()
    Membership.objects.filter(user=newcomer).delete()
    with tenant_context(group):
        member.terms.all().delete()
        member.delete()


def test_the_worker_runs_the_learning_spaces_daily_mail_jobs(unblocked):
    day = dt.date(2026, 2, 4)  # winter time: AMSTERDAM is UTC+1 here
    # before six only the access sync is due; from seven the review reminders and the digest too
    with time_machine.travel(_at(day, 5, 59), tick=False):
        early = {run.job for run in schedule.queue_due()}
    assert "toegang-bijwerken" in early
    assert not early & {"kennisbank-herinneringen", "kennisbank-overzicht"}
    with time_machine.travel(_at(day, 7, 1), tick=False):
        due = sorted(run.job for run in schedule.queue_due())
    assert due == ["kennisbank-herinneringen", "kennisbank-overzicht"]

    def run_worker():
        try:
            worker.run(batch=True)
        finally:
            connections["default"].close()

    with time_machine.travel(_at(day, 7, 2), tick=False):
        thread = threading.Thread(target=run_worker)
        thread.start()
        thread.join(60)
    for job, line in (
        ("kennisbank-herinneringen", "herinnering"),
        ("kennisbank-overzicht", "overzicht"),
    ):
        run = ScheduledRun.objects.get(job=job, period=day.isoformat())
        task = DBTaskResult.objects.get(pk=run.task_id)
        assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
        assert line in task.return_value


def test_tasks_are_in_the_database_not_in_memory():
    from django.conf import settings

    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert Path(settings.BASE_DIR, "backoffice/jobs/worker.py").exists()
