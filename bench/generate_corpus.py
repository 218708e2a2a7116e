"""Write N distinct made-up provincial plans, for scale benchmarks and tests.

Usage: python bench/generate_corpus.py N OUTDIR [--seed 1]

Each plan is drawn from the shipped reference data (provinces, their
prefectures or districts, department types and the province's own department
names, national corridors and their lines, indicator names): a titled plan of
one province (发展规划, 实施方案, 行动计划, 意见 …) with its issuing notice, a
document number and a date, a planning period, development axes through that
province's cities, tasks with lead and supporting agencies, named railways,
expressways and airports, and indicator targets. All text is composed from the
phrases below, written for this generator; nothing is taken from any real
document. The output depends only on N and the seed; about one plan in ten is
written in GB18030 and one in ten as an HTML page with navigation and footer.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from plankg.loaders.reference import read_data_csv

DATA = Path(__file__).resolve().parent / "data"

TOPICS = ["综合立体交通网", "新型城镇化", "现代物流体系", "区域协调发展", "城市群一体化", "数字基础设施",
          "生态环境保护", "先进制造业集群", "承接产业转移", "县域经济高质量发展", "内河航运", "枢纽经济",
          "开放型经济", "乡村振兴基础设施", "水运与港口", "城际铁路网", "民用航空", "文化和旅游融合"]
KINDS = [("发展规划", "规划"), ("实施方案", "方案"), ("三年行动计划", "计划"), ("若干意见", "意见"),
         ("中长期规划", "规划"), ("专项规划", "规划")]
PERIODS = [(2016, 2020), (2021, 2025), (2021, 2035), (2023, 2027), (2026, 2030)]
DEPARTMENTS = ["drc", "miit", "st", "fin", "nr", "ee", "hurd", "tr", "wr", "ara", "commerce", "ct"]
INDICATORS = [("常住人口城镇化率", "%", (55, 75)), ("研发经费投入强度", "%", (2, 3)),
              ("森林覆盖率", "%", (35, 65)), ("城市空气质量优良天数比率", "%", (85, 95)),
              ("人均地区生产总值", "万元", (6, 12))]
AXIS_WORDS = ["发展轴", "经济发展轴", "城镇发展轴", "产业发展轴"]
AXIS_ROLES = ["打造", "构建", "建设", "培育"]
VERBS = ["加快", "着力", "统筹", "稳步", "持续", "大力"]
ACTIONS = ["完善骨干通道布局", "推动设施互联互通", "提升枢纽集散能力", "优化城镇空间结构", "促进要素有序流动",
           "健全协同推进机制", "强化产业分工协作", "补齐公共服务短板", "提高运输服务效率", "推进绿色低碳转型",
           "加强生态廊道建设", "扩大有效投资", "深化体制机制改革", "提升应急保障水平"]
OBJECTS = ["中心城市", "节点城市", "县城和重点镇", "产业园区", "交通枢纽", "物流园区", "沿线地区", "边远地区"]
CLOSINGS = ["形成分工合理、优势互补的发展格局", "为高质量发展提供有力支撑", "更好服务和融入新发展格局",
            "让发展成果更多惠及城乡居民", "不断增强区域综合竞争力", "筑牢安全发展底线"]
MEASURES = ["加强组织领导", "强化要素保障", "完善政策支持", "健全监测评估", "营造良好氛围", "压实工作责任"]
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Province:
    """A province-level division with what plan text needs of it."""

    code: str
    name: str
    short: str
    relative: str
    abbreviation: str
    government_word: str
    cities: tuple[str, ...]


def chinese_number(n: int) -> str:
    """1..99 as Chinese numerals (十二, 二十三)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else NUMERALS[tens - 1]) + "十" if tens else "") + (NUMERALS[ones - 1] if ones else "")


def load_provinces() -> list[Province]:
    """The provinces with standard departments, each with its prefectures
    (municipalities: their districts and counties)."""
    abbreviations = {r["code"]: r for r in csv.DictReader(
        line for line in (DATA / "province_abbreviations.csv").read_text("utf-8").splitlines() if not line.startswith("#"))}
    divisions = read_data_csv("divisions.csv")
    former = {r["old_code"] for r in read_data_csv("division_changes.csv")}
    provinces = []
    for row in read_data_csv("provinces.csv"):
        if row["departments"] != "1" or row["code"] not in abbreviations:
            continue
        level = "county" if row["relative"] == "市" else "prefecture"
        cities = tuple(d["name"] for d in divisions if d["parent"] == row["code"] and d["level"] == level and d["code"] not in former
                       and d["name"].endswith(("市", "区", "州", "盟")) and d["name"] != row["name"])
        ab = abbreviations[row["code"]]
        provinces.append(Province(row["code"], row["name"], row["short"], row["relative"], ab["abbreviation"],
                                  ab["government_word"], cities))
    return provinces


