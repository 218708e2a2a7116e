"""Reading files: encodings and clear errors for bad input."""
from __future__ import annotations

import codecs

import pytest

from plankg.loaders.reader import DocumentError, decode, find_documents, read_document

# Text written for these tests, not taken from the corpus.
SIMPLIFIED = "某省人民政府关于印发《某某城市群协同发展规划》的通知。推进交通、产业和生态协同发展，建设区域中心城市。" * 3
TRADITIONAL = "某省人民政府關於印發《某某城市群協同發展規劃》的通知。推進交通、產業和生態協同發展，建設區域中心城市。" * 3


@pytest.mark.parametrize(
    "data, encoding",
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
    ],
)
def test_decode_detects_encoding(data, encoding):
    text, found = decode(data, "x.txt")
    assert found == encoding
    assert text in (SIMPLIFIED, TRADITIONAL)


def test_big5_is_not_mistaken_for_gb18030():
    text, found = decode(TRADITIONAL.encode("big5"))
    assert found == "big5" and "規劃" in text


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ],
)
def test_bad_files_name_file_and_problem(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert str(path) in str(info.value) and problem in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        read_document(tmp_path / "nope.txt")


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes([0x81, 0x20, 0xFF, 0xFE, 0x80]) * 50)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert str(path) in str(info.value)


def test_find_documents_walks_folders(tmp_path):
    (tmp_path / "a.txt").write_text("x", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("x", "utf-8")
    (tmp_path / "sub" / "c.htm").write_text("x", "utf-8")
    (tmp_path / "skip.pdf").write_bytes(b"%PDF")
    found = [p.name for p in find_documents([tmp_path])]
    assert found == ["a.txt", "b.md", "c.htm"]


def test_document_id_depends_on_bytes_only(tmp_path):
    (tmp_path / "one.txt").write_text(SIMPLIFIED, "utf-8")
    (tmp_path / "two.txt").write_text(SIMPLIFIED, "utf-8")
    assert read_document(tmp_path / "one.txt").id == read_document(tmp_path / "two.txt").id
