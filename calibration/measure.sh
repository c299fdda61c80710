#!/usr/bin/env bash
# Measure the kept runs that `bench calibrate --gates OUT` judges (docs/verdicts.md, "Gating
# modes compared"). Real code changes, not scaled samples: each patch in calibration/patches/
# is applied to a clean checkout of HEAD (cpu30, cpu20, cpu10: extra CPU in the per-page parse
# path, about +30%, +20%, +10% instructions on a cold analysis; latency: 7 ms more on every
# request; requests: every job request sent twice).
#
#   calibration/measure.sh OUT [RUNS] [AGAINST]     (from the project's root, after make setup)
#
#   OUT/same/              RUNS runs of HEAD's quick suite, one process, instructions counted
#   OUT/spread/            2 runs with 5 processes each (baselines that know their spread)
#   OUT/change-NAME/       RUNS/2 runs (CHANGE_RUNS) of HEAD with patches/NAME.patch applied,
#                          and patches/NAME.target: the ids of the benchmark it must be caught on
#   OUT/against-same/      AGAINST `bench run --quick --against HEAD` runs of HEAD itself
#   OUT/against-NAME/      AGAINST such runs with patches/NAME.patch applied
# Each `bench run` prints its wall time to OUT/wall.txt. Takes about 2 hours on 2 cores.
# Running it again resumes: a command whose label is already in OUT/wall.txt is skipped.
# SPREAD=N (default 2) sets how many 5-process runs go to OUT/spread/; PATCHES="cpu30 latency"
# measures only those patches (default: all of calibration/patches/). AGAINST_ARGS="--max-time 5m"
# adds those options to every --against run.
set -euo pipefail
out=$(realpath -m "$1"); runs=${2:-8}; against=${3:-3}; spread=${SPREAD:-2}
change_runs=${CHANGE_RUNS:-$((runs / 2))}
root=$(git rev-parse --show-toplevel)
bench="$root/.venv/bin/bench"
mkdir -p "$out"
scratch=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$scratch/tree" 2>/dev/null || true; rm -rf "$scratch"' EXIT
git -C "$root" worktree add --detach --quiet "$scratch/tree" HEAD
tree="$scratch/tree"

timed() {  # timed LABEL COMMAND...: run it in the checkout, append its wall time
  local label=$1; shift
  if grep -q "^$label " "$out/wall.txt" 2>/dev/null; then return; fi
  local start=$SECONDS
  (cd "$tree" && "$@") >"$out/$label.log" 2>&1 || true
  echo "$label $((SECONDS - start))" >>"$out/wall.txt"
}

for i in $(seq "$runs"); do
  timed "same-$i" "$bench" run --quick --instructions --results-dir "$out/same"
done
for i in $(seq "$spread"); do
  timed "spread-$i" "$bench" run --quick --instructions --processes 5 --results-dir "$out/spread"
done
for patch in "$root"/calibration/patches/*.patch; do
  name=$(basename "$patch" .patch)
  if [ -n "${PATCHES:-}" ] && [[ " $PATCHES " != *" $name "* ]]; then continue; fi
  git -C "$tree" apply "$patch"
  mkdir -p "$out/change-$name"  # the benchmark the change must be caught on (a regex of ids)
  cp "${patch%.patch}.target" "$out/change-$name/target"
  for i in $(seq "$change_runs"); do
    timed "change-$name-$i" "$bench" run --quick --instructions --results-dir "$out/change-$name"
  done
  for i in $(seq "$against"); do
    timed "against-$name-$i" "$bench" run --quick --against HEAD ${AGAINST_ARGS:-} \
      --results-dir "$out/against-$name"
  done
  git -C "$tree" checkout --quiet .
done
for i in $(seq "$against"); do
  timed "against-same-$i" "$bench" run --quick --against HEAD ${AGAINST_ARGS:-} \
    --results-dir "$out/against-same"
done
echo "kept in $out; judge them with: bench calibrate --gates $out"
