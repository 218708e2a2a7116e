"""The ``plankg`` command: a stored answer at once, everything else through ``plankg.cli``.

Asking a build a canned question (``plankg query NAME [--graph DIR]
[--format table|csv|json]``) mostly prints a file the build wrote
(``DIR/answers/``). Importing click and the command line takes longer than
that (about 40 ms), so this entry point recognises that one request, prints
the stored answer importing only ``plankg.formats`` and
``plankg.stored_answers``, and hands every other command line to click
unchanged: other options, other engines, ``--help``, an unknown query, a
build without a stored answer to this text of the query. Whatever it prints
is what ``plankg.cli`` prints for the same arguments; errors are always
click's.

>>> query_request(["query", "plans", "--graph=out", "--format", "csv"])
('plans', 'out', 'csv')
>>> query_request(["query", "plans"])
('plans', 'out', 'table')
>>> query_request(["query", "plans", "--engine", "neo4j"]) is None
True
>>> query_request(["build", "plans"]) is None
True
"""
from __future__ import annotations

import os
import sys

from plankg import formats
from plankg.stored_answers import find_answer, text_digest

_DEFAULTS = {"--graph": "out", "--format": "table", "--engine": "sparql"}


def main() -> None:
    """Run the ``plankg`` command line with ``sys.argv``."""
    request = query_request(sys.argv[1:])
    if request is not None and print_stored_answer(*request):
        return
    from plankg.cli import main as cli

    cli()


def query_request(args: list[str]) -> tuple[str, str, str] | None:
    """``(name, graph_dir, format)`` when ``args`` ask a canned question on a
    build with no options but ``--graph``, ``--format`` and ``--engine sparql``
    (each at most once, in any order, ``--opt value`` or ``--opt=value``),
    else None."""
    if not args or args[0] != "query":
        return None
    values, seen, name = dict(_DEFAULTS), set(), None
    rest = iter(args[1:])
    for arg in rest:
        key, eq, value = arg.partition("=")
        if key in values:
            if key in seen:
                return None
            value = value if eq else next(rest, "")
            if not value:
                return None
            seen.add(key)
            values[key] = value
        elif arg.startswith("-") or name is not None:
            return None
        else:
            name = arg
    if name is None or values["--engine"] != "sparql" or values["--format"] not in formats.FORMATS:
        return None
    return name, values["--graph"], values["--format"]


def print_stored_answer(name: str, graph_dir: str, fmt: str) -> bool:
    """Print the build's stored answer to the canned query ``name`` as
    ``plankg query`` would; False, printing nothing, when there is none to
    print (``plankg.cli`` then answers, or says what is wrong)."""
    try:
        answer = _answer_path(name, graph_dir)
        if answer is None:
            return False
        if fmt == "csv":
            stream = open(answer, "rb")
        else:
            with open(answer, encoding="utf-8") as f:
                text = formats.render(*formats.from_csv(f.read()), fmt)
    except (OSError, ValueError, IndexError):
        return False
    try:
        if fmt == "csv":
            with stream:
                sys.stdout.flush()
                while chunk := stream.read(1 << 20):
                    sys.stdout.buffer.write(chunk)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # as click does: a reader that went away is not an error worth a traceback
        sys.stdout = open(os.devnull, "w")
        sys.exit(1)
    return True


def _answer_path(name: str, graph_dir: str) -> str | None:
    from importlib.util import find_spec

    folder = find_spec("plankg.queries").submodule_search_locations[0]
    if f"{name}.rq" not in os.listdir(folder):
        return None
    with open(os.path.join(folder, f"{name}.rq"), encoding="utf-8") as f:
        sparql = f.read()
    return find_answer(graph_dir, name, text_digest(sparql))
