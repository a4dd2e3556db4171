"""Import a paper score workbook for a venue whose tablets failed (all or nothing)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from judging.scoring.paper import import_paper_scores


class Command(BaseCommand):
    help = (
        "导入纸质评分表（表头：编号、评委、各评分项编号、可选“回避”）；全部校验通过才导入。"
        "导入的评分须由另一位组织者复核（--confirmed-by）后才计入结果。"
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="活动标识（slug）")
        parser.add_argument("file", help="纸质评分表 .xlsx")
        parser.add_argument("--by", required=True, help="导入的组织者用户名")
        parser.add_argument("--confirmed-by", help="复核的另一位组织者用户名")

    def handle(self, *args, event, file, by, confirmed_by=None, **options):
        try:
            event_obj = Event.objects.get(slug=event)
        except Event.DoesNotExist:
            raise CommandError(f"没有标识为 {event} 的活动", returncode=1) from None
        importer = self._user(by, "--by")
        confirmer = self._user(confirmed_by, "--confirmed-by") if confirmed_by else None
        try:
            with open(file, "rb") as handle:
                request_id = import_paper_scores(
                    event=event_obj, workbook=handle, by=importer, confirmed_by=confirmer
                )
        except FileNotFoundError:
            raise CommandError(f"找不到文件 {file}", returncode=1) from None
        except ValidationError as error:
            raise CommandError(
                "导入失败，未保存任何评分：\n" + "\n".join(error.messages), returncode=1
            ) from None
        cards = event_obj.ledger.filter(request_id=request_id, action="import").count()
        state = "已复核，计入结果" if confirmer else "待另一位组织者复核后计入结果"
        self.stdout.write(f"已导入 {cards} 张纸质评分卡（{state}）；导入编号 {request_id}")

    def _user(self, username, option):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"{option}：没有用户名为 {username} 的账号", returncode=1) from None
