"""Recognise uploaded files by their content, not by their name. Pure: bytes in, verdict out.

The reasons for refusing a file are in the active language (Django's gettext).
"""

import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PDF = "application/pdf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
PPTM_MAIN = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
ALLOWED = {"report": {PDF}, "slides": {PDF, PPTX}, "evidence": {PDF}, "other": {PDF, PPTX}}
KIND_NAMES = {
    "report": gettext_lazy("成果报告"),
    "slides": gettext_lazy("发表材料"),
    "evidence": gettext_lazy("证明材料"),
    "other": gettext_lazy("其他附件"),
}
TYPE_NAMES = {PDF: "PDF", PPTX: "PPTX"}


@dataclass(frozen=True)
class Verdict:
    content_type: str | None
    problem: str | None


def sniff(stream: IO[bytes]) -> Verdict:
    """Return the content type recognised from the bytes, or the reason it is refused."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(max(0, size - 2048))
        tail = stream.read()
        stream.seek(0)
        if b"%%EOF" not in tail:
            return Verdict(None, _("PDF 文件不完整（缺少文件结束标记），请重新导出后上传"))
        problem = pdf_active_content(stream)
        if problem:
            return Verdict(None, problem)
        return Verdict(PDF, None)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(stream)
    return Verdict(None, _("文件内容不是 PDF 或 PPTX（按内容识别，与文件扩展名无关）"))


# Actions a PDF viewer may run by itself: scripts, launching programs, submitting forms,
# fetching other files; as dictionary keys or as an action's /S.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia"}
ACTIVE_NAMES = ACTIVE_KEYS | {"/GoToR", "/GoToE"}
# Files carried inside the PDF: the name tree, file streams and attachment annotations.
EMBEDDED_KEYS = {"/EmbeddedFiles", "/EmbeddedFile"}
EMBEDDED_NAMES = {"/EmbeddedFile", "/EmbeddedFiles", "/FileAttachment"}
ACTION, EMBEDDED = "action", "embedded"


def _name(value) -> str | None:
    import pikepdf

    return str(value) if isinstance(value, pikepdf.Name) else None


def _finding(obj) -> str | None:
    """Return what is active in one dictionary's own keys and names, or None."""
    keys = set(obj.keys())
    names = {_name(obj.get(key)) for key in ("/S", "/Type", "/Subtype")}
    if keys & ACTIVE_KEYS or names & ACTIVE_NAMES:
        return ACTION
    if keys & EMBEDDED_KEYS or names & EMBEDDED_NAMES:
        return EMBEDDED
    return None


def pdf_findings(pdf) -> str | None:
    """Return ACTION or EMBEDDED for the first active content found anywhere in the file.

    Every indirect object is visited (pdf.objects, including those packed in object
    streams), and within each one every direct dictionary and array, however deeply nested,
    with an explicit stack: no depth limit to hide behind. Indirect references are not
    followed, since the loop over pdf.objects reaches each of them anyway.
    """
    import pikepdf

    roots = [pdf.trailer, *pdf.objects]
    for root in roots:
        stack = [root]
        while stack:
            obj = stack.pop()
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                found = _finding(obj)
                if found:
                    return found
                children = [obj.get(key) for key in obj.keys()]
            elif isinstance(obj, pikepdf.Array):
                children = list(obj)
            else:
                continue
            stack.extend(
                child
                for child in children
                if isinstance(child, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array)
                and not child.is_indirect
            )
    return None


def pdf_active_content(stream: IO[bytes]) -> str | None:
    """Return why a PDF with scripts, auto-run actions or embedded files is refused, or None.

    Every object is inspected, including those packed in object streams, so a /JavaScript
    hidden from a byte scan (compressed, spelt /J#61vaScript, or behind any number of
    nested /Next actions) is found too.
    """
    import pikepdf

    stream.seek(0)
    try:
        with pikepdf.open(stream) as pdf:
            found = pdf_findings(pdf)
    except pikepdf.PdfError:
        return _("PDF 文件已损坏，无法读取，请重新导出后上传")
    finally:
        stream.seek(0)
    if found == ACTION:
        return _(
            "PDF 含有 JavaScript 脚本或自动执行的动作，出于安全原因不予接受；"
            "请用“打印为 PDF”重新生成后上传"
        )
    if found == EMBEDDED:
        return _("PDF 含有嵌入的文件（附件），出于安全原因不予接受；请用“打印为 PDF”重新生成后上传")
    return None


def _sniff_zip(stream: IO[bytes]) -> Verdict:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return Verdict(None, _("压缩文件不是 PowerPoint 演示文稿（PPTX）"))
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError):
        return Verdict(None, _("文件已损坏，无法读取"))
    finally:
        stream.seek(0)
    if PPTM_MAIN in types or any(name.lower().endswith("vbaproject.bin") for name in names):
        return Verdict(None, _("不接受含宏的演示文稿（PPTM），请另存为 PPTX 或 PDF"))
    if PPTX_MAIN not in types:
        return Verdict(None, _("压缩文件不是 PowerPoint 演示文稿（PPTX）"))
    return Verdict(PPTX, None)


def check_upload(*, kind: str, stream: IO[bytes], size: int, max_bytes: int) -> Verdict:
    """Return the accepted content type for an attachment of `kind`, or why it is refused."""
    if size > max_bytes:
        return Verdict(None, size_problem(size, max_bytes))
    if size == 0:
        return Verdict(None, _("文件为空"))
    verdict = sniff(stream)
    if verdict.problem:
        return verdict
    allowed = ALLOWED.get(kind, set())
    if verdict.content_type not in allowed:
        names = _("或").join(TYPE_NAMES[t] for t in sorted(allowed, key=list(TYPE_NAMES).index))
        return Verdict(
            None,
            _("%(kind)s只接受 %(types)s 文件")
            % {"kind": KIND_NAMES.get(kind, kind), "types": names},
        )
    return verdict


def size_problem(size: int, max_bytes: int) -> str:
    """Return the refusal of a file of `size` bytes, over the limit of `max_bytes`."""
    return _("文件大小 %(size).1f MB 超过上限 %(limit)d MB") % {
        "size": size / 1048576,
        "limit": max_bytes // 1048576,
    }
