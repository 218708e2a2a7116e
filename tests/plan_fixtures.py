"""Small plan documents written for the tests (never text of the corpus).

``plan_text`` composes a notice, a document number, a body that names a
period, an axis and a task, and a signature block with a date.
"""
from __future__ import annotations


def plan_text(title: str, year: int = 2021, number: int | None = 5, date: str | None = None,
              issuer: str = "湖南省人民政府", period: tuple[int, int] | None = (2021, 2025),
              body: str = "", cites: str = "") -> str:
    """The text of a made-up provincial plan with its issuing notice
    (``number=None``: no document number; ``date=""``: no signature date)."""
    date = date if date is not None else f"{year}年3月4日"
    lines = [
        f"{issuer}关于印发《{title}》的通知",
        f"湘政发〔{year}〕{number}号" if number is not None else "",
        "",
        "各市州人民政府，省直有关单位：",
        f"现将《{title}》印发给你们，请认真组织实施。",
        "",
        issuer,
        date,
        "",
        title,
        "",
        "一、总体要求",
    ]
    if period:
        lines.append(f"规划期为{period[0]}—{period[1]}年。")
    if cites:
        lines.append(cites)
    lines += [
        "构建以长沙、株洲、湘潭为节点的试验发展轴。",
        "到2025年，试验区地区生产总值达到1200亿元。",
        body,
        "二、重点任务",
        "（一）推进试验区道路互联互通。（省交通运输厅牵头负责）",
    ]
    return "\n".join(lines) + "\n"


def write_plan(folder, name: str, text: str, encoding: str = "utf-8"):
    """Write ``text`` as ``folder/name``; return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path
