import time

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.awards.services import AwardError, start_award_run
from judging.enums import RunStatus
from judging.models import AwardRun


class Command(BaseCommand):
    help = "计算评选结果（评选计算任务），打印摘要（SHA-256）。"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识，如 cmqa-40")
        parser.add_argument("--force", action="store_true", help="有分会场未锁定时强制计算")
        parser.add_argument("--reason", default="", help="强制计算的原因")
        parser.add_argument("--wait", type=float, default=300, help="等待后台计算完成的秒数")

    def handle(self, *args, event, force, reason, **options):
        try:
            ev = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"没有标识为 {event} 的活动。") from None
        try:
            run = start_award_run(event=ev, force=force, reason=reason)
        except AwardError as exc:
            raise CommandError(str(exc)) from None
        deadline = time.monotonic() + options["wait"]
        run = AwardRun.objects.get(pk=run.pk)
        while run.status in (RunStatus.PENDING, RunStatus.RUNNING) and time.monotonic() < deadline:
            time.sleep(0.5)
            run = AwardRun.objects.get(pk=run.pk)
        if run.status == RunStatus.FAILED:
            raise CommandError(f"评选计算 #{run.pk} 失败：{run.message}")
        if run.status != RunStatus.DONE:
            self.stdout.write(
                f"评选计算 #{run.pk} 已提交后台处理（状态：{run.get_status_display()}）。"
            )
            return
        self.stdout.write(run.message)
        self.stdout.write(f"digest {run.digest}")
