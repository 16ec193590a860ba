"""The documentation is executable: every example in ``docs/`` and ``README.md`` runs as shown.

Collected from every Markdown file under ``docs/`` and from ``README.md``:

- every ```` ```python ```` block is executed; the blocks of one file run in order in one shared
  namespace;
- every ```` ```console ```` block: each line starting with ``$ procmap`` (or
  ``$ python -m procmap``) is run as ``python -m procmap …``; its exit code is checked, and its
  output too when the block asks for it. Other ``$`` lines are illustrations and are not run.

Everything of one file runs in a fresh temporary directory that holds a copy of ``examples/``,
so a block may rely on files that earlier blocks of the same file wrote (``--json result.json``
in one block, ``SimulationResult.from_json("result.json")`` in a later one). ```` ```sh ````
blocks (set-up steps) and every other language are not run.

**Directives** are HTML comments (invisible on GitHub) on the lines just above a fenced block,
blank lines allowed in between; each applies to that block only:

``<!-- file: NAME -->``
    Write the block's text to ``NAME`` (relative to the temporary directory) before any later
    block runs — typically a ```` ```yaml ```` process file that later commands use. Not allowed
    on ``python`` or ``console`` blocks.
``<!-- edit: NAME "OLD" -> "NEW" -->``
    Before the block runs, replace the one occurrence of ``OLD`` in file ``NAME`` by ``NEW``
    (fails when ``OLD`` does not occur exactly once). The change stays for later blocks: it is
    the edit the text asks the reader to make ("change ``owner: tech`` to ``owner: tec``").
``<!-- exit: N -->``
    Every ``$ procmap`` command of the block must exit with ``N`` (default 0): 1 for error
    examples, 3 for ``--check`` examples. Console blocks only.
``<!-- output: contains -->``
    Each non-empty output line shown under a command must occur in what the command printed
    (stdout and stderr together; runs of spaces compared as one space; lines that are only
    ``…`` mark trimmed output and are skipped). Without it only the exit code is checked,
    because simulated numbers may change between versions. Console blocks only.
``<!-- skip: REASON -->``
    Do not run the block (reported as skipped with the reason). For examples of features that
    are not available yet.

Each block is one test named after its file and the line of its opening fence
(``getting-started.md:42``, ``README.md:51``), so a failure says where to look. Run one alone
with ``-k "getting-started.md:42"``: the blocks before it in the same file are replayed first.

Also here: ``procmap.__all__`` and the names documented in ``docs/api.md`` agree, and
``docs/index.md`` links every page of the guide.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import procmap

from .conftest import ROOT

DOCS = ROOT / "docs"
SOURCES = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]
COMMAND_TIMEOUT_S = 600

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\s]*)[^`]*$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*(?P<key>[a-z]+)\s*(?::\s*(?P<value>.*?))?\s*-->\s*$")
_EDIT = re.compile(
    r'^(?P<file>\S+)\s+"(?P<old>(?:[^"\\]|\\.)*)"\s*->\s*"(?P<new>(?:[^"\\]|\\.)*)"$'
)
_RUN = re.compile(r"^\$\s+(?P<cmd>(?:procmap|python -m procmap)(?:\s.*)?)$")
KNOWN = {"file", "edit", "exit", "output", "skip"}


def _name(path: Path) -> str:
    """``getting-started.md`` for docs pages, ``dev/codes.md`` below, ``README.md`` at the top."""
    try:
        return path.relative_to(DOCS).as_posix()
    except ValueError:
        return path.relative_to(ROOT).as_posix()


@dataclass
class Block:
    """One fenced block and the directives above it."""

    doc: Path
    line: int
    """1-based line of the opening fence."""
    lang: str
    text: str
    directives: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{_name(self.doc)}:{self.line}"

    @property
    def commands(self) -> list[tuple[int, str, list[str]]]:
        """``(line, command, shown output lines)`` of each ``$ procmap`` line of a console block."""
        out: list[tuple[int, str, list[str]]] = []
        current: list[str] | None = None
        lines = self.text.split("\n")
        i = 0
        while i < len(lines):
            raw = lines[i]
            number = self.line + 1 + i
            if raw.startswith("$"):
                while raw.endswith("\\") and i + 1 < len(lines):  # continued command
                    i += 1
                    raw = raw[:-1] + " " + lines[i].strip()
                m = _RUN.match(raw.rstrip())
                if m:
                    current = []
                    out.append((number, m.group("cmd"), current))
                else:
                    current = None  # an illustration: not run, its output not checked
            elif current is not None:
                current.append(raw)
            i += 1
        return out

    @property
    def runs(self) -> bool:
        """Whether this block is a test (python, or console with something to run)."""
        return self.lang == "python" or (self.lang == "console" and bool(self.commands))


def parse(doc: Path) -> list[Block]:
    """Every fenced block of a Markdown file, with its directives and convention problems."""
    lines = doc.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    pending: list[tuple[int, str, str]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        d = _DIRECTIVE.match(line)
        m = _FENCE.match(line)
        if d:
            key = d.group("key")
            if key in KNOWN:
                pending.append((i + 1, key, d.group("value") or ""))
            i += 1
            continue
        if not m:
            if line.strip() and pending:
                blocks.append(_orphan(doc, pending))
                pending = []
            i += 1
            continue
        indent, fence, lang = len(m.group("indent")), m.group("fence"), m.group("info").lower()
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            close = lines[j].strip()
            if close.startswith(fence[0] * len(fence)) and not close.strip(fence[0]):
                break
            body.append(_dedent(lines[j], indent))
            j += 1
        block = Block(doc, i + 1, lang, "\n".join(body) + ("\n" if body else ""))
        for where, key, value in pending:
            if key in block.directives:
                block.problems.append(f"line {where}: a second '{key}' directive for this block")
            block.directives[key] = value
        pending = []
        _check_directives(block)
        blocks.append(block)
        i = j + 1
    if pending:
        blocks.append(_orphan(doc, pending))
    return blocks


def _dedent(line: str, indent: int) -> str:
    n = len(line) - len(line.lstrip(" "))
    return line[min(n, indent) :]


def _orphan(doc: Path, pending: list[tuple[int, str, str]]) -> Block:
    where = pending[0][0]
    block = Block(doc, where, "directive", "")
    block.problems.append(
        f"line {where}: directive '{pending[0][1]}' is not followed by a fenced block"
    )
    return block


def _check_directives(block: Block) -> None:
    d = block.directives
    if "file" in d:
        if block.lang in ("python", "console"):
            block.problems.append("'file:' is for data blocks (yaml, json, csv…), not for code")
        name = d["file"]
        if not name or Path(name).is_absolute() or ".." in Path(name).parts:
            block.problems.append(f"'file: {name}' must be a relative path inside the work folder")
    if "edit" in d and not _EDIT.match(d["edit"]):
        block.problems.append(f'\'edit: {d["edit"]}\' must read: edit: FILE "OLD" -> "NEW"')
    for key in ("exit", "output"):
        if key in d and block.lang != "console":
            block.problems.append(f"'{key}:' applies to console blocks only")
    if "exit" in d and not d["exit"].isdigit():
        block.problems.append(f"'exit: {d['exit']}' must be a whole number")
    if "output" in d and d["output"] != "contains":
        block.problems.append(f"'output: {d['output']}': the only mode is 'output: contains'")
    if "skip" in d and not d["skip"]:
        block.problems.append("'skip:' needs a reason")


ALL_BLOCKS = {doc: parse(doc) for doc in SOURCES}
TESTED = [b for blocks in ALL_BLOCKS.values() for b in blocks if b.runs or b.problems]


# --- running ------------------------------------------------------------------------------


class DocSession:
    """The work folder, namespace and progress of one Markdown file."""

    def __init__(self, doc: Path, folder: Path) -> None:
        self.doc = doc
        self.folder = folder
        shutil.copytree(ROOT / "examples", folder / "examples")
        self.namespace: dict[str, Any] = {"__name__": "__docs__"}
        self.steps = [b for b in ALL_BLOCKS[doc] if not b.problems]
        self.done = 0
        self.failed: list[str] = []

    def run_until(self, block: Block) -> None:
        """Replay the steps before ``block`` that have not run yet (when run out of order)."""
        index = self.steps.index(block)
        while self.done < index:
            step = self.steps[self.done]
            self.done += 1
            try:
                self.run(step)
            except (Exception, pytest.fail.Exception) as exc:
                self.failed.append(f"{step.id}: {exc}")
        if self.failed:
            pytest.fail("an earlier block of this file failed: " + "; ".join(self.failed))

    def run(self, block: Block) -> None:
        if block.lang == "directive" or "skip" in block.directives:
            return
        if "edit" in block.directives:
            self._edit(block.directives["edit"])
        if "file" in block.directives:
            target = self.folder / block.directives["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")
        elif block.lang == "python":
            self._python(block)
        elif block.lang == "console":
            for line, command, shown in block.commands:
                self._console(block, line, command, shown)

    def _edit(self, spec: str) -> None:
        m = _EDIT.match(spec)
        assert m is not None
        path = self.folder / m.group("file")
        old, new = (m.group(k).replace('\\"', '"') for k in ("old", "new"))
        text = path.read_text(encoding="utf-8")
        count = text.count(old)
        assert count == 1, f"edit: {old!r} occurs {count} times in {m.group('file')}, not once"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def _python(self, block: Block) -> None:
        # Pad with newlines so that tracebacks show the Markdown file's own line numbers.
        code = compile("\n" * block.line + block.text, block.id, "exec")
        here = Path.cwd()
        os.chdir(self.folder)
        try:
            exec(code, self.namespace)
        finally:
            os.chdir(here)

    def _console(self, block: Block, line: int, command: str, shown: list[str]) -> None:
        args = shlex.split(command)
        shell = sorted({a for a in args if a in ("|", ">", ">>", "<", "2>", "&&", "||", ";")})
        if shell:
            pytest.fail(
                f"{_name(self.doc)}:{line}: no shell here ({' '.join(shell)}): one command per line"
            )
        args = args[3:] if args[:3] == ["python", "-m", "procmap"] else args[1:]
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        env |= {"PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg", "NO_COLOR": "1"}
        proc = subprocess.run(
            [sys.executable, "-m", "procmap", *args],
            cwd=self.folder,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=COMMAND_TIMEOUT_S,
            check=False,
        )
        printed = proc.stdout + proc.stderr
        where = f"{_name(self.doc)}:{line}: $ {command}"
        expected = int(block.directives.get("exit", "0"))
        if proc.returncode != expected:
            pytest.fail(
                f"{where}\nexit code {proc.returncode}, the docs expect {expected}\n"
                f"--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"
            )
        if block.directives.get("output") == "contains":
            have = _squash(printed)
            for text in shown:
                want = _squash(text)
                if want and want not in ("…", "...") and want not in have:
                    pytest.fail(f"{where}\nshown line not printed: {text.strip()!r}\n{printed}")


def _squash(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text).strip()


@pytest.fixture(scope="session")
def doc_sessions() -> dict[Path, DocSession]:
    """One work folder and namespace per Markdown file, shared by the tests of its blocks."""
    return {}


@pytest.mark.parametrize("block", TESTED, ids=[b.id for b in TESTED])
def test_doc_block(
    block: Block,
    doc_sessions: dict[Path, DocSession],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    if block.problems:
        pytest.fail(f"{block.id}: " + "; ".join(block.problems))
    if "skip" in block.directives:
        pytest.skip(block.directives["skip"])
    session = doc_sessions.get(block.doc)
    if session is None:
        folder = tmp_path_factory.mktemp(_name(block.doc).replace("/", "-").removesuffix(".md"))
        session = doc_sessions[block.doc] = DocSession(block.doc, folder)
    session.run_until(block)
    session.done += 1
    session.run(block)


# --- the API page and the front page ------------------------------------------------------

API_HEADING = re.compile(r"^#{2,4}\s+`procmap\.(?P<name>[A-Za-z_][\w.]*)", re.M)


def _documented_api() -> list[str]:
    return [m.group("name") for m in API_HEADING.finditer((DOCS / "api.md").read_text("utf-8"))]


def test_api_page_documents_exactly_procmap_all():
    """Like SimPy's API check: a name added to or removed from ``__all__`` needs its docs."""
    top = {n for n in _documented_api() if "." not in n}
    public = set(procmap.__all__)
    assert not public - top, (
        f"in procmap.__all__ but not documented in docs/api.md: {sorted(public - top)}"
    )
    assert not top - public, (
        f"documented in docs/api.md but not in procmap.__all__: {sorted(top - public)}"
    )
    for name in public:
        assert hasattr(procmap, name), f"procmap.__all__ names {name!r}, which does not exist"


def test_api_page_module_names_exist():
    """Names documented below ``procmap`` (``procmap.sim.compare.compare``) can be imported."""
    import importlib

    for dotted in (n for n in _documented_api() if "." in n):
        parts = ("procmap." + dotted).split(".")
        for cut in range(len(parts) - 1, 0, -1):  # longest importable module prefix
            try:
                obj: Any = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            for attr in parts[cut:]:
                assert hasattr(obj, attr), f"docs/api.md documents procmap.{dotted}: no {attr!r}"
                obj = getattr(obj, attr)
            break
        else:
            pytest.fail(f"docs/api.md documents procmap.{dotted}, which cannot be imported")


def test_index_links_every_page():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(([\w.-]+\.md)(?:#[^)]*)?\)", index))
    pages = {p.name for p in DOCS.glob("*.md")} - {"index.md"}
    assert not pages - linked, f"docs/index.md does not link {sorted(pages - linked)}"
