"""Import judges from the Excel workbook: every row validated first, all rows or none saved."""

from events.management.workbook_import import WorkbookImportCommand
from judging.scoring.judges import JudgesImportRefused, import_judges


class Command(WorkbookImportCommand):
    help = "从 Excel 导入评委（工作表 judges；全部校验通过才导入，每位评委获得活动创建的账号）"
    file_help = "评委名单 .xlsx"
    subject = "评委"
    refused = JudgesImportRefused

    def run_import(self, *, event, source):
        return import_judges(event=event, source=source)

    def summary_line(self, summary) -> str:
        return (
            f"已导入评委：新增 {summary.created} 位，更新 {summary.updated} 位，"
            f"安排席位 {summary.seated} 个，新建账号 {summary.accounts} 个"
        )
