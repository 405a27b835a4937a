"""The preview document of one stack (`DIR/preview/<stack>.json`, docs/stack-contract.md):
its resources sorted by URN, byte-identical for the same plan, and the views the CLI prints
of it (a component tree, counts by type)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

PREVIEW_SCHEMA_VERSION = "1.0"
PREVIEW_DIR = "preview"


def document(run: Any, config: Mapping[str, str], sanitise: Callable[[Any], Any]) -> dict[str, Any]:
    """The preview JSON of one run (docs/stack-contract.md)."""
    resources = sorted((r.to_dict() for r in run.resources), key=lambda r: r["urn"])
    counts = Counter(r["type"] for r in resources)
    return {
        "schema_version": PREVIEW_SCHEMA_VERSION,
        "stack": run.stack,
        "project": run.project,
        "config": dict(sorted(config.items())),
        "resources": resources,
        "outputs": sanitise(dict(sorted(run.outputs.items()))),
        "counts": dict(sorted(counts.items())),
        "duplicate_urns": sorted(set(run.duplicate_urns)),
    }


def dumps(doc: Mapping[str, Any]) -> str:
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def tree(doc: Mapping[str, Any]) -> str:
    """Components as a tree, each with its resources counted per type."""
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for resource in doc["resources"]:
        children[resource["parent"]].append(resource)
    lines = [f"{doc['stack']} ({len(doc['resources'])} resources)"]

    def walk(parent: str, depth: int) -> None:
        kids = children.get(parent, [])
        leaves = Counter(k["type"] for k in kids if k["urn"] not in children)
        for kind, n in sorted(leaves.items()):
            lines.append(f"{'  ' * depth}- {kind} x{n}")
        for kid in sorted((k for k in kids if k["urn"] in children), key=lambda k: k["urn"]):
            lines.append(f"{'  ' * depth}+ {kid['type']} {kid['name']}")
            walk(kid["urn"], depth + 1)

    roots = {r["parent"] for r in doc["resources"]} - {r["urn"] for r in doc["resources"]}
    for root in sorted(roots):
        walk(root, 1)
    return "\n".join(lines)


def counts_table(counts: Mapping[str, int]) -> str:
    width = max((len(k) for k in counts), default=0)
    return "\n".join(f"  {kind:<{width}}  {n:>5}" for kind, n in sorted(counts.items()))


def cloud_resource_count(doc: Mapping[str, Any]) -> int:
    """Custom resources of a preview: the declared ones less the component resources."""
    return sum(1 for r in doc["resources"] if r.get("custom", True))


def existing_outputs(directory: Path, name: str) -> Mapping[str, Any] | None:
    """The outputs of an earlier preview of this stack, None when there is none to read."""
    path = directory / PREVIEW_DIR / f"{name}.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    outputs = data.get("outputs") if isinstance(data, Mapping) else None
    return outputs if isinstance(outputs, Mapping) else None


def load_documents(directory: Path, names: Iterable[str]) -> list[dict[str, Any]]:
    """The written previews of these stacks (for `--json FILE`)."""
    docs = []
    for name in names:
        path = directory / PREVIEW_DIR / f"{name}.json"
        docs.append(json.loads(path.read_text(encoding="utf-8")))
    return docs
