"""``bench run`` through a pipe (no terminal, as in CI): plain progress lines as they happen,
and a table with one line per benchmark and its full id."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SUITE = '''
import os
import time
from pathlib import Path


class A:
    params = [["a-parameter-value-long-enough-that-the-id-needs-more-than-eighty-columns"]]
    param_names = ["label"]

    def time_first(self, label):
        pass


class B:
    """Waits for the test's go file: the test sees the lines written before it, live."""

    number = 1

    def time_waits_for_the_test(self):
        go = Path(os.environ["PIPE_GO_FILE"])
        deadline = time.monotonic() + 30
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
'''
LABEL = "a-parameter-value-long-enough-that-the-id-needs-more-than-eighty-columns"
FIRST = f"pipe.A.time_first(label='{LABEL}')"
WAITING = "pipe.B.time_waits_for_the_test"


def start(tmp: Path) -> subprocess.Popen[str]:
    (tmp / "pipesuites").mkdir()
    (tmp / "pipesuites" / "__init__.py").write_text("")
    (tmp / "pipesuites" / "pipe.py").write_text(SUITE)
    env = {**os.environ, "PIPE_GO_FILE": str(tmp / "go"), "COLUMNS": "80"}
    env.pop("FORCE_COLOR", None)
    command = [sys.executable, "-m", "harness.cli", "run", "--quick", "--suites-dir",
               str(tmp / "pipesuites"), "--results-dir", str(tmp / "results")]  # fmt: skip
    return subprocess.Popen(
        command, cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_progress_lines_arrive_while_the_run_is_still_going(tmp_path: Path) -> None:
    bench = start(tmp_path)
    assert bench.stderr is not None
    try:
        seen = [bench.stderr.readline().rstrip("\n") for _ in range(3)]
        # The second benchmark is waiting for the go file: the run cannot have ended, so these
        # lines were flushed when they happened, not at exit.
        assert bench.poll() is None
    finally:
        (tmp_path / "go").touch()
    out, err = bench.communicate(timeout=120)
    assert bench.returncode == 0, err
    assert seen[0] == "preparing: 2 benchmark(s) found, starting fixtures"
    assert seen[1] == "measuring: 2 benchmark runs"
    assert seen[2].startswith(f"[  1/2] ok  {FIRST}  ") and seen[2].endswith("s")
    assert err.splitlines()[0].startswith(f"[  2/2] ok  {WAITING}  ")


def test_the_table_keeps_every_id_whole_on_one_line(tmp_path: Path) -> None:
    bench = start(tmp_path)
    (tmp_path / "go").touch()
    out, err = bench.communicate(timeout=120)
    assert bench.returncode == 0, err
    assert "\x1b[" not in out  # no colour codes in a log
    for bench_id in (FIRST, WAITING):
        lines = [line for line in out.splitlines() if bench_id in line]
        assert len(lines) == 1, out
        assert lines[0].startswith(f"│ {bench_id} ") and " ok " in lines[0]
    assert len(max(out.splitlines(), key=len)) > 80  # wider than COLUMNS: nothing wrapped
