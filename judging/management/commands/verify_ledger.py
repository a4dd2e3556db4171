"""Re-check an event's score ledger and its anchors; exit 1 naming the first problem."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.scoring.anchors import AnchorError, parse_anchor_text
from judging.scoring.ledger import head_hash, verify_ledger


class Command(BaseCommand):
    help = (
        "校验活动评分账本的哈希链及其锚点（锁定回执、公示、组织者导出），"
        "并核对当前评分卡与账本一致；发现篡改时以状态 1 退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识（slug），如 cmqa-40")
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="FILE",
            help="另行保存的账本锚点文件（组织者导出、锁定回执或公示锚点），可多次给出",
        )

    def handle(self, *args, event, anchor, **options):
        try:
            event_obj = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"没有标识为 {event} 的活动", returncode=1) from None
        anchors = []
        for name in anchor:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"无法读取锚点文件 {name}：{exc}", returncode=1) from None
            try:
                anchors.append(parse_anchor_text(text, source=f"锚点文件 {name}"))
            except AnchorError as exc:
                raise CommandError(str(exc), returncode=1) from None
        check = verify_ledger(event_obj, anchors=anchors)
        if not check.ok:
            raise CommandError(f"账本校验失败：{check.problem}", returncode=1)
        self.stdout.write(
            f"账本完好：{check.entries} 条记录，{check.cards} 张评分卡与账本一致，"
            f"{check.anchors} 个锚点相符；最新哈希 {head_hash(event_obj)}"
        )
