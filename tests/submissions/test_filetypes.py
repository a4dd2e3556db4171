"""Uploaded files are recognised by content; names and declared types do not matter."""

import io

import pytest
from django.utils import translation

from submissions.filetypes import PDF, PPTX, Verdict, check_upload, sniff
from tests.submissions.conftest import pdf_bytes, pptx_bytes

MB = 1024 * 1024


def check(kind, content, max_bytes=50 * MB):
    return check_upload(
        kind=kind, stream=io.BytesIO(content), size=len(content), max_bytes=max_bytes
    )


def test_sniff_real_pdf_recognised():
    assert sniff(io.BytesIO(pdf_bytes())) == Verdict(PDF, None)


def test_sniff_pptx_recognised():
    assert sniff(io.BytesIO(pptx_bytes())) == Verdict(PPTX, None)


@pytest.mark.parametrize(
    ("kind", "content", "problem"),
    [
        (
            "report",
            "这是一个文本文件，只是名字叫 report.pdf".encode(),
            "文件内容不是 PDF 或 PPTX（按内容识别，与文件扩展名无关）",
        ),
        (
            "report",
            b"MZ\x90\x00\x03\x00\x00\x00",
            "文件内容不是 PDF 或 PPTX（按内容识别，与文件扩展名无关）",
        ),
        ("report", b"%PDF-1.7\n1 0 obj", "PDF 文件不完整（缺少文件结束标记），请重新导出后上传"),
        ("slides", pptx_bytes(macro=True), "不接受含宏的演示文稿（PPTM），请另存为 PPTX 或 PDF"),
        ("report", pptx_bytes(), "成果报告只接受 PDF 文件"),
        ("slides", b"PK\x03\x04not really a zip", "文件已损坏，无法读取"),
        ("report", b"", "文件为空"),
    ],
)
def test_check_upload_refuses_with_reason(kind, content, problem):
    assert check(kind, content) == Verdict(None, problem)


def test_check_upload_refuses_oversized_file_before_reading_it():
    content = b"%PDF-" + b"0" * (MB + 10)
    assert check("report", content, max_bytes=MB) == Verdict(None, "文件大小 1.0 MB 超过上限 1 MB")


@pytest.mark.parametrize(("kind", "expected"), [("report", PDF), ("slides", PDF)])
def test_check_upload_accepts_pdf(kind, expected):
    assert check(kind, pdf_bytes()) == Verdict(expected, None)


def test_check_upload_accepts_pptx_slides():
    assert check("slides", pptx_bytes()) == Verdict(PPTX, None)


@pytest.mark.parametrize(
    ("kind", "content", "max_bytes", "problem"),
    [
        (
            "report",
            b"MZ\x90\x00\x03\x00\x00\x00",
            50 * MB,
            "The file's content is not PDF or PPTX (files are recognised by their content, "
            "not by the extension of their name)",
        ),
        ("report", pptx_bytes(), 50 * MB, "Result report: only PDF files are accepted"),
        (
            "slides",
            pptx_bytes(macro=True),
            50 * MB,
            "Presentations with macros (PPTM) are not accepted; save it as PPTX or PDF",
        ),
        ("report", b"", 50 * MB, "The file is empty"),
        ("report", b"%PDF-" + b"0" * (MB + 10), MB, "The file is 1.0 MB, over the 1 MB limit"),
    ],
)
def test_check_upload_refusal_in_english(english_catalogue, kind, content, max_bytes, problem):
    with translation.override("en"):
        assert check(kind, content, max_bytes) == Verdict(None, problem)


def test_check_upload_refusal_chinese_by_default(english_catalogue):
    assert check("report", pptx_bytes()) == Verdict(None, "成果报告只接受 PDF 文件")
