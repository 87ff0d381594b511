#!/usr/bin/env bash
# Runs the peer benchmark and its instruction counts, and writes BENCHMARKS.md at the repository root.
#
#   benches/peers/report.sh                  # criterion with --warm-up-time 1 --measurement-time 3, then callgrind.sh
#                                            # and callgrind-determination.sh
#   benches/peers/report.sh --engine         # also the root crate's benches (cargo bench --bench evaluate)
#   benches/peers/report.sh --no-callgrind   # keep the instruction counts of the last callgrind.sh run
#   benches/peers/report.sh --report-only    # only rewrite BENCHMARKS.md from target/criterion
#   benches/peers/report.sh --without-peers  # the engine and hand-written rows only (peers built with
#                                            # --no-default-features: no cedar-policy, no zen-engine)
#   CRITERION_ARGS="--measurement-time 10" benches/peers/report.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ARGS=${CRITERION_ARGS:---warm-up-time 1 --measurement-time 3}
TARGET=${CARGO_TARGET_DIR:-target}
run=1
engine=0
callgrind=1
for a in "$@"; do
  case "$a" in
    --report-only) run=0 ;;
    --engine) engine=1 ;;
    --no-callgrind) callgrind=0 ;;
    --without-peers) export PEERS_CARGO_FLAGS=--no-default-features ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done
if [ "$run" = 1 ]; then
  # Build first, so that the load average recorded is the one the measurement starts under.
  # shellcheck disable=SC2086
  cargo bench -p peers ${PEERS_CARGO_FLAGS:-} --bench peers --no-run
  mkdir -p "$TARGET/criterion"
  cat /proc/loadavg > "$TARGET/criterion/peers-loadavg.txt" 2>/dev/null || true
  # shellcheck disable=SC2086
  cargo bench -p peers ${PEERS_CARGO_FLAGS:-} --bench peers -- $ARGS
  cat /proc/loadavg > "$TARGET/criterion/peers-loadavg-end.txt" 2>/dev/null || true
  if [ "$engine" = 1 ]; then
    cargo bench --bench evaluate --no-run
    cat /proc/loadavg > "$TARGET/criterion/engine-loadavg.txt" 2>/dev/null || true
    # shellcheck disable=SC2086
    cargo bench --bench evaluate -- $ARGS
    cat /proc/loadavg > "$TARGET/criterion/engine-loadavg-end.txt" 2>/dev/null || true
  fi
  if [ "$callgrind" = 1 ]; then
    benches/peers/callgrind.sh
    benches/peers/callgrind-determination.sh
  fi
fi
# An example, not a bin: examples build with the dev-dependencies, like the bench, so the
# release artifacts of `cargo bench -p peers` are reused instead of rebuilt with other features.
# shellcheck disable=SC2086
cargo run --quiet --release -p peers ${PEERS_CARGO_FLAGS:-} --example report > BENCHMARKS.md.tmp
mv BENCHMARKS.md.tmp BENCHMARKS.md
echo "wrote BENCHMARKS.md"
