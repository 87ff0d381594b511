#!/usr/bin/env python3
"""Validates the service's /openapi.json with openapi-spec-validator (OpenAPI 3.1), then sends
real requests and validates each response body against the schema the document gives for its
path, method, status and media type (JSON Schema 2020-12, the dialect of OpenAPI 3.1).

Usage: openapi_check.py http://127.0.0.1:PORT
"""
import json
import sys
import urllib.error
import urllib.request

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

base = sys.argv[1].rstrip("/")


def call(method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode() if not isinstance(body, bytes) else body
    headers = dict({"Content-Type": "application/json"}, **(headers or {}))
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


status, _, raw = call("GET", "/openapi.json")
assert status == 200, status
doc = json.loads(raw)
validate(doc)
assert doc["openapi"].startswith("3.1"), doc["openapi"]
print(f"openapi.json: valid OpenAPI {doc['openapi']}, {len(doc['paths'])} paths")

passed = failed = 0

# The library's types have real schemas, generated from them: no nested object is left as an
# empty `{}` or a bare `{"type": "object"}`.
schemas = doc["components"]["schemas"]


def resolve(s):
    while "$ref" in s:
        s = schemas[s["$ref"].split("/")[-1]]
    return s


det = schemas["Determination"]
for key in ["product", "metrics", "rules", "inputs", "destination"]:
    assert resolve(det["properties"][key]).get("properties"), f"Determination.{key} has no properties"
for key in ["requirements", "exceptions", "trace", "screening", "contents"]:
    items = resolve(det["properties"][key]["items"])
    assert items.get("properties"), f"Determination.{key} items have no properties"
inputs = resolve(det["properties"]["inputs"])
party = resolve(inputs["properties"]["parties"]["items"])
assert {"role", "name", "country", "headquarters", "parent_headquarters", "owner", "screened"} <= set(party["properties"]), party
tx_party = resolve(schemas["Transaction"]["properties"]["party"]["items"])
assert {"role", "headquarters", "owner", "screened"} <= set(tx_party["properties"]), tx_party
assert resolve(schemas["Problem"]["properties"]["diagnostics"]["items"]).get("properties")
print("schemas: Determination, its findings, inputs and parties, and the transaction's parties are described")


def errors_of(instance, name):
    v = Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": doc["components"]})
    return sorted(v.iter_errors(instance), key=str)


def check(method, path, template, body=None, expect=None, headers=None):
    global passed, failed
    status, ctype, raw = call(method, path, body, headers)
    name = f"{method} {path} -> {status}"
    try:
        if expect is not None:
            assert status == expect, f"expected {expect}, got {status}: {raw[:300]!r}"
        media = ctype.split(";")[0].strip()
        content = doc["paths"][template][method.lower()]["responses"][str(status)]["content"]
        assert media in content, f"{media} not documented for {status} (documented: {list(content)})"
        schema = dict(content[media]["schema"])
        schema["components"] = doc["components"]
        if media == "application/x-ndjson":
            # JSON lines: each line is a record (components/schemas/RecordJson).
            line_schema = {"$ref": "#/components/schemas/RecordJson", "components": doc["components"]}
            lines = raw.decode().splitlines()
            assert lines, "no records"
            for line in lines:
                errors = list(Draft202012Validator(line_schema).iter_errors(json.loads(line)))
                assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
        elif media.endswith("json"):
            instance = json.loads(raw)
            errors = sorted(Draft202012Validator(schema).iter_errors(instance), key=str)
            assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
        print(f"ok   {name} ({media})")
        passed += 1
        return raw
    except Exception as e:  # noqa: BLE001 - report every failure, then fail
        print(f"FAIL {name}: {e}")
        failed += 1
        return raw


h20 = {"product": "nvidia-h20", "destination": "CN", "date": "2024-06-01"}
raw = check("POST", "/v1/determinations", "/v1/determinations", h20, 201)
assert json.loads(raw)["verdict"] == "no_license_required"
raw = check("POST", "/v1/determinations", "/v1/determinations", dict(h20, date="2025-04-20"), 201)
assert json.loads(raw)["verdict"] == "license_required"
# Parties, owners, an attestation and requirements with review policies, validated deeply.
with_parties = {
    "product": "nvidia-h100-sxm5-80gb", "destination": "MY", "date": "2025-06-01",
    "party": [
        {"role": "end_user", "name": "Example Cloud", "country": "MY", "headquarters": "MY",
         "parent_headquarters": "CN", "owner": [{"name": "Parent Co", "percent": 60}],
         "screened": [{"list": "entity_list", "list_date": "2025-06-01", "by": "screening service"}]},
        {"role": "purchaser", "name": "Buyer Ltd", "country": "SG"},
    ],
}
assert not errors_of(with_parties, "Transaction"), errors_of(with_parties, "Transaction")
raw = check("POST", "/v1/determinations", "/v1/determinations", with_parties, 201)
d = json.loads(raw)
assert d["verdict"] == "license_required", d["verdict"]
assert d["inputs"]["parties"][0]["owner"][0]["percent"] == "60"
assert d["requirements"], "requirements to validate"
# The schemas reject what a determination never holds: they are not `{}`.
for path, bad in [(["verdict"], "maybe"), (["inputs", "parties", 0, "role"], "boss"),
                  (["requirements", 0, "certainty"], 1), (["destination", "code"], "china")]:
    broken = json.loads(raw)
    target = broken
    for k in path[:-1]:
        target = target[k]
    target[path[-1]] = bad
    assert errors_of(broken, "Determination"), f"a determination with {path} = {bad!r} passed"
assert errors_of({"destination": "CN", "date": "2025-04-20", "party": [{"name": "no role"}]}, "Transaction")
check("POST", "/v1/determinations", "/v1/determinations", b"{not json", 400)
check("POST", "/v1/determinations", "/v1/determinations", dict(h20, destination="XX"), 422)
check("POST", "/v1/determinations", "/v1/determinations", dict(h20, product="nope"), 422)
check("POST", "/v1/determinations", "/v1/determinations", {"product": "x" * 300_000}, 413)
# Not said to be JSON, or said to be compressed: 415 (E0613, E0614).
check("POST", "/v1/determinations", "/v1/determinations", h20, 415, {"Content-Type": "text/plain"})
check("POST", "/v1/determinations", "/v1/determinations", h20, 415, {"Content-Encoding": "gzip"})
check("POST", "/v1/screen", "/v1/screen", {"date": "2025-04-20"}, 415, {"Content-Type": "application/x-www-form-urlencoded"})
check("GET", "/v1/determinations/1", "/v1/determinations/{id}", expect=200)
check("GET", "/v1/determinations/999999", "/v1/determinations/{id}", expect=404)
check("POST", "/v1/determinations/1/replay", "/v1/determinations/{id}/replay", expect=200)
check("GET", "/v1/determinations?since=2020-01-01", "/v1/determinations", expect=200)
check("POST", "/v1/screen", "/v1/screen", {"date": "2025-04-20", "products": ["nvidia-h20"], "destinations": ["CN"]}, 200)
check("POST", "/v1/screen", "/v1/screen", {"date": "someday"}, 422)
check("GET", "/v1/products", "/v1/products", expect=200)
check("GET", "/v1/products/nvidia-h20", "/v1/products/{id}", expect=200)
check("GET", "/v1/products/nope", "/v1/products/{id}", expect=404)
check("GET", "/v1/rules", "/v1/rules", expect=200)
check("GET", "/healthz", "/healthz", expect=200)
check("GET", "/readyz", "/readyz", expect=200)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
