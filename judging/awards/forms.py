"""Forms of the award, publication and objection pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from judging.enums import Decision, ObjectionStatus
from submissions.filetypes import check_upload


class StyledForm(forms.Form):
    """A form whose widgets carry Bootstrap's classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            if isinstance(widget, forms.Select):
                css = "form-select"
            widget.attrs.setdefault("class", css)


class RunForm(StyledForm):
    force = forms.BooleanField(label=_("有分会场未锁定时强制计算"), required=False)
    reason = forms.CharField(label=_("强制计算原因"), max_length=300, required=False)


class OverrideForm(StyledForm):
    decision = forms.ChoiceField(label=_("审定结果"), choices=Decision.choices)
    tier = forms.CharField(label=_("等级"), max_length=40, required=False)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(StyledForm):
    days = forms.IntegerField(label=_("公示天数"), min_value=1, max_value=60)


class ObjectionForm(StyledForm):
    code = forms.CharField(label=_("成果编号"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=60)
    unit = forms.CharField(label=_("单位"), max_length=200)
    contact = forms.CharField(label=_("联系方式"), max_length=100)
    grounds = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(label=_("证明材料（可选）"), required=False)

    def __init__(self, *args, max_mb: int = 50, nominations: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_mb = max_mb
        if nominations:  # the notice lists honoured organizations and persons too
            self.fields["code"].label = _("成果或推荐材料编号")

    def clean_evidence(self):
        """Take only what the portal takes: PDF or PPTX by content, no active content, within
        the event's size limit (the same checks as an entry's attachments)."""
        evidence = self.cleaned_data.get("evidence")
        if not evidence:
            return evidence
        verdict = check_upload(
            kind="other", stream=evidence, size=evidence.size, max_bytes=self.max_mb * 1024 * 1024
        )
        if verdict.problem:
            raise forms.ValidationError(
                _("证明材料：%(problem)s"), params={"problem": verdict.problem}
            )
        return evidence


class AnswerForm(StyledForm):
    status = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (ObjectionStatus.UPHELD, _("成立")),
            (ObjectionStatus.DISMISSED, _("不成立")),
            (ObjectionStatus.FRIVOLOUS, _("不予受理（无理或重复的异议，须写明理由）")),
        ],
    )
    answer = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 4}))


class ShowcaseAddForm(StyledForm):
    code = forms.CharField(label=_("成果编号"), max_length=20)
