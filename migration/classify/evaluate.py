"""Measure the classifier against workloads labelled by architects.

A labelled set is YAML (format in docs/classify.md). Each case names the expected decision and
either carries its own small inventory (application, servers, dependencies, in a shorthand) or
refers by name to an application of the inventory given alongside.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forcelift.migration.classify.catalogue import Catalogue
from forcelift.migration.classify.engine import Classifier
from forcelift.migration.classify.model import Decision
from forcelift.migration.classify.yamlfile import YamlDocument, read_yaml
from forcelift.migration.errors import InputError, Location, Problem, ProblemCollector
from forcelift.migration.inventory.model import Application, Dependency, Inventory, Server
from forcelift.migration.inventory.pydantic_errors import format_loc
from forcelift.migration.inventory.validate import resolve_dependencies


@dataclass(frozen=True)
class LabelledCase:
    id: str
    application: str
    expected: Decision
    why: str
    inventory: Inventory | None  # None: the application is in the inventory given alongside
    line: int | None = None
    also_accept: frozenset[Decision] = frozenset()  # other decisions an architect would sign off

    def accepts(self, decision: Decision) -> bool:
        return decision is self.expected or decision in self.also_accept


@dataclass
class Disagreement:
    case: LabelledCase
    got: Decision
    reasons: tuple[str, ...]

    @property
    def accepted(self) -> bool:
        """Not the best answer, but one the labeller would also sign off."""
        return self.case.accepts(self.got)


@dataclass
class EvaluationReport:
    """Strict agreement (the `expected` decision) and accepting agreement (`also_accept` too).

    `disagreements` lists every case whose decision is not `expected`, accepted ones included
    (marked), so a reader sees where the classifier took the second-best answer.
    """

    total: int
    agreed: int
    matrix: dict[Decision, dict[Decision, int]]
    disagreements: list[Disagreement] = field(default_factory=list)
    accepted: int = 0  # agreed, plus cases whose decision is in their `also_accept`
    alternatives: int = 0  # cases that carry an `also_accept` list

    @property
    def agreement(self) -> float:
        return self.agreed / self.total if self.total else 0.0

    @property
    def accepting_agreement(self) -> float:
        return self.accepted / self.total if self.total else 0.0

    @property
    def rejected(self) -> list[Disagreement]:
        """The disagreements no label accepts."""
        return [d for d in self.disagreements if not d.accepted]

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "agreed": self.agreed,
            "agreement": round(self.agreement, 4),
            "accepted": self.accepted,
            "accepting_agreement": round(self.accepting_agreement, 4),
            "alternatives": self.alternatives,
            "matrix": {
                e.value: {g.value: n for g, n in row.items()} for e, row in self.matrix.items()
            },
            "disagreements": [
                {
                    "id": d.case.id,
                    "application": d.case.application,
                    "expected": d.case.expected.value,
                    "also_accept": sorted(a.value for a in d.case.also_accept),
                    "got": d.got.value,
                    "accepted": d.accepted,
                    "why": d.case.why,
                    "reasons": list(d.reasons),
                }
                for d in self.disagreements
            ],
        }


def _server(raw: dict[str, Any]) -> dict[str, Any]:
    """Expand the labelled-set shorthand of a server into the inventory model's fields."""
    out = dict(raw)
    if isinstance(out.get("os"), str):
        out["os"] = {"name": out["os"]}
    if "power" in out:
        out["power_state"] = out.pop("power")
    out.setdefault("power_state", "on")
    out.setdefault("cores", 2)
    out.setdefault("memory_mib", 8192)
    out["software"] = [{"product": s} if isinstance(s, str) else s for s in out.get("software", [])]
    if "used_gib" in out:
        used = out.pop("used_gib")
        out["disks"] = [{"provisioned_gib": used, "used_gib": used}]
    return out


def _application(raw: dict[str, Any], default_servers: list[str]) -> dict[str, Any]:
    out = dict(raw)
    out["products"] = [{"product": p} if isinstance(p, str) else p for p in out.get("products", [])]
    out.setdefault("servers", default_servers)
    return out


def fragment_inventory(raw: dict[str, Any]) -> Inventory:
    """A small inventory from a labelled-set fragment (application, servers, dependencies)."""
    servers = [Server.model_validate(_server(s)) for s in raw.get("servers", [])]
    others = [Application.model_validate(_application(a, [])) for a in raw.get("applications", [])]
    claimed = {n.lower() for a in others for n in a.servers}
    unclaimed = [s.name for s in servers if s.name.lower() not in claimed]
    main = Application.model_validate(_application(raw["application"], unclaimed))
    applications = [main, *others]
    deps = [Dependency.model_validate(d) for d in raw.get("dependencies", [])]
    deps += [Dependency(source=main.name, target=t) for t in raw.get("depends_on", [])]
    problems = ProblemCollector()
    resolved = resolve_dependencies(deps, [Location()] * len(deps), applications, problems)
    problems.raise_if_errors()
    return Inventory(
        servers=tuple(servers), applications=tuple(applications), dependencies=tuple(resolved)
    )