def department_names(provinces: list[Province]) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """(province code, department type) → the department's name after the
    province's (交通运输厅) and its short forms (发展改革委)."""
    types = {r["type"]: r for r in read_data_csv("department_types.csv")}
    own = {(r["province"], r["type"]): r for r in read_data_csv("department_names.csv")}
    names = {}
    for p in provinces:
        for t in DEPARTMENTS:
            row, municipal = own.get((p.code, t)), p.relative == "市" and types[t]["name_municipality"]
            if row:
                name, short = row["name"], row["abbreviations"]
            elif municipal:
                name, short = types[t]["name_municipality"], types[t]["abbreviations_municipality"]
            else:
                name, short = types[t]["name"], types[t]["abbreviations"]
            names[(p.code, t)] = (name, [a for a in short.split("|") if a] or [name])
    return names


def corridor_lines() -> list[tuple[str, str]]:
    """(short name, one of its railway or expressway lines) of the national
    corridors that have both (京广, 京广高速铁路)."""
    found = []
    for row in read_data_csv("corridors.csv"):
        aliases = [a for a in row["aliases"].split("|") if len(a) == 2]
        lines = [line for line in row["lines"].split("|") if line.endswith(("高速铁路", "高速公路"))]
        if aliases and lines:
            found.append((aliases[0], lines[0]))
    return found


