"""No regular expression of the package is super-linear (issue 10: one field-code pattern was
quadratic on runs of spaces; 40k spaces took 3 s, a 1 MB line would take ~30 min).

Every pattern is found by introspection (module globals and re.<func>("literal") calls), then run
on 1 MB of spaces, digits, CJK and mixes of them in a child process. A linear pattern needs a few
milliseconds per input; a quadratic one needs minutes. The bound is a generous wall-clock timeout on
the whole child (no timing ratio is asserted); the child prints each pattern before running it, so a
timeout names the culprit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from regex_inventory import all_patterns

TESTS = Path(__file__).resolve().parent
SIZE = 1024 * 1024
TIMEOUT_S = 300  # all patterns x 4 inputs of 1 MB take about a minute; one quadratic pattern takes hours

CHILD = f"""
import sys
sys.path.insert(0, {str(TESTS)!r})
from regex_inventory import all_patterns, hostile_inputs, exercise
inputs = hostile_inputs({SIZE})
for name, p in sorted(all_patterns().items()):
    for kind, text in inputs.items():
        print(name, kind, flush=True)
        exercise(p, text)
print("DONE", flush=True)
"""


def test_inventory_finds_the_patterns():
    names = all_patterns()
    assert "generator.parse.readers.text._FIELD_TAIL" in names
    assert any(n.startswith("generator/values.py:") for n in names)
    assert len(names) > 50


def test_every_regex_is_linear_on_one_megabyte():
    try:
        out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=TIMEOUT_S).stdout
    except subprocess.TimeoutExpired as e:
        last = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        culprit = last.strip().splitlines()[-1] if last.strip() else "?"
        raise AssertionError(f"a regex did not finish 1 MB within {TIMEOUT_S} s: {culprit}") from None
    assert out.strip().endswith("DONE"), out[-500:]
