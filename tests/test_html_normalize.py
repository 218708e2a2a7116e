"""Reading and normalising under adversarial input: format by content, hidden
HTML text, line ends, spans of repeated paragraphs, linear time, limits.

Each defect has a regression test and a Hypothesis property. The example
budgets are small (the whole file runs in well under a minute); set
``PLANKG_FUZZ_EXAMPLES`` (e.g. 2000) for a longer campaign.

What "a span holds the quote" means (``_compared``): the normalised characters
that come from the span of the file, whitespace left out (deduplication
compares sentences without whitespace). The first span of an Evidence holds
exactly the quote the rule matched; every other span (a removed copy of a
repeated sentence) holds the same characters as the part of the quote that
lies in that sentence — the whole quote when the quote lies in one sentence.
"""
from __future__ import annotations

import dataclasses
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import REPO, corpus_file
from plankg.errors import InputError
from plankg.facts import Evidence, SourceDocument
from plankg.loaders.mapped import MappedText
from plankg.loaders.normalize import normalize_text
from plankg.loaders.page_metadata import front_matter, metadata_fields
from plankg.loaders.prepared import prepare
from plankg.loaders.reader import MAX_DOCUMENT_BYTES, DocumentError, decode, read_document, sniff_media_type
from plankg.context import ReferenceData
from plankg.pipeline import extract_document

REAL_PLANS = REPO.parent / "shared" / "real-plans"
EXAMPLES = int(os.environ.get("PLANKG_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=EXAMPLES or 20, deadline=None, derandomize=not EXAMPLES,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW_FUZZ = settings(FUZZ, max_examples=EXAMPLES or 6)

# Fixture sentences written for these tests.
SENTENCES = [
    "推进区域综合交通网络加快建设",
    "加强流域生态环境联防联治工作",
    "支持科技创新平台共建共享发展",
    "完善城乡基本公共服务体系建设",
    "省交通运输厅牵头负责相关工作",
    "规划期为2021—2025年远期展望到2035年",
]
NOTICE = "某某省人民政府关于印发《某某区域协同发展规划》的通知\n某政发〔2021〕5号\n"


@pytest.fixture(scope="module")
def gazetteers():
    return (ReferenceData.load(),)


def _source(text: str, media_type: str = "text/plain", path: str = "doc.txt") -> SourceDocument:
    return SourceDocument(id="d", path=path, name=path, encoding="utf-8", sha256="0", text=text, media_type=media_type)


def _evidences(obj):
    """Every Evidence inside a facts object."""
    if isinstance(obj, Evidence):
        yield obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, (type, SourceDocument)):
        for f in dataclasses.fields(obj):
            yield from _evidences(getattr(obj, f.name))
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for x in obj:
            yield from _evidences(x)
    elif isinstance(obj, dict):
        for x in obj.values():
            yield from _evidences(x)


def _without_offsets(obj):
    """A facts object with its offsets gone and quotes' line ends unified."""
    if isinstance(obj, Evidence):
        return obj.rule, re.sub(r"\r\n?", "\n", obj.text)
    if isinstance(obj, SourceDocument):
        return None
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return tuple((f.name, _without_offsets(getattr(obj, f.name))) for f in dataclasses.fields(obj))
    if isinstance(obj, (list, tuple)):
        return tuple(_without_offsets(x) for x in obj)
    if isinstance(obj, (set, frozenset)):
        return tuple(sorted(map(repr, (_without_offsets(x) for x in obj))))
    if isinstance(obj, dict):
        return tuple(sorted((repr(k), _without_offsets(v)) for k, v in obj.items()))
    return obj


def _compared(mapped: MappedText, a: int, b: int) -> str:
    """The normalised non-whitespace characters that come from ``[a, b)`` of the file."""
    return "".join(ch for ch, s, e in zip(mapped.text, mapped.starts, mapped.ends)
                   if a <= s and e <= b and not ch.isspace())


def _check_spans(source: SourceDocument, facts) -> None:
    """Every Evidence span lies in the file, the first holds the quote, and every
    other span holds (part of) the same normalised quote."""
    mapped = normalize_text(source.text, source.media_type)
    n = len(source.text)
    for ev in _evidences(facts):
        for a, b in ev.spans:
            assert 0 <= a <= b <= n, (ev, n)
        a, b = ev.spans[0]
        assert ev.text == source.text[a:b], ev
        first = _compared(mapped, a, b)
        for a, b in ev.spans[1:]:
            copy = _compared(mapped, a, b)
            assert copy and copy in first, (ev, copy, first)


# --- 1. Format by content ----------------------------------------------------

@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_html_saved_as_text_or_markdown_is_read_as_html(tmp_path, suffix):
    page = ("说明文字在页面开头，并无尖括号。\n" * 400  # more than 5,000 characters before the first tag
            + '<div class="content"><p>第一段讲交通网络。</p>\n<p>第二段讲生态保护。</p><br><table><tr><td>甲</td></tr></table></div>')
    path = tmp_path / f"page{suffix}"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert doc.media_type == "text/html"
    text = prepare(doc).text
    assert "第一段讲交通网络。\n" in text and "<" not in text and "class" not in text


def test_plain_text_with_angle_brackets_stays_plain():
    assert sniff_media_type("当 x<y 且 y>z 时，取值<5%的部分。<b>仅一处</b>", "text/plain") == "text/plain"
    assert sniff_media_type("<p>一</p>", "text/html") == "text/html"


@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=8), st.sampled_from(["text/plain", "text/markdown"]))
@FUZZ
def test_property_tagless_text_is_never_sniffed_as_html(lines, declared):
    assert sniff_media_type("\n".join(lines), declared) == declared


