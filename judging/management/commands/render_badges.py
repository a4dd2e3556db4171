"""render_badges EVENT: render the delegates' badges (A6, QR code) through Celery."""

import time

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.enums import JobStatus


class Command(BaseCommand):
    help = "生成参会代表胸卡（A6，含签到二维码），经 Celery 分块渲染，合并为一个 PDF"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识，如 cmqa-40")
        parser.add_argument("--no-wait", action="store_true", help="排队后立即返回")
        parser.add_argument("--timeout", type=int, default=3600, help="等待的最长秒数")

    def handle(self, *args, event, no_wait, timeout, **options):
        from judging.documents import badge_services

        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"找不到活动“{event}”")
        started = time.monotonic()
        job = badge_services.render_badges(event=found)
        self.stdout.write(f"胸卡任务 #{job.pk} 已排队")
        if no_wait:
            return
        while job.status not in (JobStatus.DONE, JobStatus.FAILED):
            if time.monotonic() - started > timeout:
                raise CommandError(f"等待超时：已生成 {job.done}/{job.total} 张")
            time.sleep(0.5)
            job.refresh_from_db()
        if job.status == JobStatus.FAILED:
            raise CommandError(job.message)
        path = job.output.name if job.output else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{job.message}，用时 {time.monotonic() - started:.1f} 秒 {path}".rstrip()
            )
        )
