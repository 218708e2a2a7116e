"""How reading, normalising and extraction time grows with input size, per input shape.

Usage: python bench/scaling.py [--sizes 20,50,130,400] [--shapes td,script,...] [--budget 120]

For each shape (adversarial inputs that once took quadratic time) a file of
each size (in thousands of characters) is written and run through
``plankg.pipeline.extract_corpus``; the time exponent is the slope of
log(time) against log(size), least squares over the sizes measured. 1.0 is
linear, 2.0 quadratic; the target is at most 1.2. A size whose run takes
longer than ``--budget`` seconds ends that shape's series (the slope is fitted
on the sizes measured so far). Results are printed and written to
``bench/results/scaling.json``.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

from plankg.pipeline import extract_corpus

# Building blocks written for this benchmark (not taken from any document).
_CLAUSE = "推进城市群交通设施互联互通，"
_SENTENCE = "各地加强区域协作，共同推进基础设施建设。"


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


SHAPES = {
    # <td> cells without </td> (valid HTML: the end tag may be omitted).
    "td-unclosed": (".html", lambda n: "<table><tr>" + _repeat("<td>甲乙丙丁戊己庚辛" + "<br>", n)),
    # Many <script> start tags that are never closed, between paragraphs.
    "script-unclosed": (".html", lambda n: "<p>" + _SENTENCE + "</p>" + _repeat("<script>var a = 1;" + _SENTENCE, n)),
    # Many comments that are never closed.
    "comment-unclosed": (".html", lambda n: "<p>" + _SENTENCE + "</p>" + _repeat("<!-- 注释" + _SENTENCE, n)),
    # Tags with huge attributes.
    "huge-attribute": (".html", lambda n: _repeat('<p title="' + "x" * 3000 + '">' + _SENTENCE + "</p>", n)),
    # One long line: clauses with commas and no 。 or line break.
    "long-line-commas": (".txt", lambda n: _repeat(_CLAUSE, n)),
    # One long line of items separated by 、 only.
    "long-line-enumeration": (".txt", lambda n: _repeat("长沙市、株洲市、湘潭市、岳阳市、", n)),
    # Deeply nested elements: k/40 <div> start tags, text, as many end tags.
    "nested-div": (".html", lambda n: "<div>" * (n // 40) + _SENTENCE * (n // 80) + "</div>" * (n // 40)),
    # Many "<" followed by a letter and no ">" anywhere after.
    "lt-without-gt": (".html", lambda n: "<p>" + _SENTENCE + "</p>" + _repeat("<b甲乙丙丁，", n)),
    # Ordinary paragraphs, for comparison.
    "paragraphs": (".txt", lambda n: _repeat(_SENTENCE + "\n", n)),
}


def exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) against log(size)."""
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-6)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def time_one(text: str, suffix: str, folder: Path) -> float:
    """Seconds ``extract_corpus`` takes on one file holding ``text``."""
    path = folder / f"input{suffix}"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    extract_corpus([path], strict=True)
    return time.perf_counter() - started


def run(sizes: list[int], shapes: list[str], budget: float) -> dict:
    """Measure every shape at every size; return the results by shape."""
    results = {}
    extract_corpus([Path(__file__)], strict=False)  # load the gazetteers once, outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        for name in shapes:
            suffix, make = SHAPES[name]
            points: list[tuple[int, float]] = []
            for k in sizes:
                seconds = time_one(make(k * 1000), suffix, Path(tmp))
                points.append((k * 1000, seconds))
                print(f"{name:24s} {k:5d}k chars {seconds:8.3f} s", flush=True)
                if seconds > budget:
                    break
            slope = exponent(points)
            results[name] = {
                "sizes": [n for n, _ in points],
                "seconds": [round(t, 4) for _, t in points],
                "exponent": None if slope is None else round(slope, 2),
            }
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when a shape's exponent exceeds ``--target``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,50,130,400")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--budget", type=float, default=120.0)
    parser.add_argument("--target", type=float, default=1.2)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "scaling.json")
    args = parser.parse_args(argv)
    results = run([int(s) for s in args.sizes.split(",")], args.shapes.split(","), args.budget)
    for name, r in results.items():
        print(f"{name:24s} exponent {r['exponent']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"target": args.target, "shapes": results}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if all(r["exponent"] is None or r["exponent"] <= args.target for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
