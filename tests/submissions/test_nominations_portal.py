"""Nominations in the portal: the form per kind, evidence, submit, limits, withdrawal, review."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from submissions.enums import Status
from submissions.models import Attachment, Enterprise, RecommendingBody, ReviewLog, Submission
from submissions.services.files import store_attachment
from tests.admin_setup import organizer as admin_organizer
from tests.factories import CategoryFactory, MembershipFactory, SubmissionFactory
from tests.submissions.conftest import pdf_bytes, pptx_bytes, upload

pytestmark = pytest.mark.django_db

PERSON = {
    "organization": "",  # filled with the user's enterprise by the tests
    "nominee_name": "张伟",
    "nominee_gender": "男",
    "nominee_position": "质量部部长",
    "nominee_years": "18",
    "achievements": "主持推进全面质量管理十余年",
    "contact_name": "李娜",
    "contact_phone": "0571-88886666",
}


@pytest.fixture
def categories(event):
    made = {}
    for order, (kind, name, prefix, limit) in enumerate(
        [("org", "优秀组织单位", "ZZ", None), ("person", "优秀个人", "GR", 1)], start=4
    ):
        made[kind] = CategoryFactory(
            event=event,
            kind=kind,
            name=name,
            code_prefix=prefix,
            honour=name,
            order=order,
            nomination_limit=limit,
        )
    made["craftsman"] = CategoryFactory(
        event=event, kind="craftsman", name="质量工匠", code_prefix="GJ", honour="质量工匠", order=6
    )
    return made


def nominate(client, event, kind, data, action="save"):
    url = reverse("submissions:nomination_create", args=[event.slug, kind])
    return client.post(url, {**data, "action": action})


def person_of(membership, **changes):
    return {**PERSON, "organization": membership.enterprise.name, **changes}


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_dashboard_offers_nominations_beside_entries(portal_client, event, categories):
    response = portal_client.get(reverse("submissions:dashboard"))

    for kind in ("org", "person", "craftsman"):
        assert reverse("submissions:nomination_create", args=[event.slug, kind]) in response.text
    assert reverse("submissions:entry_create", args=[event.slug, "qc"]) in response.text
    assert "推荐优秀个人" in response.text and "申报QC成果" in response.text


def test_form_shows_the_nominee_fields_of_each_kind(portal_client, event, categories):
    def fields(kind):
        url = reverse("submissions:nomination_create", args=[event.slug, kind])
        return list(portal_client.get(url).context["form"].fields)

    contact = ["recommender", "contact_name", "contact_phone", "contact_email"]
    assert fields("org") == ["achievements", *contact, "organization"]
    person = ["nominee_name", "nominee_gender", "nominee_position", "nominee_years"]
    assert fields("person") == [*person, "achievements", *contact, "organization"]
    craftsman = [*person, "nominee_trade", "nominee_skill_level"]
    assert fields("craftsman") == [*craftsman, "achievements", *contact, "organization"]


def test_person_nomination_drafted_given_evidence_and_submitted(
    portal_client, event, categories, membership
):
    response = nominate(portal_client, event, "person", person_of(membership))

    nomination = Submission.objects.get()
    assert response.url == reverse("submissions:entry", args=[nomination.pk])
    assert (nomination.code, nomination.title, nomination.status) == ("GR-001", "张伟", "draft")
    assert nomination.enterprise == membership.enterprise == nomination.submitter
    assert (nomination.nominee_gender, nomination.nominee_years) == ("男", 18)
    assert nomination.group_name == membership.enterprise.name

    files_url = reverse("submissions:attachment_upload", args=[nomination.pk])
    for name in ("荣誉证书.pdf", "事迹材料.pdf"):
        answer = portal_client.post(
            files_url, {"kind": "evidence", "file": upload(name, pdf_bytes())}
        )
        assert answer.status_code == 302
    assert sorted(Attachment.objects.values_list("kind", "original_name")) == [
        ("evidence", "事迹材料.pdf"),
        ("evidence", "荣誉证书.pdf"),
    ]
    page = portal_client.get(reverse("submissions:entry", args=[nomination.pk]))
    assert "主持推进全面质量管理十余年" in page.text and "质量部部长" in page.text
    assert reverse("submissions:nomination_edit", args=[nomination.pk]) in page.text

    submitted = portal_client.post(reverse("submissions:entry_submit", args=[nomination.pk]))

    nomination.refresh_from_db()
    assert nomination.status == Status.SUBMITTED
    assert texts(submitted) == ["推荐已提交，内容已锁定。"]


def test_submit_lists_what_a_nomination_lacks(portal_client, event, categories, membership):
    nominate(
        portal_client, event, "person", person_of(membership, achievements="", contact_phone="")
    )
    nomination = Submission.objects.get()

    response = portal_client.post(reverse("submissions:entry_submit", args=[nomination.pk]))

    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT
    assert texts(response)[1:] == [  # after the draft's own message
        "草稿已保存，但尚不能提交：",
        "请填写事迹摘要",
        "请填写联系电话",
        "请上传证明材料（PDF）",
    ]


def test_person_needs_a_name_and_evidence_must_be_a_pdf(
    portal_client, event, categories, membership
):
    response = nominate(portal_client, event, "person", person_of(membership, nominee_name=""))
    assert response.status_code == 200
    assert response.context["form"].errors == {"nominee_name": ["该字段是必填项。"]}

    nominate(portal_client, event, "person", person_of(membership))
    nomination = Submission.objects.get()
    url = reverse("submissions:attachment_upload", args=[nomination.pk])
    slides = {"kind": "evidence", "file": upload("a.pptx", pptx_bytes())}
    report = {"kind": "report", "file": upload("a.pdf", pdf_bytes())}
    refused = [texts(portal_client.post(url, data))[-1] for data in (slides, report)]
    assert refused == [
        "a.pptx：证明材料只接受 PDF 文件",
        "选择一个有效的选项。 report 不在可用的选项中。",
    ]
    with pytest.raises(ValidationError) as wrong_kind:
        store_attachment(
            submission=nomination, kind="report", upload=upload("a.pdf", pdf_bytes()), user=None
        )
    assert wrong_kind.value.messages == ["优秀个人不收成果报告"]
    assert Attachment.objects.count() == 0


def test_limit_refuses_one_more_nomination_of_the_same_body(
    portal_client, event, categories, membership
):
    nominate(portal_client, event, "person", person_of(membership))

    response = nominate(portal_client, event, "person", person_of(membership, nominee_name="王强"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"“优秀个人”每个推荐单位限报1项，“{membership.enterprise.name}”已推荐1项，不能再推荐"
    ]
    assert "不能再推荐" in response.text
    assert Submission.objects.count() == 1


def test_limit_counts_per_recommending_body_and_frees_on_withdrawal(
    portal_client, event, categories, membership
):
    body = RecommendingBody.objects.create(name="浙江省机械工业质量管理协会")
    other = MembershipFactory()
    SubmissionFactory(
        event=event,
        category=categories["person"],
        code="GR-001",
        enterprise=other.enterprise,
        title="赵敏",
        recommender=body,
        status=Status.SUBMITTED,
    )
    through_body = person_of(membership, recommender=body.pk)

    refused = nominate(portal_client, event, "person", through_body)
    own = nominate(portal_client, event, "person", person_of(membership))

    assert "“浙江省机械工业质量管理协会”已推荐1项" in refused.text
    assert own.status_code == 302
    nomination = Submission.objects.get(submitter=membership.enterprise)
    withdrawn = portal_client.post(reverse("submissions:nomination_withdraw", args=[nomination.pk]))
    assert texts(withdrawn)[-1] == "推荐已撤回，不再占用限报名额。"
    nomination.refresh_from_db()
    assert nomination.status == Status.WITHDRAWN
    assert ReviewLog.objects.get(submission=nomination).to_status == Status.WITHDRAWN
    again = nominate(portal_client, event, "person", person_of(membership, nominee_name="王强"))
    assert again.status_code == 302


def test_submitting_counts_the_limit_too(portal_client, event, categories, membership):
    nominate(portal_client, event, "person", person_of(membership))
    nomination = Submission.objects.get()
    SubmissionFactory(
        event=event,
        category=categories["person"],
        code="GR-009",
        enterprise=membership.enterprise,
        title="王强",
        status=Status.ADMITTED,
    )  # stored by the organizer after the draft, e.g. imported
    Attachment.objects.create(
        submission=nomination, kind="evidence", original_name="a.pdf", size=1, sha256="0" * 64
    )

    response = portal_client.post(reverse("submissions:entry_submit", args=[nomination.pk]))

    assert texts(response)[-1] == (
        f"“优秀个人”每个推荐单位限报1项，“{membership.enterprise.name}”已推荐1项，不能再推荐"
    )
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT


def test_same_nominee_twice_is_refused(portal_client, event, categories, membership):
    nominate(portal_client, event, "craftsman", person_of(membership))

    response = nominate(portal_client, event, "craftsman", person_of(membership))

    assert response.context["form"].non_field_errors() == [
        f"“质量工匠”已有对{membership.enterprise.name}“张伟”的推荐，不能重复推荐"
    ]


def test_organization_nominated_by_another_enterprise_stays_in_the_nominators_portal(
    portal_client, event, categories, membership
):
    data = {"organization": "宁波液压件有限公司", "achievements": "组织QC小组活动"}

    nominate(portal_client, event, "org", data)

    nomination = Submission.objects.get()
    nominee = Enterprise.objects.get(name="宁波液压件有限公司")
    assert (nomination.enterprise, nomination.submitter) == (nominee, membership.enterprise)
    assert (nomination.code, nomination.title) == ("ZZ-001", "宁波液压件有限公司")
    own = portal_client.get(reverse("submissions:entry", args=[nomination.pk]))
    assert own.status_code == 200
    assert nomination.title in portal_client.get(reverse("submissions:dashboard")).text
    nominee_user = MembershipFactory(enterprise=nominee).user
    other = Client()
    other.force_login(nominee_user)
    assert other.get(reverse("submissions:entry", args=[nomination.pk])).status_code == 404


def test_entry_urls_lead_a_nomination_to_its_own_form(portal_client, event, categories, membership):
    create = portal_client.get(reverse("submissions:entry_create", args=[event.slug, "person"]))
    nominate(portal_client, event, "person", person_of(membership))
    nomination = Submission.objects.get()
    edit = portal_client.get(reverse("submissions:entry_edit", args=[nomination.pk]))
    result_kind = portal_client.get(
        reverse("submissions:nomination_create", args=[event.slug, "qc"])
    )

    assert create.url == reverse("submissions:nomination_create", args=[event.slug, "person"])
    assert edit.url == reverse("submissions:nomination_edit", args=[nomination.pk])
    assert result_kind.status_code == 404


def test_edit_keeps_the_nominee_and_refuses_after_submission(
    portal_client, event, categories, membership
):
    nominate(portal_client, event, "person", person_of(membership))
    nomination = Submission.objects.get()
    url = reverse("submissions:nomination_edit", args=[nomination.pk])

    portal_client.post(url, {**person_of(membership, nominee_name="张伟华"), "action": "save"})
    nomination.refresh_from_db()
    assert (nomination.title, nomination.nominee_name) == ("张伟华", "张伟华")
    Submission.objects.filter(pk=nomination.pk).update(status=Status.ADMITTED)

    response = portal_client.get(url)
    withdraw = portal_client.post(reverse("submissions:nomination_withdraw", args=[nomination.pk]))

    assert response.url == reverse("submissions:entry", args=[nomination.pk])
    assert texts(withdraw)[-1] == "该推荐已审查，不能撤回；请联系活动组织者"


def test_review_page_shows_the_nominee_and_verdicts_work(
    client, event, categories, membership, organizer
):
    nomination = SubmissionFactory(
        event=event,
        category=categories["craftsman"],
        code="GJ-001",
        enterprise=membership.enterprise,
        title="王强",
        nominee_name="王强",
        nominee_position="数控车工班长",
        nominee_years=20,
        nominee_trade="数控车工",
        nominee_skill_level="高级技师",
        achievements="攻克缸体加工难题",
        status=Status.SUBMITTED,
    )
    client.force_login(organizer)
    url = reverse("submissions_orga:entry", args=[event.slug, nomination.pk])

    page = client.get(url)
    for text in ("王强", membership.enterprise.name, "数控车工班长", "20 年", "高级技师"):
        assert text in page.text
    assert "攻克缸体加工难题" in page.text
    for verdict, message in (("returned", "请补充证书"), ("rejected", "不符合条件")):
        data = {"verdict": verdict, "message": message, "deadline": "2099-01-01T00:00"}
        assert client.post(url, data).status_code == 302
        nomination.refresh_from_db()
        assert nomination.status == verdict
    assert client.post(url, {"verdict": "admitted"}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Status.ADMITTED


def test_admin_change_page_shows_the_nominee_fields(client, event, categories):
    user = admin_organizer()
    event.staff.add(user)
    client.force_login(user)
    nomination = SubmissionFactory(
        event=event, category=categories["person"], code="GR-001", title="张伟"
    )

    response = client.get(reverse("admin:submissions_submission_change", args=[nomination.pk]))

    fields = response.context["adminform"].form.fields
    for name in ("nominee_name", "nominee_position", "nominee_years", "achievements"):
        assert name in fields
    assert "topic_type" not in fields
    assert response.context["inline_admin_formsets"][0].opts.model is Attachment
    add = client.get(reverse("admin:submissions_submission_add"))
    assert add.status_code == 200
    assert {"nominee_name", "achievements", "topic_type"} <= set(
        add.context["adminform"].form.fields
    )


# Who may reach the new pages (the matrix of tests/test_permission_matrix.py, for a world
# that has nomination categories).


@pytest.fixture
def roles(event, categories, membership, organizer):
    nomination = SubmissionFactory(
        event=event,
        category=categories["person"],
        code="GR-001",
        enterprise=membership.enterprise,
        submitter=membership.enterprise,
        title="张伟",
        status=Status.DRAFT,
    )
    other_organizer = admin_organizer()
    users = {
        "anonymous": None,
        "enterprise_a": membership.user,
        "enterprise_b": MembershipFactory().user,
        "organizer": organizer,
        "other_organizer": other_organizer,
    }
    return nomination, users


def status_of(user, method, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    return (client.post if method == "POST" else client.get)(url).status_code


def test_permissions_of_the_nomination_pages(event, roles):
    nomination, users = roles
    pages = {
        ("GET", reverse("submissions:nomination_create", args=[event.slug, "person"])): {
            "anonymous": 302,
            "enterprise_a": 200,
            "enterprise_b": 200,
            "organizer": 404,
            "other_organizer": 404,
        },
        ("GET", reverse("submissions:nomination_edit", args=[nomination.pk])): {
            "anonymous": 302,
            "enterprise_a": 200,
            "enterprise_b": 404,
            "organizer": 404,
            "other_organizer": 404,
        },
        ("POST", reverse("submissions:nomination_withdraw", args=[nomination.pk])): {
            "anonymous": 302,
            "enterprise_b": 404,
            "organizer": 404,
            "other_organizer": 404,
        },
        ("GET", reverse("submissions_orga:nominations_import", args=[event.slug])): {
            "anonymous": 302,
            "enterprise_a": 404,
            "enterprise_b": 404,
            "organizer": 200,
            "other_organizer": 404,
        },
        ("GET", reverse("submissions_orga:nominations_template", args=[event.slug])): {
            "anonymous": 302,
            "enterprise_a": 404,
            "enterprise_b": 404,
            "organizer": 200,
            "other_organizer": 404,
        },
    }
    got = {
        (method, url, role): status_of(users[role], method, url)
        for (method, url), expected in pages.items()
        for role in expected
    }
    want = {
        (method, url, role): status
        for (method, url), expected in pages.items()
        for role, status in expected.items()
    }
    assert got == want
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT  # nobody but its enterprise may withdraw it
