"""render_certificates EVENT: issue and render the event's certificates through Celery."""

import time

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.enums import JobStatus


class Command(BaseCommand):
    help = "生成活动的证书（每个标杆成果一张，成员各一张），经 Celery 分块并行渲染"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识，如 cmqa-40")
        parser.add_argument("--no-wait", action="store_true", help="排队后立即返回")
        parser.add_argument("--timeout", type=int, default=3600, help="等待的最长秒数")

    def handle(self, *args, event, no_wait, timeout, **options):
        from judging.documents import services

        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"找不到活动“{event}”")
        started = time.monotonic()
        try:
            job = services.render_certificates(event=found)
        except services.CertificateError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"证书任务 #{job.pk} 已排队")
        if no_wait:
            return
        while job.status not in (JobStatus.DONE, JobStatus.FAILED):
            if time.monotonic() - started > timeout:
                raise CommandError(f"等待超时：已生成 {job.done}/{job.total} 张")
            time.sleep(1)
            job.refresh_from_db()
            self.stdout.write(f"  {job.done}/{job.total}", ending="\r")
        self.stdout.write("")
        if job.status == JobStatus.FAILED:
            raise CommandError(job.message)
        self.stdout.write(job.message)
        valid = found.certificates.filter(status="valid").count()
        revoked = found.certificates.filter(status="revoked").count()
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：本次生成 {job.done} 张，有效证书共 {valid} 张，已撤销 {revoked} 张，"
                f"用时 {time.monotonic() - started:.1f} 秒"
            )
        )
