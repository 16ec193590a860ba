"""The ``procmap`` command: a thin typer edge — parse, call the library, print, choose the exit code.

Exit codes (SPEC §8): 0 success; 1 the model has errors (or warnings under ``--strict``), or a
capacity refusal; 2 usage, file or missing external program; 3 ``--check`` found a goal missed;
130 interrupted.  Findings go to stderr as ``file:line:col: CODE message``, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import tempfile
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from procmap.errors import FileError, Finding, ModelError, ProcmapError, RenderError

app = typer.Typer(
    name="procmap",
    help="Model business processes and their service levels: validate, analyse, draw, simulate.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_MODEL, EXIT_USAGE, EXIT_CHECK, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _out() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:  # a file or a pipe: wide enough that tables do not wrap
        console = Console(highlight=False, width=max(console.width, 132))
    return console


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_findings(findings: list[Finding], console: Console | None = None) -> None:
    console = console or _err()
    for f in findings:
        style = "red" if f.is_error else "yellow"
        console.print(
            f"{_esc(f.where())}: [{style}]{f.code}[/{style}] "
            + (_esc(f"[scenario {f.scenario}] ") if f.scenario else "")
            + _esc(f.message)
        )
        if f.hint:
            console.print(f"    [dim]hint:[/dim] {_esc(f.hint)}")


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write a file so that readers never see half of it (temp file + rename)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    _err().print(f"[red]error:[/red] {_esc(message)}")
    return typer.Exit(code)


def _load(path: Path) -> Any:
    from procmap.model.loader import load

    try:
        return load(path)
    except FileError as exc:
        raise _fail(str(exc)) from None
    except ModelError as exc:
        print_findings(exc.findings)
        n = len(exc.errors)
        _err().print(f"[red]{path}: {n} error{'s' if n != 1 else ''}[/red]")
        raise typer.Exit(EXIT_MODEL) from None


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Process files (YAML).", show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as failures.")] = False,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="text (stderr) or json (stdout).")
    ] = OutputFormat.text,
) -> None:
    """Check process files: schema, references, graph, capacity, slips — every problem at once."""
    from procmap.model.loader import check_text

    failed = usage = False
    report = []
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            _err().print(f"[red]error:[/red] {path}: cannot read ({exc.strerror or exc})")
            usage = True
            continue
        try:
            model, findings = check_text(raw, str(path))
        except ModelError as exc:
            model, findings = None, exc.findings
        errors = [f for f in findings if f.is_error]
        warnings = [f for f in findings if not f.is_error]
        bad = bool(errors) or (strict and bool(warnings))
        failed |= bad
        if fmt is OutputFormat.json:
            report.append(
                {
                    "file": str(path),
                    "valid": not bad,
                    "errors": len(errors),
                    "warnings": len(warnings),
                    "findings": [f.to_dict() for f in findings],
                }
            )
            continue
        print_findings(findings)
        n_scen = len(model.scenarios) if model is not None else 0
        scen = f", {n_scen} scenario{'s' * (n_scen != 1)}" if n_scen else ""
        summary = f"{path}: {len(errors)} error{'s' * (len(errors) != 1)}, {len(warnings)} warning{'s' * (len(warnings) != 1)}{scen}"
        _err().print(f"[red]{summary}[/red]" if bad else f"[green]{summary} — ok[/green]")
    if fmt is OutputFormat.json:
        _out().print_json(json.dumps({"files": report}, ensure_ascii=False))
    if usage:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_MODEL if failed else EXIT_OK)


def _num(x: float | None, fmt: str = "{:.2f}") -> str:
    if x is None:
        return "—"
    if math.isinf(x):
        return "∞"
    return fmt.format(x)


@app.command()
def analyze(
    file: Annotated[Path, typer.Argument(help="Process file (YAML).", show_default=False)],
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Apply this scenario first.")
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="text or json.")
    ] = OutputFormat.text,
) -> None:
    """The analytic check: visits per case, offered load, utilisation, Erlang C waits, value stream."""
    import procmap
    from procmap.model.units import format_duration

    model = _load(file)
    try:
        result = procmap.analyze(model, scenario)
    except ModelError as exc:
        print_findings(exc.findings)
        raise typer.Exit(EXIT_MODEL) from None
    if fmt is OutputFormat.json:
        _out().print_json(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    out = _out()
    m = model.with_scenario(scenario)
    out.print(
        f"[bold]{_esc(m.name)}[/bold] ({m.id}, scenario {m.scenario}): {result.case_rate_per_h:.3g} cases/h on average over a week"
    )
    stages = Table(title="Stages", title_justify="left")
    for col in ("stage", "name", "team", "visits/case", "arrivals/h", "rework"):
        stages.add_column(
            col, justify="right" if col in ("visits/case", "arrivals/h", "rework") else "left"
        )
    for sid, fig in result.stages.items():
        st = m.stages[sid]
        stages.add_row(
            sid,
            _esc(st.name or ""),
            st.team or "",
            f"{fig.visits_per_case:.3f}",
            f"{fig.arrival_rate_per_h:.3f}",
            f"{fig.rework_share:.0%}" if fig.rework_share else "",
        )
    out.print(stages)
    teams = Table(title="Teams", title_justify="left")
    for col in ("team", "name", "offered load", "on duty", "utilisation", "Erlang C wait"):
        teams.add_column(col, justify="left" if col in ("team", "name") else "right")
    for tid, fig in result.teams.items():
        util = fig.utilization
        style = "" if util is None or util < 0.9 else ("red" if util >= 1 else "yellow")
        util_text = "unlimited" if util is None else _num(util, "{:.0%}")
        teams.add_row(
            tid,
            _esc(m.document.teams[tid].name or ""),
            _num(fig.offered_load),
            _num(fig.staff_on_duty),
            f"[{style}]{util_text}[/{style}]" if style else util_text,
            format_duration(fig.wait_s) if fig.wait_s is not None else "—",
        )
    out.print(teams)
    vs = result.value_stream
    out.print(
        f"Value stream per case: touch time {format_duration(vs['touch_time_s'])}, "
        f"customer waits {format_duration(vs['customer_wait_s'])}, hand-off delays {format_duration(vs['handoff_time_s'])}, "
        f"{vs['handoffs_per_case']:.2f} hand-offs between teams, {vs['rework_visits_per_case']:.2f} rework visits"
    )


@app.command()
def schema(
    results: Annotated[
        bool, typer.Option("--results", help="The JSON Schema of simulation results instead.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of process files (for editors), or of result files."""
    from procmap.model.schema_json import document_schema, results_schema

    text = (
        json.dumps(results_schema() if results else document_schema(), ensure_ascii=False, indent=2)
        + "\n"
    )
    if output is None or str(output) == "-":
        sys.stdout.write(text)
    else:
        try:
            write_atomic(output, text)
        except OSError as exc:
            raise _fail(f"{output}: cannot write ({exc.strerror or exc})") from None
        _err().print(f"wrote {output}")


