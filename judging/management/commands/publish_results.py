from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from events.models import Event
from judging.awards.publication import publish_results
from judging.awards.services import AwardError


class Command(BaseCommand):
    help = "公示最近一次评选计算的结果（开放公示期）。"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识，如 cmqa-40")
        parser.add_argument("--days", type=int, default=None, help="公示天数（默认取活动设置）")

    def handle(self, *args, event, days, **options):
        try:
            ev = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"没有标识为 {event} 的活动。") from None
        try:
            publication = publish_results(event=ev, days=days)
        except AwardError as exc:
            raise CommandError(str(exc)) from None
        starts = timezone.localtime(publication.notice_starts).strftime("%Y-%m-%d %H:%M")
        ends = timezone.localtime(publication.notice_ends).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"公示期：{starts} 至 {ends}")
        self.stdout.write(f"digest {publication.run.digest}")
