"""One error hierarchy for every expected failure.

The command line turns these into a one-line ``Error: …`` message and the
exit code of the class (``exit_code``) in one place (``plankg.cli``); the
Python API raises them as they are. Exit codes: 0 success, 1 an expected
failure (any class below), 2 a usage error (click), 3 a partial build (some
files could not be read, the others were built; ``--strict`` makes it 1).

>>> issubclass(InputError, PlankgError), InputError.exit_code
(True, 1)
"""
from __future__ import annotations

from pathlib import Path

from plankg.paths import readable


PARTIAL_BUILD_EXIT_CODE = 3


class PlankgError(Exception):
    """Root of every error plankg raises on purpose."""

    exit_code = 1


class InputError(PlankgError):
    """An input file or folder that cannot be read as a plan document."""

    def __init__(self, path: str | Path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{readable(self.path)}: {problem}")


class ReferenceDataError(PlankgError):
    """A reference data file that cannot be used, with the file and line."""

    def __init__(self, path: str, line: int, problem: str):
        self.path, self.line, self.problem = path, line, problem
        where = f"{path}, line {line}" if line else path
        super().__init__(f"{where}: {problem}")


class GraphDirError(PlankgError):
    """A folder that holds no usable build."""


class OutputError(PlankgError):
    """A build folder that cannot be written (full disk, no permission); the
    previous build is left as it was."""

    def __init__(self, path: str | Path, cause: OSError):
        self.path, self.cause = str(path), cause
        reason = cause.strerror or str(cause)
        super().__init__(f"{readable(self.path)}: cannot write the build ({reason}); the previous build is unchanged")


class EmptyBuildError(PlankgError):
    """A build in which no document could be read: nothing is written."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        listed = "; ".join(self.problems[:5]) + (f"; … {len(self.problems) - 5} more" if len(self.problems) > 5 else "")
        super().__init__(f"no document could be read, nothing was written ({listed})")



class QueryError(PlankgError):
    """An unknown canned question or a query that cannot be answered."""



class Neo4jError(PlankgError):
    """Neo4j could not be reached, refused the login, or failed a load."""

