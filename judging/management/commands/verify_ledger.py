"""Re-check an event's score ledger; exit 1 naming the first broken entry."""

from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.scoring.ledger import head_hash, verify_ledger


class Command(BaseCommand):
    help = "校验活动评分账本的哈希链，并核对当前评分卡与账本一致；发现篡改时以状态 1 退出。"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识（slug），如 cmqa-40")

    def handle(self, *args, event, **options):
        try:
            event_obj = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"没有标识为 {event} 的活动", returncode=1) from None
        check = verify_ledger(event_obj)
        if not check.ok:
            raise CommandError(f"账本校验失败：{check.problem}", returncode=1)
        self.stdout.write(
            f"账本完好：{check.entries} 条记录，{check.cards} 张评分卡与账本一致；"
            f"最新哈希 {head_hash(event_obj)}"
        )