def short_city(name: str) -> str:
    """A city's name without its suffix, for project and axis names (长沙市 → 长沙,
    临夏回族自治州 → 临夏)."""
    for suffix in ("自治州", "地区", "市", "区", "州", "盟"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[:-len(suffix)]
            break
    for ethnic in ("族",):
        if ethnic in name and len(name) > 4:
            name = name[:2]
    return name


class PlanWriter:
    """Composes one plan's text from a random generator and the reference data."""

    def __init__(self, rng: random.Random, province: Province, departments: dict, lines: list):
        self.rng, self.p, self.departments, self.lines = rng, province, departments, lines
        self.used_lines: list[str] = []  # the lines the plan's axes follow, named again by tasks

    def agency(self, relative: bool) -> str:
        """A department of the province, written relatively (省交通运输厅) or in full."""
        name, short = self.departments[(self.p.code, self.rng.choice(DEPARTMENTS))]
        return self.p.relative + self.rng.choice(short) if relative else self.p.name + name

    def cities(self, k: int) -> list[str]:
        """``k`` distinct cities of the province."""
        return self.rng.sample(self.p.cities, min(k, len(self.p.cities)))

    def sentence(self, place: str) -> str:
        """A filler sentence about ``place``."""
        r = self.rng
        return f"{r.choice(VERBS)}{r.choice(ACTIONS)}，支持{place}{r.choice(OBJECTS)}{r.choice(ACTIONS)}，{r.choice(CLOSINGS)}。"

    def axes(self, n: int) -> list[str]:
        """Paragraphs defining ``n`` development axes through the province's cities."""
        out = []
        for i, (corridor, line) in enumerate(self.rng.sample(self.lines, n)):
            nodes = self.cities(self.rng.randint(2, 4))
            word = self.rng.choice(AXIS_WORDS[:2] if i % 2 == 0 else AXIS_WORDS)
            self.used_lines.append(line)
            # Every other axis is named after a national corridor, the others after their end cities.
            name = f"{corridor}{word}" if i % 2 == 0 else f"{short_city(nodes[0])}{short_city(nodes[-1])}{word}"
            out.append(f"{self.rng.choice(AXIS_ROLES)}以{'、'.join(nodes)}为节点的{name}，依托{line}，"
                       f"{self.sentence(nodes[0])}")
        return out

    def tasks(self, n: int) -> list[str]:
        """``n`` numbered tasks, each with its lead and supporting agencies."""
        out = []
        for i in range(1, n + 1):
            city = self.rng.choice(self.p.cities)
            lead = self.agency(relative=True)
            support = sorted({self.agency(relative=self.rng.random() < 0.5) for _ in range(self.rng.randint(1, 3))} - {lead})
            parties = "、".join([*support, f"{city}人民政府"])
            text = f"{self.rng.choice(VERBS)}{self.rng.choice(ACTIONS)}。{self.sentence(city)}"
            if self.used_lines and i % 4 == 1:
                text = f"推进{self.rng.choice(self.used_lines)}沿线设施提质扩能。{text}"
            out.append(f"（{chinese_number(i)}）{text}（{lead}牵头，{parties}等按职责分工负责）")
        return out

    def projects(self, n: int) -> list[str]:
        """Sentences naming railways, expressways and airports between the province's cities."""
        out = []
        for _ in range(n):
            a, b = (self.cities(2) + self.cities(2))[:2]
            kind = self.rng.choice(["高速铁路", "城际铁路", "高速公路", "机场"])
            if kind == "机场":
                out.append(f"推进{short_city(a)}机场改扩建，{self.sentence(a)}")
            else:
                out.append(f"建成{short_city(a)}至{short_city(b)}{kind}，{self.sentence(b)}")
        return out

    def indicators(self, year: int) -> list[str]:
        """Prose targets for the plan's last year."""
        out = []
        for name, unit, (lo, hi) in self.rng.sample(INDICATORS, 3):
            value = round(self.rng.uniform(lo, hi), 1)
            out.append(f"到{year}年，全{self.p.relative[-1]}{name}达到{value}{unit}以上。")
        return out

    def text(self, title: str, number: int, date: tuple[int, int, int], period: tuple[int, int]) -> list[str]:
        """The plan's paragraphs: notice, title, chapters."""
        y, m, d = date
        issuer = f"{self.p.name}人民政府"
        notice = [f"{issuer}关于印发《{title}》的通知", f"{self.p.abbreviation}{self.p.government_word}〔{y}〕{number}号",
                  "", f"各{'区' if self.p.relative == '市' else '市'}人民政府，{self.p.relative}直各有关单位：",
                  f"现将《{title}》印发给你们，请结合实际认真贯彻执行。", "", issuer, f"{y}年{m}月{d}日", "", title, ""]
        body = ["一、总体要求", f"规划期为{period[0]}—{period[1]}年，展望到{period[1] + 10}年。"]
        body += [self.sentence(c) + self.sentence(c) for c in self.cities(12)]
        body += self.indicators(period[1])
        body += ["二、空间布局"] + self.axes(self.rng.randint(2, 4))
        body += [self.sentence(c) + self.sentence(c) for c in self.cities(12)]
        body += ["三、重点任务"] + self.tasks(self.rng.randint(16, 32))
        body += ["四、重大项目"] + self.projects(self.rng.randint(6, 12))
        body += ["五、保障措施"] + [f"（{chinese_number(i + 1)}）{m}。{self.sentence(self.p.name)}"
                                 for i, m in enumerate(self.rng.sample(MEASURES, 4))]
        return notice + body


def plan_titles(provinces: list[Province], rng: random.Random) -> list[tuple[Province, str, str, tuple[int, int]]]:
    """Every (province, title, kind word, period) combination, in a seeded order."""
    combos = []
    for p in provinces:
        for topic in TOPICS:
            for kind, _ in KINDS:
                for period in PERIODS:
                    span = f"（{period[0]}—{period[1]}年）" if kind != "若干意见" else ""
                    title = f"{p.name}{topic}{kind}{span}" if kind != "若干意见" else f"{p.name}关于推进{topic}的{kind}"
                    combos.append((p, title, kind, period))
    rng.shuffle(combos)
    seen, unique = set(), []
    for combo in combos:
        if combo[1] not in seen:
            seen.add(combo[1])
            unique.append(combo)
    return unique


def as_html(title: str, paragraphs: list[str]) -> str:
    """A scraped-page rendering: navigation, paragraphs, footer."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs if p)
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
            "<div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a></div>\n"
            f"{body}\n<div class=\"footer\">主办单位：人民政府办公厅</div></body></html>\n")


def generate(n: int, out: Path, seed: int = 1) -> list[Path]:
    """Write ``n`` distinct plans into ``out``; return their paths."""
    rng = random.Random(seed)
    provinces = [p for p in load_provinces() if len(p.cities) >= 4]
    departments, lines = department_names(provinces), corridor_lines()
    combos = plan_titles(provinces, rng)
    if n > len(combos):
        raise SystemExit(f"at most {len(combos)} distinct plans")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (province, title, _, period) in enumerate(combos[:n]):
        writer = PlanWriter(random.Random(f"{seed}:{i}"), province, departments, lines)
        date = (period[0] + rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28))
        paragraphs = writer.text(title, rng.randint(1, 60), date, period)
        variant = rng.random()
        if variant < 0.1:
            path, data = out / f"plan-{i:05d}.html", as_html(title, paragraphs).encode("utf-8")
        elif variant < 0.2:
            path, data = out / f"plan-{i:05d}.txt", ("\n".join(paragraphs) + "\n").encode("gb18030")
        else:
            path, data = out / f"plan-{i:05d}.txt", ("\n".join(paragraphs) + "\n").encode("utf-8")
        path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: N OUTDIR [--seed S]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = generate(args.n, args.out, args.seed)
    print(f"wrote {len(paths)} plans to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
