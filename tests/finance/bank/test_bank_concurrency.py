"""Imports on real, committed data and separate connections: the double upload and progress.

These tests cannot run inside the usual rolled-back test transaction (other connections would
not see its rows), so they use a group of their own, committed, and remove it afterwards.
"""

import threading

import psycopg
import pytest
from django.db import connection, connections
from django_tenants.utils import tenant_context

from finance.bank import importing as bank_import
from finance.bank.formats import samples
from finance.bank.models import BankLine, ImportJob, Statement
from finance.ledger.models import Account
from tenants.models import Group, Membership, User
from tenants.services import group_create


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    old_media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        group = group_create(name="Gelijktijdig", slug="gelijktijdig", district="noord")
        user = User.objects.create_user(username="conc-treasurer", password="x" * 12)
        Membership.objects.create(user=user, group=group, role="penningmeester")
        with tenant_context(group):
            bank_import.bank_account_create(
                user=user,
                iban=samples.ACCOUNT_IBAN,
                name="ING",
                holder="Gelijktijdig",
                ledger_account=Account.objects.get(role="bank"),
            )
        yield group, user
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{group.schema_name}" CASCADE')
        Membership.objects.filter(user=user).delete()
        Group.objects.filter(pk=group.pk).delete()
        user.delete()
    settings.MEDIA_ROOT = old_media


def _clear(group):
    with tenant_context(group), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE finance_bankline, finance_historicalbankline, finance_statement, "
            "finance_historicalstatement, finance_importjob CASCADE"
        )


def test_two_concurrent_imports_of_one_file_write_it_once(committed, django_db_blocker):
    group, user = committed
    data = samples.build_camt053(400, seed=21)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with tenant_context(group):
                barrier.wait()
                results.append(bank_import.import_statement(data=data, filename="a.xml", user=user))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections["default"].close()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        try:
            assert not errors, errors
            assert sorted(r.already_imported for r in results) == [False, True]
            assert sorted(r.new_count for r in results) == [0, 400]
            with tenant_context(group):
                assert Statement.objects.count() == 1
                assert BankLine.objects.count() == 400
        finally:
            _clear(group)


def test_progress_is_visible_on_another_connection_while_the_import_runs(
    committed, django_db_blocker
):
    group, user = committed
    data = samples.build_camt053(5000, seed=22)
    seen = []

    with django_db_blocker.unblock():
        try:
            with tenant_context(group):
                job = bank_import.job_create(data=data, filename="groot.xml", user=user)
                params = connection.get_connection_params()
                params.pop("cursor_factory", None)
                params.pop("context", None)
                schema = connection.schema_name
                with psycopg.connect(**params, autocommit=True) as watcher:

                    def observe(done, total):
                        # what someone else (the progress page) sees at this moment
                        row = watcher.execute(
                            f'SELECT done, total, status FROM "{schema}".finance_importjob '
                            "WHERE id = %s",
                            [job.pk],
                        ).fetchone()
                        lines = watcher.execute(
                            f'SELECT count(*) FROM "{schema}".finance_bankline'
                        ).fetchone()[0]
                        seen.append((row, lines))

                    bank_import.job_run(job=job, user=user, observer=observe)
                job.refresh_from_db()
                assert job.status == ImportJob.Status.DONE
                assert BankLine.objects.count() == 5000
            # then: progress rose step by step, visible while no line was committed yet
            assert seen[0] == ((0, 5000, "bezig"), 0)
            assert [row[0] for row, _lines in seen] == [0, 2000, 4000, 5000]
            assert all(lines == 0 for _row, lines in seen)
        finally:
            _clear(group)
