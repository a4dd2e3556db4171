"""Certificate rendering: HTML templates to PDF with WeasyPrint, one file per certificate.

Rendering one WeasyPrint document per certificate pays font subsetting and image encoding
every time. Instead a chunk of certificates is rendered as one multi-page document and then
split per page with pikepdf into files that stand alone. Everything here works on plain
values (`CertificateData`), so the same code serves the batch, the admin preview and the
benchmark. WeasyPrint and pikepdf are imported inside the functions that use them.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

SEAL_SIZE = 300
FONT_FAMILY = '"Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", serif'
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


@dataclass(frozen=True)
class CertificateData:
    """What one certificate says; `content` of the Certificate row holds the same fields."""

    audience: str  # "group", "member", or for honours "org" or "person"
    number: str
    verify_code: str
    verify_url: str
    title: str
    body: str
    honour: str
    enterprise: str
    group: str
    topic: str
    member: str
    issuing_body: str
    issue_date: str  # already written out, e.g. 2021年9月25日
    seal: str = ""  # file URL of the seal image
    background: str = ""  # file URL of the background image
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_content(cls, content: dict) -> CertificateData:
        names = cls.__dataclass_fields__.keys()
        return cls(**{key: value for key, value in content.items() if key in names})

    def to_content(self) -> dict:
        return asdict(self)


def content_hash(content: dict) -> str:
    """Return the SHA-256 of a certificate's content in a canonical JSON form."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def format_number(pattern: str, *, year: int, prefix: str, seq: int) -> str:
    """Return the certificate number for a pattern such as CMQA-{year}-{prefix}-{seq:04d}."""
    return pattern.format(year=year, prefix=prefix, seq=seq)


def new_verify_code(length: int = 10) -> str:
    """Return an unguessable code of base32 letters and digits (5 bits per character)."""
    import secrets

    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: easy to read aloud
    return "".join(secrets.choice(alphabet) for _ in range(length))


def chinese_date(value) -> str:
    """Return a date written the Chinese way, e.g. 2021年9月25日."""
    return f"{value.year}年{value.month}月{value.day}日"


def qr_data_uri(url: str) -> str:
    """Return the QR code of a URL as a small PNG data URI.

    A PNG of a few hundred bytes draws much faster in WeasyPrint than the equivalent SVG
    path, which is parsed in Python on every page.
    """
    import segno

    return segno.make(url, error="m", micro=False).png_data_uri(scale=3, border=1, dark="#222")


