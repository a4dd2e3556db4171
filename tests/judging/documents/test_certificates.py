"""Certificate rendering: templates to standalone PDFs, fonts, QR, seal."""

import io
import subprocess

import pikepdf
import pytest
from PIL import Image

from judging.documents import certificates


def sample(number="CMQA-2021-QC-0001", member="", code="ABCDEFGH23"):
    return certificates.CertificateData(
        audience="member" if member else "group",
        number=number,
        verify_code=code,
        verify_url=f"https://qcx.example.cn/verify/{code}/",
        title="荣誉证书",
        body="中国第一重型机械股份有限公司铸锻钢事业部精益QC小组的成果《降低大型铸件热处理变形超差率》在活动中被评为",
        honour="2021年机械工业QC成果标杆",
        enterprise="中国第一重型机械股份有限公司",
        group="铸锻钢事业部精益QC小组",
        topic="降低大型铸件热处理变形超差率",
        member=member,
        issuing_body="中国机械工业质量管理协会",
        issue_date="2021年9月25日",
    )


def pdftotext(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_format_number_pads_sequence():
    assert (
        certificates.format_number("CMQA-{year}-{prefix}-{seq:04d}", year=2021, prefix="QC", seq=7)
        == "CMQA-2021-QC-0007"
    )


def test_new_verify_code_is_ten_unambiguous_characters():
    codes = {certificates.new_verify_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 10 and not set(c) & set("IO01") for c in codes)


def test_content_hash_ignores_key_order():
    assert certificates.content_hash({"a": 1, "b": "证"}) == certificates.content_hash(
        {"b": "证", "a": 1}
    )


def test_render_chunk_makes_one_standalone_file_per_certificate():
    certs = [sample(), sample("CMQA-2021-QCM-0001", member="欧阳建华", code="XYZABCDE45")]
    files = certificates.render_chunk(certs)
    assert len(files) == 2
    for data, cert in zip(files, certs, strict=True):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) == 1
            width, height = (float(v) for v in pdf.pages[0].MediaBox[2:])
            assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
            assert len(pdf.pages[0].Resources.XObject) <= 3  # its own QR, seal form only
        text = pdftotext(data)
        assert cert.number in text
        assert cert.verify_code in text
        assert "2021年机械工业QC成果标杆" in text
        assert "中国第一重型机械股份有限公司" in text.replace("\n", "").replace(" ", "")
    assert "欧阳建华" in pdftotext(files[1])
    assert "欧阳建华" not in pdftotext(files[0])


def test_render_chunk_embeds_one_compact_cjk_font():
    data = certificates.render_chunk([sample()])[0]
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True).stdout.decode()
    assert "Noto-Serif-CJK-SC" in fonts
    assert "Bold" not in fonts
    assert len(data) < 120_000


def test_render_chunk_pages_render_visibly(tmp_path):
    data = certificates.render_chunk([sample()])[0]
    (tmp_path / "c.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(tmp_path / "c.pdf"), str(tmp_path / "c")], check=True
    )
    image = Image.open(next(tmp_path.glob("c*.png"))).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 500  # text and QR code are drawn, not blank or .notdef boxes only


def test_render_chunk_refuses_certificate_spilling_over_a_page():
    long = sample()
    long = certificates.CertificateData(**{**long.to_content(), "body": "很长的正文" * 400})
    with pytest.raises(RuntimeError, match="超出一页"):
        certificates.render_chunk([long])


def test_seal_png_is_red_round_and_transparent_outside():
    image = Image.open(io.BytesIO(certificates.seal_png("中国机械工业质量管理协会"))).convert(
        "RGBA"
    )
    assert image.size == (300, 300)
    assert image.getpixel((2, 2))[3] == 0
    r, g, b, a = image.getpixel((150, 150))  # the star
    assert a > 200 and r > 150 and g < 80


def test_qr_code_on_the_certificate_decodes_to_its_verify_url(tmp_path):
    import shutil

    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (Debian package zbar-tools) is not installed")
    data = certificates.render_chunk([sample(code="QRTEST2345")])[0]
    (tmp_path / "c.pdf").write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "100",
            "-png",
            "-singlefile",
            str(tmp_path / "c.pdf"),
            str(tmp_path / "c"),
        ],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "c.png")], capture_output=True, text=True
    ).stdout.strip()
    assert decoded == "https://qcx.example.cn/verify/QRTEST2345/"
