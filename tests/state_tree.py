#!/usr/bin/env python3
"""state_tree.py OUT [--hours N] [--objects N] [--records N] [--seed S]

A small tree of Bedrock invocation logs for tests/state.sh and the state's
kill and robustness tests: OUT/AWSLogs/.../2026/10/01/HH/*.json.gz (and a
few plain .json), hours from 10:00 UTC on. Records are spread over each hour
(a few in the hour before, as delivered), with contexts on both sides of
200000 and 1000000 tokens, three models, four callers (one per object), requestMetadata app
and team, and some lines that are rejected: invalid JSON (always), a missing
modelId or a bad token count (only inside the time window). Also writes
OUT/prices-*.csv (see below) and OUT/tags.csv. Deterministic for a seed.
"""
import argparse
import gzip
import json
import os
import random

MODELS = [
    "anthropic.claude-3-haiku-20240307-v1:0",
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/appone",
]
CALLERS = [
    "arn:aws:sts::111122223333:assumed-role/bot/alice",
    "arn:aws:sts::111122223333:assumed-role/bot/bob",
    "arn:aws:iam::111122223333:user/carol",
    "arn:aws:iam::111122223333:user/dave",
]
CONTEXTS = [900, 5000, 150000, 199999, 200001, 250000, 900000, 1200000]

# model,region,in,out,cache_read,cache_write,cache_write_1h,tier,context_over,valid_from,valid_to
PRICES = {
    # the table the state is built with
    "base": [
        "anthropic.claude-3-haiku-20240307-v1:0,*,0.25,1.25,0.03,0.3,,,,,",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0,*,3,15,0.3,3.75,,,,,",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0,*,6,22.5,0.6,7.5,,,200000,,",
    ],
    # other prices, the same classes: nothing needs reading again
    "dearer": [
        "anthropic.claude-3-haiku-20240307-v1:0,*,0.5,2.5,0.05,0.6,,,,,",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0,*,3.3,16,0.33,4,,,,,",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0,*,6.6,24,0.66,8,,,200000,,",
    ],
    # a new context_over threshold, inside stored cells
    "context": [
        "anthropic.claude-3-haiku-20240307-v1:0,*,0.25,1.25,0.03,0.3,,,,,",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0,*,3,15,0.3,3.75,,,,,",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0,*,6,22.5,0.6,7.5,,,200000,,",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0,*,9,30,0.9,9,,,1000000,,",
    ],
    # a negotiated rate from 10:30, inside an hour
    "validity": [
        "anthropic.claude-3-haiku-20240307-v1:0,*,0.25,1.25,0.03,0.3,,,,,2026-10-01T10:30:00Z",
        "anthropic.claude-3-haiku-20240307-v1:0,*,0.2,1,0.02,0.2,,,,2026-10-01T10:30:00Z,",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0,*,3,15,0.3,3.75,,,,,",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0,*,6,22.5,0.6,7.5,,,200000,,",
    ],
}
HEADER = ("model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,"
          "cache_write_per_mtok,cache_write_1h_per_mtok,tier,context_over,valid_from,valid_to")


def record(rng, hour, n, caller, operation):
    minute = rng.randrange(-3, 60)  # a few from the hour before
    sec = rng.randrange(60)
    h, m = (hour, minute) if minute >= 0 else (hour - 1, 60 + minute)
    ts = f"2026-10-01T{h:02d}:{m:02d}:{sec:02d}.{rng.randrange(1000):03d}Z"
    ctx = rng.choice(CONTEXTS)
    cache_read = rng.choice([0, 0, ctx // 4])
    rec = {
        "timestamp": ts,
        "accountId": "111122223333",
        "identity": {"arn": caller},
        "region": "us-east-1",
        "requestId": f"req-{hour}-{n}-{rng.randrange(10**6)}",
        "operation": operation,
        "modelId": rng.choice(MODELS),
        "input": {"inputTokenCount": ctx - cache_read, "cacheReadInputTokenCount": cache_read},
        "output": {"outputTokenCount": rng.randrange(1, 4000)},
        "requestMetadata": {"app": rng.choice(["chat", "search", "batch"]),
                            "team": rng.choice(["red", "blue"])},
    }
    kind = rng.randrange(40)
    if kind == 0:
        return ts, '{"timestamp": "2026-10-01T10:00:00Z", broken'
    if kind == 1:
        del rec["modelId"]
    if kind == 2:
        rec["output"]["outputTokenCount"] = -5
    return ts, json.dumps(rec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--hours", type=int, default=4)
    ap.add_argument("--objects", type=int, default=4, help="per hour")
    ap.add_argument("--records", type=int, default=30, help="per object")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    base = os.path.join(a.out, "AWSLogs/111122223333/BedrockModelInvocationLogs/us-east-1/2026/10/01")
    for hour in range(10, 10 + a.hours):
        d = os.path.join(base, f"{hour:02d}")
        os.makedirs(d, exist_ok=True)
        for i in range(a.objects):
            # an object is one caller's stream: its records share cells
            caller, op = rng.choice(CALLERS), rng.choice(["Converse", "InvokeModel"])
            lines = [record(rng, hour, n, caller, op)[1] for n in range(a.records)]
            body = ("\n".join(lines) + "\n").encode()
            name = f"20261001T{hour:02d}{i:02d}00000Z_{a.seed:04x}{i:012x}"
            if i % 4 == 3:
                with open(os.path.join(d, name + ".json"), "wb") as f:
                    f.write(body)
            else:
                with open(os.path.join(d, name + ".json.gz"), "wb") as f:
                    f.write(gzip.compress(body, mtime=0))
    for name, rows in PRICES.items():
        with open(os.path.join(a.out, f"prices-{name}.csv"), "w") as f:
            f.write(HEADER + "\n" + "\n".join(rows) + "\n")
    with open(os.path.join(a.out, "tags.csv"), "w") as f:
        f.write("profile_arn,model_id,app,team\n")
        f.write(f"{MODELS[2]},anthropic.claude-3-haiku-20240307-v1:0,profiled,green\n")
    with open(os.path.join(a.out, "tags2.csv"), "w") as f:
        f.write("profile_arn,model_id,app,team\n")
        f.write(f"{MODELS[2]},us.anthropic.claude-sonnet-4-5-20250929-v1:0,profiled2,yellow\n")


if __name__ == "__main__":
    main()
