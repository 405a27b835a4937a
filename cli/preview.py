"""`forcelift preview DIR`: every stack's program offline, under Pulumi's mock runtime."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from forcelift.cli.output import EXIT_FINDINGS, echo_json, ensure_writable, handle_input_errors
from forcelift.cli.stack_selection import Selection, stack_selection


@click.command("preview")
@click.argument(
    "work_dir",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@stack_selection("Preview", "Preview only this stack (and what it reads).")
@click.option(
    "--json",
    "json_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the previewed stacks' graphs to FILE ({'stacks': [...]}).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for wave stacks (default: CPUs, at most 4; 1 runs in-process).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Preview every stack again, even those whose content key is unchanged.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: print {stacks, reused, previewed} instead of the trees.",
)
@handle_input_errors
def preview(
    work_dir: Path,
    selection: Selection,
    json_file: Path | None,
    jobs: int | None,
    no_cache: bool,
    output_format: str,
) -> None:
    """Preview a generated project DIR offline: no Pulumi CLI, cloud or credentials.

    Runs each stack's program under Pulumi's mock runtime with the config of its
    Pulumi.<stack>.yaml (secrets and the certificate ARN get fixed stand-ins), landing zones
    first, then wave stacks in parallel processes reading the landing zone's outputs. Writes
    DIR/preview/<stack>.json (urn, type, name, parent, inputs, dependencies, protect), which
    `forcelift policy check DIR` and `forcelift deploy` read, and prints a resource tree per
    stack with counts per type. Exit 1 if a stack declares the same resource twice.

    A stack whose content key (its part of the plan, its Pulumi.<stack>.yaml, the outputs it
    references, the forcelift and SDK versions) is unchanged since its last preview is
    reused, not run again; --no-cache previews every stack.

    --cloud, --layer and --shard I/N pick the stacks a CI job previews; what they read
    (the landing zone, for a wave shard) comes from the previews already in DIR/preview,
    and is previewed first only when it has none (docs/ci-pipelines.md, "Sharded previews").

    Example:

        forcelift preview out/exampleshire --stack exampleshire-azure-wave-1

        forcelift preview out/exampleshire --cloud azure --layer wave --shard 2/4
    """
    from forcelift.migration.inventory.writer import write_atomic
    from forcelift.stacks.preview import (
        PreviewResult,
        counts_table,
        load_documents,
        preview_project,
    )

    if json_file is not None:
        ensure_writable(json_file)  # before the previews, not after them

    as_json = output_format == "json"

    def show(result: Any) -> None:
        if as_json:
            return
        click.echo(result.tree)
        click.echo(
            f"counts ({result.resources} declared resources: {result.cloud_resources} cloud "
            f"resources + {result.components} components; {result.seconds} s):"
        )
        click.echo(counts_table(result.counts))
        for urn in result.duplicate_urns:
            click.secho(f"duplicate URN: {urn}", fg="red", err=True)
        click.echo("")

    only = selection.names(work_dir)
    if only == []:  # an empty shard or layer: nothing to preview (not "every stack")
        click.echo(f"no stacks in {selection.describe()}", err=True)
    outcome = (
        PreviewResult()
        if only == []
        else preview_project(
            work_dir, only=only or (), jobs=jobs, on_result=show, resume=not no_cache
        )
    )
    names = [r.stack for r in outcome.stacks]
    if as_json:
        echo_json(
            {
                "directory": str(work_dir / "preview"),
                "previewed": outcome.previewed,
                "reused": outcome.reused,
                "stacks": [
                    {"stack": r.stack, "resources": r.resources, "reused": r.reused}
                    for r in outcome.stacks
                ],
            }
        )
    else:
        click.echo(
            f"wrote {len(names)} preview(s) to {work_dir / 'preview'} "
            f"({outcome.reused} reused, {outcome.previewed} previewed)"
        )
    if json_file is not None:
        data = {"stacks": load_documents(work_dir, names)}
        write_atomic(json_file, json.dumps(data, indent=1, sort_keys=True) + "\n", force=True)
        if not as_json:
            click.echo(f"wrote {json_file}")
    if any(r.duplicate_urns for r in outcome.stacks):
        sys.exit(EXIT_FINDINGS)
