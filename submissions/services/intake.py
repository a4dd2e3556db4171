"""Excel intake and export: validate every row first, then save all rows in one transaction."""

import dataclasses
import logging
from collections.abc import Callable, Mapping
from typing import IO

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Event
from events.services import record_audit
from qcexchange.queueing import BROKER_DOWN_MESSAGE, enqueue, in_language

from .. import excel, excel_writer, nominations_excel, selectors
from ..enums import Status
from ..models import Enterprise, ImportJob, Member, RecommendingBody, Submission
from .codes import next_codes
from .nomination_intake import category_names

logger = logging.getLogger(__name__)

UPDATED_FIELDS = [
    "recommender",
    "group_name",
    "topic_type",
    "group_reg_no",
    "topic_reg_no",
    "activity_start",
    "activity_end",
    "contact_name",
    "contact_phone",
    "contact_email",
]

# Compare the foreign key by id: reading `recommender` would query once per entry.
COMPARED_FIELDS = ["recommender_id" if f == "recommender" else f for f in UPDATED_FIELDS]


@dataclasses.dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int
    enterprises_created: int

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


class ImportRefused(Exception):
    """The workbook has errors; nothing was saved."""

    def __init__(self, errors: list[excel.CellError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def member_limits(event: Event) -> dict[str, tuple[int, int]]:
    return {c.kind: (c.min_members, c.max_members) for c in event.categories.all()}


def parse_for_event(*, event: Event, source: str | IO[bytes]) -> excel.ParseResult:
    """Parse a workbook with the event's member limits and check what needs the database."""
    result = excel.parse_workbook(source, member_limits=member_limits(event))
    if not result.entries:
        return result
    errors = list(result.errors) + _database_errors(event, result.entries, result.positions)
    errors.sort(key=lambda e: (e.row or 0, e.letter))
    return excel.ParseResult(result.entries, tuple(errors), result.positions)


def _database_errors(
    event: Event, entries: tuple[excel.EntryRow, ...], positions: Mapping[str, excel.Position]
) -> list[excel.CellError]:
    kinds = set(event.categories.values_list("kind", flat=True))
    codes = {e.credit_code for e in entries if e.credit_code}
    names = {e.enterprise for e in entries}
    code_of_name = dict(
        Enterprise.objects.filter(name__in=names).values_list("name", "credit_code")
    )
    known_codes = set(
        Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True)
    )
    errors = []
    for entry in entries:
        if entry.category not in kinds:
            label = excel.CATEGORY_LABELS[entry.category]
            errors.append(
                excel.cell_error(
                    excel.SHEET,
                    entry.row,
                    "category",
                    positions,
                    _("本活动未设“%(category)s”类别") % {"category": label},
                )
            )
        existing_code = code_of_name.get(entry.enterprise)
        if (
            entry.credit_code
            and entry.credit_code not in known_codes
            and existing_code
            and existing_code != entry.credit_code
        ):
            errors.append(
                excel.cell_error(
                    excel.SHEET,
                    entry.row,
                    "credit_code",
                    positions,
                    _("已登记的“%(enterprise)s”的统一社会信用代码为 %(code)s，与本行不一致")
                    % {"enterprise": entry.enterprise, "code": existing_code},
                )
            )
    return errors


def import_entries(
    *,
    event: Event,
    entries: tuple[excel.EntryRow, ...],
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Save validated rows: match enterprises by credit code, then name; update or create."""
    categories = {c.kind: c for c in event.categories.all()}
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        enterprises, enterprises_created = _resolve_enterprises(entries)
        bodies = _resolve_recommenders(entries)
        existing = {
            (s.enterprise_id, s.category_id, s.title): s
            for s in Submission.objects.filter(event=event)
        }
        codes = {
            kind: iter(
                next_codes(
                    event=event,
                    category=category,
                    count=sum(1 for e in entries if e.category == kind),
                )
            )
            for kind, category in categories.items()
        }
        old_members = _members_by_submission(event)
        to_create, to_update, new_members = [], [], []
        for done, entry in enumerate(entries, start=1):
            enterprise = enterprises[entry.enterprise]
            category = categories[entry.category]
            submission = existing.get((enterprise.pk, category.pk, entry.title))
            if submission is None:
                submission = Submission(
                    event=event,
                    category=category,
                    enterprise=enterprise,
                    title=entry.title,
                    code=next(codes[entry.category]),
                    status=Status.SUBMITTED,
                    submitted_at=timezone.now(),
                )
                _apply(submission, entry, bodies)
                to_create.append(submission)
                new_members.append((submission, entry.members))
            else:
                before = [getattr(submission, f) for f in COMPARED_FIELDS]
                _apply(submission, entry, bodies)
                if before != [getattr(submission, f) for f in COMPARED_FIELDS]:
                    to_update.append(submission)
                members = tuple((m.name, m.role, m.post) for m in entry.members)
                if old_members.get(submission.pk, ()) != members:
                    new_members.append((submission, entry.members))
            if progress and done % 500 == 0:
                progress(done)
        Submission.objects.bulk_create(to_create, batch_size=500)
        for submission in to_update:
            Submission.objects.filter(pk=submission.pk).update(
                **{f: getattr(submission, f) for f in UPDATED_FIELDS}, updated_at=timezone.now()
            )
        replaced = [s.pk for s, _members in new_members if s.pk in old_members]
        for start in range(0, len(replaced), 500):
            Member.objects.filter(submission_id__in=replaced[start : start + 500]).delete()
        _insert_members(
            (submission.pk, order, m.name, m.role, m.post)
            for submission, members in new_members
            for order, m in enumerate(members, start=1)
        )
        updated = len(
            {s.pk for s in to_update}
            | {s.pk for s, _members in new_members} - {s.pk for s in to_create}
        )
        unchanged = len(entries) - len(to_create) - updated
    if progress:
        progress(len(entries))
    return ImportSummary(len(to_create), updated, unchanged, enterprises_created)


def _insert_members(rows, batch: int = 100) -> None:
    """Insert member rows with multi-row INSERTs: tens of thousands per import, no ORM objects.

    100 rows of 8 values stay under SQLite's oldest limit of 999 parameters per statement.
    """
    table = connection.ops.quote_name(Member._meta.db_table)
    fields = ["submission", "order", "name", "role", "post", "title", "gender", "education"]
    names = ", ".join(connection.ops.quote_name(Member._meta.get_field(f).column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    rows = [(*row, "", "", "") for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = ", ".join([placeholder] * len(chunk))
            params = [value for row in chunk for value in row]
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values}", params)


def _members_by_submission(event: Event) -> dict[int, tuple[tuple[str, str, str], ...]]:
    members: dict[int, list] = {}
    for submission_id, name, role, post in (
        Member.objects.filter(submission__event=event)
        .order_by("submission_id", "order", "pk")
        .values_list("submission_id", "name", "role", "post")
    ):
        members.setdefault(submission_id, []).append((name, role, post))
    return {key: tuple(value) for key, value in members.items()}


def _apply(submission: Submission, entry: excel.EntryRow, bodies: dict) -> None:
    submission.recommender = bodies.get(entry.recommender)
    submission.group_name = entry.group
    submission.topic_type = entry.topic_type
    submission.group_reg_no = entry.group_reg_no
    submission.topic_reg_no = entry.topic_reg_no
    submission.activity_start = entry.start
    submission.activity_end = entry.end
    submission.contact_name = entry.contact
    submission.contact_phone = entry.phone
    submission.contact_email = entry.email


def _resolve_enterprises(entries) -> tuple[dict[str, Enterprise], int]:
    """Return enterprises by the row's name: by credit code, else exact name, else new."""
    codes = {e.credit_code for e in entries if e.credit_code}
    names = {e.enterprise for e in entries}
    by_code = {x.credit_code: x for x in Enterprise.objects.filter(credit_code__in=codes)}
    by_name = {x.name: x for x in Enterprise.objects.filter(name__in=names)}
    resolved: dict[str, Enterprise] = {}
    new: dict[str, Enterprise] = {}
    fill_code = []
    for entry in entries:
        if entry.enterprise in resolved:
            continue
        enterprise = by_code.get(entry.credit_code) if entry.credit_code else None
        if enterprise is None:
            enterprise = by_name.get(entry.enterprise)
            if enterprise is not None and entry.credit_code and not enterprise.credit_code:
                enterprise.credit_code = entry.credit_code
                fill_code.append(enterprise)
        if enterprise is None:
            enterprise = Enterprise(name=entry.enterprise, credit_code=entry.credit_code or None)
            new[entry.enterprise] = enterprise
        resolved[entry.enterprise] = enterprise
    Enterprise.objects.bulk_create(new.values(), batch_size=500)
    Enterprise.objects.bulk_update(fill_code, ["credit_code"])
    if new and any(e.pk is None for e in new.values()):  # backends without RETURNING
        saved = {x.name: x for x in Enterprise.objects.filter(name__in=list(new))}
        resolved.update({name: saved[name] for name in new})
    return resolved, len(new)


def _resolve_recommenders(entries) -> dict[str, RecommendingBody]:
    names = {e.recommender for e in entries if e.recommender}
    bodies = {b.name: b for b in RecommendingBody.objects.filter(name__in=names)}
    RecommendingBody.objects.bulk_create(
        [RecommendingBody(name=name) for name in sorted(names - set(bodies))]
    )
    return {b.name: b for b in RecommendingBody.objects.filter(name__in=names)}


def import_workbook(*, event: Event, source: str | IO[bytes], progress=None) -> ImportSummary:
    """Validate the whole workbook, then save all rows or none; raise ImportRefused on errors."""
    result = parse_for_event(event=event, source=source)
    if result.errors:
        raise ImportRefused(list(result.errors))
    return import_entries(event=event, entries=result.entries, progress=progress)


def export_workbook(*, event: Event, out: str | IO[bytes]) -> int:
    """Write the event's entries in the import template; an empty event gets the example row.

    An event with nomination categories gets their nominations on a `nominations` sheet in
    that workbook's headers, so that import_nominations reads the same file back.
    """
    names = category_names(event)
    extra = []
    if names:
        rows = nominations_excel.nomination_rows(
            selectors.event_nomination_rows(event=event), names
        )
        widths = [column.width for column in nominations_excel.COLUMNS]
        extra.append((nominations_excel.SHEET, rows, widths))
    return excel_writer.write_workbook(
        out, selectors.event_entry_rows(event=event), example=True, extra_sheets=extra
    )


def progress_key(job_id: int) -> str:
    return f"submissions:import-job:{job_id}"


def create_import_job(*, event: Event, upload, user) -> ImportJob:
    """Keep the uploaded workbook and queue its import once the upload is committed.

    The import reports its errors in the uploader's language, which the worker does not know.
    """
    job = ImportJob(event=event, original_name=upload.name[:200], created_by=user)
    job.file.save("import.xlsx", upload, save=False)
    job.save()
    record_audit(
        actor=user,
        action="submissions.import",
        event=event,
        target=f"import #{job.pk}",
        details={"file": job.original_name},
    )
    language = translation.get_language()
    transaction.on_commit(
        lambda: enqueue(
            "submissions.run_import_job",
            kwargs={"job_id": job.pk, "language": language},
            on_deferred=lambda: ImportJob.objects.filter(pk=job.pk).update(
                errors=[BROKER_DOWN_MESSAGE]
            ),
        )
    )
    return job


def run_import_job(*, job_id: int, language: str | None = None) -> ImportJob:
    """Import a queued workbook, recording progress and the errors or the result on the job.

    The errors are worded in `language` (the uploader's), by default in the active one.
    """
    with in_language(language):
        return _run_import_job(job_id)


def _run_import_job(job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("event").get(pk=job_id)
    if job.state in (ImportJob.State.DONE, ImportJob.State.FAILED):
        return job
    job.state = ImportJob.State.RUNNING
    job.errors = []  # a note that the job waited for the queue
    job.save(update_fields=["state", "errors"])
    with job.file.open("rb") as source:
        result = parse_for_event(event=job.event, source=source)
    job.total = len(result.entries)
    if result.errors:
        job.state = ImportJob.State.FAILED
        job.errors = [str(error) for error in result.errors]
    else:
        job.save(update_fields=["total", "state"])

        def progress(done: int) -> None:
            try:
                cache.set(progress_key(job.pk), done, 3600)
            except Exception:  # noqa: BLE001 - progress is a hint; the import goes on
                logger.warning("import progress not cached job=%s", job.pk)

        summary = import_entries(event=job.event, entries=result.entries, progress=progress)
        job.state = ImportJob.State.DONE
        job.done = job.total
        job.summary = summary.as_dict()
    job.finished_at = timezone.now()
    job.save()
    return job


def job_progress(job: ImportJob) -> dict:
    done = job.done
    if job.state != ImportJob.State.DONE:
        try:
            done = cache.get(progress_key(job.pk), 0)
        except Exception:  # noqa: BLE001 - the cache lives in Redis; show no progress without it
            done = 0
    return {
        "state": job.state,
        "state_label": job.get_state_display(),
        "total": job.total,
        "done": done,
        "percent": int(100 * done / job.total) if job.total else 0,
        "finished": job.state in (ImportJob.State.DONE, ImportJob.State.FAILED),
    }
