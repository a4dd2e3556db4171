"""Record and write a signed anchor of an event's score ledger (keep it apart from the database)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.models import AnchorKind
from judging.scoring.anchors import record_anchor, text_of


class Command(BaseCommand):
    help = "导出带签名的评分账本锚点（各链记录数与哈希）；日后用 verify_ledger --anchor 核对。"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识（slug），如 cmqa-40")
        parser.add_argument("output", nargs="?", help="写入的文件；省略时打印")

    def handle(self, *args, event, output, **options):
        try:
            event_obj = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"没有标识为 {event} 的活动", returncode=1) from None
        anchor = record_anchor(event=event_obj, kind=AnchorKind.EXPORT)
        text = text_of(anchor, title=f"{event_obj.name} 评分账本锚点（组织者导出）")
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"已写入 {output}：{anchor.entries} 条记录，总哈希 {anchor.head}")
        else:
            self.stdout.write(text, ending="")
