#!/usr/bin/env bash
# Instructions per determination of the root benches' single determination (H100 → China on
# 2024-06-01, shipped pack), counted by valgrind's callgrind on examples/decide_loop.rs: each
# mode is run for N and 2N determinations and the difference is divided by N, so that loading the
# pack and the catalog is left out (independent of the machine's load, unlike wall time).
#
#   benches/peers/callgrind-determination.sh           # writes target/criterion/determination-callgrind.tsv
#   N=20000 benches/peers/callgrind-determination.sh   # more determinations per run (default 5000)
#
# Modes: decide (CompiledPack::decide), classified (decide_classified), record (RuleSet::explain,
# trace on, the explained determination as recorded: no text written), record-off (the same,
# trace off), json (recorded, then serialised to JSON: the text written), evaluate
# (RuleSet::evaluate, trace off), trace (trace on: the owned Determination), clone and clone-off
# (clone and drop a determination made once, with and without its trace: the cost of its owned
# strings alone). Read by examples/report.rs.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=${CARGO_TARGET_DIR:-target}
N=${N:-5000}
cargo build --quiet --release --example decide_loop
bin="$TARGET/release/examples/decide_loop"
out="$TARGET/criterion/determination-callgrind.tsv"
mkdir -p "$TARGET/criterion"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() {
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$bin" "$1" "$2" > /dev/null 2> "$tmp/stderr" \
    || { cat "$tmp/stderr" >&2; exit 1; }
  awk '/^totals:/ { print $2 }' "$tmp/cg.out"
}
{
  printf '# valgrind --tool=callgrind, (2N - N) / N with N = %s, %s; load average at start: %s\n' \
    "$N" "$(valgrind --version)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'mode\tinstructions per determination\n'
  for mode in decide classified record record-off json evaluate trace clone clone-off; do
    a=$(count "$N" "$mode")
    b=$(count "$((2 * N))" "$mode")
    printf '%s\t%s\n' "$mode" "$(( (b - a) / N ))"
  done
} > "$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
