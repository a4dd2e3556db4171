"""Import delegate registrations from the delegates workbook: all rows or none."""

from events.management.workbook_import import WorkbookImportCommand
from submissions.services.delegates import DelegateImportRefused, import_delegates


class Command(WorkbookImportCommand):
    help = "从 Excel 导入参会代表（工作表 delegates；全部校验通过才导入，有错则一行都不导入）"
    file_help = "参会代表名单 .xlsx"
    subject = "代表"
    refused = DelegateImportRefused

    def run_import(self, *, event, source):
        return import_delegates(event=event, source=source)

    def summary_line(self, summary) -> str:
        return (
            f"已导入：新增代表 {summary.created} 人，更新 {summary.updated} 人，"
            f"关联企业 {summary.linked_enterprises} 家"
        )
