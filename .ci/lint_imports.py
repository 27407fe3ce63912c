"""Check the import-linter contracts of pyproject.toml ([tool.importlinter]).

import-linter finds a package's modules by walking its folder, but `linli`'s subpackages
are the repository's top-level folders, mapped by setuptools' package-dir, not folders
under linli/. So this lays the package out as a tree of symlinks in a temporary folder
(from pyproject.toml's package-dir), puts that first on the import path and runs
`lint-imports` from there (it puts its working folder first on the path, so not from the
repository, whose linli/ holds only the package's own files).

Usage: `python .ci/lint_imports.py [lint-imports options]`, e.g. `--verbose`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lay_out(target: Path) -> None:
    """`target/linli/...`: linli/'s own files, and a symlink per mapped subpackage."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_dir: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    root = target / "linli"
    root.mkdir()
    for item in (ROOT / package_dir["linli"]).iterdir():
        (root / item.name).symlink_to(item)
    for package, folder in sorted(package_dir.items()):
        parts = package.split(".")
        if len(parts) == 1:
            continue
        link = target.joinpath(*parts)
        if link.exists():
            raise SystemExit(f"{package} is both a folder under linli/ and mapped to {folder}")
        link.symlink_to(ROOT / folder, target_is_directory=True)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="linli-imports-") as tmp:
        lay_out(Path(tmp))
        env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join(filter(None, [tmp, os.environ.get("PYTHONPATH")])),
        )
        command = ["lint-imports", "--no-cache", str(ROOT / "pyproject.toml"), *argv]
        return subprocess.run(command, cwd=tmp, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
