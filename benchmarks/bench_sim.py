"""Simulation speed and memory: procmap against plain hand-written SimPy models of the same networks.

For each network and each number of cases N, a fresh subprocess loads and compiles the procmap
model (cases mode: arrivals stop after N, the run goes on until every case has finished, warm-up
0 so that every case is counted and every statistic is on), warms up both simulators on a few
hundred cases, then times ``run_replication`` (engine construction, the run and the collection of
the record) and the plain SimPy model (``plain_simpy.py``) alternately in the same process.  The
figure is the ratio of the best times: procmap s / plain s (below 1: procmap is faster).

Networks (``--only``):

* ``desk``        (a) ``benchmarks/models/service_desk_always.yaml``: the service desk with every
  calendar always open, the same network as ``plain_simpy.service_desk``.
* ``desk_office`` (a) ``examples/service_desk.yaml`` as it is (office calendars, shifts, 85 %
  availability, arrival profile, SLA clocks in office hours) against the same plain always-open
  model: the cost of the calendars, not a like-for-like ratio.
* ``tandem``      (b) ``benchmarks/models/tandem.yaml``: 6 stations in series, ρ = 0.8.
* ``jackson``     (c) ``benchmarks/models/jackson.yaml``: 5 stations, branching, two rework loops.

Memory: the child reads ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (peak RSS) after the warm-up
and again after the first procmap run, which comes first; the difference is the peak RSS growth of
one procmap replication.  On Linux the child then resets the peak (``/proc/self/clear_refs``)
and measures the plain model's growth the same way (approximate: it may reuse memory that
procmap's run freed but the process kept).

Run:  .venv/bin/python benchmarks/bench_sim.py                      # everything, ~10 min
      .venv/bin/python benchmarks/bench_sim.py --sizes 20000,200000 --only tandem,jackson
      .venv/bin/python benchmarks/bench_sim.py --repeats 5,3,1 --markdown
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

NETWORKS: dict[str, tuple[Path, str, str]] = {
    # name: (procmap model, plain model in plain_simpy.MODELS, label)
    "desk": (
        HERE / "models" / "service_desk_always.yaml",
        "service_desk",
        "(a) service desk, always open",
    ),
    "desk_office": (
        ROOT / "examples" / "service_desk.yaml",
        "service_desk",
        "(a) service desk, office hours*",
    ),
    "tandem": (HERE / "models" / "tandem.yaml", "tandem", "(b) tandem, 6 stations"),
    "jackson": (HERE / "models" / "jackson.yaml", "jackson", "(c) Jackson, 5 stations + rework"),
}
SIZES = (20_000, 200_000, 1_000_000)
REPEATS = (3, 2, 1)  # per size, in order; sizes past the list use the last
WARMUP_CASES = 500


# -- the child: one network, one N -------------------------------------------------------------


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _reset_peak() -> bool:
    """Reset the peak RSS to the current RSS (Linux ≥ 4.0); False where that is impossible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def _procmap_counts(plan: Any, rec: Any) -> tuple[int, float]:
    """Counted visits of task stages in a record, and their mean queue wait (seconds)."""
    from procmap.sim.compile import TASK

    visits, wait = 0, 0.0
    for s, sid in enumerate(plan.stage_ids):
        if plan.kind[s] != TASK:
            continue
        for hist in rec.stages[sid].wait.values():
            visits += hist.n
            wait += hist.total
    return visits, wait / visits if visits else 0.0


def child(network: str, n: int, repeats: int, seed: int) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    import plain_simpy

    import procmap
    from procmap.sim.compile import compile_model
    from procmap.sim.engine import run_replication

    path, plain_name, _ = NETWORKS[network]
    plain = plain_simpy.MODELS[plain_name]
    model = procmap.loads(path.read_text(encoding="utf-8"))
    # warm up imports, numpy's and SimPy's code paths, and the histogram code
    run_replication(compile_model(model, cases=WARMUP_CASES, use_config=False, warmup=0.0), 0, seed)
    plain(WARMUP_CASES, seed)
    plan = compile_model(model, cases=n, use_config=False, warmup=0.0)
    gc.collect()
    rss0 = _maxrss_mib()
    times: dict[str, list[float]] = {"procmap": [], "plain": []}  # CPU seconds
    walls: dict[str, list[float]] = {"procmap": [], "plain": []}  # wall-clock seconds
    out: dict[str, Any] = {"network": network, "n": n}
    for r in range(repeats):
        order = ("procmap", "plain") if r % 2 == 0 else ("plain", "procmap")
        for which in order:
            gc.collect()
            c0, t0 = time.process_time(), time.perf_counter()
            if which == "procmap":
                rec = run_replication(plan, 0, seed + r)
                times["procmap"].append(time.process_time() - c0)
                walls["procmap"].append(time.perf_counter() - t0)
                if r == 0:
                    out["procmap_peak_mib"] = _maxrss_mib() - rss0
                    out["procmap_visits"], out["procmap_mean_wait"] = _procmap_counts(plan, rec)
                    out["procmap_end_s"] = rec.end_s
                    out["procmap_completed"] = sum(rec.completed.values())
                del rec
            else:
                measure = r == 0 and _reset_peak()
                base = _maxrss_mib()
                c0, t0 = time.process_time(), time.perf_counter()
                res = plain(n, seed + r)
                times["plain"].append(time.process_time() - c0)
                walls["plain"].append(time.perf_counter() - t0)
                if measure:
                    out["plain_peak_mib"] = _maxrss_mib() - base
                if r == 0:
                    out["plain_visits"], out["plain_mean_wait"] = res.visits, res.mean_wait
                    out["plain_end_s"] = res.end
                del res
    out["procmap_s"], out["plain_s"] = times["procmap"], times["plain"]
    out["procmap_wall_s"], out["plain_wall_s"] = walls["procmap"], walls["plain"]
    out["rss_before_mib"] = rss0
    return out


