from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.awards.exports import write_results_workbook
from judging.awards.selectors import latest_done_run


class Command(BaseCommand):
    help = "导出评选结果工作簿：每个类别一张表，每个分会场一张评分矩阵。"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识，如 cmqa-40")
        parser.add_argument("out", help="输出文件，如 results.xlsx")

    def handle(self, *args, event, out, **options):
        try:
            ev = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"没有标识为 {event} 的活动。") from None
        run = latest_done_run(ev)
        if run is None:
            raise CommandError("尚无已完成的评选计算，请先运行 compute_awards。")
        with Path(out).open("wb") as fh:
            write_results_workbook(run, fh)
        self.stdout.write(f"已导出 {out}（评选计算 #{run.pk}，digest {run.digest}）")
