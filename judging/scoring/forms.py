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
