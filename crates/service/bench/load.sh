#!/usr/bin/env bash
# Issue 13, point 6 (by hand, not in CI): load figures of the release `export-controls serve`.
#
#   crates/service/bench/load.sh [DURATION=20s] [CONNECTIONS="16 64"]
#
# Starts the release binary on a free port of 127.0.0.1 with a fresh SQLite record store (WAL,
# synchronous=FULL, as `serve` opens it), then runs wrk (Debian's package) on the same machine:
#   1. POST /v1/determinations with the realistic mix of bench/determination-mix.lua (a random
#      catalog product x destination x date, a third with an end user), every determination
#      recorded before it is answered;
#   2. POST /v1/screen in batches: bench/screen.lua (10 products x 10 destinations a request)
#      and bench/screen-catalog.lua (the whole catalog x every country but the US a request).
# For each run it prints the requests/s (and decisions/s for screening), p50 and p99 latency,
# the server's CPU time per request, the load average (1, 5, 15 min) at its start and end, and,
# for determinations, where a request's time went in the server (the `stages` of `/healthz`,
# their difference over the run: the means of the wait for a CPU worker, the work, the wait for
# the record writer, the transaction and its commit with the fsync, the records per
# transaction, and the answer's wake-up):
# the machine is shared, and a rate measured under load is a lower bound for these two cores.
# At the end: the record store's size before the first and after the last determination (the
# SQLite file after a TRUNCATE checkpoint, so that the WAL is in it), the records written, and
# the growth per million determinations, extrapolated linearly from the records measured.
#
# BIN (environment): the binary; default $CARGO_TARGET_DIR/release/export-controls (built with
# `cargo build --release -p export-controls-cli` when missing). DET_SCRIPTS / SCREEN_SCRIPTS
# (environment) replace the scripts of steps 1 and 2 (names of bench/*.lua without `.lua`).
# WRK_THREADS (environment): wrk's threads (default 2, 1 for one connection); wrk shares the
# two cores with the server, so `WRK_THREADS=1` leaves the server more of them.
set -euo pipefail
cd "$(dirname "$0")/../../.."
DURATION=${1:-20s}
CONNS=${2:-"16 64"}
DET_SCRIPTS=${DET_SCRIPTS:-determination-mix}
SCREEN_SCRIPTS=${SCREEN_SCRIPTS:-"screen screen-catalog"}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/export-controls}
[ -x "$BIN" ] || cargo build --release --quiet -p export-controls-cli
WORK=$(mktemp -d)
DB="$WORK/records.db"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --addr "127.0.0.1:$PORT" --db "sqlite:$DB" >"$WORK/out" 2>"$WORK/err" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do grep -q listening "$WORK/out" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$WORK/out" || { echo "the server did not start:" >&2; cat "$WORK/err" >&2; exit 1; }
URL="http://127.0.0.1:$PORT"
load() { cut -d' ' -f1-3 /proc/loadavg; }
TICKS=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
health() { curl -s "$URL/healthz"; }
# The means per event of the `stages` of /healthz between two snapshots (JSON), and the context
# switches of the server's threads (voluntary + involuntary) per request.
stages_between() { # before after requests switches
  python3 - "$1" "$2" "$3" "$4" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
n, switches = max(int(sys.argv[3]), 1), int(sys.argv[4])
d = {k: (b["stages"][k]["count"] - a["stages"][k]["count"], b["stages"][k]["micros"] - a["stages"][k]["micros"]) for k in b["stages"]}
mean = lambda k: f"{d[k][1] / d[k][0] / 1000:.3f} ms" if d[k][0] else "-"
recs, txs = b["records_written"] - a["records_written"], b["transactions"] - a["transactions"]
print(f"    stages (means): pool wait {mean('pool_wait')}, work {mean('work')}, writer wait {mean('writer_wait')},"
      f" transaction {mean('write')} (commit {mean('commit')}), {recs / max(txs, 1):.1f} records per transaction"
      f" ({txs:,} transactions), answer wake-up {mean('answer')};"
      f" writer busy {d['write'][1] / 1e6:.2f} s; context switches {switches / n:.2f} per request")
PY
}
switches() { cat /proc/$PID/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s}'; }
# The store: records in it and the file's bytes once the WAL is copied into it (a TRUNCATE
# checkpoint from another connection; the server keeps running).
store() {
  python3 - "$DB" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
n = c.execute("select count(*) from determinations").fetchone()[0]
print(n, os.path.getsize(sys.argv[1]))
PY
}
read -r n0 size0 < <(store)
echo "machine: $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "binary: $BIN; store before: $n0 records, $size0 bytes (fresh file, schema only)"
# The rows of a screening script's request, to count decisions per second.
rows_of() {
  local body
  body=$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "crates/service/bench/$1.lua")
  curl -s -X POST -H 'Content-Type: application/json' --data-binary "$body" "$URL/v1/screen" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))'
}
run() { # script path connections
  local script=$1 path=$2 c=$3 t before after n rps rows
  t=${WRK_THREADS:-$(( c < 2 ? 1 : 2 ))}
  echo "== POST $path ($script.lua), $c connections, $t wrk threads, $DURATION; load at start $(load)"
  before=$(cpu); h0=$(health); s0=$(switches)
  wrk -t"$t" -c"$c" -d"$DURATION" --latency -s "crates/service/bench/$script.lua" "$URL$path" >"$WORK/wrk.out"
  after=$(cpu); h1=$(health); s1=$(switches)
  grep -E "requests in|Non-2xx|Socket errors" "$WORK/wrk.out" | sed 's/^ */    /'
  n=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")
  echo "    requests/s $rps; latency p50 $(awk '$1 == "50%" {print $2}' "$WORK/wrk.out"), p99 $(awk '$1 == "99%" {print $2}' "$WORK/wrk.out"); load at end $(load)"
  echo "    server CPU $(python3 -c "print(f'{($after - $before) / $TICKS * 1000 / max($n, 1):.3f}')") ms per request"
  [ "$path" = /v1/determinations ] && stages_between "$h0" "$h1" "$n" "$((s1 - s0))"
  if [ "$path" = /v1/screen ]; then
    rows=$(rows_of "$script")
    echo "    $rows decisions per request: $(python3 -c "print(f'{$rps * $rows:,.0f}')") decisions/s"
  fi
}
for s in $DET_SCRIPTS; do for c in $CONNS; do run "$s" /v1/determinations "$c"; done; done
read -r n1 size1 < <(store)
for s in $SCREEN_SCRIPTS; do for c in $CONNS; do run "$s" /v1/screen "$c"; done; done
echo "== the record store"
python3 - "$n0" "$size0" "$n1" "$size1" <<'PY'
import sys
n0, s0, n1, s1 = map(int, sys.argv[1:])
n, grown = n1 - n0, s1 - s0
print(f"    before: {n0} records, {s0:,} bytes; after: {n1} records, {s1:,} bytes (after a TRUNCATE checkpoint)")
if n:
    print(f"    {grown:,} bytes for {n:,} determinations: {grown / n:,.0f} bytes per determination;"
          f" {grown / n * 1e6 / 1e9:,.2f} GB per million determinations (extrapolated linearly from the"
          f" {n:,} measured; screening writes no records)")
PY