def test_markdown_front_matter_is_metadata_not_body():
    original = "\n---\ntitle: '某某区域协同发展规划'\ncategories:\n - 经济\n - 区域\nauthor: 编辑部\n---\n\n# 某某区域协同发展规划\n\n正文第一段。\n"
    t = normalize_text(original, "text/markdown")
    assert "title" not in t.text and "编辑部" not in t.text and t.text.startswith("某某区域协同发展规划\n")
    fields = front_matter(original)
    value, a, b = fields["title"]
    assert value == "某某区域协同发展规划" and original[a:b] == value
    assert fields["categories"][0] == "经济、区域" and fields["author"][0] == "编辑部"


def test_a_rule_line_in_plain_text_is_not_front_matter():
    original = "---\n第一章 总则\n---\n正文。\n"
    assert front_matter(original) == {}
    assert "第一章 总则" in normalize_text(original).text


GOV_PAGE = (
    '<table class="meta"><tbody>'
    '<tr><td><b>索 引 号：</b></td><td>000012345/2021-00007</td><td><b>主题分类：</b></td><td>城乡建设\\区域规划</td></tr>'
    '<tr><td><b>发文机关：</b></td><td>某某省人民政府</td><td><b>成文日期：</b></td><td>2021年03月05日</td></tr>'
    '<tr><td><b>标  题：</b></td><td colspan="3">某某省人民政府关于印发某某区域协同发展规划的通知</td></tr>'
    '<tr><td><b>发文字号：</b></td><td>某政发〔2021〕5号</td><td><b>发布日期：</b></td><td>2021年03月09日</td></tr>'
    '<tr><td><b>主 题 词：</b></td><td></td></tr></tbody></table>'
    '<div class="layout" style="' + "x" * 300 + '"></div>'
    '<table><tr><td class="content"><p>某某省人民政府关于印发</p><p>某某区域协同发展规划的通知</p>'
    '<p>各市人民政府：</p><p>' + "现将规划印发给你们，请结合实际认真贯彻落实。" * 20 + '</p><p>某某省人民政府</p></td></tr></table>'
)


def test_gov_page_metadata_table_stays_in_the_text_and_is_identifiable():
    mapped = prepare(_source(GOV_PAGE, "text/html")).deduped.text
    fields = metadata_fields(mapped)
    assert {k: v for k, (v, _, _) in fields.items()} == {
        "索引号": "000012345/2021-00007", "主题分类": "城乡建设\\区域规划", "发文机关": "某某省人民政府",
        "成文日期": "2021年03月05日", "标题": "某某省人民政府关于印发某某区域协同发展规划的通知",
        "发文字号": "某政发〔2021〕5号", "发布日期": "2021年03月09日",
    }  # 主题词 is empty: the body's first line, far away in the file, is not its value
    for value, a, b in fields.values():
        assert mapped.text[a:b] == value
        oa, ob = mapped.span(a, b)
        assert GOV_PAGE[oa:ob] == value
    # the layout cell holding the body keeps its paragraphs
    assert "各市人民政府：\n" in mapped.text


