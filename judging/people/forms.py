"""Forms of the check-in page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.forms import ImportForm


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("签到码"), max_length=40)
    session = forms.CharField(max_length=20, widget=forms.HiddenInput)
    door = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)


class DelegateImportForm(ImportForm):
    file = forms.FileField(label=_("参会代表名单（.xlsx，工作表 delegates）"))
