"""Forms of the portal and the organizer pages; crispy layouts live here."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.core.validators import MaxValueValidator
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from events.enums import VenueMode

from .enums import DelegateKind, Status, TopicType
from .excel import workbook_problem
from .models import Delegate, Enterprise, Member, Submission
from .validators import normalise_credit_code, validate_credit_code

User = get_user_model()


class SignupForm(forms.Form):
    enterprise_name = forms.CharField(
        label=_("企业全称"), max_length=200, help_text=_("与营业执照一致，将印在证书上")
    )
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=24, help_text=_("18位，营业执照上的代码")
    )
    short_name = forms.CharField(label=_("企业简称"), max_length=80, required=False)
    full_name = forms.CharField(label=_("联系人姓名"), max_length=60)
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("用于确认账号和接收审查结果"))
    username = forms.CharField(label=_("登录名"), max_length=150)
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("企业信息"), "enterprise_name", "credit_code", "short_name"),
            Fieldset(_("账号"), "full_name", "email", "username", "password1", "password2"),
        )

    def clean_enterprise_name(self):
        name = self.cleaned_data["enterprise_name"].strip()
        if Enterprise.objects.filter(name=name).exists():
            raise forms.ValidationError(
                _("该企业已注册，请联系本单位的账号管理员或活动组织者开通账号")
            )
        return name

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        if Enterprise.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(
                _("该统一社会信用代码已注册，请联系本单位的账号管理员开通账号")
            )
        return code

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该登录名已被使用"))
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("该邮箱已注册"))
        return email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致"))
        elif p1:
            probe = User(username=cleaned.get("username", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AccountPasswordResetForm(PasswordResetForm):
    """Also reach accounts opened for colleagues, which have no password until they set one."""

    def get_users(self, email):
        return User._default_manager.filter(email__iexact=email, is_active=True)


class ColleagueForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    email = forms.EmailField(label=_("电子邮箱"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(username__iexact=email).exists():
            raise forms.ValidationError(_("该邮箱已有账号"))
        return email


COMMON_FIELDS = ["group_name", "title", "completing_units", "recommender"]
CONTACT_FIELDS = ["contact_name", "contact_phone", "contact_email"]
FIELDS_BY_KIND = {
    "qc": COMMON_FIELDS
    + ["topic_type", "group_reg_no", "topic_reg_no", "activity_start", "activity_end"]
    + ["meetings", "attendance_rate", "benefit_wan"]
    + ["group_intro", "topic_reason", "activity_summary", "main_results", "recommender_opinion"]
    + CONTACT_FIELDS,
    "team": COMMON_FIELDS
    + ["group_reg_no", "activity_start", "activity_end", "benefit_wan"]
    + ["group_intro", "activity_summary", "main_results", "recommender_opinion"]
    + CONTACT_FIELDS,
    "story": COMMON_FIELDS
    + ["group_intro", "main_results", "recommender_opinion"]
    + CONTACT_FIELDS,
}
LABELS_BY_KIND = {
    "qc": {"group_name": _("QC小组名称")},
    "team": {
        "group_name": _("班组名称"),
        "title": _("成果题目"),
        "group_reg_no": _("班组注册号"),
        "group_intro": _("班组简介"),
    },
    "story": {
        "group_name": _("讲述团队"),
        "title": _("故事题目"),
        "group_intro": _("品牌与讲述人简介"),
        "main_results": _("故事梗概"),
    },
}


class SubmissionForm(forms.ModelForm):
    """The entry's own fields for one category; drafts may leave everything but the title empty."""

    class Meta:
        model = Submission
        fields = sorted({f for fields in FIELDS_BY_KIND.values() for f in fields})
        widgets = {
            "activity_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "activity_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in [
                    "group_intro",
                    "topic_reason",
                    "activity_summary",
                    "main_results",
                    "recommender_opinion",
                ]
            },
        }

    def __init__(self, *args, kind: str, enterprise: Enterprise, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.enterprise, self.event = kind, enterprise, event
        keep = FIELDS_BY_KIND.get(kind, FIELDS_BY_KIND["team"])
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name, label in LABELS_BY_KIND.get(kind, {}).items():
            if name in self.fields:
                self.fields[name].label = label
        for name, field in self.fields.items():
            field.required = name == "title"
        if "topic_type" in self.fields:
            self.fields["topic_type"].choices = [("", "---------"), *TopicType.choices]
        self.order_fields(keep)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("activity_start"), cleaned.get("activity_end")
        if start and end and end < start:
            self.add_error("activity_end", _("活动结束日期不能早于开始日期"))
        title = cleaned.get("title")
        if title:
            clash = Submission.objects.filter(
                event=self.event,
                category__kind=self.kind,
                enterprise=self.enterprise,
                title=title,
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("title", _("本企业在该类别已有同名成果"))
        return cleaned


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "role", "post", "title"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "role": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "post": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "title": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        }


def member_formset_class(*, max_members: int, extra: int = 1):
    return inlineformset_factory(
        Submission,
        Member,
        form=MemberForm,
        extra=extra,
        can_delete=True,
        max_num=max_members,
        validate_max=True,
        absolute_max=max_members,
    )


def members_from_formset(formset) -> list[dict]:
    """Return the filled, not deleted member rows of a valid formset, in order."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data
        and not form.cleaned_data.get("DELETE")
        and form.cleaned_data.get("name")
    ]


GENDER_CHOICES = [("", "---------"), ("男", _("男")), ("女", _("女"))]
NOMINEE_FIELDS = {
    "org": [],
    "person": ["nominee_name", "nominee_gender", "nominee_position", "nominee_years"],
    "craftsman": [
        *("nominee_name", "nominee_gender", "nominee_position", "nominee_years"),
        *("nominee_trade", "nominee_skill_level"),
    ],
}


class NominationForm(forms.ModelForm):
    """A nomination of one category: the nominee's fields by kind, the summary, who nominates.

    Drafts may leave everything empty but the organization (and a person's name).
    """

    organization = forms.CharField(label=_("被推荐单位"), max_length=200)

    class Meta:
        model = Submission
        fields = [
            *NOMINEE_FIELDS["craftsman"],
            "achievements",
            "recommender",
            *CONTACT_FIELDS,
        ]
        widgets = {"achievements": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, category, enterprise: Enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        nominee = NOMINEE_FIELDS[category.kind]
        for name in NOMINEE_FIELDS["craftsman"]:
            if name not in nominee:
                del self.fields[name]
        for name, field in self.fields.items():
            field.required = name in ("organization", "nominee_name")
        if "nominee_gender" in self.fields:
            self.fields["nominee_gender"] = forms.ChoiceField(
                label=_("性别"), choices=GENDER_CHOICES, required=False
            )
            self.fields["nominee_years"].validators.append(MaxValueValidator(70))
            self.fields["nominee_years"].widget.attrs.update(min=0, max=70)
        organization = self.fields["organization"]
        owner = self.instance.enterprise if self.instance.pk else enterprise
        organization.initial = owner.name
        if category.nominates_person:
            organization.label = _("所在单位")
            organization.help_text = _("被推荐人所在单位的法定全称")
        else:
            organization.help_text = _("本企业，或其他单位的法定全称（将印在证书上）")
        self.fields["achievements"].help_text = _("主要事迹，不超过3000字")
        self.fields["achievements"].max_length = 3000
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(_("被推荐对象"), "organization", *nominee),
            Fieldset(_("事迹"), "achievements"),
            Fieldset(_("推荐单位与联系人"), "recommender", *CONTACT_FIELDS),
        )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[("report", _("成果报告（PDF）")), ("slides", _("发表材料（PDF/PPTX）"))],
    )
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args, nomination: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if nomination:
            self.fields["kind"].choices = [("evidence", _("证明材料（PDF）"))]


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("审查结论"),
        choices=[
            (s.value, s.label)
            for s in (Status.ADMITTED, Status.RETURNED, Status.REJECTED, Status.DEFERRED)
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("意见/理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("完善后参评须写明需完善的内容；不评、缓评须写明理由"),
    )
    deadline = forms.DateTimeField(
        label=_("完善截止时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )

    def clean(self):
        cleaned = super().clean()
        verdict, message = cleaned.get("verdict"), (cleaned.get("message") or "").strip()
        if verdict == Status.RETURNED:
            if not message:
                self.add_error("message", _("完善后参评须写明需完善的内容"))
            if not cleaned.get("deadline"):
                self.add_error("deadline", _("完善后参评须设定完善截止时间"))
        if verdict == Status.REJECTED and not message:
            self.add_error("message", _("不评须写明理由"))
        if verdict == Status.DEFERRED and not message:
            self.add_error("message", _("缓评须写明理由"))
        return cleaned


class ReviewFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *Status.choices], required=False
    )
    category = forms.ChoiceField(label=_("类别"), required=False)
    q = forms.CharField(label=_("搜索"), required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select form-select-sm" if name != "q" else "form-control form-control-sm"
            field.widget.attrs["class"] = css
        self.fields["q"].widget.attrs["placeholder"] = _("编号、题目、小组或企业")
        self.fields["category"].choices = [("", _("全部类别"))] + [
            (c.kind, c.name) for c in categories
        ]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("成果汇总表（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.read(4) != b"PK\x03\x04":
            raise forms.ValidationError(_("请上传 Excel 工作簿（.xlsx）"))
        upload.seek(0)
        problem = workbook_problem(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload


class NominationImportForm(ImportForm):
    file = forms.FileField(label=_("推荐汇总表（.xlsx）"))


class BulkAccountsForm(forms.Form):
    lines = forms.CharField(
        label=_("账号清单"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("每行一个账号：企业全称,统一社会信用代码,邮箱[,姓名]；信用代码可留空"),
    )


class DelegateForm(forms.ModelForm):
    """A delegate registered by an enterprise (or an association) in the portal."""

    class Meta:
        model = Delegate
        fields = [
            "name",
            "title",
            "mobile",
            "email",
            "kind",
            "organization_kind",
            "arrival",
            "departure",
            "lodging",
            "dietary",
            "attends_plenary",
            "venues",
            "member",
        ]
        widgets = {
            "arrival": forms.DateInput(attrs={"type": "date"}),
            "departure": forms.DateInput(attrs={"type": "date"}),
            "venues": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, event, enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (key, label)
            for key, label in DelegateKind.choices
            if key in (DelegateKind.DELEGATE, DelegateKind.GUEST)
        ]
        # A written review (书面评审) has no room to attend.
        self.fields["venues"].queryset = event.venues.exclude(
            mode=VenueMode.WRITTEN
        ).select_related("category")
        self.fields["venues"].required = False
        self.fields["member"].queryset = Member.objects.filter(
            submission__event=event, submission__enterprise=enterprise
        ).select_related("submission")
        self.fields["member"].required = False
        self.fields["member"].help_text = _("成果成员参会时选择，免去重复填写")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("代表"), "name", "title", "mobile", "email", "kind", "organization_kind"),
            Fieldset(_("行程与食宿"), "arrival", "departure", "lodging", "dietary"),
            Fieldset(_("参加场次"), "attends_plenary", "venues", "member"),
        )

    def clean_mobile(self):
        from .delegates_excel import mobile_problem, normalise_mobile

        mobile = normalise_mobile(self.cleaned_data["mobile"])
        problem = mobile_problem(mobile)
        if problem:
            raise forms.ValidationError(problem)
        return mobile

    def clean(self):
        data = super().clean()
        arrival, departure = data.get("arrival"), data.get("departure")
        if arrival and departure and departure < arrival:
            self.add_error("departure", _("离会日期不能早于报到日期"))
        if not data.get("attends_plenary") and not data.get("venues"):
            self.add_error("attends_plenary", _("请至少选择一个场次（大会或分会场）"))
        return data
