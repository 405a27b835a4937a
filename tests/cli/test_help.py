"""Every command answers --help, and the top-level help does not import heavy modules."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from forcelift.cli.main import COMMANDS, cli


def _all_commands() -> list[list[str]]:
    import click

    out: list[list[str]] = []

    def walk(command: click.Command, path: list[str]) -> None:
        out.append(path)
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                walk(sub, [*path, name])

    walk(cli, [])
    return out


def test_every_command_has_help_with_text() -> None:
    runner = CliRunner()
    commands = _all_commands()
    assert len(commands) > len(COMMANDS)
    for path in commands:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output
        assert len(result.output.splitlines()) > 4, path


def test_top_level_help_imports_no_heavy_modules() -> None:
    code = (
        "import sys; from forcelift.cli.main import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pulumi', 'pydantic', 'python_calamine', 'rich', 'networkx', "
        "'boto3') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_console_entry_help_imports_no_heavy_modules() -> None:
    """The console script's own entry (main(), which also sets up the interrupt handling)
    stays as light as the group."""
    code = (
        "import sys; sys.argv = ['forcelift', '--help']\n"
        "from forcelift.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pulumi', 'pydantic', 'python_calamine', 'rich', 'networkx', "
        "'boto3', 'yaml', 'jinja2', 'matplotlib') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage: forcelift" in out.stdout
    assert "HEAVY []" in out.stdout
