"""Download the wheels a reader's runtime needs, at the versions in requirements-lock.txt.

Usage: python scripts/wheelhouse.py DIR

``tests/test_colab_path.py`` installs the book's package into a fresh virtual environment from DIR with
``pip --no-index`` (no network at test time), as Colab's first cell would from PyPI: the runtime
dependencies declared in pyproject.toml and ipykernel (the kernel Colab already has). It also builds the
wheels of tests/cffconvert-requirements.txt for tests/test_citation.py. Run by
``make wheelhouse`` (part of ``make test``); pip's cache makes a second run quick.
"""

from __future__ import annotations

import os
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
    return (
        "\n".join(
            m.group(1)
            for m in re.finditer(r"^([A-Za-z0-9][^\s\\;]*==[^\s\\;]+)", lock.read_text(encoding="utf-8"), re.M)
        )
        + "\n"
    )


def main(target: str) -> int:
    out = Path(target)
    out.mkdir(parents=True, exist_ok=True)
    constraints = out / "constraints.txt"
    constraints.write_text(lock_constraints(), encoding="utf-8")
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--disable-pip-version-check",
        "--only-binary=:all:",
        "--dest",
        str(out),
        "--constraint",
        str(constraints),
        *runtime_requirements(),
    ]
    done = subprocess.run(cmd)
    if done.returncode:
        print(f"wheelhouse: pip download failed ({' '.join(cmd)})", file=sys.stderr)
        return done.returncode
    # cffconvert (tests/test_citation.py) lives in its own environment: its jsonschema<4 conflicts with the lock.
    cff = out / "cffconvert"
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--wheel-dir",
        str(cff),
        "-r",
        str(REPO / "tests" / "cffconvert-requirements.txt"),
    ]
    done = subprocess.run(cmd, env={**os.environ, "PIP_CONFIG_FILE": os.devnull})
    if done.returncode:
        print(f"wheelhouse: pip wheel failed ({' '.join(cmd)})", file=sys.stderr)
        return done.returncode
    print(f"==> [wheelhouse] {len(list(out.glob('*.whl')))} wheels in {out}, {len(list(cff.glob('*.whl')))} in {cff}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    raise SystemExit(main(sys.argv[1]))
