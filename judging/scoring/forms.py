"""Forms of on-site judging."""

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.excel import workbook_problem


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300)


class LockForm(forms.Form):
    override_reason = forms.CharField(
        label=_("强制锁定原因（仍有评分卡未提交时必填）"), max_length=300, required=False
    )
    outliers_reviewed = forms.BooleanField(label=_("我已核对偏离评审组的评分"), required=False)


class ImportScoresForm(forms.Form):
    file = forms.FileField(label=_("纸质评分表（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        problem = workbook_problem(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload


class JudgeForm(forms.Form):
    """A judge added by an organizer; the account is the event's, never chosen here."""

    code = forms.CharField(label=_("评委编号"), max_length=10, help_text=_("如 J01"))
    name = forms.CharField(label=_("姓名"), max_length=60)
    affiliation_name = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    parent_group = forms.CharField(label=_("所属集团"), max_length=200, required=False)
    province = forms.CharField(label=_("省份"), max_length=20, required=False)
    phone = forms.CharField(label=_("手机"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    venue = forms.ModelChoiceField(label=_("分会场"), queryset=None, required=False)
    role = forms.ChoiceField(
        label=_("角色"), choices=[("member", _("评委")), ("chair", _("组长"))], initial="member"
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = event.venues.select_related("category").order_by("number")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == "chair" and not cleaned.get("venue"):
            self.add_error("venue", _("组长必须安排分会场。"))
        return cleaned


class ImportJudgesForm(forms.Form):
    file = forms.FileField(label=_("评委名单（.xlsx，工作表 judges）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
        problem = workbook_problem(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload
