"""Normalisation keeps a map back to the original file; boilerplate and repeats go."""
from __future__ import annotations

import pytest

from conftest import CORPUS, corpus_file
from plankg.loaders.dedup import deduplicate
from plankg.loaders.mapped import MappedText
from plankg.loaders.normalize import _WIDTH, is_boilerplate_line, normalize_text, to_simplified
from plankg.loaders.prepared import prepare
from plankg.loaders.reader import read_document


def test_width_and_punctuation_are_unified():
    t = normalize_text("规划期为２０２１－２０２５年(试行),比例9.4:52.8。﹝2016﹞")
    assert t.text == "规划期为2021—2025年（试行），比例9.4:52.8。〔2016〕"


def test_traditional_is_converted_and_maps_back():
    original = "長株潭都市圈發展規劃，瀏陽市"
    t = normalize_text(original)
    assert t.text == "长株潭都市圈发展规划，浏阳市"
    a, b = t.span(t.text.index("浏阳"), t.text.index("浏阳") + 2)
    assert original[a:b] == "瀏陽"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_normalised_character_maps_into_the_original(prefix):
    doc = prepare(read_document(corpus_file(prefix)))
    mapped = doc.deduped.text
    original = doc.source.text
    for i, ch in enumerate(mapped.text):
        a, b = mapped.span(i, i + 1)
        assert 0 <= a < b <= len(original)
        source = original[a:b]
        if len(source) == 1 and source.strip() and ch.strip() and ch not in "—“”（），：；！？":
            assert ch in (to_simplified(source), source, _WIDTH.get(source)), (i, source, ch)


@pytest.mark.parametrize(
    "line",
    ["图片", "圖片", "上一篇 下一篇", "扫描上方二维码", "备案号：某ICP备12345678号",
     "DEVELOPMENT AND REFORM COMMISSION", "免费影片在线播放_午夜福利_高清影院_最新排行"],
)
def test_boilerplate_lines(line):
    assert is_boilerplate_line(to_simplified(line))


@pytest.mark.parametrize("line", ["推进长株潭一体化发展。", "2022年3月22日", "湖南省人民政府", "一、总体要求"])
def test_content_lines_are_kept(line):
    assert not is_boilerplate_line(line)


def test_markdown_is_stripped_with_offsets():
    original = "# 某某规划\n\n[网站首页](#)[信息公开](#)[办事服务](#)[互动交流](#)\n\n**推进**[区域](http://x)合作。\n"
    t = normalize_text(original, "text/markdown")
    assert t.text == "某某规划\n\n推进区域合作。\n"
    i = t.text.index("区域")
    a, b = t.span(i, i + 2)
    assert original[a:b] == "区域"


def test_html_is_turned_into_text_with_offsets():
    original = "<html><head><title>x</title></head><body><p>推进&nbsp;区域合作。</p><script>var a=1;</script><div>第二段</div></body></html>"
    t = normalize_text(original, "text/html")
    assert "推进 区域合作。" in t.text and "第二段" in t.text and "var" not in t.text
    i = t.text.index("区域")
    assert original[slice(*t.span(i, i + 2))] == "区域"


def test_spam_lines_at_the_top_of_the_traditional_document_are_removed():
    doc = prepare(read_document(corpus_file("003")))
    first_lines = doc.text.splitlines()[:5]
    assert not any("在线" in line or "影院" in line for line in first_lines)
    assert "图片" not in doc.text.split("\n")


def test_web_furniture_of_the_scraped_page_is_removed():
    doc = prepare(read_document(corpus_file("001")))
    assert "二维码" not in doc.text and "ICP" not in doc.text and "](#)" not in doc.text
    assert "DEVELOPMENT" not in doc.text


def test_dedup_keeps_one_copy_with_all_spans():
    sentence = "加快建设区域综合交通枢纽网络。"
    text = f"{sentence}另一句话在这里出现。\n第二段开头的内容。{sentence}\n{sentence}"
    d = deduplicate(MappedText.original(text))
    assert d.text.text.count(sentence) == 1
    start = d.text.text.index(sentence)
    spans = d.source_spans(start, start + len(sentence))
    assert len(spans) == 3
    assert all(text[a:b] == sentence for a, b in spans)


def test_dedup_keeps_parenthetical_assignments_and_table_cells():
    text = "推进甲项工作的实施。（某某厅牵头负责）\n推进乙项工作的实施。（某某厅牵头负责）\n\t推进甲项工作的实施。\n"
    d = deduplicate(MappedText.original(text))
    assert d.text.text.count("（某某厅牵头负责）") == 2
    assert d.text.text.count("推进甲项工作的实施。") == 2  # the table cell keeps its copy


def test_scrambled_document_is_deduplicated_with_spans():
    doc = prepare(read_document(corpus_file("004")))
    assert doc.deduped.copies, "the 2016 scrape repeats paragraphs"
    for start, end, copies in doc.deduped.copies:
        spans = doc.deduped.source_spans(start, end)
        kept = doc.source.text[slice(*spans[0])]
        assert len(spans) <= 1 + len(copies)
        # a copy may lack the kept sentence's trailing parenthetical: its span stops short
        assert all(kept.startswith(doc.source.text[a:b]) for a, b in spans[1:]), spans
    # every sentence of 12+ characters now occurs once, with its assignment, if any:
    # copies that carry different assignments are both kept
    import re

    sentences = re.findall(r"[^。\n]{12,}。(?:（[^（）]*(?:牵头|负责|参与)[^（）]*）)?", doc.text)
    assert len(sentences) == len(set(sentences))
