"""clone_event SOURCE NEW_SLUG: a new event from another event's configuration."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from events.models import Event


class Command(BaseCommand):
    help = (
        "以已有活动的配置新建活动（类别与评选规则、评分表、分会场、证书样式、大会议程框架），"
        "不复制成果、评委账号、评分和结果"
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="来源活动标识，如 cmqa-40")
        parser.add_argument("new_slug", help="新活动标识，如 cmqa-41")
        parser.add_argument("--name", default="", help="新活动名称（默认按届次和年份推算）")
        parser.add_argument(
            "--start", default="", help="新活动开始日期 YYYY-MM-DD（默认为来源活动一年后）"
        )

    def handle(self, *args, source, new_slug, name, start, **options):
        from judging.setup.services import clone_event

        found = Event.objects.filter(slug=source).first()
        if found is None:
            raise CommandError(f"找不到活动“{source}”")
        start_date = None
        if start:
            try:
                start_date = dt.date.fromisoformat(start)
            except ValueError as exc:
                raise CommandError(f"--start 应为 YYYY-MM-DD 格式的日期，收到“{start}”") from exc
        try:
            event = clone_event(source=found, slug=new_slug, name=name, start=start_date)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已创建活动 {event.slug}「{event.name}」（{event.start_date} 至 {event.end_date}）："
                f"类别 {event.categories.count()} 个，评分表 {event.score_sheets.count()} 张，"
                f"分会场 {event.venues.count()} 个，证书样式 {event.certificate_designs.count()} 个，"
                f"大会议程 {event.plenary_items.count()} 项"
            )
        )
        self.stdout.write(f"下一步：打开 /orga/{event.slug}/setup/ 查看准备清单")
