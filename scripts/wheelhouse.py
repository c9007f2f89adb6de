"""Download the wheels a reader's runtime needs, at the versions in requirements-lock.txt.

Usage: python scripts/wheelhouse.py DIR

``tests/test_colab_path.py`` installs the book's package into a fresh virtual environment from DIR with
``pip --no-index`` (no network at test time), as Colab's first cell would from PyPI: the runtime
dependencies declared in pyproject.toml and ipykernel (the kernel Colab already has). Run by
``make wheelhouse`` (part of ``make test``); pip's cache makes a second run quick.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KERNEL = ["ipykernel"]


def runtime_requirements() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project.get("dependencies", []), *KERNEL]


def lock_constraints(lock: Path = REPO / "requirements-lock.txt") -> str:
    """The lock's pins without hashes (pip refuses hashes in a constraints file)."""
    return "\n".join(m.group(1) for m in re.finditer(r"^([A-Za-z0-9][^\s\\;]*==[^\s\\;]+)",
                                                      lock.read_text(encoding="utf-8"), re.M)) + "\n"


def main(target: str) -> int:
    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    constraints = out / "constraints.txt"
    constraints.write_text(lock_constraints(), encoding="utf-8")
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
           "--only-binary=:all:", "--dest", str(out), "--constraint", str(constraints), *runtime_requirements()]
    done = subprocess.run(cmd)
    if done.returncode:
        print(f"wheelhouse: pip download failed ({' '.join(cmd)})", file=sys.stderr)
        return done.returncode
    print(f"==> [wheelhouse] {len(list(out.glob('*.whl')))} wheels in {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    raise SystemExit(main(sys.argv[1]))
