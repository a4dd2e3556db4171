"""Fixtures shared by the judging tests."""

import pytest

from judging.awards.services import start_award_run


@pytest.fixture
def run_awards(django_capture_on_commit_callbacks):
    """Start a run and execute its queued task (the test's transaction never commits)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            award_run = start_award_run(**kwargs)
        award_run.refresh_from_db()
        return award_run

    return run
