"""Certificates of honoured nominations: one per honoured person or organization, naming
them; no member certificates; verification names the person and their organization."""

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.enums import CategoryKind
from judging.awards.publication import publish_results
from judging.awards.services import create_override
from judging.documents import certificate_files, services
from judging.enums import CertificateAudience
from judging.models import Certificate, CertificateDesign
from tests.factories import MemberFactory, UserFactory
from tests.judging.honours_data import HONOUR, HONOURED, honours_event

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def published(honours):
    event, category, run = honours
    publish_results(event=event)
    return event, category, run


def test_one_certificate_per_honoured_person_and_none_for_members(published):
    event, category, _ = published
    # A nomination carrying a member row by mistake still gets no member certificate.
    MemberFactory(submission=category.submissions.get(nominee_name="张伟"), name="误填成员")
    summary = services.issue_certificates(event=event)
    certs = list(Certificate.objects.filter(event=event).order_by("number"))
    assert summary.created == 3
    assert [(c.number, c.audience, c.member_id) for c in certs] == [
        ("CMQA-2021-GR-0001", "person", None),
        ("CMQA-2021-GR-0002", "person", None),
        ("CMQA-2021-GR-0003", "person", None),
    ]
    assert [c.content["member"] for c in certs] == HONOURED
    first = certs[0].content
    assert certs[0].honour == HONOUR
    assert first["body"] == "授予张伟同志（中国第一重型机械股份有限公司）"
    assert first["enterprise"] == "中国第一重型机械股份有限公司"
    assert (first["group"], first["topic"]) == ("", "")
    assert first["extra"]["position"] == "质量管理部部长"
    assert first["extra"]["recommender"] == "黑龙江省机械工业联合会"
    assert first["extra"]["kind"] == "person"


def test_verification_names_the_person_and_their_organization(client, published):
    event, _, _ = published
    services.issue_certificates(event=event)
    cert = Certificate.objects.get(event=event, content__member="李娜")
    response = client.get(reverse("judging_documents:verify", args=[cert.verify_code]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "有效证书" in text
    assert '<dd class="col-sm-9" id="holder">李娜</dd>' in text
    assert '<dd class="col-sm-9" id="organization">杭州汽轮动力集团股份有限公司</dd>' in text
    assert "QC小组组长" in text and "浙江省机械工业联合会" in text and HONOUR in text
    assert "小组/班组" not in text and "成果题目" not in text


def test_organization_honour_names_the_organization(run_awards):
    event, category = honours_event(slug="orgs")
    category.kind, category.name, category.honour = (
        CategoryKind.ORGANIZATION,
        "优秀组织单位",
        "优秀组织单位",
    )
    category.save()
    category.submissions.update(nominee_name="", nominee_position="")
    run_awards(event=event)
    publish_results(event=event)
    services.issue_certificates(event=event)
    cert = Certificate.objects.get(event=event, number="CMQA-2021-GR-0001")
    assert (cert.audience, cert.content["member"]) == ("org", "")
    assert cert.content["body"] == "授予中国第一重型机械股份有限公司"
    assert cert.honour == "2021年机械工业群众性质量管理活动优秀组织单位"


def test_a_person_design_words_the_certificate(published):
    event, category, _ = published
    CertificateDesign.objects.create(
        event=event,
        category=category,
        audience="person",
        wording="{organization}{position}{name}同志在{event}中被授予",
        issuing_body="中国机械工业质量管理协会",
        issue_date=dt.date(2021, 9, 25),
    )
    services.issue_certificates(event=event)
    cert = Certificate.objects.get(event=event, content__member="王芳")
    assert cert.content["body"] == (
        "徐工集团工程机械股份有限公司总装车间主任王芳同志在机械工业第40次群众性质量管理成果交流活动中被授予"
    )
    assert cert.content["issue_date"] == "2021年9月25日"


def test_a_person_design_may_not_speak_of_groups_or_members(published):
    event, category, _ = published
    design = CertificateDesign(
        event=event,
        category=category,
        audience="person",
        issuing_body="中国机械工业质量管理协会",
        issue_date=dt.date(2021, 9, 25),
    )  # the model's default wording is the entries' one, with {group} and {title}
    with pytest.raises(ValidationError) as refused:
        design.full_clean()
    assert "组织单位和个人证书没有小组和成果题目" in str(refused.value)
    design.audience, design.wording = "member", "{member}"
    with pytest.raises(ValidationError) as refused:
        design.full_clean()
    assert "类别“优秀个人”的证书对象应为“个人证书”" in str(refused.value)


def test_a_lost_honour_revokes_its_certificate(published):
    event, category, _ = published
    services.issue_certificates(event=event)
    nomination = category.submissions.get(nominee_name="王芳")
    create_override(
        event=event,
        submission=nomination,
        decision="none",
        reason="异议成立：事迹材料不实",
        user=UserFactory(),
    )
    summary = services.issue_certificates(event=event)
    cert = Certificate.objects.get(submission=nomination)
    assert (summary.revoked, cert.status) == (1, "revoked")
    assert cert.revoked_reason == "评审委员会审定变更：异议成立：事迹材料不实"


def test_person_certificate_renders_the_person_organization_and_honour(published):
    event, _, _ = published
    services.issue_certificates(event=event)
    cert = Certificate.objects.get(event=event, content__member="张伟")
    text = pdf_text(
        certificate_files.rendering.render_one(certificate_files.render_data(cert.content))
    )
    flat = "".join(text.split())
    assert "授予张伟同志（中国第一重型机械股份有限公司）" in flat
    assert f"{HONOUR}称号" in flat
    assert cert.number in flat and "特发此证，以资鼓励。" in flat


def test_design_preview_of_a_person_certificate(published):
    event, category, _ = published
    design = CertificateDesign.objects.create(
        event=event,
        audience="person",
        wording="授予{name}同志（{organization}）",
        issuing_body="中国机械工业质量管理协会",
        issue_date=dt.date(2021, 9, 25),
    )
    flat = "".join(pdf_text(certificate_files.preview_design(design=design)).split())
    assert "授予张三同志（示例机械制造股份有限公司）" in flat
    assert f"{HONOUR}称号" in flat


@pytest.mark.parametrize(
    ("kind", "audience"),
    [("qc", "group"), ("team", "group"), ("story", "group"), ("org", "org"),
     ("person", "person"), ("craftsman", "person")],
)  # fmt: skip
def test_a_category_kind_decides_the_certificate_audience(kind, audience):
    assert CertificateAudience.for_kind(kind) == audience


def test_a_craftsman_certificate_names_the_craftsman_and_the_honour(run_awards):
    event, category = honours_event(slug="craft")
    category.kind, category.name, category.honour = CategoryKind.CRAFTSMAN, "质量工匠", "质量工匠"
    category.honour_prefix = "机械工业"
    category.save()
    run_awards(event=event)
    publish_results(event=event)
    services.issue_certificates(event=event)
    cert = Certificate.objects.get(event=event, content__member="张伟")
    assert (cert.audience, cert.honour) == ("person", "2021年机械工业质量工匠")
    assert cert.content["body"] == "授予张伟同志（中国第一重型机械股份有限公司）"
    assert cert.content["extra"]["kind"] == "craftsman"
