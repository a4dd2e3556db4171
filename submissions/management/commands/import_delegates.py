"""Import delegate registrations from the delegates workbook: all rows or none."""

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from submissions.services.delegates import DelegateImportRefused, import_delegates


class Command(BaseCommand):
    help = "从 Excel 导入参会代表（工作表 delegates；全部校验通过才导入，有错则一行都不导入）"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识（slug）")
        parser.add_argument("file", help="参会代表名单 .xlsx")

    def handle(self, *args, event, file, **options):
        try:
            target = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"活动“{event}”不存在") from None
        try:
            with open(file, "rb") as source:
                summary = import_delegates(event=target, source=source)
        except FileNotFoundError:
            raise CommandError(f"文件“{file}”不存在") from None
        except DelegateImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(f"发现 {len(refused.errors)} 个错误，未导入任何代表") from None
        self.stdout.write(
            f"已导入：新增代表 {summary.created} 人，更新 {summary.updated} 人，"
            f"关联企业 {summary.linked_enterprises} 家"
        )
