"""What every part of the benchmark shares: where its files are, the Python that runs the tools, the log."""
from __future__ import annotations

import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
ANALYSIS = BENCH / "analysis.md"
PROGRAMS = BENCH / "programs"  # the programs copied into the generated folders or run as they are
BIN = Path(sys.executable).parent
PY = sys.executable


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
