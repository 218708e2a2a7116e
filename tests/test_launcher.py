"""The ``plankg`` command's own entry point (``plankg.launcher``): a stored
answer printed without click, byte for byte what ``plankg.cli`` prints, and
every other command line handed to click unchanged."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from plankg import queries as canned
from plankg.launcher import query_request


def run(*args: str, module: str = "plankg") -> subprocess.CompletedProcess:
    """``python -m MODULE ARGS…``: ``plankg`` is the installed command's entry point."""
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True)


@pytest.mark.parametrize("fmt", ["csv", "table", "json"])
def test_stored_answers_print_as_the_click_command_prints_them(built, fmt):
    for name in canned.names():
        args = ("query", name, "--graph", str(built), "--format", fmt)
        fast, slow = run(*args), run(*args, module="plankg.cli")
        assert fast.returncode == slow.returncode == 0, fast.stderr
        assert fast.stdout == slow.stdout and fast.stdout


def test_a_stored_answer_is_printed_without_click_or_rdflib(built):
    probe = ("import sys; sys.argv = ['plankg', 'query', 'plans', '--graph', sys.argv[1]]; "
             "from plankg.launcher import main; main(); "
             "print(sorted(m for m in ('click', 'rdflib', 'pyoxigraph', 'plankg.cli') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe, str(built)], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize("args", [
    ("query", "no-such-query"),
    ("query", "../queries/plans"),
    ("query",),
    ("query", "--list"),
    ("query", "--help"),
    ("query", "plans", "--format", "xml"),
    ("query", "plans", "--graph"),
    ("query", "plans", "extra"),
    ("--version",),
    (),
])
def test_other_command_lines_are_clicks(built, args):
    if args[:1] == ("query",) and "--graph" not in args:
        args += ("--graph", str(built))
    fast, slow = run(*args), run(*args, module="plankg.cli")
    named = [out.replace(b"python -m plankg.cli", b"python -m plankg") for out in (slow.stdout, slow.stderr)]
    assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, *named)


def test_a_build_without_stored_answers_is_answered_by_the_query(built, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(built, old)
    shutil.rmtree(old / "answers")
    for fmt in ("csv", "table"):
        fast = run("query", "city-axes", "--graph", str(old), "--format", fmt)
        assert fast.returncode == 0 and fast.stdout == run("query", "city-axes", "--graph", str(built),
                                                           "--format", fmt).stdout


def test_an_answer_to_another_text_of_the_query_is_not_printed(built, stale_answer):
    out = run("query", "plans", "--graph", str(stale_answer), "--format", "csv")
    assert out.returncode == 0 and b"stale" not in out.stdout
    assert out.stdout == run("query", "plans", "--graph", str(built), "--format", "csv").stdout


def test_a_missing_graph_folder_gets_clicks_message(tmp_path):
    args = ("query", "plans", "--graph", str(tmp_path / "nowhere"))
    fast, slow = run(*args), run(*args, module="plankg.cli")
    assert fast.returncode == slow.returncode != 0
    assert fast.stderr == slow.stderr and b"nowhere" in fast.stderr


def test_a_reader_that_goes_away_ends_the_command_quietly(built):
    proc = subprocess.Popen([sys.executable, "-m", "plankg", "query", "task-agencies", "--graph", str(built),
                             "--format", "table"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait() in (0, 1) and b"Traceback" not in err


@pytest.mark.parametrize("args, expected", [
    (["query", "plans"], ("plans", "out", "table")),
    (["query", "--format=csv", "plans", "--graph", "g"], ("plans", "g", "csv")),
    (["query", "plans", "--engine=sparql", "--format", "json"], ("plans", "out", "json")),
    (["query", "plans", "--engine", "neo4j"], None),
    (["query", "plans", "--graph", "a", "--graph", "b"], None),
    (["query", "plans", "--graph="], None),
    (["query", "plans", "--uri", "bolt://x"], None),
    (["query", "plans", "-h"], None),
    (["build"], None),
    ([], None),
])
def test_query_request(args, expected):
    assert query_request(args) == expected
