"""Reproducible installs: the lock pins every package with the hashes of its files, matches
requirements.txt, and the Makefile installs it in pip's hash-checking mode."""

from __future__ import annotations

import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}$")


def requirement_lines(path: Path) -> list[str]:
    """Logical requirement lines (continuations joined, comments dropped)."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    lines = [line.split(" #")[0].strip() for line in text.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def lock() -> dict[str, tuple[str, list[str]]]:
    pins = {}
    for line in requirement_lines(REPO / "requirements-lock.txt"):
        spec, *options = line.split()
        req = Requirement(spec)
        assert len(req.specifier) == 1 and next(iter(req.specifier)).operator == "==", f"not pinned: {line[:80]}"
        pins[canonicalize_name(req.name)] = (next(iter(req.specifier)).version, options)
    return pins


def test_every_locked_package_is_pinned_with_sha256_hashes():
    pins = lock()
    assert len(pins) > 100
    unhashed = sorted(
        name for name, (_, options) in pins.items() if not options or not all(HASH.match(o) for o in options)
    )
    assert not unhashed, f"requirements-lock.txt: packages without --hash=sha256: {unhashed[:10]} (run make lock)"


def test_the_lock_holds_every_direct_pin_at_its_version():
    pins = lock()
    for line in requirement_lines(REPO / "requirements.txt"):
        req = Requirement(line)
        name, wanted = canonicalize_name(req.name), next(iter(req.specifier)).version
        assert name in pins, f"requirements.txt pins {name}, which is not in requirements-lock.txt (run make lock)"
        assert pins[name][0] == wanted, (
            f"{name}: requirements.txt says {wanted}, the lock {pins[name][0]} (run make lock)"
        )


def test_setup_installs_the_lock_in_hash_checking_mode():
    recipe = (REPO / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in recipe.splitlines() if "pip install" in line and "requirements-lock.txt" in line]
    assert installs and all("--require-hashes" in line for line in installs), installs
