"""Import entries from the Excel template: every row validated first, all rows or none saved."""

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from submissions.services.intake import ImportRefused, import_workbook


class Command(BaseCommand):
    help = "从 Excel 模板导入成果（全部校验通过才导入，有错则一行都不导入）"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识（slug）")
        parser.add_argument("file", help="成果汇总表 .xlsx")

    def handle(self, *args, event, file, **options):
        try:
            target = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"活动“{event}”不存在") from None
        try:
            with open(file, "rb") as source:
                summary = import_workbook(event=target, source=source)
        except FileNotFoundError:
            raise CommandError(f"文件“{file}”不存在") from None
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(f"发现 {len(refused.errors)} 个错误，未导入任何成果") from None
        self.stdout.write(
            f"已导入：新增成果 {summary.created} 项，更新 {summary.updated} 项，"
            f"未变 {summary.unchanged} 项，新建企业 {summary.enterprises_created} 家"
        )
