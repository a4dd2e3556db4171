"""render_report EVENT: render the conference report (总结报告) through Celery."""

import time

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.enums import JobStatus


class Command(BaseCommand):
    help = "生成活动的总结报告（PDF），经 Celery 渲染"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识，如 cmqa-40")
        parser.add_argument("--no-wait", action="store_true", help="排队后立即返回")
        parser.add_argument("--timeout", type=int, default=600, help="等待的最长秒数")
        parser.add_argument("--output", help="另存一份 PDF 到此路径")

    def handle(self, *args, event, no_wait, timeout, output, **options):
        from judging.documents import report_services as services_report

        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"找不到活动“{event}”")
        started = time.monotonic()
        job = services_report.render_report(event=found)
        self.stdout.write(f"总结报告任务 #{job.pk} 已排队")
        if no_wait:
            return
        while job.status not in (JobStatus.DONE, JobStatus.FAILED):
            if time.monotonic() - started > timeout:
                raise CommandError("等待超时，总结报告尚未生成")
            time.sleep(1)
            job.refresh_from_db()
        if job.status == JobStatus.FAILED:
            raise CommandError(job.message)
        if output:
            with job.output.open("rb") as source, open(output, "wb") as target:
                target.write(source.read())
            self.stdout.write(f"已保存到 {output}")
        self.stdout.write(
            self.style.SUCCESS(f"完成：{job.message}，用时 {time.monotonic() - started:.1f} 秒")
        )
