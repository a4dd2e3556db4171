"""Set-up forms: the next event from this one."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
