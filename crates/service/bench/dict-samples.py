#!/usr/bin/env python3
"""Samples to train a Zstandard dictionary for the records (by hand, not in CI): serves the
pack with BINARY on a throw-away SQLite file and writes N determinations, as the service sends
them, to OUT/NNNNN.json: random catalog products x 22 destinations x DATES, 40% with one or two
parties (end user, ultimate consignee, purchaser) in the destination, headquarters sometimes
given, 30% with the exporter's declaration. Requests the service refuses are skipped.

Usage: crates/service/bench/dict-samples.py OUT DATES(comma-separated) SEED N [BINARY=target/release/export-controls]
determinations-1.zdict (crates/service/src/records/dictionary.rs) was trained on
  dict-samples.py train 2022-11-01,2023-05-01,2023-12-01,2024-05-01,2024-12-15,2025-02-01,2025-06-15,2026-03-01 11 2000
  zstd --train -q train/*.json -o determinations-1.zdict --maxdict=262144 --dictID=1162018817
determinations-2.zdict the same way on pack us-ear 0.1.29's determinations (--dictID=1162018818),
determinations-3.zdict the same way on pack us-ear 0.1.33's (--dictID=1162018819),
determinations-4.zdict the same way on pack us-ear 0.1.39's (--dictID=1162018820),
determinations-5.zdict the same way on pack us-ear 0.1.45's (--dictID=1162018821),
determinations-6.zdict the same way on pack us-ear 0.1.48's (--dictID=1162018822),
and measured on `dict-samples.py test 2025-04-20,2024-06-01,2023-11-20,2025-10-01,2026-06-01 22 500`
(dates kept out of the training set, the ones bench/determination-mix.lua posts)."""
import http.client, json, os, random, socket, subprocess, sys, tempfile, time

out, dates, seed, n = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4])
BIN = sys.argv[5] if len(sys.argv) > 5 else "target/release/export-controls"
os.makedirs(out, exist_ok=True)
work = tempfile.mkdtemp()
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
log = os.path.join(work, "out")
srv = subprocess.Popen([BIN, "serve", "--addr", f"127.0.0.1:{port}", "--db", f"sqlite:{work}/records.db"],
                       stdout=open(log, "w"), stderr=subprocess.STDOUT)
for _ in range(600):
    if "listening" in open(log).read():
        break
    time.sleep(0.1)
else:
    srv.kill(); sys.exit("the server did not start")
products = [l.split()[0] for l in subprocess.run([BIN, "products"], capture_output=True, text=True).stdout.splitlines()[1:] if l.strip()]
destinations = "CN HK MO RU IR KP AE SA IN DE JP GB IL VN SG MY BR UA TW KR MX FR".split()
roles = ["end_user", "ultimate_consignee", "purchaser"]
rnd = random.Random(seed)
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
k = 0
while k < n:
    body = {"product": rnd.choice(products), "destination": rnd.choice(destinations), "date": rnd.choice(dates)}
    if rnd.random() < 0.4:
        parties = []
        for role in rnd.sample(roles, rnd.randint(1, 2)):
            p = {"role": role, "country": body["destination"]}
            if rnd.random() < 0.5:
                p["headquarters"] = rnd.choice(["CN", "US", body["destination"], "MO"])
            parties.append(p)
        body["party"] = parties
    if rnd.random() < 0.3:
        body["exporter"] = {"front_end_fabricator_or_osat": False}
    if body["destination"] == "UA" and rnd.random() < 0.5:
        body["destination_region"] = "other"
    c.request("POST", "/v1/determinations", json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse(); b = r.read()
    if r.status != 201:
        continue
    open(os.path.join(out, f"{k:05d}.json"), "wb").write(b)
    k += 1
srv.terminate(); srv.wait()
