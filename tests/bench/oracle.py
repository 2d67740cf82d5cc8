#!/usr/bin/env python3
"""oracle.py CORPUS REPORTS - an independent check of app_day.csv costs.

Recomputes every app_day row of a corpus made by ../shared/bench/gen_corpus.py
(with --manifest --prices) in Python, with decimal arithmetic and the bedrock-ledger-formats(5), ROUTES/§5
rules written out again from scratch, and compares cost_usd to the last digit
(the exact sum of a row's priced records, empty when none is) and unpriced
(the invocations left out); exits 1 on a mismatch.
The price table is PRICES (default CORPUS/prices.csv). 1-hour cache writes are read
from the bodies (bedrock-ledger-formats(5), PRICING, the first of the three paths
present) and priced at cache_write_1h_per_mtok; a record that has some where the
row has no such price (or the table no such column) is unpriced.
Used by tests/bench/run; not part of the test suite (it needs python3).
"""
import csv, gzip, json, os, sys, collections
from decimal import Decimal, ROUND_HALF_UP
root, out = sys.argv[1], sys.argv[2]
price_path = sys.argv[3] if len(sys.argv) > 3 else f"{root}/prices.csv"
tags = {r["profile_arn"]: r for r in csv.DictReader(open(f"{root}/tags.csv"))}
prices = {(r["model_id"], r["region"]): r for r in csv.DictReader(open(price_path))}
GEO = ["us", "us-gov", "eu", "apac", "ap", "jp", "au", "ca", "sa", "global"]

def is_count(v):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**53

def one_hour(r):
    """SPEC 5.2: the first path present; None when absent or not a count in range."""
    body = (r.get("output") or {}).get("outputBodyJson")
    cw = (r.get("input") or {}).get("cacheWriteInputTokenCount") or 0
    found, v = False, None
    if isinstance(body, dict) and isinstance(body.get("usage"), dict):
        u = body["usage"]
        if isinstance(u.get("cache_creation"), dict) and "ephemeral_1h_input_tokens" in u["cache_creation"]:
            found, v = True, u["cache_creation"]["ephemeral_1h_input_tokens"]
    if not found and isinstance(body, list):
        for el in body:
            if isinstance(el, dict) and el.get("type") == "message_start":
                cc = ((el.get("message") or {}).get("usage") or {}).get("cache_creation")
                if isinstance(cc, dict) and "ephemeral_1h_input_tokens" in cc:
                    found, v = True, cc["ephemeral_1h_input_tokens"]
                break
    if not found and isinstance(body, dict) and isinstance((body.get("usage") or {}).get("cacheDetails"), list):
        found, v = True, 0
        for el in body["usage"]["cacheDetails"]:
            if isinstance(el, dict) and el.get("ttl") == "1h":
                n = el.get("inputTokens", 0)
                if not is_count(n): v = None; break
                v += n
    if not found or not is_count(v) or v > cw:
        return 0
    return v
def geo(m):
    p = m.split(".")
    return p[0] if len(p) >= 3 and p[0] in GEO else None
def lookup(m, reg):
    for mm in [m] + ([m.split(".", 1)[1]] if geo(m) and geo(m) != "global" else []):
        for rr in (reg, "*"):
            if (mm, rr) in prices: return prices[(mm, rr)]
    return None
KINDS = [("input_per_mtok", "inputTokenCount", "input"), ("output_per_mtok", "outputTokenCount", "output"),
         ("cache_read_per_mtok", "cacheReadInputTokenCount", "input"), ("cache_write_per_mtok", "cacheWriteInputTokenCount", "input")]
# per row: the priced records' cost, whether any is priced, the unpriced invocations
rows = collections.defaultdict(lambda: [Decimal(0), False, 0])
for dp, dn, fn in os.walk(f"{root}/AWSLogs"):
    if "/data" in dp.replace(root, ""): continue
    for f in fn:
        if not f.endswith(".json.gz"): continue
        for line in gzip.open(os.path.join(dp, f), "rt", encoding="utf-8"):
            r = json.loads(line)
            mid = r["modelId"]; model = mid; app = team = ""
            if ":application-inference-profile/" in mid:
                t = tags.get(mid)
                if t: app, team = t["app"], t["team"]; model = t["model_id"] or mid
                priced = bool(t and t["model_id"])
            elif mid.startswith("arn:") and ("/inference-profile/" in mid or ":inference-profile/" in mid or "foundation-model/" in mid):
                model = mid.split("/", 1)[1]; priced = True
            elif mid.startswith("arn:"): priced = False
            else: priced = True
            day = r["timestamp"][:10]
            key = (day, app, team, model)
            p = lookup(model, r["region"]) if priced else None
            cost = Decimal(0); ok = p is not None
            if ok:
                h = one_hour(r)
                for col, k, sect in KINDS + [("cache_write_1h_per_mtok", None, None)]:
                    n = (r.get(sect) or {}).get(k) or 0 if k else h
                    if col == "cache_write_per_mtok":
                        n -= h
                    if n:
                        if not p.get(col): ok = False; break
                        cost += Decimal(n) * Decimal(p[col])
            if ok:  # bedrock-ledger-formats(5), PRICING: the sum of the priced records' costs
                rows[key][0] += cost
                rows[key][1] = True
            else:
                rows[key][2] += 1
bad = 0
got = {(r["day"], r["app"], r["team"], r["model"]): (r["cost_usd"], int(r["unpriced"]))
       for r in csv.DictReader(open(f"{out}/app_day.csv"))}
for k, (c, priced, unpriced) in rows.items():
    want = ("" if not priced else str((c / Decimal(10**6)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)),
            unpriced)
    if got.get(k) != want:
        bad += 1
        if bad < 5: print("MISMATCH", k, got.get(k), want)
print(len(rows), "rows checked,", bad, "mismatches;", len(got), "rows in app_day.csv")
sys.exit(1 if bad else 0)
