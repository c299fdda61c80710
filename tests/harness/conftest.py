from __future__ import annotations

from pathlib import Path

import pytest

from harness.measure import SampleSettings
from harness.runner import RunOptions

SAMPLE_SUITES = Path(__file__).parent / "sample_suites"
FAST = SampleSettings(samples=3, min_samples=3, max_time_s=2.0, warmup_s=0.0, min_sample_s=0.001)


@pytest.fixture
def sample_options(tmp_path: Path) -> RunOptions:
    return RunOptions(suites_root=SAMPLE_SUITES, results_dir=tmp_path / "results", settings=FAST)
