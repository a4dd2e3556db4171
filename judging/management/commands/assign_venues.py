"""Assign the admitted entries of an event to venues, draw the running orders, pack the slots."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.schedule.services import assign_venues


class Command(BaseCommand):
    help = "分配分会场、抽签并排出发表时间：assign_venues EVENT [--seed N]"

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识，如 cmqa-40")
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="抽签随机种子；同一种子得到同一顺序。省略时各分会场沿用上次的种子",
        )

    def handle(self, *args, event, seed, **options):
        try:
            event_obj = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"活动“{event}”不存在") from None
        try:
            report = assign_venues(event=event_obj, seed=seed)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        write = self.stdout.write
        write(f"{event_obj.name}：已分配 {report.placed} 项成果")
        if report.recusals_added or report.recusals_removed:
            write(f"自动回避：新增 {report.recusals_added}，撤销 {report.recusals_removed}")
        for outcome in report.venues:
            venue, packing = outcome.venue, outcome.packing
            if venue.is_written:
                write(
                    f"{venue.name}（{venue.category.name}）：书面评审 {outcome.count} 份材料，"
                    f"截止 {venue.day:%Y-%m-%d}；用 assign_reviewers 分配评审专家"
                )
                continue
            last = packing.slots[-1].end.strftime("%H:%M") if packing.slots else "-"
            line = (
                f"{venue.name}（{venue.category.name}）：{outcome.count} 项"
                f"（现场发表 {outcome.presented}，书面交流 {outcome.written}），"
                f"种子 {outcome.seed}，结束 {last}"
            )
            if packing.fits:
                write(line)
            else:
                write(self.style.WARNING(line))
                remedies = outcome.remedies
                write(
                    self.style.WARNING(
                        f"  容纳不下：{len(packing.overflow)} 项，超出 {packing.overflow_minutes} 分钟。"
                        f"可选：每项缩短为 {remedies.shorter_slot_minutes or '-'} 分钟；"
                        f"追加 {remedies.extra_days or '-'} 天；"
                        f"{remedies.written_entries} 项改为书面交流；"
                        f"或延长 {remedies.extend_minutes} 分钟"
                    )
                )
        for stack in report.stacks:
            write(f"同一企业集中：分会场 {stack.venue} 企业 {stack.enterprise} {stack.count} 项")
        if report.unplaced:
            write(self.style.ERROR(f"没有分会场的类别中有 {len(report.unplaced)} 项成果未分配"))
