"""Import a script or benchmark of the repository (not a package module) by its path, for tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def load_module(relpath: str, name: str) -> ModuleType:
    """The module at ROOT/relpath, registered in sys.modules under `name` (its dataclasses need that)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / relpath)
    mod = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
