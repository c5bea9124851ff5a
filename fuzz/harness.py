"""Coverage-guided fuzzing of one target of fuzz/targets.py with atheris (libFuzzer for Python).

    .venv/bin/python fuzz/harness.py TARGET [libFuzzer flags] [corpus folders]

fuzz/run.py runs every target for a bounded time; use this directly to fuzz one target by hand.
"""

from __future__ import annotations

import logging
import sys

import atheris

with atheris.instrument_imports(include=["marsad"]):
    from targets import TARGETS


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        raise SystemExit(f"usage: harness.py TARGET [libFuzzer flags]; targets: {', '.join(TARGETS)}")
    check = TARGETS[sys.argv[1]]
    logging.disable(logging.CRITICAL)  # rejected pages log by design; only escaped exceptions matter here
    atheris.Setup([sys.argv[0], *sys.argv[2:]], check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
