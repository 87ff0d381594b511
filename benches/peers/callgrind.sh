#!/usr/bin/env bash
# Instructions per decision of every implementation of the peer benchmark, counted by
# valgrind's callgrind (independent of the machine's load, unlike wall time): each
# implementation decides every case of the benchmark once inside `measured` (examples/count.rs),
# and only the instructions executed there are collected, so setup (loading the pack, parsing the
# policies, compiling the decision, preparing the products) is left out.
#
#   benches/peers/callgrind.sh                 # every implementation
#   benches/peers/callgrind.sh hand-written    # only those named (as in `count --list`), printed only
#
# With no argument, writes target/criterion/peers-callgrind.tsv (read by examples/report.rs) and
# prints it.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=${CARGO_TARGET_DIR:-target}
# An example builds with the dev-dependencies, as the bench does, so its release artifacts are reused.
# PEERS_CARGO_FLAGS=--no-default-features: the engine and hand-written functions only (report.sh --without-peers).
# shellcheck disable=SC2086
cargo build --quiet --release -p peers ${PEERS_CARGO_FLAGS:-} --example count
bin="$TARGET/release/examples/count"
out="$TARGET/criterion/peers-callgrind.tsv"
mkdir -p "$TARGET/criterion"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$#" -gt 0 ]; then
  printf '%s\n' "$@" > "$tmp/list"
else
  "$bin" --list > "$tmp/list"
fi
{
  printf '# valgrind --tool=callgrind --toggle-collect=*measured*, %s; load average at start: %s\n' \
    "$(valgrind --version)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'implementation\tdecisions\tinstructions\tinstructions per decision\n'
  while IFS= read -r imp; do
    valgrind --tool=callgrind --toggle-collect='*measured*' --callgrind-out-file="$tmp/cg.out" \
      "$bin" "$imp" > "$tmp/stdout" 2> "$tmp/stderr" || { cat "$tmp/stderr" >&2; exit 1; }
    n=$(cut -f2 "$tmp/stdout")
    ir=$(awk '/^totals:/ { print $2 }' "$tmp/cg.out")
    printf '%s\t%s\t%s\t%s\n' "$imp" "$n" "$ir" "$(awk -v i="$ir" -v n="$n" 'BEGIN { printf "%.0f", i / n }')"
  done < "$tmp/list"
} > "$out.tmp"
if [ "$#" -gt 0 ]; then
  cat "$out.tmp"; rm "$out.tmp"
else
  mv "$out.tmp" "$out"
  cat "$out"
fi