@pytest.mark.skipif(not REAL_PLANS.is_dir(), reason="no real plans")
def test_real_gov_pages_metadata_tables():
    for path in sorted(REAL_PLANS.glob("0[1-7]_*.txt")):
        doc = prepare(read_document(path))
        fields = metadata_fields(doc.deduped.text)
        assert {"索引号", "发文机关", "成文日期", "发文字号"} <= set(fields), path
        assert re.fullmatch(r"\d{4}年\d{2}月\d{2}日", fields["成文日期"][0])
        body = doc.source.text.find("<p")
        for value, a, b in fields.values():  # all from the table above the body (主题词 is empty in some pages)
            assert doc.deduped.text.span(a, b)[1] < body, (path, value)
        assert max(map(len, doc.text.split("\n"))) < 1500, "the body keeps its paragraphs"


def test_compatibility_ideographs_are_unified_with_exact_offsets():
    original = "臺\uf963市內湖區\U0002f8b2與\u2f00"  # 北 as U+F963, a supplement compatibility ideograph, ⼀ (Kangxi)
    t = normalize_text(original)
    assert t.text.startswith("台北市内湖区")
    i = t.text.index("北")
    assert original[slice(*t.span(i, i + 1))] == "\uf963"
    assert len(t.text) == len(original) and t.text[-1] == "一"


def test_inline_links_do_not_split_words():
    t = normalize_text('<p>推动长<a href="http://x/y">江</a>经济带与<span id="s"><a href="z">珠江</a></span>流域合作。</p>', "text/html")
    assert "推动长江经济带与珠江流域合作。" in t.text


# --- 2. Text no reader sees --------------------------------------------------

HIDDEN = "隐藏词"


@pytest.mark.parametrize("page", [
    f'<p>前文。</p><script>var s = "{HIDDEN}";</script type="text/javascript"><p>后文。</p>',
    f'<p>前文。</p><SCRIPT>if (a</b) {{ x = "</p>{HIDDEN}"; }}</SCRIPT\n><p>后文。</p>',
    f'<p>前文。</p><style>.a {{ content: "{HIDDEN}" }}</style ><p>后文。</p>',
    f'<p>前文。</p><!-- <p>{HIDDEN}</p> --><p>后文。</p>',
    f'<p>前文。</p><p title="{HIDDEN}" data-x=\'a>b{HIDDEN}\'>后文。</p>',
])
def test_hidden_html_is_not_text(page):
    text = normalize_text(page, "text/html").text
    assert HIDDEN not in text and "前文。" in text and "后文。" in text


@pytest.mark.parametrize("opening", ["<script>", "<style type='x'>", "<!--", "<noscript>"])
def test_unclosed_hidden_element_hides_the_rest_of_a_truncated_page(opening):
    page = f"<p>前文。</p>{opening}var a = 1; <p>{HIDDEN}。</p><div>{HIDDEN}</div>"
    text = normalize_text(page, "text/html").text
    assert "前文。" in text and HIDDEN not in text


def test_a_tag_longer_than_2000_characters_is_a_tag():
    page = f'<p data-long="{"字" * 5000}" class="{HIDDEN}">正文内容。</p>'
    text = normalize_text(page, "text/html").text
    assert text.strip() == "正文内容。"


_VISIBLE = st.sampled_from(SENTENCES + ["，", "。", "&nbsp;", "&amp;", "\n", " ", "长<a href='u'>江</a>"])
_HIDDEN_PART = st.sampled_from([
    f"<script>{HIDDEN}</script>", f'<script type="x">var s="</div>{HIDDEN}";</script type="y">',
    f"<style>{HIDDEN}</style>", f"<!--{HIDDEN}-->", f"<!-- a -- {HIDDEN} --!>",
    f'<p title="{HIDDEN}>">', f"<div data-a='{HIDDEN}' data-b=\"{HIDDEN}\">", f"<noscript>{HIDDEN}</noscript>",
])
_TAG = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<br>", "<br/>", "<td>", "</td>", "<tr>", "<table>", "</table>",
                        "<span>", "</span>", "<b>", "</b>", "<li>", "<h2>", "</h2>"])