def _duration(text: str | None, what: str) -> float | None:
    from procmap.model.units import ValueProblem, parse_duration

    if text is None:
        return None
    try:
        return parse_duration(text, "h").seconds
    except ValueProblem as exc:
        raise typer.BadParameter(str(exc), param_hint=what) from None


def _goals_missed(data: dict[str, Any]) -> list[str]:
    """SLA goals and KPI targets missed (what --check judges)."""
    missed = []
    for lid, sla in data.get("slas", {}).items():
        if sla.get("met_goal") is False:
            missed.append(f"SLA {lid}: attainment below its goal")
        for seg, entry in (sla.get("by_segment") or {}).items():
            if entry.get("own_goal") and entry.get("met_goal") is False:
                missed.append(f"SLA {lid} ({seg}): attainment below its goal")
    for kid, kpi in data.get("kpis", {}).items():
        if kpi.get("met") is False:
            missed.append(f"KPI {kid}: target {kpi.get('target')} missed")
    return missed


@app.command()
def simulate(
    file: Annotated[Path, typer.Argument(help="Process file (YAML).", show_default=False)],
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", help="Apply this scenario (repeat to compare several)."),
    ] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="Simulate the baseline and every scenario, paired.")
    ] = False,
    horizon: Annotated[
        str | None,
        typer.Option(
            "--horizon", help="Length of a replication, e.g. 30d (replaces horizon and cases)."
        ),
    ] = None,
    cases: Annotated[
        int | None,
        typer.Option(
            "--cases", min=1, help="Stop arrivals after N cases and run until they finish."
        ),
    ] = None,
    warmup: Annotated[str | None, typer.Option("--warmup", help="Warm-up, e.g. 3d.")] = None,
    replications: Annotated[
        int | None, typer.Option("--replications", min=1, help="Replications.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help="Random seed.")] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, help="Worker processes (default: the number of cores)."),
    ] = None,
    json_out: Annotated[
        str | None, typer.Option("--json", help="Write the result JSON to PATH (- for stdout).")
    ] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write an HTML report.")] = None,
    trace: Annotated[
        Path | None, typer.Option("--trace", help="Write an event log (CSV) of every case.")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 3 when an SLA goal or KPI target is missed.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Simulate even when a team is overloaded (W301).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar and no summary.")] = False,
) -> None:
    """Simulate the process: bottlenecks, SLA attainment, cycle time and teams, with 95 % intervals.

    Several --scenario (or --compare) simulate each with the same seeds and show the paired
    differences against the baseline."""
    from procmap.sim.compare import compare as run_compare
    from procmap.sim.simulate import simulate as run_simulation

    if horizon is not None and cases is not None:
        raise typer.BadParameter("give --horizon or --cases, not both")
    names = list(scenario or [])
    comparing = compare or len(names) > 1
    model = _load(file)
    common = {
        "replications": replications,
        "seed": seed,
        "jobs": jobs,
        "horizon": _duration(horizon, "--horizon"),
        "cases": cases,
        "warmup": _duration(warmup, "--warmup"),
        "force": force,
    }
    with _progress_bar(quiet, "simulating") as progress, _library_errors():
        if comparing:
            wanted = [n for n in names if n != "baseline"] if names else None
            outcome: Any = run_compare(model, wanted, progress=progress, **common)
        else:
            outcome = run_simulation(
                model,
                scenario=names[0] if names else None,
                progress=progress,
                trace=trace,
                **common,
            )
    _write_json(outcome, json_out)
    if report is not None:
        _write_report(outcome, report)
    results = list(outcome.results.values()) if comparing else [outcome]
    if not quiet:
        console = _err() if json_out == "-" else _out()
        if comparing:
            console.print(outcome.summary())
        else:
            from procmap.sim.summary import summary_renderables

            for part in summary_renderables(outcome):
                console.print(part)
    if check:
        missed = []
        for res in results:
            prefix = f"[{res.scenario}] " if comparing else ""
            missed += [prefix + m for m in _goals_missed(res.data)]
        for line in missed:
            _err().print(f"[red]missed:[/red] {_esc(line)}")
        if missed:
            raise typer.Exit(EXIT_CHECK)


@contextlib.contextmanager
def _progress_bar(quiet: bool, label: str) -> Iterator[Any]:
    """A progress callback drawing a bar on a terminal (stderr), or None."""
    err = _err()
    if quiet or not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        label, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task(label, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield progress


@contextlib.contextmanager
def _library_errors() -> Iterator[None]:
    """Library errors as findings or one line, with the exit codes of SPEC §8."""
    from procmap.errors import SimulationError

    try:
        yield
    except ModelError as exc:  # CapacityError too: a capacity refusal is exit 1
        print_findings(exc.findings)
        raise typer.Exit(EXIT_MODEL) from None
    except SimulationError as exc:
        raise _fail(str(exc), EXIT_MODEL) from None
    except ProcmapError as exc:
        raise _fail(str(exc), EXIT_MODEL) from None
    except OSError as exc:
        raise _fail(f"cannot write: {exc}", EXIT_USAGE) from None


def _load_capable(file: Path, scenario: str | None, force: bool) -> Any:
    """Load a model, refusing (exit 1, E301) one that overloads a team unless ``force``."""
    from procmap.sim.simulate import capacity_findings

    model = _load(file)
    if not force:
        with _library_errors():
            refused = capacity_findings(model.with_scenario(scenario))
        if refused:
            print_findings(refused)
            raise typer.Exit(EXIT_MODEL)
    return model


def _write_json(outcome: Any, json_out: str | None) -> None:
    if json_out == "-":
        sys.stdout.write(outcome.to_json())
    elif json_out is not None:
        try:
            outcome.to_json(json_out)
        except OSError as exc:
            raise _fail(f"{json_out}: cannot write ({exc.strerror or exc})") from None


def _write_report(outcome: Any, path: Path) -> None:
    try:
        from procmap.report import write_report
    except ImportError:
        raise _fail("HTML reports are not available in this installation") from None
    try:
        write_report(outcome, path)
    except (ImportError, RenderError) as exc:  # matplotlib missing: the install hint
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{path}: cannot write ({exc.strerror or exc})") from None
    _err().print(f"wrote {path}")


@app.command()
def advise(
    file: Annotated[Path, typer.Argument(help="Process file (YAML).", show_default=False)],
    budget: Annotated[
        float | None,
        typer.Option("--budget", min=0, help="Highest cost per hour of the staffed teams."),
    ] = None,
    max_staff: Annotated[
        int | None, typer.Option("--max-staff", min=1, help="Most people in any one team or shift.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help="Random seed.")] = None,
    json_out: Annotated[
        str | None, typer.Option("--json", help="Write the advice JSON to PATH (- for stdout).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Advise even when a team is overloaded today (W301).")
    ] = False,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Start from this scenario.")
    ] = None,
    replications: Annotated[
        int | None,
        typer.Option("--replications", min=1, help="Replications per plan to start with."),
    ] = None,
    max_replications: Annotated[
        int, typer.Option("--max-replications", min=1, help="Cap while a goal is undecided.")
    ] = 40,
    horizon: Annotated[
        str | None, typer.Option("--horizon", help="Length of a replication, e.g. 30d.")
    ] = None,
    warmup: Annotated[str | None, typer.Option("--warmup", help="Warm-up, e.g. 3d.")] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, help="Worker processes (default: the number of cores)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress and no summary.")] = False,
) -> None:
    """The cheapest staffing (by cost_per_hour) that meets every SLA goal and KPI target.

    Exits 3 when no plan within --budget and --max-staff meets them (and says why)."""
    from procmap.sim.advise import advise as run_advise

    model = _load_capable(file, scenario, force)
    with _progress_bar(quiet, "advising") as progress, _library_errors():
        advice = run_advise(
            model,
            scenario=scenario,
            budget=budget,
            max_staff=max_staff,
            seed=seed,
            replications=replications,
            max_replications=max_replications,
            horizon=_duration(horizon, "--horizon"),
            warmup=_duration(warmup, "--warmup"),
            jobs=jobs,
            progress=progress,
        )
    _write_json(advice, json_out)
    if not quiet:
        console = _err() if json_out == "-" else _out()
        console.print(advice.summary())
    if not advice.feasible:
        raise typer.Exit(EXIT_CHECK)


@app.command()
def sensitivity(
    file: Annotated[Path, typer.Argument(help="Process file (YAML).", show_default=False)],
    vary: Annotated[
        list[str],
        typer.Option(
            "--vary", help="KEY=FROM..TO:STEPS, e.g. arrivals.rate=4/h..10/h:7 (repeat for a grid)."
        ),
    ],
    json_out: Annotated[
        str | None, typer.Option("--json", help="Write the sweep JSON to PATH (- for stdout).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Sweep even when a team is overloaded today (W301).")
    ] = False,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Start from this scenario.")
    ] = None,
    replications: Annotated[
        int | None, typer.Option("--replications", min=1, help="Replications per point.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help="Random seed.")] = None,
    horizon: Annotated[
        str | None, typer.Option("--horizon", help="Length of a replication, e.g. 30d.")
    ] = None,
    warmup: Annotated[str | None, typer.Option("--warmup", help="Warm-up, e.g. 3d.")] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, help="Worker processes (default: the number of cores)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress and no table.")] = False,
) -> None:
    """Sweep arrival rates, durations or staff and show where each SLA falls under its goal."""
    from procmap.sim.sensitivity import SweepError, parse_vary
    from procmap.sim.sensitivity import sensitivity as run_sweep

    for spec in vary:  # a malformed --vary is a usage error (exit 2)
        try:
            parse_vary(spec)
        except SweepError as exc:
            raise _fail(str(exc), EXIT_USAGE) from None
    model = _load_capable(file, scenario, force)
    with _progress_bar(quiet, "sweeping") as progress, _library_errors():
        sweep = run_sweep(
            model,
            vary,
            scenario=scenario,
            replications=replications,
            seed=seed,
            horizon=_duration(horizon, "--horizon"),
            warmup=_duration(warmup, "--warmup"),
            jobs=jobs,
            progress=progress,
        )
    _write_json(sweep, json_out)
    if not quiet:
        console = _err() if json_out == "-" else _out()
        for line in sweep.thresholds:
            console.print(f"• {_esc(line)}")
        console.print(sweep.table())


