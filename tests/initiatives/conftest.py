"""Fixtures the initiative tests share."""

import pytest

from tests.initiatives.helpers import assess_and_approve, board_meeting, make_round, submit


@pytest.fixture
def approved(in_group_a, users, group_a, settings, tmp_path):
    """An initiative awarded € 450,00 (its budget) under a numbered decision, with uploads
    kept in a temporary media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    submitted = submit(make_round(users))
    assess_and_approve(submitted.initiative, users, board_meeting(users, group_a))
    submitted.initiative.refresh_from_db()
    return submitted