_UNCLOSED_TAIL = st.sampled_from(["", f"<script>{HIDDEN}", f"<style>{HIDDEN}<p>{HIDDEN}</p>", f"<!--{HIDDEN}",
                                  f'<p title="{HIDDEN}', f"<div {HIDDEN}"])


@given(st.lists(st.one_of(_VISIBLE, _HIDDEN_PART, _TAG), max_size=40), _UNCLOSED_TAIL)
@FUZZ
def test_property_hidden_html_never_reaches_the_text(parts, tail):
    page = "".join(parts) + tail
    t = normalize_text(page, "text/html")
    assert HIDDEN not in t.text
    for i in range(len(t.text)):
        a, b = t.span(i, i + 1)
        assert 0 <= a < b <= len(page)


def test_100k_nested_divs_work():
    page = "<div>" * 100_000 + "推进区域合作。" + "</div>" * 100_000
    assert "推进区域合作。" in normalize_text(page, "text/html").text


# --- 3. Line ends ------------------------------------------------------------

def _facts_with(text: str, media_type: str, gazetteers):
    source = _source(text, media_type)
    facts = extract_document(prepare(source), *gazetteers)
    _check_spans(source, facts)
    return facts


def _corpus_texts():
    texts = [(corpus_file(p).read_text("utf-8"), "text/plain") for p in ("000", "004")]
    if REAL_PLANS.is_dir():
        texts.append(((REAL_PLANS / "06_xiongan_zongti_guihua_pifu.txt").read_text("utf-8"), "text/html"))
    return texts


def test_cr_and_crlf_give_the_same_facts_as_lf(gazetteers):
    text, media = _corpus_texts()[0]
    lf = _without_offsets(_facts_with(text, media, gazetteers))
    for eol in ("\r\n", "\r"):
        assert _without_offsets(_facts_with(text.replace("\n", eol), media, gazetteers)) == lf, repr(eol)


@given(st.integers(0, 2), st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1, max_size=64))
@SLOW_FUZZ
def test_property_line_ends_do_not_change_facts(gazetteers, which, eols):
    texts = _corpus_texts()
    text, media = texts[which % len(texts)]
    lines = text.split("\n")
    parts = []
    for i, line in enumerate(lines[:-1]):
        eol = eols[i % len(eols)]
        if not line and parts and parts[-1] == "\r" and eol.startswith("\n"):
            eol = "\r"  # CR then LF would be one CRLF line end, not two
        parts += [line, eol]
    mixed = "".join(parts) + lines[-1]
    assert _without_offsets(_facts_with(mixed, media, gazetteers)) == _without_offsets(_facts_with(text, media, gazetteers))


# --- 4. Spans of repeated paragraphs -------------------------------------------

@pytest.mark.parametrize("media, first, copy", [
    ("text/plain", "推进区域综合交通网络加快建设。", "推进区域 综合交通网络  加快建设。"),
    ("text/markdown", "推进区域综合交通网络加快建设。", "推进**区域综合**交通网络加快建设。"),
    ("text/html", "推进区域综合交通网络加快建设。", "推进区域&nbsp;综合交通&#32593;络加快建设。"),
])
def test_spans_of_removed_copies_hold_the_quote(media, first, copy):
    wrap = (lambda s: f"<p>{s}</p>") if media == "text/html" else (lambda s: s + "\n")
    original = wrap(copy) + wrap("其他段落的内容在此出现。") + wrap(first) + wrap(copy)
    doc = prepare(_source(original, media))
    mapped = normalize_text(original, media)
    i = doc.text.index("综合交通网络")
    ev = doc.evidence(i, i + 6, "test")
    assert len(ev.spans) == 3
    for a, b in ev.spans:
        assert _compared(mapped, a, b) == "综合交通网络", (original[a:b], ev.spans)


