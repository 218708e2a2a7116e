"""Property tests (Hypothesis) for the defects fuzzing found.

Each test keeps a small budget so the file runs in well under a minute. For a
longer campaign set ``PLANKG_FUZZ_EXAMPLES`` (examples per test, e.g. 5000;
the deadline is lifted then):

    PLANKG_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py --hypothesis-show-statistics
"""
from __future__ import annotations

import datetime
import os
import random
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from conftest import CORPUS  # noqa: E402
from plan_fixtures import plan_text  # noqa: E402

LONG_RUN = int(os.environ.get("PLANKG_FUZZ_EXAMPLES", "0"))


def budget(examples: int):
    """Hypothesis settings: ``examples`` (or ``$PLANKG_FUZZ_EXAMPLES``), no database in the tree, no
    per-example deadline (a deadline measures the machine's load, not a property)."""
    return settings(max_examples=LONG_RUN or examples, deadline=None,
                    database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


# 5. Dates: random strings of Chinese numerals and digits with 年月日.

NUMERALS = "〇○零一二三四五六七八九十0123456789"
date_like = st.lists(st.one_of(st.text(NUMERALS, min_size=1, max_size=5), st.sampled_from("年月日 \t\n")),
                     max_size=12).map("".join)
well_formed = st.tuples(st.integers(1900, 2200), st.integers(0, 14), st.integers(0, 33)).map(
    lambda t: f"{t[0]}年{t[1]}月{t[2]}日")


def _assert_only_real_dates(text: str) -> None:
    from plankg.loaders.metadata import _dates

    for _, iso in _dates(text):
        assert 1949 <= datetime.date.fromisoformat(iso).year <= 2100


@budget(200)
@given(st.one_of(date_like, well_formed))
def test_date_parser_never_raises_and_yields_real_dates(text):
    _assert_only_real_dates(text)


@budget(200)
@given(st.integers(1900, 2200), st.integers(0, 14), st.integers(0, 33))
def test_chinese_numeral_dates_roundtrip(year, month, day):
    from plankg.loaders.metadata import _dates

    digits = "〇一二三四五六七八九"

    def cn(n: int) -> str:
        tens, units = divmod(n, 10)
        return (digits[tens] if tens > 1 else "") + ("十" if tens else "") + (digits[units] if units or not tens else "")

    text = "".join(digits[int(c)] for c in str(year)) + f"年{cn(month)}月{cn(day)}日"
    try:
        want = datetime.date(year, month, day).isoformat() if 1949 <= year <= 2100 else None
    except ValueError:
        want = None
    assert [iso for _, iso in _dates(text)] == ([want] if want else [])


@budget(40)
@given(st.one_of(date_like, well_formed))
def test_no_impossible_date_reaches_a_plan(text):
    from plankg.facts import SourceDocument
    from plankg.loaders.metadata import extract_plan_facts
    from plankg.loaders.prepared import prepare

    body = plan_text("试验区协同发展规划", date=text, period=None)
    source = SourceDocument(id="f" * 16, path="fuzz.txt", name="fuzz.txt", encoding="utf-8", sha256="f" * 64,
                            text=body, media_type="text/plain")
    date = extract_plan_facts(prepare(source)).date
    if date is not None:
        year = datetime.date.fromisoformat(date.value).year if len(date.value) == 10 else int(date.value)
        assert 1949 <= year <= 2100


# 6, 7. Order and names of the input files.

TITLES = ["试验区协同发展规划", "试验区生态保护规划", "试验区交通实施方案"]
CITES = ["", "落实《试验区协同发展规划》。", "按照《湖南省人民政府关于印发〈试验区协同发展规划〉的通知》（湘政发〔2019〕3号）要求。",
         "落实《试验区生态保护规划》（湘政发〔2020〕7号）。"]
plan_args = st.fixed_dictionaries({
    "title": st.sampled_from(TITLES),
    "year": st.sampled_from([2019, 2020, 2021]),
    "number": st.one_of(st.none(), st.integers(1, 9)),
    "date": st.sampled_from([None, "", "二〇二〇年五月六日", "2021年2月30日", "二〇二一年十三月一日"]),
    "period": st.sampled_from([None, (2020, 2025), (2021, 2030)]),
    "cites": st.sampled_from(CITES),
    "body": st.sampled_from(["", "第二稿。", "构建以衡阳、岳阳为节点的试验联动轴。"]),
})
generated = st.lists(plan_args.map(lambda kw: plan_text(**kw)), min_size=1, max_size=5)
STATS = {"builds": 0, "validated": 0}


def _write(folder: Path, texts: list[str], names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for text, name in zip(texts, names):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _graph(paths: list[Path]) -> bytes:
    from plankg.graph.rdf import build_graph
    from plankg.pipeline import extract_corpus

    STATS["builds"] += 1
    return build_graph(extract_corpus(paths)).ntriples()


def _without_file_names(nt: bytes) -> list[bytes]:
    return [line for line in nt.splitlines() if b"#fileName>" not in line]


@budget(12)
@given(texts=generated, duplicate=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_any_order_of_sample_and_generated_files_gives_the_same_graph(tmp_path_factory, texts, duplicate, seed):
    """The sample corpus plus small generated plans (some sharing a title, some
    the same bytes under another name), in two random orders: identical bytes."""
    folder = tmp_path_factory.mktemp("perm")
    if duplicate:
        texts = texts + texts[:1]
    generated_paths = _write(folder, texts, [f"g{i}.txt" for i in range(len(texts))])
    paths = sorted(CORPUS.glob("*.txt")) + generated_paths
    rng = random.Random(seed)
    one, two = paths[:], paths[:]
    rng.shuffle(one)
    rng.shuffle(two)
    assert _graph(one) == _graph(two)


@budget(25)
@given(texts=generated, seed=st.integers(0, 2**32 - 1))
def test_names_and_order_of_files_play_no_part(tmp_path_factory, texts, seed):
    """Generated plans under shuffled names and in shuffled order: the same graph
    but for the file names; a few of these builds are SHACL-validated."""
    import plankg

    rng = random.Random(seed)
    names = [f"n{i}.txt" for i in range(len(texts))]
    first = _write(tmp_path_factory.mktemp("a"), texts, names)
    rng.shuffle(names)
    second = _write(tmp_path_factory.mktemp("b"), texts, names)
    rng.shuffle(second)
    assert _without_file_names(_graph(first)) == _without_file_names(_graph(second))
    if STATS["validated"] < 4:
        STATS["validated"] += 1
        out = plankg.build(second, out=second[0].parent / "out").out
        report = plankg.validate(out)
        assert report.conforms, report.text
