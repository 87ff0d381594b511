#!/usr/bin/env python3
"""Instructions per request of the server (by hand, not in CI): runs the release binary under
Valgrind's callgrind, sends WARMUP then N POST /v1/determinations (H20 -> CN, as wrk.sh) from
C concurrent keep-alive connections, and counts the instructions the server executed for the N
alone (counters zeroed after the warm-up, dumped after the last response). Instruction counts
do not depend on how busy the shared machine is, unlike wall time.

Usage: crates/service/bench/instructions.py [N=400] [C=16] [BINARY=target/release/export-controls]
With SCRIPT=screen.lua (or another script of this directory with one `wrk.body`) the requests
are that script's body posted to URL (default /v1/screen for a script whose name starts with
`screen`), answered 200; by default determination.lua's body to /v1/determinations, answered 201.
Prints the instructions per request and writes the profile to $OUT (default a temporary dir;
`callgrind_annotate OUT/callgrind.out.PID` shows where they go)."""
import http.client, json, os, re, socket, subprocess, sys, tempfile, threading, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 400
C = int(sys.argv[2]) if len(sys.argv) > 2 else 16
BIN = sys.argv[3] if len(sys.argv) > 3 else "target/release/export-controls"
WARMUP = 2 * C
SCRIPT = os.environ.get("SCRIPT", "determination.lua")
URL = os.environ.get("URL", "/v1/screen" if SCRIPT.startswith("screen") else "/v1/determinations")
STATUS = 200 if URL == "/v1/screen" else 201
BODY = re.search(r"wrk.body = '(.*)'", open(os.path.join(os.path.dirname(__file__), SCRIPT)).read()).group(1)

work = os.environ.get("OUT") or tempfile.mkdtemp()
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
out = open(os.path.join(work, "out"), "w")
server = subprocess.Popen(
    ["valgrind", "--tool=callgrind", "--collect-atstart=yes", f"--callgrind-out-file={work}/callgrind.out.%p",
     BIN, "serve", "--addr", f"127.0.0.1:{port}", "--db", f"sqlite:{work}/records.db"],
    stdout=out, stderr=open(os.path.join(work, "err"), "w"))
for _ in range(1200):
    if "listening" in open(os.path.join(work, "out")).read():
        break
    time.sleep(0.1)
else:
    server.kill(); sys.exit("the server did not start")

def send(count, lengths):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for _ in range(count):
        c.request("POST", URL, BODY, {"Content-Type": "application/json"})
        r = c.getresponse(); b = r.read()
        assert r.status == STATUS, (r.status, b[:300])
        lengths.append(len(b))
    c.close()

def run(total):
    lengths = []
    ts = [threading.Thread(target=send, args=(total // C + (i < total % C), lengths)) for i in range(C)]
    for t in ts: t.start()
    for t in ts: t.join()
    return lengths

run(WARMUP)
subprocess.run(["callgrind_control", "-z", str(server.pid)], check=True, capture_output=True)
t0 = time.time()
lengths = run(N)
subprocess.run(["callgrind_control", "-d", str(server.pid)], check=True, capture_output=True)
elapsed = time.time() - t0
server.terminate(); server.wait()
# The dump made after the last response: `callgrind.out.PID.1` (the file without a suffix is
# the rest of the run, written at exit).
total = 0
for line in open(os.path.join(work, f"callgrind.out.{server.pid}.1")):
    if line.startswith("summary:"):
        total = int(line.split()[1])
        break
print(f"{N} requests from {C} connections, response {sorted(set(lengths))} bytes, {elapsed:.1f} s under callgrind")
print(f"server: {total:,} instructions, {total / N:,.0f} per request (profile: callgrind_annotate {work}/callgrind.out.{server.pid}.1)")
