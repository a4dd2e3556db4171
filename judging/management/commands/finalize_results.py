from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.awards.publication import finalize_results
from judging.awards.services import AwardError


class Command(BaseCommand):
    help = "公示期结束后定稿评选结果（此后不能再修改）。"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识，如 cmqa-40")

    def handle(self, *args, event, **options):
        try:
            ev = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"没有标识为 {event} 的活动。") from None
        try:
            publication = finalize_results(event=ev)
        except AwardError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已定稿，digest {publication.run.digest}")
