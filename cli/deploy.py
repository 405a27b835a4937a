"""`forcelift deploy DIR --stack NAME`: guardrails, then Pulumi through the Automation API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from forcelift.cli.options import waiver_date
from forcelift.cli.output import EXIT_FINDINGS, handle_input_errors


def _operation(preview: bool, up: bool, refresh: bool, destroy: bool) -> str:
    chosen = [
        name
        for name, on in (
            ("preview", preview),
            ("up", up),
            ("refresh", refresh),
            ("destroy", destroy),
        )
        if on
    ]
    if len(chosen) > 1:
        raise click.UsageError(
            f"choose one operation, not {' and '.join('--' + c for c in chosen)}"
        )
    return chosen[0] if chosen else "preview"


@click.command("deploy")
@click.argument(
    "work_dir",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--stack", required=True, help="Stack to operate on, e.g. exampleshire-aws-wave-1.")
@click.option("--preview", is_flag=True, help="Show what would change (the default).")
@click.option("--up", is_flag=True, help="Create or update the stack's resources.")
@click.option("--refresh", is_flag=True, help="Read the real state of the stack's resources.")
@click.option("--destroy", is_flag=True, help="Delete the stack's unprotected resources.")
@click.option("--yes-destroy", is_flag=True, help="Confirm --destroy.")
@click.option(
    "--skip-guardrails-for-refresh",
    is_flag=True,
    help="Run --refresh without checking the preview (e.g. to repair state).",
)
@click.option(
    "--secrets-provider",
    default=None,
    help="For a new stack, e.g. 'awskms://alias/forcelift-state?region=eu-west-2'.",
)
@waiver_date
@handle_input_errors
def deploy(
    work_dir: Path,
    stack: str,
    preview: bool,
    up: bool,
    refresh: bool,
    destroy: bool,
    yes_destroy: bool,
    skip_guardrails_for_refresh: bool,
    secrets_provider: str | None,
    as_of: dt.datetime | None,
) -> None:
    """Run preview, up, refresh or destroy on a stack of a generated project DIR.

    DIR holds Pulumi.yaml, Pulumi.<stack>.yaml, plan.yaml and preview/<stack>.json. Before
    --preview and --up (and --refresh unless told otherwise) the guardrails run on the offline
    preview with the plan's waivers; any unwaived high or critical finding stops the deploy
    (exit 1). Needs the `pulumi` CLI; --destroy needs --yes-destroy and never removes protected
    resources. Exit 2 for setup problems, 1 when the operation fails.

    Example:

        forcelift deploy out/exampleshire --stack exampleshire-aws-wave-1 --up
    """
    from forcelift.stacks.deploy import (
        DeployFailed,
        check_project,
        enforce_guardrails,
        find_pulumi,
        run_operation,
    )

    operation = _operation(preview, up, refresh, destroy)
    if operation == "destroy" and not yes_destroy:
        raise click.UsageError("--destroy deletes resources: confirm with --yes-destroy")
    if skip_guardrails_for_refresh and operation != "refresh":
        raise click.UsageError("--skip-guardrails-for-refresh only goes with --refresh")
    check_project(work_dir, stack, operation)
    try:
        if operation in ("preview", "up") or (
            operation == "refresh" and not skip_guardrails_for_refresh
        ):
            if operation == "refresh":
                check_project(work_dir, stack, "preview")
            findings = enforce_guardrails(work_dir, stack, as_of.date() if as_of else None)
            waived = sum(1 for f in findings if f.waived)
            click.echo(
                f"Guardrails passed for {stack}: {len(findings)} finding(s), none blocking"
                + (f" ({waived} waived)" if waived else "")
                + "."
            )
        find_pulumi()
        if operation == "destroy":
            click.echo(
                "Destroying with --exclude-protected: protected (stateful) resources such as "
                "databases, key material and state buckets are kept."
            )
        result = run_operation(
            work_dir,
            stack,
            operation,
            secrets_provider=secrets_provider,
            on_output=click.echo,
            on_error=lambda line: click.echo(line, err=True),
        )
    except DeployFailed as exc:
        click.secho(str(exc), fg="red", err=True)
        if exc.findings:
            from forcelift.cli.verify import findings_lines

            for line in findings_lines(exc.findings):
                click.echo(line, err=True)
            click.echo(
                "Fix them, or record a waiver in plan.yaml (rule, resource, reason, expires).",
                err=True,
            )
        raise SystemExit(EXIT_FINDINGS) from exc
    click.echo(f"pulumi {operation} on {stack} finished: {result.summary()}.")
    if result.outputs:
        click.echo(f"Stack outputs (values not shown): {', '.join(sorted(result.outputs))}")
    if operation == "destroy":
        click.echo("Protected resources were not destroyed.")
