"""A real Neo4j 5.26 Community server for tests and benchmarks.

The Java launcher (``src/main/java/plankg/TestServer.java``) embeds the Neo4j
DBMS with Bolt on 127.0.0.1; Maven fetches ``org.neo4j:neo4j`` and
``org.neo4j:neo4j-bolt`` from Maven Central on the first run and reuses the
local repository afterwards.
"""
from __future__ import annotations

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
