"""Import judges from the Excel workbook: every row validated first, all rows or none saved."""

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.scoring.judges import JudgesImportRefused, import_judges


class Command(BaseCommand):
    help = "从 Excel 导入评委（工作表 judges；全部校验通过才导入，每位评委获得活动创建的账号）"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识（slug）")
        parser.add_argument("file", help="评委名单 .xlsx")

    def handle(self, *args, event, file, **options):
        try:
            target = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"活动“{event}”不存在") from None
        try:
            with open(file, "rb") as source:
                summary = import_judges(event=target, source=source)
        except FileNotFoundError:
            raise CommandError(f"文件“{file}”不存在") from None
        except JudgesImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(f"发现 {len(refused.errors)} 个错误，未导入任何评委") from None
        self.stdout.write(
            f"已导入评委：新增 {summary.created} 位，更新 {summary.updated} 位，"
            f"安排席位 {summary.seated} 个，新建账号 {summary.accounts} 个"
        )
