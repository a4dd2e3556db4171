"""The shape every workbook import command shares: EVENT FILE.xlsx, all rows or none."""

from django.core.management.base import BaseCommand, CommandError

from events.models import Event


class WorkbookImportCommand(BaseCommand):
    """Import one workbook into an event; print every row error and exit 1 when refused.

    A subclass names the file (``file_help``), what nothing was imported of (``subject``), the
    exception its service refuses with (``refused``, carrying ``errors``), and implements
    ``run_import`` and ``summary_line``.
    """

    file_help = ".xlsx"
    subject = ""
    refused: type[Exception] = Exception

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识（slug）")
        parser.add_argument("file", help=self.file_help)

    def run_import(self, *, event: Event, source):
        raise NotImplementedError

    def summary_line(self, summary) -> str:
        raise NotImplementedError

    def handle(self, *args, event, file, **options):
        try:
            target = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"活动“{event}”不存在") from None
        try:
            with open(file, "rb") as source:
                summary = self.run_import(event=target, source=source)
        except FileNotFoundError:
            raise CommandError(f"文件“{file}”不存在") from None
        except self.refused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"发现 {len(refused.errors)} 个错误，未导入任何{self.subject}"
            ) from None
        self.stdout.write(self.summary_line(summary))
