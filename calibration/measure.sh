#!/usr/bin/env bash
# Measure the kept runs that `bench calibrate --gates OUT` judges (docs/verdicts.md, "Gating
# modes compared"). Real code changes, not scaled samples: each patch in calibration/patches/
# is applied to a clean checkout of HEAD (cpu: extra CPU in the per-page parse path; latency:
# 7 ms more on every request; requests: every job request sent twice).
#
#   calibration/measure.sh OUT [RUNS] [AGAINST]     (from the project's root, after make setup)
#
#   OUT/same/              RUNS runs of HEAD's quick suite, one process, instructions counted
#   OUT/spread/            2 runs with 5 processes each (baselines that know their spread)
#   OUT/change-NAME/       RUNS/2 runs of HEAD with patches/NAME.patch applied
#   OUT/against-same/      AGAINST `bench run --quick --against HEAD` runs of HEAD itself
#   OUT/against-NAME/      AGAINST such runs with patches/NAME.patch applied
# Each `bench run` prints its wall time to OUT/wall.txt. Takes about 2 hours on 2 cores.
set -euo pipefail
out=$(realpath -m "$1"); runs=${2:-8}; against=${3:-3}
root=$(git rev-parse --show-toplevel)
bench="$root/.venv/bin/bench"
mkdir -p "$out"
scratch=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$scratch/tree" 2>/dev/null || true; rm -rf "$scratch"' EXIT
git -C "$root" worktree add --detach --quiet "$scratch/tree" HEAD
tree="$scratch/tree"

timed() {  # timed LABEL COMMAND...: run it in the checkout, append its wall time
  local label=$1; shift
  local start=$SECONDS
  (cd "$tree" && "$@") >"$out/$label.log" 2>&1 || true
  echo "$label $((SECONDS - start))" >>"$out/wall.txt"
}

for i in $(seq "$runs"); do
  timed "same-$i" "$bench" run --quick --instructions --results-dir "$out/same"
done
for i in 1 2; do
  timed "spread-$i" "$bench" run --quick --instructions --processes 5 --results-dir "$out/spread"
done
for patch in "$root"/calibration/patches/*.patch; do
  name=$(basename "$patch" .patch)
  git -C "$tree" apply "$patch"
  for i in $(seq $((runs / 2))); do
    timed "change-$name-$i" "$bench" run --quick --instructions --results-dir "$out/change-$name"
  done
  for i in $(seq "$against"); do
    timed "against-$name-$i" "$bench" run --quick --against HEAD --results-dir "$out/against-$name"
  done
  git -C "$tree" checkout --quiet .
done
for i in $(seq "$against"); do
  timed "against-same-$i" "$bench" run --quick --against HEAD --results-dir "$out/against-same"
done
echo "kept in $out; judge them with: bench calibrate --gates $out"
