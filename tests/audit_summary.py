#!/usr/bin/env python3
"""audit_summary.py SUMMARY_JSON TEXT - summary.json says what the text summary says.

Parses summary.json with Python's json module and finds each of its numbers
in the text summary (unwrapped, without thousands separators); exits 1 with
the first that differs.
"""
import json
import re
import sys

s = json.load(open(sys.argv[1]))
raw = open(sys.argv[2]).read()
t = re.sub(r"\n {13}", " ", raw).replace(",", "")


def ints(pattern):
    m = re.search(pattern, t)
    assert m, pattern
    return [int(x) for x in m.groups()]


r, o, k = s["records"], s["objects"], s["tokens"]
assert ints(r"records +(\d+) read = (\d+) counted \+ (\d+) rejected \+ (\d+) filtered") == \
    [r["read"], r["counted"], r["rejected"], r["filtered"]]
assert ints(r"objects +(\d+) read (\d+) skipped (\d+) with errors") == \
    [o["read"], o["skipped"], o["errors"]]
assert ints(r"invocations +(\d+) (\d+) with an error") == [s["invocations"], s["errors"]]
assert ints(r"tokens +input (\d+) output (\d+) cache read (\d+) cache write (\d+) \(1-hour TTL (\d+)\)") == \
    [k["input_tokens"], k["output_tokens"], k["cache_read_tokens"], k["cache_write_tokens"],
     k["cache_write_1h_tokens"]]
assert re.search(r"cost +\$" + re.escape(s["cost_usd"]) + " ", t), s["cost_usd"]
assert ints(r"unpriced +(\d+) of") == [s["unpriced"]["invocations"]]
assert ints(r"unattributed +(\d+) of") == [s["unattributed"]["invocations"]]
assert s["top_group"]["column"] == "app"
for key in ("top_group", "top_models", "top_callers"):
    assert s[key]["rows"], key
    for row in s[key]["rows"]:
        value = row["value"] or "(none)"
        cost = row["cost_usd"] or "unpriced"  # every record of the value unpriced
        assert re.search(re.escape(cost) + r"[+ ] *" + str(row["invocations"]) +
                         "  " + re.escape(value), t), (key, row)
assert ints(r"direct calls (\d+) invocations") == [s["direct_calls"]["invocations"]]
assert ints(r"residency +(\d+) invocations? ran outside .*? (\d+) had no") == \
    [s["residency"]["outside_pool"], s["residency"]["no_inference_region"]]
