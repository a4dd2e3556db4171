"""Export an event's entries in the import template (export then import round-trips)."""

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from submissions.services.intake import export_workbook


class Command(BaseCommand):
    help = "按导入模板导出活动的全部成果，并附推荐汇总表"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识（slug）")
        parser.add_argument("out", help="输出文件 .xlsx")

    def handle(self, *args, event, out, **options):
        try:
            target = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"活动“{event}”不存在") from None
        count = export_workbook(event=target, out=out)
        self.stdout.write(f"已导出 {count} 项成果到 {out}")
