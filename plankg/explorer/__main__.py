"""``python -m plankg.explorer [GRAPH_DIR] [--port N]``: serve the explorer on 127.0.0.1."""
from __future__ import annotations

import argparse

import uvicorn

from plankg.explorer import app


def main(argv=None) -> None:
    """Start the explorer on a build folder (default ``out``), on 127.0.0.1 only."""
    parser = argparse.ArgumentParser(prog="python -m plankg.explorer", description=__doc__)
    parser.add_argument("graph_dir", nargs="?", default="out")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--sources", action="append", default=None, help="folder holding the original files")
    args = parser.parse_args(argv)
    print(f"plankg explorer on http://{args.host}:{args.port}/ ({args.graph_dir})")
    uvicorn.run(app(args.graph_dir, args.sources), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
