"""Import nominations for honours from the nominations workbook: all rows or none."""

from events.management.workbook_import import WorkbookImportCommand
from submissions.services.nomination_intake import NominationImportRefused, import_nominations


class Command(WorkbookImportCommand):
    help = (
        "从 Excel 导入推荐（工作表 nominations；全部校验通过、未超限报数量才导入，"
        "有错则一行都不导入）"
    )
    file_help = "推荐汇总表 .xlsx"
    subject = "推荐"
    refused = NominationImportRefused

    def run_import(self, *, event, source):
        return import_nominations(event=event, source=source)

    def summary_line(self, summary) -> str:
        return (
            f"已导入：新增推荐 {summary.created} 项，更新 {summary.updated} 项，"
            f"未变 {summary.unchanged} 项，新建单位 {summary.enterprises_created} 家"
        )
