"""A real Neo4j 5.26 Community server for tests and benchmarks.

The Java launcher (``src/main/java/plankg/TestServer.java``) embeds the Neo4j
DBMS with Bolt on 127.0.0.1; Maven fetches ``org.neo4j:neo4j`` and
``org.neo4j:neo4j-bolt`` from Maven Central on the first run and reuses the
local repository afterwards.
"""
from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _classpath_complete(classpath_file: Path) -> bool:
    """Whether a recorded classpath exists and every jar on it is still in the local repository."""
    if not classpath_file.exists():
        return False
    entries = [e for e in classpath_file.read_text().strip().split(":") if e]
    return bool(entries) and all(Path(e).exists() for e in entries)


def build_launcher() -> list[str]:
    """Compile the launcher (once) and return the java command prefix."""
    classpath_file = HERE / "target" / "classpath.txt"
    main_class = HERE / "target" / "classes" / "plankg" / "TestServer.class"
    source = HERE / "src" / "main" / "java" / "plankg" / "TestServer.java"
    stale = not main_class.exists() or main_class.stat().st_mtime < max(source.stat().st_mtime, (HERE / "pom.xml").stat().st_mtime)
    if stale or not _classpath_complete(classpath_file):
        mvn = shutil.which("mvn")
        if mvn is None:
            raise RuntimeError("Maven (mvn) is needed to build the Neo4j test server")
        subprocess.run([mvn, "-q", "-B", "compile", "dependency:build-classpath",
                        f"-Dmdep.outputFile={classpath_file}"], cwd=HERE, check=True, timeout=1200)
    classpath = f"{HERE / 'target' / 'classes'}:{classpath_file.read_text().strip()}"
    return ["java", "-Xmx1g", "-cp", classpath, "plankg.TestServer"]


def admin_tool(project: Path | None = None, heap: str = "1g") -> list[str]:
    """The java command of Neo4j's admin tool, what ``neo4j-admin`` runs (``database import
    full`` …): ``org.neo4j.cli.AdminTool`` on the classpath of the Maven project ``project``,
    resolved once; by default the launcher's, whose ``org.neo4j:neo4j`` brings
    ``neo4j-import-tool`` and ``neo4j-command-line`` with it."""
    if project is None:
        classpath = build_launcher()[3]
    else:
        project = Path(project).resolve()
        classpath_file = project / "target" / "classpath.txt"
        stale = _classpath_complete(classpath_file) and classpath_file.stat().st_mtime < (project / "pom.xml").stat().st_mtime
        if stale or not _classpath_complete(classpath_file):
            mvn = shutil.which("mvn")
            if mvn is None:
                raise RuntimeError("Maven (mvn) is needed to resolve Neo4j's import tool")
            subprocess.run([mvn, "-q", "-B", "dependency:build-classpath", f"-Dmdep.outputFile={classpath_file}"],
                           cwd=project, check=True, timeout=1200)
        classpath = classpath_file.read_text().strip()
    return ["java", f"-Xmx{heap}", "-cp", classpath, "org.neo4j.cli.AdminTool"]


def admin_home(home: Path, project: Path | None = None, heap: str = "1g") -> dict[str, str]:
    """Make ``home`` a Neo4j home for the admin tool (``conf/neo4j.conf``, ``bin/neo4j-admin``)
    and return the environment in which ``neo4j-admin`` runs it there; the launcher opens the
    databases it writes (``Neo4jServer(home)``)."""
    home = Path(home)
    (home / "conf").mkdir(parents=True, exist_ok=True)
    (home / "bin").mkdir(exist_ok=True)
    conf = home / "conf" / "neo4j.conf"
    if not conf.exists():
        conf.write_text("# Defaults: databases in data/, where the launcher's DatabaseManagementServiceBuilder looks.\n")
    wrapper = home / "bin" / "neo4j-admin"
    wrapper.write_text("#!/bin/sh\nexec " + " ".join(shlex.quote(a) for a in admin_tool(project, heap)) + ' "$@"\n')
    wrapper.chmod(0o755)
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    env["PATH"] = f"{home / 'bin'}:{env.get('PATH', '')}"
    return env


def import_csv(export_dir: Path, home: Path, project: Path | None = None, heap: str = "1g") -> str:
    """Run an export's ``import.sh`` (``neo4j-admin database import full``) into the Neo4j home
    ``home`` with the admin tool; its report. A failure raises with the tool's own message."""
    done = subprocess.run(["sh", "import.sh"], cwd=export_dir, env=admin_home(home, project, heap),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"neo4j-admin database import full exited with {done.returncode}:\n{done.stdout[-6000:]}")
    return done.stdout


class Neo4jServer:
    """Start with ``start()``, stop with ``stop()``; ``uri``, ``user``, ``password`` to connect."""

    def __init__(self, data_dir: Path, port: int | None = None, password: str = "plankg-test-password"):
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.user = "neo4j"
        self.password = password
        self.process: subprocess.Popen | None = None
        self.log = self.data_dir.parent / f"{self.data_dir.name}-neo4j.log"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def start(self, timeout: float = 300) -> "Neo4jServer":
        command = build_launcher() + [str(self.data_dir), str(self.port), self.password]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log.open("a")
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
        ready = threading.Event()

        def watch(stream):
            for line in stream:
                if line.startswith("READY"):
                    ready.set()
                    return

        threading.Thread(target=watch, args=(self.process.stdout,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if ready.wait(0.2):
                return self
        self.kill()
        raise RuntimeError(f"Neo4j test server did not start; see {self.log}")

    def stop(self) -> None:
        """Shut the DBMS down cleanly."""
        if self.process and self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                self.process.wait(timeout=30)
        self.process = None

    def kill(self) -> None:
        """Stop the server abruptly (as a crash or a pulled plug would)."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None
