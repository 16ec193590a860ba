"""Time to load and validate a generated model (the issue asks: 2,000 stages in under a second).

Run: .venv/bin/python benchmarks/bench_load.py [STAGES] [TEAMS]
"""

from __future__ import annotations

import sys
import time

import procmap
from procmap.testing import generate_document, to_yaml


def main() -> None:
    stages = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    teams = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    text = to_yaml(generate_document(stages, teams))
    procmap.loads(text)  # warm up imports and pydantic's validators
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        model = procmap.loads(text)
        times.append(time.perf_counter() - t0)
    print(f"{stages} stages, {teams} teams, {len(text) / 1024:.0f} KiB of YAML")
    print(f"load + validate: best {min(times):.3f} s, median {sorted(times)[2]:.3f} s")
    print(f"warnings: {len(model.findings)}")


if __name__ == "__main__":
    main()
