"""Import nominations for honours from the nominations workbook: all rows or none."""

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from submissions.services.nomination_intake import NominationImportRefused, import_nominations


class Command(BaseCommand):
    help = (
        "从 Excel 导入推荐（工作表 nominations；全部校验通过、未超限报数量才导入，"
        "有错则一行都不导入）"
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识（slug）")
        parser.add_argument("file", help="推荐汇总表 .xlsx")

    def handle(self, *args, event, file, **options):
        try:
            target = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"活动“{event}”不存在") from None
        try:
            with open(file, "rb") as source:
                summary = import_nominations(event=target, source=source)
        except FileNotFoundError:
            raise CommandError(f"文件“{file}”不存在") from None
        except NominationImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(f"发现 {len(refused.errors)} 个错误，未导入任何推荐") from None
        self.stdout.write(
            f"已导入：新增推荐 {summary.created} 项，更新 {summary.updated} 项，"
            f"未变 {summary.unchanged} 项，新建单位 {summary.enterprises_created} 家"
        )
