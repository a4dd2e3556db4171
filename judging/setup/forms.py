"""Set-up forms: the next event from this one; a contest or honour announced at it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.enums import CategoryKind
from judging.setup import contest_defaults
from judging.setup.contest_services import ContestCategory


class CloneEventForm(forms.Form):
    slug = forms.SlugField(
        label=_("新活动标识"), max_length=60, help_text=_("用于网址，如 cmqa-41")
    )
    name = forms.CharField(
        label=_("新活动名称"), max_length=200, required=False, help_text=_("留空则按届次和年份推算")
    )
    start = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则为本活动一年后；分会场、申报时间和议程随之顺延"),
    )


class ContestForm(forms.Form):
    """A contest or honour announced at this event: the event's own part."""

    name = forms.CharField(
        label=_("活动名称"), max_length=200, help_text=_("如 机械工业“质量工匠”大赛")
    )
    short_name = forms.CharField(label=_("简称"), max_length=80, required=False)
    slug = forms.SlugField(
        label=_("活动标识"), max_length=60, help_text=_("用于网址，如 cmqa-craftsman-2022")
    )
    start_date = forms.DateField(
        label=_("开始日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("评审或表彰的日期，在申报截止之后"),
    )
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    submission_opens = forms.DateTimeField(
        label=_("申报开始"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    submission_closes = forms.DateTimeField(
        label=_("申报截止"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    notice = forms.CharField(
        label=_("通知正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("显示在公开的活动页上；与通知 PDF 至少填一项"),
    )
    notice_file = forms.FileField(
        label=_("通知 PDF"),
        required=False,
        help_text=_("正式通知文件，只接受 PDF（按文件内容识别）；公开页提供下载"),
    )
    is_public = forms.BooleanField(label=_("在首页公开活动页和通知"), required=False, initial=True)


class ContestCategoryForm(forms.Form):
    """One nomination kind of a new contest: whether it is included, and its settings."""

    include = forms.BooleanField(label=_("设此类别"), required=False)
    name = forms.CharField(label=_("类别名称"), max_length=60, required=False)
    honour = forms.CharField(
        label=_("荣誉名称"), max_length=80, required=False, help_text=_("印在证书上")
    )
    honour_prefix = forms.CharField(
        label=_("荣誉前缀"), max_length=40, required=False, help_text=_("如 机械工业")
    )
    code_prefix = forms.CharField(
        label=_("编号前缀"), max_length=10, required=False, help_text=_("如 GJ，编号为 GJ-001")
    )
    nomination_limit = forms.IntegerField(
        label=_("每个推荐单位限报"),
        min_value=1,
        max_value=999,
        required=False,
        help_text=_("留空不限"),
    )
    readers_per_nomination = forms.IntegerField(
        label=_("每份材料的评审专家数"), min_value=1, max_value=30, required=False
    )
    quota_count = forms.IntegerField(
        label=_("评选名额"),
        min_value=1,
        max_value=9999,
        required=False,
        help_text=_("留空可稍后在管理后台设置"),
    )

    defence = forms.BooleanField(
        label=_("书面评审后另设现场答辩或技能比武"),
        required=False,
        help_text=_(
            "两阶段按权重合成（书面评审 60%，现场 40%）；现场评分表、分会场和权重可在管理后台修改，"
            "现场评委由组织者安排"
        ),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        self.title = CategoryKind(kind).label

    def clean(self):
        data = super().clean()
        if data.get("include"):
            for field in ("name", "honour", "code_prefix", "readers_per_nomination"):
                if field in self.errors:
                    continue
                value = data.get(field)
                if value is None or (isinstance(value, str) and not value.strip()):
                    self.add_error(
                        field,
                        _("设立“%(kind)s”类别时须填写%(field)s。")
                        % {"kind": self.title, "field": self.fields[field].label},
                    )
        return data

    def category(self) -> ContestCategory | None:
        """Return the category the section describes, or None when it is not included."""
        data = self.cleaned_data
        if not data.get("include"):
            return None
        return ContestCategory(
            kind=self.kind,
            name=data["name"],
            honour=data["honour"],
            code_prefix=data["code_prefix"],
            honour_prefix=data.get("honour_prefix") or "",
            nomination_limit=data.get("nomination_limit"),
            readers_per_nomination=data["readers_per_nomination"],
            quota_count=data.get("quota_count"),
            defence=bool(data.get("defence")),
        )


def contest_category_forms(announced_at, data=None) -> list[ContestCategoryForm]:
    """Return one section per nomination kind, filled with the kind's defaults and the
    announcing event's honour prefix."""
    prefixes = [c.honour_prefix for c in announced_at.categories.all() if c.honour_prefix]
    honour_prefix = prefixes[0] if prefixes else ""
    sections = []
    for kind in contest_defaults.KINDS:
        defaults = contest_defaults.DEFAULTS[kind]
        initial = {
            "include": defaults.included,
            "name": defaults.name,
            "honour": defaults.honour,
            "honour_prefix": honour_prefix,
            "code_prefix": defaults.code_prefix,
            "readers_per_nomination": 3,
        }
        sections.append(ContestCategoryForm(data, kind=kind, initial=initial))
    return sections
