"""Subcommands of the oascompile CLI, one module per command family."""
