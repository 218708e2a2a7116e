"""Valid-looking inputs that used to break SHACL: an annex row with a blank lead
cell, a table that repeats a task number."""
from __future__ import annotations

from click.testing import CliRunner

import plankg
from plankg.cli import main

TABLE = """甲乙省人民政府关于印发《甲乙省物流发展实施方案》的通知
附件
重点任务分工表
序号\t主要任务\t牵头单位\t配合单位
1\t建设物流枢纽\t省交通运输厅\t省发展改革委
1\t完善冷链网络\t省商务厅\t省农业农村厅
2\t培育物流企业
"""


def test_blank_lead_cells_and_repeated_numbers_still_conform(tmp_path):
    path = tmp_path / "annex.txt"
    path.write_text(TABLE, encoding="utf-8")
    out = tmp_path / "out"
    plankg.build([path], out=out)
    report = plankg.validate(out)
    assert report.conforms and report.violations == 0 and report.warnings == 1
    numbers = {no for _, no, *_ in plankg.query("task-agencies", graph_dir=out).rows}
    assert numbers == {"1", "1-2"}
    result = CliRunner().invoke(main, ["validate", "--graph", str(out)])
    assert result.exit_code == 0 and "0 violations, 1 warnings" in result.output
