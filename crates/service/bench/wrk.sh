#!/usr/bin/env bash
# Load numbers for POST /v1/determinations and POST /v1/screen (by hand, not in CI): a release
# build of the service on 127.0.0.1 with a fresh SQLite file, wrk from Debian on the same machine.
# Usage: crates/service/bench/wrk.sh [DURATION=20s] [CONNECTIONS="1 16 64"]
# SCRIPTS (environment) picks the wrk scripts of bench/ to run, by default all of them:
# determination (H20 -> CN, one request repeated), determination-mix (products x destinations x
# dates x parties, rotated), screen, screen-catalog.
# BIN (environment) runs that binary instead of building target/release/export-controls.
set -euo pipefail
cd "$(dirname "$0")/../../.."
DURATION=${1:-20s}
CONNS=${2:-"1 16 64"}
command -v wrk >/dev/null || apt-get install -y -qq wrk
BIN=${BIN:-}
if [ -z "$BIN" ]; then cargo build --release --quiet -p export-controls-cli; BIN=target/release/export-controls; fi
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --addr "127.0.0.1:$PORT" --db "sqlite:$WORK/records.db" >"$WORK/out" 2>"$WORK/err" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do grep -q listening "$WORK/out" 2>/dev/null && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU time of the server (user + system, clock ticks): a per-request cost that does not depend
# on how busy the rest of the machine is; and its two parts, user and system (the kernel's share:
# sockets, WAL writes and fsync, waking threads).
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
cpu_user() { awk '{print $14}' "/proc/$PID/stat"; }
TICKS=$(getconf CLK_TCK)
# The rows per screening request, to count decisions per second.
rows_of() { curl -s -X POST -H 'Content-Type: application/json' --data-binary "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "crates/service/bench/$1.lua")" "$URL/v1/screen" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))'; }
for script in ${SCRIPTS:-determination determination-mix screen screen-catalog}; do
  path=/v1/determinations; case $script in determination*) ;; *) path=/v1/screen ;; esac
  for c in $CONNS; do
    t=$(( c < 2 ? 1 : 2 ))
    echo "== POST $path, $c connections, $t threads, $DURATION"
    before=$(cpu); before_user=$(cpu_user)
    wrk -t"$t" -c"$c" -d"$DURATION" --latency -s "crates/service/bench/$script.lua" "$URL$path" | tee "$WORK/wrk.out" | grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx"
    n=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
    after=$(cpu); after_user=$(cpu_user)
    echo "    server CPU: $(python3 -c "print(f'{($after - $before) / $TICKS * 1000 / $n:.3f} ms per request (user {($after_user - $before_user) / $TICKS * 1000 / $n:.3f}, system {($after - $after_user - $before + $before_user) / $TICKS * 1000 / $n:.3f})')")"
    if [ "$path" = /v1/screen ]; then
      rows=$(rows_of "$script")
      rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")
      echo "    $rows decisions per request: $(python3 -c "print(f'{$rps * $rows:,.0f}')") decisions/s"
    fi
  done
done
echo "== records and transactions written"
curl -s "$URL/healthz"; echo
# The store's growth: the file's size once the WAL is copied into it (a TRUNCATE checkpoint
# from another connection; the server keeps running), over the records in it.
python3 - "$WORK/records.db" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
n = c.execute("select count(*) from determinations").fetchone()[0]
enc = dict(c.execute("select determination_encoding, avg(length(determination)) from determinations group by 1").fetchall())
size = os.path.getsize(sys.argv[1])
print(f"records in the file: {n}; file {size:,} bytes after checkpoint; stored determination {enc}")
if n:
    print(f"    {size / n:,.0f} bytes per record: {size / n * 1e6 / 1e9:,.2f} GB per million determinations")
PY
