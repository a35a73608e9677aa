"""Untrusted files: every one that cannot be read gives exit 2 and a Chinese reason, never a
traceback or a hang."""
import zipfile

import pytest
from check_fixtures import build_docx
from pypdf import PdfWriter

from closure_app.check import check_file
from closure_app.check import safety
from closure_app.profile import load_profile

PROFILE = load_profile()


def could_not(path, **kw) -> str:
    report = check_file(path, PROFILE, **kw)
    assert report.exit_code == 2 and not report.ok and report.findings == []
    return report.could_not_check


def rewrite(src, dst, **replace):
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts.update(replace)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return dst


def test_missing_file(tmp_path):
    assert "找不到文件" in could_not(tmp_path / "nope.docx")


def test_unknown_type(tmp_path):
    (tmp_path / "notes.docx").write_text("just text", encoding="utf-8")
    assert "无法识别" in could_not(tmp_path / "notes.docx")


def test_encrypted_docx_is_an_ole_container(tmp_path):
    (tmp_path / "locked.docx").write_bytes(safety.OLE_MAGIC + b"\0" * 600)
    assert "加密" in could_not(tmp_path / "locked.docx")


def test_corrupt_zip(tmp_path):
    good = build_docx(tmp_path / "good.docx", PROFILE).read_bytes()
    (tmp_path / "cut.docx").write_bytes(good[: len(good) // 2])
    assert "损坏" in could_not(tmp_path / "cut.docx")


def test_zip_without_a_document(tmp_path):
    with zipfile.ZipFile(tmp_path / "x.docx", "w") as z:
        z.writestr("hello.txt", "hi")
    assert "word/document.xml" in could_not(tmp_path / "x.docx")


def test_malformed_xml(tmp_path):
    good = build_docx(tmp_path / "good.docx", PROFILE)
    bad = rewrite(good, tmp_path / "bad.docx", **{"word/document.xml": b"<w:document"})
    assert "不是有效的 XML" in could_not(bad)


def test_external_entity_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    good = build_docx(tmp_path / "good.docx", PROFILE)
    xxe = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>').encode()
    bad = rewrite(good, tmp_path / "xxe.docx", **{"word/document.xml": xxe})
    message = could_not(bad)
    assert "DOCTYPE" in message and "TOP SECRET" not in message


def test_billion_laughs_is_refused(tmp_path):
    lol = ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
           + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi"))
           + ']><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&i;</w:styles>')
    good = build_docx(tmp_path / "good.docx", PROFILE)
    bad = rewrite(good, tmp_path / "lol.docx", **{"word/styles.xml": lol.encode()})
    assert "DOCTYPE" in could_not(bad)


def test_zip_bomb_is_refused_before_inflating(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_UNCOMPRESSED", 4 * 1024 * 1024)
    good = build_docx(tmp_path / "good.docx", PROFILE)
    bomb = rewrite(good, tmp_path / "bomb.docx", **{"word/media/zeros.bin": b"\0" * (8 * 1024 * 1024)})
    assert "压缩炸弹" in could_not(bomb)


def test_one_member_with_an_absurd_ratio_is_refused(tmp_path):
    good = build_docx(tmp_path / "good.docx", PROFILE)
    bomb = rewrite(good, tmp_path / "ratio.docx", **{"word/media/zeros.bin": b"\0" * (4 * 1024 * 1024)})
    assert "压缩比" in could_not(bomb)


def test_encrypted_pdf(tmp_path):
    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.encrypt(user_password="secret", owner_password="owner")
    with open(tmp_path / "locked.pdf", "wb") as fh:
        w.write(fh)
    assert "加密" in could_not(tmp_path / "locked.pdf")


def test_corrupt_pdf(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    assert "损坏" in could_not(tmp_path / "bad.pdf")


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04" + b"\0" * 30])
def test_truncated_headers(tmp_path, data):
    (tmp_path / "t.docx").write_bytes(data)
    assert could_not(tmp_path / "t.docx")
