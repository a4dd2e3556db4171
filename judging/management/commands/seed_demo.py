"""Build the demo event cmqa-40; a second run changes nothing."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from judging.demo.build import seed_demo
from judging.demo.scores import fill_scores


class Command(BaseCommand):
    help = "创建演示活动 cmqa-40（机械工业第40次群众性质量管理成果、质量品牌故事交流活动）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=40, help="随机种子（默认 40）")
        parser.add_argument("--scale", type=int, default=1, help="成果数量倍数，用于性能测试")
        parser.add_argument(
            "--scores", action="store_true", help="为已分配分会场的成果填写已提交的评分"
        )

    def handle(self, *args, seed, scale, scores, **options):
        if scale < 1:
            raise CommandError("--scale 必须是不小于 1 的整数")
        started = time.monotonic()
        result = seed_demo(seed=seed, scale=scale)
        created = ", ".join(f"{name} {count}" for name, count in result.created.items())
        self.stdout.write(f"活动 {result.event.slug}：{result.event.name}")
        if result.contest is not None:
            closes = timezone.localtime(result.contest.submission_closes)
            self.stdout.write(
                f"竞赛 {result.contest.slug}：{result.contest.name}，申报截止 {closes:%Y-%m-%d %H:%M}"
            )
        self.stdout.write(f"新建：{created}")
        if scores:
            filled = fill_scores(event=result.event, seed=seed)
            self.stdout.write(f"评分卡：新填写 {filled}")
        self.stdout.write(f"用时 {time.monotonic() - started:.1f} 秒")
        self.stdout.write("演示账号（仅供演示）：")
        for role, username, password, note in result.logins:
            self.stdout.write(f"  {role:<6} {username:<12} 密码 {password}  {note}")
