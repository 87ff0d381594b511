#!/usr/bin/env bash
# Runs the peer benchmark and writes BENCHMARKS.md at the repository root.
#
#   benches/peers/report.sh                  # criterion with --warm-up-time 1 --measurement-time 3
#   benches/peers/report.sh --engine         # also the root crate's benches (cargo bench --bench evaluate)
#   benches/peers/report.sh --report-only    # only rewrite BENCHMARKS.md from target/criterion
#   CRITERION_ARGS="--measurement-time 10" benches/peers/report.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ARGS=${CRITERION_ARGS:---warm-up-time 1 --measurement-time 3}
run=1
engine=0
for a in "$@"; do
  case "$a" in
    --report-only) run=0 ;;
    --engine) engine=1 ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done
if [ "$run" = 1 ]; then
  # Build first, so that the load average recorded is the one the measurement starts under.
  cargo bench -p peers --bench peers --no-run
  mkdir -p "${CARGO_TARGET_DIR:-target}/criterion"
  cat /proc/loadavg > "${CARGO_TARGET_DIR:-target}/criterion/peers-loadavg.txt" 2>/dev/null || true
  # shellcheck disable=SC2086
  cargo bench -p peers --bench peers -- $ARGS
  if [ "$engine" = 1 ]; then
    # shellcheck disable=SC2086
    cargo bench --bench evaluate -- $ARGS
  fi
fi
# An example, not a bin: examples build with the dev-dependencies, like the bench, so the
# release artifacts of `cargo bench -p peers` are reused instead of rebuilt with other features.
cargo run --quiet --release -p peers --example report > BENCHMARKS.md.tmp
mv BENCHMARKS.md.tmp BENCHMARKS.md
echo "wrote BENCHMARKS.md"
