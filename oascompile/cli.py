"""The ``oascompile`` command line: option parsing and wiring only.

Each subcommand lives in its own module under :mod:`oascompile.commands` and is imported only
when it runs, so ``oascompile lint`` does not pay for the evaluation engine and vice versa.
The exit codes (cli-contract.md): 0 = ran, nothing at or above the threshold; 1 = findings or
failed cases; 2 = could not run.  Every command turns :class:`~oascompile.errors.InputError`
into ``file:line:col: message`` on stderr and exit 2; no traceback reaches the user.
"""

from __future__ import annotations

import importlib
import sys

import click

from oascompile import __version__
from oascompile.errors import EXIT_CANNOT_RUN

# command name -> (module, attribute, one-line help shown by `oascompile --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "compile": ("oascompile.commands.compile", "compile_command",
                "Convert between Tyk Classic and Tyk OAS (Auth Token), with a migration report."),
    "lint": ("oascompile.commands.lint", "lint_command",
             "Lint Tyk OAS / Tyk Classic API definitions."),
    "rules": ("oascompile.commands.lint", "rules_command",
              "List the lint rules, or print one rule's documentation."),
    "eval": ("oascompile.commands.evaluate", "eval_command",
             "Evaluate one HTTP request against an API definition."),
    "test": ("oascompile.commands.evaluate", "test_command",
             "Run a YAML file of request cases against an API definition."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attr, _ = entry
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("oascompile"):
                raise click.UsageError(f"the {cmd_name!r} command is not available in this build")
            raise
        return getattr(module, attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_) for name, (_, _, help_) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="oascompile")
def cli() -> None:
    """Lint, compile and evaluate Tyk API Gateway Auth Token configuration."""


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point.  Exits with the command's code; usage errors exit 2."""
    try:
        cli.main(args=argv, prog_name="oascompile", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        click.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
