"""Subcommands of the `growthlens` console script, one module each (see growthlens.cli)."""