# -- the parent: run the children, print the table ----------------------------------------------


def machine() -> str:
    import numpy
    import simpy

    import procmap

    return (
        f"{platform.platform()}, {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; "
        f"numpy {numpy.__version__}; simpy {simpy.__version__}; "
        f"procmap from {Path(procmap.__file__).parent}"
    )


def run_child(network: str, n: int, repeats: int, seed: int) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", network, str(n), str(repeats)]
    cmd += ["--seed", str(seed)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{network} N={n} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


COLUMNS = (
    "network", "N", "procmap s", "plain s", "ratio", "ratio wall", "procmap cases/s", "visits/s",
    "mean wait pm/plain", "procmap peak RSS Δ", "plain peak RSS Δ",
)  # fmt: skip


def ratio(res: dict[str, Any], wall: bool = False) -> float:
    suffix = "_wall_s" if wall else "_s"
    return min(res["procmap" + suffix]) / min(res["plain" + suffix])


def row(res: dict[str, Any]) -> list[str]:
    n = res["n"]
    pm, pl = min(res["procmap_s"]), min(res["plain_s"])
    plain_mem = res.get("plain_peak_mib")
    return [
        NETWORKS[res["network"]][2],
        f"{n:,}",
        f"{pm:.2f}",
        f"{pl:.2f}",
        f"{ratio(res):.2f}",
        f"{ratio(res, wall=True):.2f}",
        f"{n / pm:,.0f}",
        f"{res['procmap_visits'] / pm:,.0f}",
        f"{res['procmap_mean_wait']:.0f} / {res['plain_mean_wait']:.0f} s",
        f"{res['procmap_peak_mib']:.0f} MiB",
        f"{plain_mem:.0f} MiB" if plain_mem is not None else "–",
    ]


def table(rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(COLUMNS) + " |", "|---|" + "--:|" * (len(COLUMNS) - 1)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(COLUMNS)]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join([fmt.format(*COLUMNS), *(fmt.format(*r) for r in rows)])


NOTES = """\
procmap s, plain s: best CPU time (time.process_time) of the runs; ratio = procmap / plain (below 1:
procmap is faster); ratio wall = the same with wall-clock times.  Both models ran alternately in one
fresh process per row.  visits/s: procmap's visits to task stages (queue + service) per CPU second.
mean wait: per task visit, procmap / plain (a check that the two are the same network).
procmap peak RSS Δ: growth of ru_maxrss over one replication (the first run of the process, after
a warm-up); plain peak RSS Δ: the same for the plain model, after a peak reset (approximate)."""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="numbers of cases, comma-separated"
    )
    ap.add_argument("--only", default=",".join(NETWORKS), help=f"networks: {', '.join(NETWORKS)}")
    ap.add_argument(
        "--repeats", default=",".join(map(str, REPEATS)), help="runs per size (best is kept)"
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    ap.add_argument("--json", metavar="FILE", help="also write the raw results to FILE")
    ap.add_argument("--child", nargs=3, metavar=("NETWORK", "N", "REPEATS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        network, n, repeats = args.child
        print(json.dumps(child(network, int(n), int(repeats), args.seed)))
        return

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    reps = [int(r) for r in args.repeats.split(",")]
    networks = [w.strip() for w in args.only.split(",")]
    for w in networks:
        if w not in NETWORKS:
            ap.error(f"unknown network {w!r}: pick from {', '.join(NETWORKS)}")
    print(machine(), flush=True)
    results, rows = [], []
    t_all = time.perf_counter()
    for w in networks:
        for i, n in enumerate(sizes):
            k = reps[min(i, len(reps) - 1)]
            t0 = time.perf_counter()
            res = run_child(w, n, k, args.seed)
            results.append(res)
            rows.append(row(res))
            print(
                f"  {w} N={n:,} x{k}: procmap {min(res['procmap_s']):.2f} s, plain "
                f"{min(res['plain_s']):.2f} s CPU, ratio {ratio(res):.2f} (wall {ratio(res, True):.2f}),"
                f" peak RSS +{res['procmap_peak_mib']:.0f} MiB  [{time.perf_counter() - t0:.0f} s]",
                flush=True,
            )
    print()
    print(table(rows, args.markdown))
    print()
    print(NOTES)
    if "desk_office" in networks:
        print(
            "*: the office-hours example against the always-open plain model (not the same network)."
        )
    print(f"total {time.perf_counter() - t_all:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine(), "results": results}, indent=1))


if __name__ == "__main__":
    main()
