"""Structure of the control flow: split–join regions, lanes and rework (back) edges.

Shared by validation, the analytic check, the simulator and the renderer, so that all agree on
which join closes which split and which edges are rework loops.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

__all__ = ["GraphProblem", "SplitStructure", "back_edges", "lanes", "split_structure"]


@dataclass(frozen=True)
class GraphProblem:
    """A structural problem, at a stage (and optionally one of its branches)."""

    code: str
    stage: str
    message: str
    hint: str | None = None
    branch: int | None = None


@dataclass
class SplitStructure:
    """Which join closes each split, the stages inside each region, and what went wrong."""

    join_of: dict[str, str] = field(default_factory=dict)
    split_of: dict[str, str] = field(default_factory=dict)
    region: dict[str, set[str]] = field(default_factory=dict)
    problems: list[GraphProblem] = field(default_factory=list)

    def branches_of_join(self, join: str, graph: nx.DiGraph) -> int:
        """How many tokens the join waits for: the number of branches of its split."""
        split = self.split_of.get(join)
        return graph.out_degree(split) if split is not None else 1

    def inside_any_region(self, stage: str) -> bool:
        return any(stage in r for r in self.region.values())


def split_structure(graph: nx.DiGraph) -> SplitStructure:
    """Find the join of every ``all`` split and check the regions nest properly.

    A region is every stage reachable from a split's branches before its join; a nested split
    is jumped over through its own join.  Problems: branches that close at different joins or
    none (E213), paths that leave the region (to an end, back before the split, or into another
    join: E214), regions entered from outside (E214), joins closing two splits or none (E215,
    E213).
    """
    out = SplitStructure()
    splits = [n for n, d in graph.nodes(data=True) if d.get("split")]
    busy: set[str] = set()
    broken: set[str] = set()  # splits already found (and reported) not to close

    def close(split: str) -> str | None:
        if split in out.join_of:
            return out.join_of[split]
        if split in broken:
            return None
        if split in busy:
            return None  # a cycle through splits: reported by its caller
        busy.add(split)
        closers: set[str] = set()
        region: set[str] = set()
        failed = False
        for start in graph.successors(split):
            stack = [(start, split)]  # (stage, the stage whose branch leads to it)
            while stack:
                node, pred = stack.pop()
                index = graph.edges[pred, node].get("index")
                if node == split:
                    out.problems.append(
                        GraphProblem(
                            "E214",
                            pred,
                            f"a branch of the split at {split!r} loops back to the split before its join",
                            "loops inside a parallel branch must stay between the split and its join",
                            index,
                        )
                    )
                    failed = True
                    continue
                kind = graph.nodes[node].get("kind")
                if kind == "join":
                    closers.add(node)
                    continue
                if node in region:
                    continue
                region.add(node)
                if kind == "end":
                    out.problems.append(
                        GraphProblem(
                            "E214",
                            pred,
                            f"a branch of the split at {split!r} reaches the end {node!r} without passing a join",
                            "every parallel branch must reach the split's join",
                            index,
                        )
                    )
                    failed = True
                    continue
                if graph.nodes[node].get("split"):
                    inner = close(node)
                    if inner is None:
                        failed = True
                        continue
                    region |= out.region.get(node, set()) | {inner}
                    stack.extend((s, inner) for s in graph.successors(inner))
                    continue
                stack.extend((s, node) for s in graph.successors(node))
        busy.discard(split)
        if len(closers) != 1:
            if not failed:
                names = ", ".join(sorted(closers)) or "none"
                out.problems.append(
                    GraphProblem(
                        "E213",
                        split,
                        f"the parallel split at {split!r} is closed by {len(closers)} joins ({names}), not one",
                        "let every branch of the split reach the same kind: join stage",
                    )
                )
            broken.add(split)
            return None
        join = next(iter(closers))
        out.join_of[split] = join
        out.region[split] = region
        return join

    for split in splits:
        close(split)
    for split, join in out.join_of.items():
        if join in out.split_of and out.split_of[join] != split:
            out.problems.append(
                GraphProblem(
                    "E215",
                    join,
                    f"join {join!r} closes two splits ({out.split_of[join]!r} and {split!r})",
                    "give each split its own join; nest them",
                )
            )
            continue
        out.split_of[join] = split
        region = out.region[split]
        for node in region:
            for pred in graph.predecessors(node):
                if pred != split and pred not in region:
                    out.problems.append(
                        GraphProblem(
                            "E214",
                            pred,
                            f"{pred!r} jumps into the parallel region of {split!r} (at {node!r}) from outside",
                            "enter a parallel region only through its split",
                            graph.edges[pred, node].get("index"),
                        )
                    )
    # A join no split closed: only worth saying when nothing else explains it.
    quiet = any(p.code in ("E213", "E214") for p in out.problems)
    for node, data in graph.nodes(data=True):
        if data.get("kind") == "join" and node not in out.split_of and not quiet:
            out.problems.append(
                GraphProblem(
                    "E213",
                    node,
                    f"join {node!r} closes no parallel split",
                    "a join merges the branches of next: {all: [...]}; use a task or decision otherwise",
                )
            )
    return out


def back_edges(graph: nx.DiGraph, entry: str) -> set[tuple[str, str]]:
    """Edges that close a cycle in a depth-first walk from the entry: the rework loops."""
    result: set[tuple[str, str]] = set()
    if entry not in graph:
        return result
    on_stack: set[str] = {entry}
    seen: set[str] = {entry}
    stack = [(entry, iter(graph.successors(entry)))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_stack.discard(node)
            continue
        if child in on_stack:
            result.add((node, child))
        elif child not in seen:
            seen.add(child)
            on_stack.add(child)
            stack.append((child, iter(graph.successors(child))))
    return result


def flow_order(graph: nx.DiGraph, entry: str) -> list[str]:
    """Stages in flow order: breadth-first from the entry, YAML order among equals, then the rest."""
    order: list[str] = []
    seen: set[str] = set()
    if entry in graph:
        queue = [entry]
        seen.add(entry)
        while queue:
            nxt: list[str] = []
            for node in queue:
                order.append(node)
                for child in graph.successors(node):
                    if child not in seen:
                        seen.add(child)
                        nxt.append(child)
            queue = nxt
    order.extend(n for n in graph.nodes if n not in seen)
    return order


def lanes(graph: nx.DiGraph, entry: str) -> dict[str, str | None]:
    """The swimlane of each stage: its team, or the lane of its first predecessor in flow order."""
    order = flow_order(graph, entry)
    position = {n: i for i, n in enumerate(order)}
    lane: dict[str, str | None] = {}
    for node in order:
        team = graph.nodes[node].get("team")
        if team is not None:
            lane[node] = team
            continue
        preds = sorted((p for p in graph.predecessors(node) if p in lane), key=position.__getitem__)
        lane[node] = lane[preds[0]] if preds else None
    return lane
