"""Import entries from the Excel template: every row validated first, all rows or none saved."""

from events.management.workbook_import import WorkbookImportCommand
from submissions.services.intake import ImportRefused, import_workbook


class Command(WorkbookImportCommand):
    help = "从 Excel 模板导入成果（全部校验通过才导入，有错则一行都不导入）"
    file_help = "成果汇总表 .xlsx"
    subject = "成果"
    refused = ImportRefused

    def run_import(self, *, event, source):
        return import_workbook(event=event, source=source)

    def summary_line(self, summary) -> str:
        return (
            f"已导入：新增成果 {summary.created} 项，更新 {summary.updated} 项，"
            f"未变 {summary.unchanged} 项，新建企业 {summary.enterprises_created} 家"
        )
