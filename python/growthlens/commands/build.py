"""`growthlens build`: run `dbt build` with the repository's project and profiles."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from growthlens.errors import GrowthlensError


def project_dir(start: Path | None = None) -> Path:
    """The growthlens dbt project: the working folder or a parent holding dbt_project.yml,
    else the repository this package was installed from (an editable install)."""
    here = (start or Path.cwd()).resolve()
    candidates = [here, *here.parents, Path(__file__).resolve().parents[3]]
    for folder in candidates:
        if (folder / "dbt_project.yml").exists() and (folder / "profiles.yml").exists():
            return folder
    raise GrowthlensError(
        "no growthlens dbt project found (dbt_project.yml and profiles.yml); run from the "
        "repository or pass --project-dir"
    )


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    build = subparsers.add_parser(
        "build",
        help="run dbt build on the warehouse (models and tests)",
        description="Run `dbt build` with the repository's dbt project and profiles.yml on the "
        "DuckDB file given by --path or $GROWTHLENS_DUCKDB. dbt prints its progress; "
        "--vars and --select are passed through, and anything after `--` too.",
    )
    build.add_argument("--path", default=None, help="DuckDB file (default $GROWTHLENS_DUCKDB)")
    build.add_argument("--project-dir", default=None, help="dbt project (default: found)")
    build.add_argument("--vars", default=None, help="dbt vars as YAML, e.g. '{scenario: loyalty}'")
    build.add_argument("--select", default=None, help="dbt node selection, e.g. '+fct_retention'")
    build.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
    build.add_argument("dbt_args", nargs=argparse.REMAINDER, help="more dbt arguments after --")
    return build


def run(args: argparse.Namespace) -> int:
    project = Path(args.project_dir).resolve() if args.project_dir else project_dir()
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt if dbt.exists() else "dbt"), "build", "--project-dir", str(project)]
    command += ["--profiles-dir", str(project)]
    if args.vars:
        command += ["--vars", args.vars]
    if args.select:
        command += ["--select", args.select]
    if args.full_refresh:
        command.append("--full-refresh")
    command += [a for a in args.dbt_args if a != "--"]
    env = dict(os.environ)
    if args.path:
        env["GROWTHLENS_DUCKDB"] = str(Path(args.path).resolve())
    env.setdefault("GROWTHLENS_DUCKDB", str(project / "warehouse.duckdb"))
    print(f"growthlens build: dbt build on {env['GROWTHLENS_DUCKDB']}", file=sys.stderr, flush=True)
    return subprocess.run(command, cwd=project, env=env).returncode
