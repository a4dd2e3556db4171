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
ALLOWED = {"report": {PDF}, "slides": {PDF, PPTX}, "other": {PDF, PPTX}}
KIND_NAMES = {
    "report": gettext_lazy("成果报告"),
    "slides": gettext_lazy("发表材料"),
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


# Actions a PDF viewer may run by itself: scripts, launching programs, submitting forms.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia"}


def pdf_active_content(stream: IO[bytes]) -> str | None:
    """Return why a PDF with scripts or auto-run actions is refused, or None.

    Every object is inspected, including those packed in object streams, so a /JavaScript
    hidden from a byte scan (compressed, or spelt /J#61vaScript) is found too.
    """
    import pikepdf

    def active(obj, depth: int = 0) -> bool:
        if depth > 40:
            return False
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            keys = set(obj.keys())
            action = obj.get("/S")
            if keys & ACTIVE_KEYS or (action is not None and str(action) in ACTIVE_KEYS):
                return True
            children = [obj[key] for key in keys]
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            return False
        # Indirect children are visited by the loop over all objects below.
        return any(
            isinstance(child, pikepdf.Object) and not child.is_indirect and active(child, depth + 1)
            for child in children
        )

    stream.seek(0)
    try:
        with pikepdf.open(stream) as pdf:
            if any(active(obj) for obj in pdf.objects):
                return _(
                    "PDF 含有 JavaScript 脚本或自动执行的动作，出于安全原因不予接受；"
                    "请用“打印为 PDF”重新生成后上传"
                )
    except pikepdf.PdfError:
        return _("PDF 文件已损坏，无法读取，请重新导出后上传")
    finally:
        stream.seek(0)
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
