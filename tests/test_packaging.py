"""The wheel lists its packages by hand (the folders are mapped into `linli` with
setuptools' package-dir): every folder with an `__init__.py` under a mapped folder must be
listed, or a plain `pip install .` (the Dockerfile, `linli demo` on a fresh machine) would
leave it out."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found: set[str] = set()
    for package, folder in config["package-dir"].items():
        base = ROOT / folder
        for init in base.rglob("__init__.py"):
            relative = init.parent.relative_to(base).parts
            found.add(".".join((package, *relative)))
    nested = {name for name in found if any(name.startswith(p + ".") for p in found)}
    assert found - listed == set(), "add these to [tool.setuptools] packages"
    assert listed - found == set(), "these are listed but have no folder"
    assert nested  # the check walks subfolders
