#!/usr/bin/env bash
# Solve rate of a preset: trains it on 10 seeds one after the other, on one core, and prints a row per seed, then the
# solve rate (final 100-episode evaluation >= 475), the median environment steps to solve and the median wall time.
#
#   scripts/solve-rate.sh                       # preset fast, seeds 1..10
#   FIRST_SEED=101 scripts/solve-rate.sh        # seeds 101..110
#   scripts/solve-rate.sh --preset zoo --json   # any sweep/train flag is passed on
#
# SEEDS (default 10), FIRST_SEED (default 1) and CORE (default 0, the core taskset pins to) can be set in the
# environment. Runs are written under runs/sweep-<preset>/<seed>/ (runs/sweep-<preset>-2/... when that holds a sweep),
# with sweep.html and sweep.json beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/ScratchRl/ScratchRl.csproj -c Release -nologo -v quiet > /dev/null
exe=src/ScratchRl/bin/Release/net10.0/scratchrl
pin=()
if command -v taskset > /dev/null; then
    pin=(taskset -c "${CORE:-0}")
fi
exec "${pin[@]}" "$exe" sweep --seeds "${SEEDS:-10}" --first-seed "${FIRST_SEED:-1}" "$@"
