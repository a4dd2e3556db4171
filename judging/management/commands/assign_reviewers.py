"""Give the dossiers of an event's written-review venues to their experts (书面评审分配)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from events.models import Event, Venue
from judging.schedule.review_services import assign_all_reviewers, assign_reviewers


class Command(BaseCommand):
    help = "书面评审分配材料：assign_reviewers EVENT [--venue N] [--seed N]"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识，如 cmqa-40")
        parser.add_argument(
            "--venue",
            type=int,
            default=None,
            help="只分配这个分会场（序号）；省略时分配全部书面评审",
        )
        parser.add_argument("--seed", type=int, default=None, help="随机种子；同一种子得到同一分配")

    def handle(self, *args, event, venue, seed, **options):
        try:
            event_obj = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"活动“{event}”不存在") from None
        try:
            if venue is None:
                reports = assign_all_reviewers(event=event_obj, seed=seed)
            else:
                target = Venue.objects.filter(event=event_obj, number=venue).first()
                if target is None:
                    raise CommandError(f"活动“{event}”没有第 {venue} 分会场")
                reports = [assign_reviewers(venue=target, seed=seed)]
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if not reports:
            self.stdout.write("没有需要分配的书面评审（或均已锁定）")
        for report in reports:
            loads = "，".join(f"{code} {n}" for code, n in report.loads.items())
            self.stdout.write(
                f"{report.venue.name}：{report.dossiers} 份材料，每份 {report.readers} 位专家，"
                f"新增 {report.created}、撤销 {report.removed}、保留 {report.kept}，"
                f"种子 {report.seed}；专家份数：{loads}"
            )
            for code, missing in report.shortfalls.items():
                self.stdout.write(self.style.WARNING(f"  {code} 可评专家不足，缺 {missing} 位"))
