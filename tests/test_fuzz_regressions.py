"""Inputs the fuzzers found failing (tests/data/fuzz/TARGET/*), replayed through their target's checks
(fuzz/targets.py) after the fix; `fuzz/run.py --keep` adds new ones."""

from pathlib import Path

import fuzz_strategies  # noqa: F401  (puts fuzz/ on the path)
import pytest
from targets import TARGETS

CASES = sorted((Path(__file__).parent / "data" / "fuzz").glob("*/*"))


def test_every_kept_input_names_a_target():
    assert CASES and {p.parent.name for p in CASES} <= set(TARGETS)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_kept_input_passes_its_target(case):
    TARGETS[case.parent.name](case.read_bytes())