class RenderView(StrEnum):
    flow = "flow"
    sipoc = "sipoc"


class RenderDirection(StrEnum):
    LR = "LR"
    TB = "TB"


@app.command()
def render(
    file: Annotated[Path, typer.Argument(help="Process file (YAML).", show_default=False)],
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            help="Output file (- for stdout, text formats only). "
            "Default: <process.id>[-<view>].<format> in the current directory.",
            show_default=False,
        ),
    ] = None,
    view: Annotated[
        RenderView, typer.Option("--view", help="flow (swimlane flowchart) or sipoc (SIPOC table).")
    ] = RenderView.flow,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="svg, png, pdf, dot, mermaid, html, md or csv (default: from the output's "
            "extension, else svg; md for the SIPOC view).",
            show_default=False,
        ),
    ] = None,
    direction: Annotated[
        RenderDirection,
        typer.Option("--direction", help="LR: flow left to right; TB: top to bottom."),
    ] = RenderDirection.LR,
    results: Annotated[
        Path | None,
        typer.Option(
            "--results",
            help="A result JSON (procmap simulate --json): draw the heatmap.",
            show_default=False,
        ),
    ] = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Apply this scenario first.")
    ] = None,
) -> None:
    """Draw the process: a swimlane flowchart (a heatmap with --results) or the SIPOC table."""
    from procmap.errors import GraphvizNotFound, RenderError
    from procmap.render import files
    from procmap.sim.result import SimulationResult

    model = _load(file)
    try:
        model = model.with_scenario(scenario)
    except ModelError as exc:
        print_findings(exc.findings)
        raise typer.Exit(EXIT_MODEL) from None
    to_stdout = output == "-"
    try:
        kind = files.format_of(None if to_stdout else output, fmt, view.value)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    if to_stdout and kind not in files.TEXT_FORMATS:
        raise _fail(f"{kind} is not text: give -o FILE.{kind} instead of -o -")
    outcome = None
    if results is not None:
        try:
            raw = json.loads(results.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(f"{results}: cannot read the result file ({exc})") from None
        except json.JSONDecodeError as exc:
            raise _fail(f"{results}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg})") from None
        if isinstance(raw, dict) and "scenarios" in raw and "comparison" in raw:
            name = scenario or "baseline"
            if name not in raw["scenarios"]:
                raise _fail(
                    f"{results} compares {', '.join(raw['scenarios'])}; choose one with --scenario"
                )
            raw = raw["scenarios"][name]
        try:
            outcome = SimulationResult(raw, model)
        except (ValueError, TypeError) as exc:
            raise _fail(f"{results}: {exc}") from None
    if kind == "html" and files.find_dot() is None:
        _err().print(
            "[yellow]note:[/yellow] Graphviz not found: the page shows the map as Mermaid source "
            f"({_esc(files.INSTALL_HINT)})"
        )
    try:
        data = files.render_bytes(
            model, kind, view=view.value, results=outcome, direction=direction.value
        )
    except GraphvizNotFound as exc:
        raise _fail(str(exc)) from None
    except (RenderError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if to_stdout:
        sys.stdout.write(data.decode("utf-8"))
        return
    target = Path(output) if output else Path(files.default_name(model, view.value, kind))
    try:
        files.write_bytes_atomic(target, data)
    except OSError as exc:
        raise _fail(f"{target}: cannot write ({exc.strerror or exc})") from None
    _err().print(f"wrote {target}")


def main() -> None:
    """Entry point of the ``procmap`` program and ``python -m procmap``."""
    try:
        app()
    except KeyboardInterrupt:
        _err().print("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except ProcmapError as exc:  # a library error the command did not expect: still no traceback
        _err().print(f"[red]error:[/red] {_esc(str(exc))}")
        sys.exit(EXIT_MODEL)