def _case(doc: YamlDocument, i: int, raw: Any, problems: list[Problem]) -> LabelledCase | None:
    where = ("cases", i)
    if not isinstance(raw, dict):
        problems.append(Problem("each case is a mapping", doc.location(where)))
        return None
    ident = str(raw.get("id", f"#{i + 1}"))
    try:
        expected = Decision(str(raw.get("expected", "")).strip().upper())
    except ValueError:
        problems.append(
            Problem(
                f"case {ident}: expected must be one of {', '.join(d.value for d in Decision)}",
                doc.location((*where, "expected"), "expected"),
            )
        )
        return None
    also = _also_accept(doc, where, ident, raw.get("also_accept"), problems)
    if also is None:
        return None
    app = raw.get("application")
    try:
        if isinstance(app, str):
            inventory, name = None, app
        elif isinstance(app, dict) and app.get("name"):
            inventory, name = fragment_inventory(raw), str(app["name"])
        else:
            problems.append(
                Problem(
                    f"case {ident}: application is a name or a mapping with a name",
                    doc.location((*where, "application"), "application"),
                )
            )
            return None
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            problems.append(
                Problem(
                    f"case {ident}: {format_loc(tuple(err['loc']))}: {err['msg']}",
                    doc.location(where),
                )
            )
        return None
    except InputError as exc:
        problems.extend(
            Problem(f"case {ident}: {p.message}", doc.location(where)) for p in exc.problems
        )
        return None
    return LabelledCase(
        ident,
        name,
        expected,
        str(raw.get("why", "")),
        inventory,
        doc.line(where),
        also - {expected},
    )


def _also_accept(
    doc: YamlDocument,
    where: tuple[str | int, ...],
    ident: str,
    raw: Any,
    problems: list[Problem],
) -> frozenset[Decision] | None:
    """The `also_accept` list of a case (a single decision may be written bare)."""
    if raw is None:
        return frozenset()
    values = raw if isinstance(raw, list) else [raw]
    found: set[Decision] = set()
    for j, value in enumerate(values):
        try:
            found.add(Decision(str(value).strip().upper()))
        except ValueError:
            problems.append(
                Problem(
                    f"case {ident}: also_accept entries must be among "
                    f"{', '.join(d.value for d in Decision)} (got {value!r})",
                    doc.location((*where, "also_accept", j), "also_accept"),
                )
            )
            return None
    return frozenset(found)


def load_labels(path: Path) -> tuple[list[LabelledCase], dt.date | None]:
    """The cases of a labelled set, and the `as_of` date it was labelled for (if it says)."""
    doc = read_yaml(path)
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise InputError("a labelled set is a mapping with a `cases:` list", doc.location(()))
    problems: list[Problem] = []
    cases = [c for i, raw in enumerate(data["cases"]) if (c := _case(doc, i, raw, problems))]
    ids = [c.id for c in cases]
    for case in cases:
        if ids.count(case.id) > 1:
            problems.append(
                Problem(f"duplicate case id {case.id!r}", Location(file=doc.display, row=case.line))
            )
    if problems:
        raise InputError(problems)
    as_of = data.get("as_of")
    return cases, as_of if isinstance(as_of, dt.date) else None


def evaluate(
    cases: Sequence[LabelledCase],
    *,
    as_of: dt.date,
    catalogue: Catalogue | None = None,
    inventory: Inventory | None = None,
) -> EvaluationReport:
    """Classify every case and compare with its label."""
    classifier = Classifier(catalogue, as_of=as_of)
    shared = classifier.classify(inventory).by_application() if inventory is not None else {}
    matrix = {e: {g: 0 for g in Decision} for e in Decision}
    report = EvaluationReport(total=0, agreed=0, matrix=matrix)
    problems: list[Problem] = []
    for case in cases:
        if case.inventory is not None:
            result = classifier.classify(case.inventory).by_application()
        else:
            result = shared
        got = result.get(case.application.lower())
        if got is None:
            problems.append(
                Problem(
                    f"case {case.id}: no application {case.application!r} in the inventory",
                    Location(row=case.line),
                )
            )
            continue
        report.total += 1
        report.alternatives += bool(case.also_accept)
        matrix[case.expected][got.decision] += 1
        if got.decision is case.expected:
            report.agreed += 1
            report.accepted += 1
            continue
        disagreement = Disagreement(case, got.decision, got.reasons)
        report.accepted += disagreement.accepted
        report.disagreements.append(disagreement)
    if problems:
        raise InputError(problems)
    return report