_DECORATIONS = {
    "text/plain": [lambda s: s, lambda s: s[:3] + " " + s[3:], lambda s: "　" + s, lambda s: s[:5] + "  " + s[5:]],
    "text/markdown": [lambda s: s, lambda s: s[:2] + "**" + s[2:6] + "**" + s[6:], lambda s: "`" + s[:4] + "`" + s[4:]],
    "text/html": [lambda s: s, lambda s: s[:3] + "&nbsp;" + s[3:], lambda s: s[:4] + "<b>" + s[4:7] + "</b>" + s[7:],
                  lambda s: s[:2] + f"&#{ord(s[2])};" + s[3:]],
}


@given(st.sampled_from(list(_DECORATIONS)),
       st.lists(st.tuples(st.integers(0, len(SENTENCES) - 1), st.integers(0, 3)), min_size=2, max_size=14))
@SLOW_FUZZ
def test_property_every_span_of_every_evidence_holds_the_quote(gazetteers, media, picks):
    decorations = _DECORATIONS[media]
    paragraphs = [decorations[d % len(decorations)](SENTENCES[s] + "。") for s, d in picks]
    if media == "text/html":
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        original = f"<html><body><p>{NOTICE}</p>{body}</body></html>"
    else:
        original = NOTICE + "\n".join(paragraphs) + "\n"
    _facts_with(original, media, gazetteers)


# --- 5. Linear time ------------------------------------------------------------

# Linear time for these shapes is measured by bench/scaling.py (time exponents per shape, target ≤ 1.2),
# not by a timed unit test: wall-clock assertions flake on a loaded machine.


# --- 6. Limits and arbitrary input -----------------------------------------------

def test_a_document_over_the_size_limit_is_an_input_error_naming_the_file():
    with pytest.raises(InputError, match=r"^big\.txt: .*20 MB"):
        decode(b"a" * (MAX_DOCUMENT_BYTES + 1), "big.txt")


_TEXT = st.text(st.sampled_from(list("推进区域交通生态长株潭市省人民政府厅局、，。；：（）《》〔〕0123456789年月日号\n\r <>/&;#\"'=-!pdivscrt")),
                max_size=300)


@given(_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"]), st.integers(0, 6),
       st.sampled_from([".txt", ".md", ".html"]))
@FUZZ
def test_property_any_encoded_text_reads_or_fails_with_an_input_error(tmp_path_factory, gazetteers, text, encoding, cut, suffix):
    data = text.encode(encoding, errors="replace")
    data = data[:len(data) - cut] if cut < len(data) else data  # truncated multi-byte sequences
    path = tmp_path_factory.mktemp("fuzz") / f"doc{suffix}"
    path.write_bytes(data)
    try:
        source = read_document(path)
    except InputError as exc:
        assert str(exc).startswith(str(path))
        return
    _check_spans(source, extract_document(prepare(source), *gazetteers))


@given(st.binary(max_size=400))
@FUZZ
def test_property_random_bytes_never_raise_anything_but_input_error(gazetteers, data):
    try:
        text, _ = decode(data, "x.txt")
    except DocumentError:
        return
    for media in ("text/plain", "text/html"):
        source = _source(text, media)
        _check_spans(source, extract_document(prepare(source), *gazetteers))


_ADVERSARIAL = st.lists(st.one_of(
    _VISIBLE, _HIDDEN_PART, _TAG,
    st.sampled_from([NOTICE, "<div>" * 50, "</div>" * 50, f'<p a="{"x" * 2500}">', "<script>", "<!--", "<style>",
                     "<td>省交通运输厅、<br/>某市人民政府", "<", ">", "&", "</", "<!", "<?", "\r", "\r\n", "\uf963", "<p"]),
), max_size=60)


@given(_ADVERSARIAL)
@FUZZ
def test_property_adversarial_html_extracts_facts_with_spans_in_the_file(gazetteers, parts):
    page = "".join(parts)
    for media in ("text/html", sniff_media_type(page, "text/plain")):
        source = _source(page, media)
        _check_spans(source, extract_document(prepare(source), *gazetteers))