@lru_cache(maxsize=1)
def font_config():
    """Return the process-wide FontConfiguration; sharing it keeps a worker's memory flat."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet():
    from django.template.loader import render_to_string
    from weasyprint import CSS

    css = render_to_string("judging/certificates/certificate.css", {"font_family": FONT_FAMILY})
    return CSS(string=css, font_config=font_config())


# The page template of each audience; an honour's names the organization or the person.
PAGE_TEMPLATES = {
    "group": "judging/certificates/group.html",
    "member": "judging/certificates/member.html",
    "org": "judging/certificates/organization.html",
    "person": "judging/certificates/person.html",
}


def certificates_html(certificates: Sequence[CertificateData]) -> str:
    """Return the HTML of a document with one page per certificate."""
    from django.template.loader import render_to_string

    pages = [
        {
            "c": cert,
            "qr": qr_data_uri(cert.verify_url),
            "template": PAGE_TEMPLATES.get(cert.audience, PAGE_TEMPLATES["group"]),
        }
        for cert in certificates
    ]
    return render_to_string("judging/certificates/document.html", {"pages": pages})


def render_document(certificates: Sequence[CertificateData]) -> bytes:
    """Render certificates as one multi-page PDF."""
    from weasyprint import HTML

    html = HTML(string=certificates_html(certificates), base_url="/")
    return html.write_pdf(
        stylesheets=[_stylesheet()],
        font_config=font_config(),
        optimize_images=True,
    )


def split_pages(pdf: bytes, titles: Sequence[str] = ()) -> list[bytes]:
    """Split a PDF into one standalone PDF per page, each keeping only what its page uses."""
    import pikepdf

    files = []
    with pikepdf.open(io.BytesIO(pdf)) as source:
        compact_fonts(source)
        for index, page in enumerate(source.pages):
            # WeasyPrint shares one resource dictionary between all pages: without pruning,
            # every file would carry every other certificate's QR code.
            page.remove_unreferenced_resources()
            single = pikepdf.new()
            single.pages.append(page)
            if index < len(titles):
                single.docinfo["/Title"] = titles[index]
            single.docinfo["/Producer"] = "qcexchange"
            out = io.BytesIO()
            single.save(
                out,
                compress_streams=True,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
            )
            files.append(out.getvalue())
    return files


def _used_cids(widths) -> list[int]:
    """Return the CIDs listed in a CIDFont /W array (c [w ...] or c_first c_last w)."""
    import pikepdf

    cids, items, i = [0], list(widths), 0
    while i < len(items):
        first = int(items[i])
        if i + 1 < len(items) and isinstance(items[i + 1], pikepdf.Array):
            cids.extend(range(first, first + len(items[i + 1])))
            i += 2
        else:
            cids.extend(range(first, int(items[i + 1]) + 1))
            i += 3
    return sorted(set(cids))


def compact_fonts(pdf) -> None:
    """Shrink the embedded CJK fonts of an open pikepdf document to the glyphs it uses.

    WeasyPrint keeps glyph ids when it subsets, so a CJK font whose Chinese glyphs sit near
    id 63,000 carries tens of thousands of empty slots (about 160 KB per file). The fonts
    are CID-keyed CFF whose charset keeps the CIDs the page content uses, so they can be cut
    down to the used glyphs without touching the content streams.
    """
    import pikepdf

    for font in pdf.objects:
        if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/Type0":
            continue
        descendant = font.DescendantFonts[0]
        stream = descendant.get("/FontDescriptor", {}).get("/FontFile3")
        if stream is None or stream.get("/Subtype") != "/OpenType" or "/W" not in descendant:
            continue
        cff = _subset_cid_cff(stream.read_bytes(), _used_cids(descendant.W))
        if cff is None:
            continue
        # Embed the bare CFF: viewers map CIDs to glyphs through its charset, whereas in an
        # OpenType wrapper some (poppler) take the CID as the glyph id.
        stream.write(zlib.compress(cff, 6), filter=pikepdf.Name.FlateDecode)
        stream.Subtype = pikepdf.Name.CIDFontType0C


def _subset_cid_cff(data: bytes, cids: Sequence[int]) -> bytes | None:
    """Return the CFF table of an OpenType font cut down to the given CIDs, or None.

    The charstrings are copied as bytecode: WeasyPrint's subsetter has already removed
    subroutines, so nothing needs re-interpreting (fontTools' own subsetter would, at
    several times the cost).
    """
    from fontTools.ttLib import TTFont

    ttfont = TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False)
    if "CFF " not in ttfont:
        return None
    cff = ttfont["CFF "].cff
    font = cff[cff.fontNames[0]]
    if not hasattr(font, "ROS") or not hasattr(font, "FDSelect"):
        return None  # not CID-keyed: the codes are glyph ids, keep the font as it is
    charset = font.charset
    keep = sorted({0, *(cid for cid in cids if cid < len(charset))})
    glyphs = [charset[gid] for gid in keep]
    strings = font.CharStrings
    if strings.charStringsAreIndexed:
        index = strings.charStringsIndex
        index.items = [index[gid] for gid in keep]
        del index.file, index.offsets
        strings.charStrings = {name: n for n, name in enumerate(glyphs)}
    else:
        strings.charStrings = {name: strings.charStrings[name] for name in glyphs}
    select = font.FDSelect
    dicts = [select.gidArray[gid] for gid in keep]
    used = sorted(set(dicts))
    select.format = None
    select.gidArray = [used.index(fd) for fd in dicts]
    font.FDArray.items = [font.FDArray[fd] for fd in used]
    del font.FDArray.file, font.FDArray.offsets
    font.charset = glyphs
    font.numGlyphs = len(glyphs)
    out = io.BytesIO()
    cff.compile(out, ttfont, isCFF2=False)
    return out.getvalue()


def render_chunk(certificates: Sequence[CertificateData]) -> list[bytes]:
    """Render certificates into one PDF each, through one multi-page document."""
    if not certificates:
        return []
    files = split_pages(render_document(certificates), [c.number for c in certificates])
    if len(files) != len(certificates):
        raise RuntimeError(
            f"证书排版异常：{len(certificates)} 张证书生成了 {len(files)} 页，请检查证书模板是否超出一页"
        )
    return files


def render_one(certificate: CertificateData) -> bytes:
    """Render a single certificate as its own file (previews; slower per certificate)."""
    return render_chunk([certificate])[0]


def _cjk_font(size: int):
    from PIL import ImageFont

    for path in CJK_FONT_FILES:
        if Path(path).exists():
            # Index 2 of the Noto CJK collections is the Simplified Chinese face.
            index = 2 if "Noto" in path else 0
            return ImageFont.truetype(path, size, index=index)
    return ImageFont.load_default(size)


def seal_png(text: str, *, centre: str = "", size: int = SEAL_SIZE) -> bytes:
    """Draw a red round seal with the issuer's name around a star and return it as PNG."""
    from PIL import Image, ImageDraw

    red = (200, 20, 30, 235)
    scale = 2  # draw large, then downsample for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ring = int(big * 0.035)
    draw.ellipse([ring, ring, big - ring, big - ring], outline=red, width=ring)
    cx = cy = big / 2
    # Five-pointed star in the centre.
    outer, inner = big * 0.17, big * 0.17 * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    # The name along the upper arc, upright towards the centre.
    chars = list(text)[:24]
    font_size = int(big * (0.115 if len(chars) <= 12 else 0.09))
    font = _cjk_font(font_size)
    span = min(270.0, 21.0 * len(chars) + 10) if chars else 0
    radius = big / 2 - ring * 1.5 - font_size * 0.62
    for i, char in enumerate(chars):
        degrees = -90 - span / 2 + (span * (i + 0.5) / len(chars))
        angle = math.radians(degrees)
        glyph = Image.new("RGBA", (font_size * 2, font_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((font_size, font_size), char, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(-(degrees + 90), resample=Image.BICUBIC)
        x = cx + radius * math.cos(angle) - font_size
        y = cy + radius * math.sin(angle) - font_size
        image.alpha_composite(glyph, (int(x), int(y)))
    if centre:
        small = _cjk_font(int(big * 0.075))
        draw.text((cx, cy + big * 0.27), centre, font=small, fill=red, anchor="mm")
    image = image.resize((size, size), Image.LANCZOS)
    # Keep the shape in the alpha channel only: a flat colour plane compresses to almost
    # nothing, which halves the seal's share of every certificate file.
    alpha = image.getchannel("A")
    image = Image.new("RGBA", (size, size), red[:3] + (255,))
    image.putalpha(alpha)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
