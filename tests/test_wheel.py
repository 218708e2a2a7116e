"""The wheel installs into a fresh virtual environment and runs outside the source tree."""
from __future__ import annotations

import subprocess
import sys
import venv

import pytest

from conftest import REPO


@pytest.mark.slow
def test_wheel_in_fresh_venv(tmp_path, corpus_dir):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, text=True)
    wheel = next(dist.glob("plankg-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True, text=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    plankg = env_dir / "bin" / "plankg"
    built = subprocess.run([str(plankg), "build", str(corpus_dir), "--out", "out"], cwd=work,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "5 plans" in built.stdout
    listed = subprocess.run([str(plankg), "query", "--list"], cwd=work, capture_output=True, text=True)
    assert "axis-nodes" in listed.stdout  # query files ship in the wheel
    answered = subprocess.run([str(plankg), "query", "plans", "--format", "csv"], cwd=work, capture_output=True, text=True)
    assert answered.returncode == 0 and answered.stdout.count("\n") == 7
    valid = subprocess.run([str(plankg), "validate"], cwd=work, capture_output=True, text=True)
    assert "0 violations" in valid.stdout  # ontology and shapes ship too
    where = subprocess.run([str(py), "-c", "import plankg; print(plankg.__file__)"], cwd=work, capture_output=True, text=True)
    assert str(env_dir) in where.stdout
