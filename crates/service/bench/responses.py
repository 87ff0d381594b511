#!/usr/bin/env python3
"""The bench's requests answered by one binary, each response body written to a file (by hand,
not in CI), so that two builds can be compared byte for byte (`cmp`, `diff -r`) before and after
a change to what the service writes:

  crates/service/bench/responses.py OUT [BINARY=target/release/export-controls]

Serves the shipped pack on a throw-away SQLite file and posts: determination.lua's body;
60 requests of determination-mix.lua's kind (catalog products x destinations x its dates, a
third with an end user whose headquarters are given), drawn with a fixed seed so that every run
posts the same ones; an H100 -> MY request with a party whose name holds a quote, a backslash, a
tab and non-ASCII letters; screen.lua's and screen-catalog.lua's bodies. Writes OUT/NNN.json
(the body) and OUT/NNN.status; the record id is a header, not in the body."""
import http.client, json, os, random, re, socket, subprocess, sys, tempfile, time

out = sys.argv[1]
BIN = sys.argv[2] if len(sys.argv) > 2 else "target/release/export-controls"
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(out, exist_ok=True)
body_of = lambda script: re.search(r"wrk.body = '(.*)'", open(os.path.join(here, script)).read()).group(1)
mix = open(os.path.join(here, "determination-mix.lua")).read()
lua_list = lambda name: re.findall(r'"([^"]+)"', re.search(name + r" = \{(.*?)\}", mix, re.S).group(1))
products, destinations, dates, hqs = (lua_list(n) for n in ("products", "destinations", "dates", "headquarters"))

requests = [("/v1/determinations", body_of("determination.lua"))]
rnd = random.Random(13)
for _ in range(60):
    dest = rnd.choice(destinations)
    body = {"product": rnd.choice(products), "destination": dest, "date": rnd.choice(dates)}
    if rnd.randint(1, 3) == 1:
        body["party"] = [{"role": "end_user", "country": dest, "headquarters": rnd.choice(hqs)}]
    requests.append(("/v1/determinations", json.dumps(body, separators=(",", ":"))))
requests.append(("/v1/determinations", json.dumps({"product": "nvidia-h100-sxm5-80gb", "destination": "MY", "date": "2025-06-01",
    "party": [{"role": "end_user", "name": "A \"B\" \\ C\tÉ é", "country": "MY", "headquarters": "MY", "parent_headquarters": "CN"}]})))
requests += [("/v1/screen", body_of("screen.lua")), ("/v1/screen", body_of("screen-catalog.lua"))]

work = tempfile.mkdtemp()
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
log = os.path.join(work, "out")
srv = subprocess.Popen([BIN, "serve", "--addr", f"127.0.0.1:{port}", "--db", f"sqlite:{work}/records.db"],
                       stdout=open(log, "w"), stderr=subprocess.STDOUT)
for _ in range(1200):
    if "listening" in open(log).read():
        break
    time.sleep(0.1)
else:
    srv.kill(); sys.exit("the server did not start")
c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
for i, (url, body) in enumerate(requests):
    c.request("POST", url, body.encode(), {"Content-Type": "application/json"})
    r = c.getresponse(); b = r.read()
    open(os.path.join(out, f"{i:03d}.json"), "wb").write(b)
    open(os.path.join(out, f"{i:03d}.status"), "w").write(f"{r.status}\n")
srv.terminate(); srv.wait()
print(f"{len(requests)} responses in {out}")
