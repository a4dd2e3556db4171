"""Formal-review verdicts and their log."""

import pytest
from django.core.exceptions import ValidationError

from events.models import AuditLog
from submissions.models import ReviewLog, Submission
from submissions.services import record_review_verdict
from tests.factories import SubmissionFactory, UserFactory


@pytest.mark.django_db
def test_record_review_verdict_changes_status_and_logs_each_entry():
    first = SubmissionFactory(status="submitted")
    second = SubmissionFactory(category=first.category, status="submitted")
    actor = UserFactory()
    changed = record_review_verdict(
        submissions=Submission.objects.all(), to_status="admitted", actor=actor
    )
    assert changed == 2
    assert set(Submission.objects.values_list("status", flat=True)) == {"admitted"}
    assert sorted(
        ReviewLog.objects.values_list("submission__code", "from_status", "to_status")
    ) == sorted([(first.code, "submitted", "admitted"), (second.code, "submitted", "admitted")])


@pytest.mark.django_db
def test_record_review_verdict_skips_entries_already_in_that_status():
    SubmissionFactory(status="admitted")
    changed = record_review_verdict(
        submissions=Submission.objects.all(), to_status="admitted", actor=UserFactory()
    )
    assert changed == 0
    assert not ReviewLog.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("verdict", ["rejected", "deferred", "returned"])
def test_record_review_verdict_needs_a_reason_to_refuse_defer_or_return(verdict):
    SubmissionFactory(status="submitted")
    with pytest.raises(ValidationError, match="需要填写理由"):
        record_review_verdict(
            submissions=Submission.objects.all(),
            to_status=verdict,
            actor=UserFactory(),
            message=" ",
        )
    assert Submission.objects.get().status == "submitted"


@pytest.mark.django_db
def test_record_review_verdict_writes_the_audit_log():
    entry = SubmissionFactory(status="submitted")
    actor = UserFactory()
    record_review_verdict(
        submissions=Submission.objects.all(), to_status="rejected", actor=actor, message="重复申报"
    )
    audit = AuditLog.objects.get()
    assert (audit.event, audit.actor, audit.action, audit.target) == (
        entry.event,
        actor,
        "review.rejected",
        entry.code,
    )
    assert audit.details == {"from": "submitted", "to": "rejected", "message": "重复申报"}
