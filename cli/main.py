"""The `forcelift` command. Subcommand modules load only when used, so `--help` stays fast."""

from __future__ import annotations

import importlib

import click

# name -> (module under forcelift.cli, attribute, one-line help shown by `forcelift --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "migrate": ("migrate", "migrate", "One run: inventory to plan, stacks, preview, report."),
    "inventory": ("inventory", "inventory", "Read, validate, summarise and convert inventories."),
    "classify": ("classify", "classify", "SaaS/PaaS/IaaS/retain/retire per workload, and why."),
    "rules": ("rules", "rules", "List the classification rules and their rationale."),
    "plan": ("plan", "plan", "Waves, sizes, address plan, cost and carbon in plan.yaml."),
    "prices": ("prices", "prices", "Refresh the price snapshots (AWS Price List API)."),
    "policy": ("policy", "policy", "Check guardrails on previews; write the CrossGuard pack."),
    "backend": ("backend", "backend", "Create the encrypted S3 bucket for Pulumi state."),
    "verify": ("verify", "verify", "Check the guardrails on what really exists in the cloud."),
    "deploy": ("deploy", "deploy", "Preview, deploy, refresh or destroy a stack via Pulumi."),
    "report": ("report", "report", "Write the architect's report, summary and decision sheets."),
    "preview": ("preview", "preview", "Preview every stack offline (mock runtime, no cloud)."),
    "generate": ("generate", "generate", "Write the Pulumi project and CI pipelines for a plan."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use, not at start-up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attr, _ = COMMANDS[cmd_name]
        module = importlib.import_module(f"forcelift.cli.{module_name}")
        command: click.Command = getattr(module, attr)
        return command

    def invoke(self, ctx: click.Context) -> object:
        """Every command runs at the CLI edge: one message and exit 2 for a bad path,
        130/143 for an interrupt, never a traceback (cli/output.py)."""
        from forcelift.cli.output import cli_edge

        with cli_edge():
            return super().invoke(ctx)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="forcelift")
def cli() -> None:
    """forcelift: move a UK police force's on-premise estate to Azure or AWS.

    Reads inventories (native YAML/CSV, RVTools, Azure Migrate, AWS Migration Hub),
    classifies workloads, plans waves and generates Pulumi stacks.

    Example:

        forcelift inventory show inventories/exampleshire
    """


def main() -> None:
    from forcelift.cli import output

    output.HARD_EXIT_ON_INTERRUPT = True
    cli(prog_name="forcelift")
