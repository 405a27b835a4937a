"""`forcelift preview DIR`: every stack's program offline, under Pulumi's mock runtime."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from forcelift.cli.output import EXIT_FINDINGS, ensure_writable, handle_input_errors


@click.command("preview")
@click.argument(
    "work_dir",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--stack", "stack", default=None, help="Preview only this stack (and what it reads).")
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
@handle_input_errors
def preview(work_dir: Path, stack: str | None, json_file: Path | None, jobs: int | None) -> None:
    """Preview a generated project DIR offline: no Pulumi CLI, cloud or credentials.

    Runs each stack's program under Pulumi's mock runtime with the config of its
    Pulumi.<stack>.yaml (secrets and the certificate ARN get fixed stand-ins), landing zones
    first, then wave stacks in parallel processes reading the landing zone's outputs. Writes
    DIR/preview/<stack>.json (urn, type, name, parent, inputs, dependencies, protect), which
    `forcelift policy check DIR` and `forcelift deploy` read, and prints a resource tree per
    stack with counts per type. Exit 1 if a stack declares the same resource twice.

    Example:

        forcelift preview out/exampleshire --stack exampleshire-azure-wave-1
    """
    from forcelift.migration.inventory.writer import write_atomic
    from forcelift.stacks.preview import counts_table, load_documents, preview_project

    if json_file is not None:
        ensure_writable(json_file)  # before the previews, not after them

    def show(result: Any) -> None:
        click.echo(result.tree)
        click.echo(
            f"counts ({result.resources} declared resources: {result.cloud_resources} cloud "
            f"resources + {result.components} components; {result.seconds} s):"
        )
        click.echo(counts_table(result.counts))
        for urn in result.duplicate_urns:
            click.secho(f"duplicate URN: {urn}", fg="red", err=True)
        click.echo("")

    outcome = preview_project(work_dir, only=[stack] if stack else (), jobs=jobs, on_result=show)
    names = [r.stack for r in outcome.stacks]
    click.echo(f"wrote {len(names)} preview(s) to {work_dir / 'preview'}")
    if json_file is not None:
        data = {"stacks": load_documents(work_dir, names)}
        write_atomic(json_file, json.dumps(data, indent=1, sort_keys=True) + "\n", force=True)
        click.echo(f"wrote {json_file}")
    if any(r.duplicate_urns for r in outcome.stacks):
        sys.exit(EXIT_FINDINGS)
