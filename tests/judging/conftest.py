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


@pytest.fixture
def honours(run_awards):
    """A scored person category (six nominations, written review) with a finished award run,
    not yet published: (event, category, run)."""
    from tests.judging.honours_data import honours_event

    event, category = honours_event()
    return event, category, run_awards(event=event)


@pytest.fixture
def migrated_to():
    """Migrate the database back to ``targets`` and return the apps of that state; migrate
    it forward to the latest schema afterwards whatever happens (the tests after use it)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
