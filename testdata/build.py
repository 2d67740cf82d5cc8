#!/usr/bin/env python3
"""build.py - writes the inputs of the golden cases and of the sample tree.

Every input under testdata/ is made here, by us, from the records below, so
that a case can be read and checked by hand. Run it from anywhere; it
rewrites the inputs (never the expected reports: those come from
`UPDATE_GOLDEN=1 meson test`, and are committed only after reading the diff).
Output is deterministic: gzip, tar and zip carry no times or owners; zstd
frames are written here (stored and run-length blocks), not by a compressor.
"""
import gzip
import io
import json
import os
import random
import shutil
import tarfile
import zipfile
import zlib
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")

ACCT = "111122223333"
ACCT2 = "444455556666"


def role_arn(role, session, account=ACCT):
    """An assumed role's session, as identity.arn logs it."""
    return f"arn:aws:sts::{account}:assumed-role/{role}/{session}"


def app_arn(profile_id, region="us-east-1", partition="aws"):
    """An application inference profile of ACCT."""
    return f"arn:{partition}:bedrock:{region}:{ACCT}:application-inference-profile/{profile_id}"


ALICE = role_arn("support-bot", "alice")
BOB = f"arn:aws:iam::{ACCT}:user/bob"
CAROL = role_arn("batch-jobs", "carol", ACCT2)
APP_SUPPORT = app_arn("supp0rtchat1")
APP_SEARCH = app_arn("search0rank2")
APP_UNKNOWN = app_arn("unkn0wnapp99")
HAIKU3 = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET45_US = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU45_GLOBAL_ARN = (f"arn:aws:bedrock:us-east-1:{ACCT}:inference-profile/"
                      "global.anthropic.claude-haiku-4-5-20251001-v1:0")
NOVA_ARN = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"
PROVISIONED = f"arn:aws:bedrock:us-east-1:{ACCT}:provisioned-model/abcdef123456"

# Text that must never reach an output (see tests/privacy.sh).
CANARY = "CANARY-7f3a body text"


def body_in(text=CANARY):
    return {"messages": [{"role": "user", "content": [{"text": text}]}],
            "inferenceConfig": {"maxTokens": 512, "temperature": 0.5}}


def body_out(text=CANARY, decoys=False):
    out = {"output": {"message": {"role": "assistant", "content": [{"text": text}]}},
           "stopReason": "end_turn", "metrics": {"latencyMs": 812},
           "usage": {"inputTokens": 999999, "outputTokens": 999999, "totalTokens": 1999998}}
    if decoys:
        out["modelId"] = "decoy.model-in-body"
        out["timestamp"] = "not a time"
        out["inputTokenCount"] = "bad"
    return out


def stream_chunks(text=CANARY):
    """outputBodyJson of InvokeModelWithResponseStream: an array of chunks."""
    return [
        {"type": "message_start", "message": {"model": "decoy", "usage": {"input_tokens": 7}}},
        {"type": "content_block_delta", "delta": {"type": "text_delta", "text": text}},
        {"type": "message_stop", "amazon-bedrock-invocationMetrics": {
            "inputTokenCount": 777777, "outputTokenCount": 888888,
            "cacheReadInputTokenCount": 5, "cacheWriteInputTokenCount": 6,
            "invocationLatency": 1200, "firstByteLatency": 300}},
        "[DONE]",
    ]


def rec(ts, model, caller=ALICE, inp=100, out=20, cread=None, cwrite=None, region="us-east-1",
        account=ACCT, op="Converse", error=None, legacy=False, stream=False, decoys=False,
        req=None):
    """One invocation record; None token counts are left out."""
    r = {}
    if legacy:
        r["schemaType"] = "ModelInvocationLog"
        r["schemaVersion"] = "1.0"
    r["timestamp"] = ts
    r["accountId"] = account
    if caller is not None:
        r["identity"] = {"arn": caller}
    r["region"] = region
    r["requestId"] = req or "0f0e0d0c-0000-4000-8000-%012d" % (zlib.crc32((ts + model).encode()) % 10**12)
    r["operation"] = "InvokeModelWithResponseStream" if stream else op
    r["modelId"] = model
    i = {"inputContentType": "application/json", "inputBodyJson": body_in()}
    if decoys:
        i["inputBodyJson"]["modelId"] = "decoy.in-input-body"
        i["inputBodyJson"]["inputTokenCount"] = 123456
    if inp is not None:
        i["inputTokenCount"] = inp
    if cread is not None:
        i["cacheReadInputTokenCount"] = cread
    if cwrite is not None:
        i["cacheWriteInputTokenCount"] = cwrite
    r["input"] = i
    if error:
        r["errorCode"] = error
    else:
        o = {"outputContentType": "application/json",
             "outputBodyJson": stream_chunks() if stream else body_out(decoys=decoys)}
        if out is not None:
            o["outputTokenCount"] = out
        r["output"] = o
    if not legacy:
        r["schemaType"] = "ModelInvocationLog"
        r["schemaVersion"] = "1.0"
    return r


def line(r):
    return json.dumps(r, ensure_ascii=False, separators=(",", ":"))


def lines(recs, sep="\n", final=True):
    text = sep.join(r if isinstance(r, str) else line(r) for r in recs)
    return (text + (sep if final else "")).encode()


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as f:
        f.write(data)
    return buf.getvalue()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def logkey(region, ts, suffix, account=ACCT):
    """AWSLogs/<acct>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/<name>.json.gz"""
    d, t = ts.split("T")
    y, m, dd = d.split("-")
    hh = t[:2]
    name = f"{y}{m}{dd}T{t[:2]}{t[3:5]}{t[6:8]}123Z_{suffix}.json.gz"
    return f"AWSLogs/{account}/BedrockModelInvocationLogs/{region}/{y}/{m}/{dd}/{hh}/{name}"


def new_case(name, args, files=None, stdin=None):
    d = os.path.join(CASES, name)
    keep = os.path.join(d, "expected")
    for entry in os.listdir(d) if os.path.isdir(d) else []:
        if entry != "expected":
            p = os.path.join(d, entry)
            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
    os.makedirs(d, exist_ok=True)
    os.makedirs(keep, exist_ok=True)
    write(os.path.join(d, "args"), "".join(a + "\n" for a in args))
    for rel, data in (files or {}).items():
        write(os.path.join(d, rel), data)
    if stdin is not None:
        write(os.path.join(d, "stdin"), stdin)
    return d


def tar_bytes(files, mode="w", links=None):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode, format=tarfile.USTAR_FORMAT) as t:
        dirs = set()
        for rel in sorted(files):
            parts = rel.split("/")[:-1]
            for k in range(1, len(parts) + 1):
                d = "/".join(parts[:k])
                if d not in dirs:
                    dirs.add(d)
                    ti = tarfile.TarInfo(d)
                    ti.type = tarfile.DIRTYPE
                    ti.mode = 0o755
                    ti.mtime = 0
                    t.addfile(ti)
            data = files[rel]
            ti = tarfile.TarInfo(rel)
            ti.size = len(data)
            ti.mode = 0o644
            ti.mtime = 0
            t.addfile(ti, io.BytesIO(data))
        for name, target in (links or {}).items():
            ti = tarfile.TarInfo(name)
            ti.type = tarfile.SYMTYPE
            ti.linkname = target
            ti.mtime = 0
            t.addfile(ti)
    return buf.getvalue()


def zstd_frame(data):
    """One zstd frame (RFC 8878) of raw and RLE blocks: valid for any zstd
    decoder, needs no compressor, and is the same on every machine. Runs of
    one byte (tar's zero padding) become RLE blocks."""
    most = 128 * 1024  # the largest block; the window below is as large
    blocks = []

    def raw(chunk):
        for k in range(0, len(chunk), most):
            blocks.append((0, chunk[k:k + most], len(chunk[k:k + most])))

    start = i = 0
    while i < len(data):
        j = i
        while j < len(data) and j - i < most and data[j] == data[i]:
            j += 1
        if j - i >= 32:
            raw(data[start:i])
            blocks.append((1, data[i:i + 1], j - i))
            start = j
        i = j
    raw(data[start:])
    if not blocks:
        blocks.append((0, b"", 0))
    # magic; descriptor: no content size, no checksum, no dictionary; window 2^17
    out = bytearray(b"\x28\xb5\x2f\xfd\x00\x38")
    for k, (kind, payload, size) in enumerate(blocks):
        last = 1 if k == len(blocks) - 1 else 0
        out += (last | kind << 1 | size << 3).to_bytes(3, "little") + payload
    return bytes(out)


def zstd_bytes(data, cut=None):
    """data as zstd: one frame, or two (cut at `cut`), as `zstd -c a b` makes."""
    if cut is None:
        return zstd_frame(data)
    return zstd_frame(data[:cut]) + zstd_frame(data[cut:])


def tgz_bytes(files, links=None):
    return gz(tar_bytes(files, links=links))


def zip_bytes(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for rel in sorted(files):
            zi = zipfile.ZipInfo(rel, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, files[rel])
    return buf.getvalue()


PRICES = """model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok
anthropic.claude-3-haiku-20240307-v1:0,*,0.25,1.25,,
anthropic.claude-3-haiku-20240307-v1:0,us-gov-west-1,0.3,1.5,,
anthropic.claude-sonnet-4-5-20250929-v1:0,*,3.3,16.5,0.33,4.125
us.anthropic.claude-sonnet-4-5-20250929-v1:0,*,3.3,16.5,0.33,4.125
global.anthropic.claude-haiku-4-5-20251001-v1:0,*,1,5,0.1,1.25
amazon.nova-lite-v1:0,*,0.06,0.24,0.015,
amazon.nova-lite-v1:0,eu-central-1,0.078,0.312,,
"""

TAGS = f"""profile_arn,model_id,app,team
{APP_SUPPORT},us.anthropic.claude-sonnet-4-5-20250929-v1:0,support-chat,customer-care
{APP_SEARCH},arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0,search,"platform, core"
"""


def synced_tree():
    """A small tree as `aws s3 sync` leaves it: three hours, two regions."""
    t1 = [
        rec("2026-10-01T12:00:01Z", APP_SUPPORT, ALICE, 1200, 300, 0, 2048),
        rec("2026-10-01T12:00:05Z", APP_SUPPORT, ALICE, 800, 150, 2048, 0),
        rec("2026-10-01T12:01:00Z", HAIKU3, BOB, 50, 10, legacy=True, op="InvokeModel"),
        rec("2026-10-01T12:02:00Z", SONNET45_US, BOB, 400, 0, 0, 0, error="ThrottlingException"),
    ]
    t2 = [
        rec("2026-10-01T13:10:00Z", APP_SEARCH, CAROL, 3000, 40, account=ACCT2),
        rec("2026-10-01T13:10:02Z", HAIKU45_GLOBAL_ARN, ALICE, 10, 5, 100, 0, stream=True),
        rec("2026-10-01T13:11:00Z", APP_UNKNOWN, BOB, 70, 7),
    ]
    t3 = [
        rec("2026-10-02T00:00:00Z", NOVA_ARN, CAROL, 1000, 1000, region="eu-central-1", account=ACCT2),
        rec("2026-10-02T00:30:00Z", PROVISIONED, BOB, 5, 5),
        rec("2026-10-02T00:31:00Z", "acme.mystery-model-v1", BOB, 5, 5),
    ]
    files = {
        logkey("us-east-1", "2026-10-01T12:00:59Z", "0a1b2c3d4e5f6071"): gz(lines(t1)),
        logkey("us-east-1", "2026-10-01T13:11:59Z", "1a1b2c3d4e5f6072"): gz(lines(t2)),
        logkey("eu-central-1", "2026-10-02T00:31:59Z", "2a1b2c3d4e5f6073", ACCT2): gz(lines(t3)),
        f"AWSLogs/{ACCT}/BedrockModelInvocationLogs/us-east-1/2026/10/01/12/data/"
        "0f0e0d0c-aaaa_input.json.gz": gz(line(body_in()).encode()),
        "amazon-bedrock-logs-permission-check": b"",
        f"AWSLogs/{ACCT}/BedrockModelInvocationLogs/us-east-1/2026/10/01/13/empty.json.gz": b"",
        "README.txt": b"handed over by the platform team\n",
    }
    return files


def main():
    os.makedirs(CASES, exist_ok=True)
    tree = synced_tree()

    # The sample the README runs.
    sample = os.path.join(HERE, "sample")
    shutil.rmtree(sample, ignore_errors=True)
    for rel, data in tree.items():
        write(os.path.join(sample, "logs", rel), data)
    write(os.path.join(sample, "tags.csv"), TAGS)

    # synced tree, no manifest, the built-in prices
    new_case("tree-builtin-prices", ["logs"], {f"logs/{k}": v for k, v in tree.items()})
    # synced tree with a manifest and a price table
    new_case("tree-manifest", ["--manifest", "tags.csv", "--prices", "prices.csv", "logs/"],
             {**{f"logs/{k}": v for k, v in tree.items()}, "tags.csv": TAGS, "prices.csv": PRICES})

    # the summary on a 60-column terminal ($COLUMNS), with rejects in two files
    new_case("summary-narrow", ["-m", "tags.csv", "logs"],
             {**{f"logs/{k}": v for k, v in tree.items()}, "tags.csv": TAGS,
              "logs/extra-a.jsonl": b"not json\n[1]\n", "logs/extra-b.jsonl": b"{\n",
              "env": "COLUMNS=60\n"})

    # every reject reason, in a plain file with blank lines, CRLF and no final newline
    good = rec("2026-10-01T12:00:00Z", HAIKU3, BOB, 10, 1)
    rejects = [
        line(good),
        "",
        "{\"timestamp\":\"2026-10-01T12:00:00Z\",\"modelId\":",   # cut off
        "this is not json",
        "[1,2,3]",
        "\"just a string\"",
        line({k: v for k, v in good.items() if k != "timestamp"}),
        line({**good, "timestamp": None}),
        line({**good, "timestamp": "2026-10-01 12:00:00"}),
        line({**good, "timestamp": 1759320000}),
        line({**good, "timestamp": "2026-02-30T12:00:00Z"}),
        line({k: v for k, v in good.items() if k != "modelId"}),
        line({**good, "modelId": ""}),
        line({**good, "modelId": 42}),
        line({**good, "input": {"inputTokenCount": -1}}),
        line({**good, "input": {"inputTokenCount": 1.5}}),
        line({**good, "output": {"outputTokenCount": "12"}}),
        line({**good, "input": {"cacheReadInputTokenCount": 9007199254740992}}),
        line({**good, "input": {"inputTokenCount": 9007199254740991}}),
        "   \t",
        line(good) + " " + line(good),                          # two values on one line
        "{\"timestamp\":\"bad\"",                               # invalid before bad-timestamp
        line({**good, "timestamp": "bad", "modelId": ""}),      # bad-timestamp before missing-modelId
        line({**good, "modelId": "", "input": {"inputTokenCount": "x"}}),  # missing-modelId first
        line(good),
    ]
    new_case("rejects", ["--prices", "prices.csv", "records.jsonl"],
             {"records.jsonl": lines(rejects, sep="\r\n", final=False), "prices.csv": PRICES})

    # decoys: nested keys named like the top-level fields, in every body shape
    decoys = [
        rec("2026-10-01T12:00:00Z", HAIKU3, ALICE, 11, 22, decoys=True),
        rec("2026-10-01T12:00:01Z", HAIKU3, ALICE, 33, 44, stream=True, decoys=True),
        # the body comes first: keys before the real ones must not count either
        '{"input":{"inputBodyJson":{"modelId":"decoy","timestamp":"2020-01-01T00:00:00Z",'
        '"input":{"inputTokenCount":5}},"inputTokenCount":7},"output":{"outputBodyJson":'
        '[{"output":{"outputTokenCount":1}},[[{"outputTokenCount":2}]]],"outputTokenCount":3},'
        '"identity":{"arn":"' + BOB + '","identity":{"arn":"decoy"}},'
        '"modelId":"' + HAIKU3 + '","timestamp":"2026-10-01T12:00:02Z","region":"us-east-1",'
        '"accountId":"' + ACCT + '"}',
        # a body with no known keys but a top-level key after a deep nest
        '{"requestMetadata":{"a":{"b":{"c":[{"modelId":"x"}]}}},"timestamp":"2026-10-01T12:00:03Z",'
        '"modelId":"' + HAIKU3 + '","region":"us-east-1","input":{"inputTokenCount":1},'
        '"output":{"outputTokenCount":1},"identity":{"arn":"' + BOB + '"},"accountId":"' + ACCT + '"}',
        # unicode escapes in a kept field
        '{"timestamp":"2026-10-01T12:00:04Z","modelId":"' + HAIKU3 + '","region":"us-east-1",'
        '"identity":{"arn":"arn:aws:sts::' + ACCT + ':assumed-role/r/Jos\\u00e9"},'
        '"accountId":"' + ACCT + '","input":{"inputTokenCount":2},"output":{"outputTokenCount":2}}',
    ]
    new_case("decoys", ["--prices", "prices.csv", "decoys.json.gz"],
             {"decoys.json.gz": gz(lines(decoys)), "prices.csv": PRICES})

    # gzip: concatenated members; a truncated object keeps what came before the cut
    part1 = lines([rec("2026-10-01T12:00:00Z", HAIKU3, BOB, 1, 1),
                   rec("2026-10-01T12:00:01Z", HAIKU3, BOB, 2, 2)])
    part2 = lines([rec("2026-10-01T12:00:02Z", HAIKU3, ALICE, 4, 4)])
    whole = gz(part1 + part2 + lines([rec("2026-10-01T12:00:03Z", HAIKU3, ALICE, 8, 8)] * 40))
    new_case("gzip", ["--prices", "prices.csv", "d"],
             {"d/concat.json.gz": gz(part1) + gz(part2),
              "d/truncated.json.gz": whole[: len(whole) * 2 // 3],
              "d/corrupt.json.gz": whole[:40] + bytes(b ^ 0x55 for b in whole[40:80]) + whole[80:],
              "d/garbage-after.json.gz": gz(part2) + b"\x00\x00\x00\x00",
              "d/plain.json": part2,
              "d/plain-named.gz": part1,
              "prices.csv": PRICES})

    # timestamps: fractions and offsets across a UTC day boundary
    stamps = [
        "2026-10-01T23:59:59.999Z",     # day 1
        "2026-10-02T01:30:00+02:00",    # 2026-10-01T23:30:00Z: day 1
        "2026-10-01T22:30:00-01:45",    # 2026-10-02T00:15:00Z: day 2
        "2026-10-02T00:00:00.000001Z",  # day 2
        "2024-02-29T12:00:00Z",         # leap day
    ]
    new_case("timestamps", ["--prices", "prices.csv", "t.json"],
             {"t.json": lines([rec(s, HAIKU3, BOB, 1, 1) for s in stamps]), "prices.csv": PRICES})

    # the time window: since <= t < until, on the UTC instant; a bad record outside it is filtered
    window = [
        rec("2026-10-01T23:59:59Z", HAIKU3, BOB, 1, 1),          # before
        rec("2026-10-02T00:00:00Z", HAIKU3, BOB, 2, 2),          # first in
        rec("2026-10-02T02:00:00+03:00", HAIKU3, BOB, 4, 4),     # 23:00Z the day before: out
        rec("2026-10-02T23:59:59.5Z", HAIKU3, BOB, 8, 8),        # in
        rec("2026-10-03T00:00:00Z", HAIKU3, BOB, 16, 16),        # until: out
        line({**rec("2026-10-05T00:00:00Z", HAIKU3, BOB), "modelId": ""}),   # out: filtered
        line({**rec("2026-10-02T05:00:00Z", HAIKU3, BOB), "modelId": ""}),   # in: rejected
        "not json",                                              # rejected
    ]
    new_case("window", ["--prices", "prices.csv", "--since", "2026-10-02", "--until",
                        "2026-10-03T00:00:00Z", "w.json"],
             {"w.json": lines(window), "prices.csv": PRICES})

    # a month as a bound: its first instant (records of September and November are filtered)
    month = [rec("2026-09-30T23:59:59Z", HAIKU3, BOB, 1, 1), rec("2026-10-01T00:00:00Z", HAIKU3, BOB, 2, 2),
             rec("2026-10-31T23:59:59Z", HAIKU3, BOB, 3, 3), rec("2026-11-01T00:00:00Z", HAIKU3, BOB, 4, 4)]
    new_case("window-month", ["-p", "prices.csv", "--since", "2026-10", "--until", "2026-11",
                              "m.jsonl"], {"m.jsonl": lines(month), "prices.csv": PRICES})

    # hour folders that cannot hold a record of the window are not opened: the
    # folder of hour H holds records from H-1h up to H+2h (bedrock-ledger-formats(5), WHAT IS READ); the folders
    # kept are filtered record by record. Here both bounds fall exactly on the
    # slack: 12/ can hold records up to 14:00 only, 10/02/00/ from 23:00 on.
    new_case("window-hour-folders", ["--prices", "prices.csv", "--since", "2026-10-01T14:00:00Z",
                                     "--until", "2026-10-01T23:00:00Z", "logs"],
             {**{f"logs/{k}": v for k, v in tree.items()}, "prices.csv": PRICES})
    # ... and a second later or earlier, each is opened
    new_case("window-hour-slack", ["--prices", "prices.csv", "--since", "2026-10-01T13:59:59Z",
                                   "--until", "2026-10-01T23:00:01Z", "logs"],
             {**{f"logs/{k}": v for k, v in tree.items()}, "prices.csv": PRICES})

    # token counts absent or null count 0; errors are invocations
    nulls = [
        rec("2026-10-01T12:00:00Z", HAIKU3, BOB, None, None),
        line({**rec("2026-10-01T12:00:01Z", HAIKU3, BOB), "input": {"inputTokenCount": None,
              "cacheReadInputTokenCount": None}, "output": {"outputTokenCount": None}}),
        rec("2026-10-01T12:00:02Z", HAIKU3, BOB, 5, None, error="ValidationException"),
        line({**rec("2026-10-01T12:00:03Z", HAIKU3, BOB, 1, 1), "errorCode": ""}),
        line({**rec("2026-10-01T12:00:04Z", HAIKU3, BOB, 1, 1), "errorCode": None}),
        line({k: v for k, v in rec("2026-10-01T12:00:05Z", HAIKU3, None, 3, 3).items()
              if k not in ("output",)}),
    ]
    new_case("tokens-null", ["--prices", "prices.csv", "n.json"],
             {"n.json": lines(nulls), "prices.csv": PRICES})

    # formula characters and quotes in every text column
    evil_caller = "=HYPERLINK(\"http://x\",\"click\")"
    evil = [
        rec("2026-10-01T12:00:00Z", HAIKU3, evil_caller, 1, 1),
        rec("2026-10-01T12:00:01Z", "+cmd|' /C calc'!A0", "-2+3", 1, 1),
        rec("2026-10-01T12:00:02Z", HAIKU3, "@SUM(A1)", 1, 1, account="\t123"),
        rec("2026-10-01T12:00:03Z", HAIKU3, "a,b\nc", 1, 1),
    ]
    new_case("formula-guard", ["--prices", "prices.csv", "=evil.json"],
             {"=evil.json": lines(evil), "prices.csv": PRICES})

    # --strict: exit 1 when something was rejected
    new_case("strict", ["--strict", "--prices", "prices.csv", "s.json"],
             {"s.json": lines([rec("2026-10-01T12:00:00Z", HAIKU3, BOB, 1, 1), "oops"]),
              "prices.csv": PRICES})
    # a path that does not exist: exit 3, no reports
    new_case("missing-path", ["--prices", "prices.csv", "nope", "here.json"],
             {"here.json": lines([rec("2026-10-01T12:00:00Z", HAIKU3, BOB, 1, 1)]),
              "prices.csv": PRICES})
    # usage errors: exit 2
    new_case("usage-jobs", ["-j", "0", "x"])
    new_case("usage-no-path", [])
    new_case("usage-unknown-option", ["--bogus", "x"])
    # a mistyped option: the closest one is suggested (by prefix, by a word, by edit distance)
    new_case("usage-mistyped-manifests", ["--manifests", "tags.csv", "x"])
    new_case("usage-mistyped-output", ["--output=out", "x"])
    new_case("usage-mistyped-tags", ["--tags", "tags.csv", "x"])
    new_case("usage-mistyped-quiet", ["--quite", "x"])
    new_case("usage-ambiguous", ["--s", "x"])
    new_case("usage-sql-only", ["--dialect", "duckdb", "x"])

    # CloudWatch Logs export: a prefix before each record, a bad line, the write-test marker
    cw = [
        "2026-10-01T12:00:00.000Z " + line(rec("2026-10-01T12:00:00Z", HAIKU3, BOB, 3, 3)),
        "2026-10-01T12:00:01.000Z " + line(rec("2026-10-01T12:00:01Z", SONNET45_US, ALICE, 5, 5)),
        "2026-10-01T12:00:02.000Z {not json",
        "1759320003000 " + line(rec("2026-10-01T12:00:03Z", HAIKU3, BOB, 7, 7)),
        line(rec("2026-10-01T12:00:04Z", HAIKU3, BOB, 9, 9)),
    ]
    new_case("cloudwatch-export", ["--prices", "prices.csv", "exportedlogs"],
             {"exportedlogs/1a2b3c4d-task/aws-bedrock-modelinvocations/000000.gz": gz(lines(cw[:3])),
              "exportedlogs/1a2b3c4d-task/aws-bedrock-modelinvocations/000001.gz": gz(lines(cw[3:])),
              "exportedlogs/aws-logs-write-test": b"Permission Check Successful",
              "prices.csv": PRICES})

    # archives: the same tree as a tar, a tgz and a zip, and on stdin
    arch_args = ["--manifest", "tags.csv", "--prices", "prices.csv"]
    common = {"tags.csv": TAGS, "prices.csv": PRICES}
    new_case("archive-tar", arch_args + ["tree.tar"], {**common, "tree.tar": tar_bytes(tree)})
    new_case("archive-tgz", arch_args + ["tree.tgz"], {**common, "tree.tgz": tgz_bytes(tree)})
    new_case("archive-zip", arch_args + ["tree.zip"], {**common, "tree.zip": zip_bytes(tree)})
    # bzip2 and xz tars, found in a directory next to each other (named by content, not name)
    new_case("archive-bz2-xz", arch_args + ["handovers"],
             {**common, "handovers/2026-10.tar.bz2": tar_bytes(tree, mode="w:bz2"),
              "handovers/2026-11.tar.xz": tar_bytes(
                  {k.replace("/2026/10/", "/2026/11/"): v for k, v in tree.items()}, mode="w:xz")})
    # a zstd tar in a directory (two frames), a .json.zst there (not a log
    # name: skipped) and one named (read, but a compressed log is no archive: an error)
    tree12 = {k.replace("/2026/10/", "/2026/12/"): v for k, v in tree.items()}
    notes = zstd_bytes(lines([rec("2026-12-01T00:00:00Z", HAIKU3, BOB, 1, 1)]))
    new_case("archive-zstd", arch_args + ["handovers", "notes.json.zst"],
             {**common, "handovers/2026-12.tar.zst": zstd_bytes(tar_bytes(tree12), cut=3000),
              "handovers/notes.json.zst": notes, "notes.json.zst": notes})
    new_case("archive-stdin-tgz", arch_args + ["-"], common, stdin=tgz_bytes(tree))
    new_case("stdin-gzip", ["--prices", "prices.csv", "-"], {"prices.csv": PRICES},
             stdin=gz(part1))
    new_case("stdin-plain", ["--prices", "prices.csv", "-"], {"prices.csv": PRICES},
             stdin=part1)
    tgz = tgz_bytes(tree, links={"evil-link.json.gz": "/etc/passwd", "../../escape.json.gz": "x"})
    # big enough (and hard enough to compress) that libarchive hands over the
    # members before the cut: it inflates 64 KiB at a time
    noise = random.Random(7)
    many = {}
    for k in range(24):
        recs = [rec("2026-10-03T%02d:%02d:00Z" % (k, m), HAIKU3, BOB, 1, 1) for m in range(6)]
        for r in recs:
            r["input"]["inputBodyJson"]["pad"] = "%x" % noise.getrandbits(8 * 1024)
        many[logkey("us-east-1", "2026-10-03T%02d:59:00Z" % k, "%016x" % k)] = gz(lines(recs))
    big = tgz_bytes(many)
    new_case("archive-hostile", arch_args + ["handover"],
             {**common,
              "handover/2026-10.tgz": tgz,
              "handover/truncated.tgz": big[: len(big) * 3 // 5],
              "handover/nested.tar": tar_bytes({"inner/2026-10.tgz": tgz_bytes(
                  {"AWSLogs/x/a.json.gz": gz(part2)})})})

    attribution_cases()
    grouping_cases()
    pricing_cases()
    governance_cases()
    arrival_cases()
    reconcile_cases()
    nothing_cases()
    tz_cases()
    import bill_cases
    bill_cases.build(sys.modules[__name__])
    audit_cases()


# ---- attribution and pricing (bedrock-ledger-formats(5), ROUTES; bedrock-ledger-formats(5), PRICES) ----
#
# Every cost below was worked out by hand, in exact decimals: a price is USD
# per million tokens, so tokens x price is a cost in micro-dollars (u$), and a
# report prints u$ / 10^6 rounded half up to 6 places. The expected reports
# were checked against these notes line by line.

DAVE = role_arn("etl-jobs", "dave")
APP_REPORTS = app_arn("rep0rtsfin03")
APP_TOKYO = app_arn("t0ky0faq0004", "ap-northeast-1")
APP_WORLD = app_arn("gl0ba1bot005", "us-west-2")
APP_SYDNEY = app_arn("syd0psbot006", "ap-southeast-2")
APP_EURO = app_arn("eur0d0cs0007", "eu-central-1")
HAIKU45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
SONNET45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
NOVA_LITE = "amazon.nova-lite-v1:0"
NOVA_MICRO = "amazon.nova-micro-v1:0"
NOVA_PRO = "amazon.nova-pro-v1:0"

# A price table for the attribution cases. The `source` column is not one of
# the six the program reads: it must be ignored.
ATTR_PRICES = """model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok,source
amazon.nova-lite-v1:0,*,0.06,0.24,0.015,,test table
anthropic.claude-haiku-4-5-20251001-v1:0,*,1.1,5.5,0.11,1.375,test table
anthropic.claude-sonnet-4-5-20250929-v1:0,*,3.3,16.5,0.33,4.125,test table
global.anthropic.claude-haiku-4-5-20251001-v1:0,*,1,5,0.1,1.25,test table
global.anthropic.claude-sonnet-4-5-20250929-v1:0,*,3,15,0.3,3.75,test table
"""


def fm_arn(region, model):
    return f"arn:aws:bedrock:{region}::foundation-model/{model}"


def cli_json(obj):
    """JSON as the AWS CLI prints it: four-space indent, keys in the API's order."""
    return json.dumps(obj, indent=4) + "\n"


def cli_profile(arn, name, models, description=None, created="2026-03-02T09:14:27.512000+00:00"):
    """One application inference profile as list/get-inference-profile print it."""
    p = {"inferenceProfileName": name}
    if description:
        p["description"] = description
    p["createdAt"] = created
    p["updatedAt"] = created
    p["inferenceProfileArn"] = arn
    p["models"] = [{"modelArn": m} for m in models]
    p["inferenceProfileId"] = arn.rsplit("/", 1)[1]
    p["status"] = "ACTIVE"
    p["type"] = "APPLICATION"
    return p


def cli_tags(arn, tags):
    """One ResourceTagMappingList entry of aws resourcegroupstaggingapi get-resources."""
    return {"ResourceARN": arn, "Tags": [{"Key": k, "Value": v} for k, v in tags]}


def attribution_cases():
    # ---- routes: every form of modelId (bedrock-ledger-formats(5), ROUTES) ----
    # ATTR_PRICES; haiku 4.5 base row 1.1/5.5/0.11/1.375, global. row 1/5/0.1/1.25.
    # Each system-profile prefix is logged bare by bob (100 in, 10 out) and as an
    # ARN by alice (200 in, 20 out); both give the model P, so app_day has one
    # row per prefix with 300 in, 30 out:
    #   us, us-gov, eu, apac, jp, au, ca, sa (no row of their own -> the base row):
    #     300*1.1 + 30*5.5 = 330 + 165 = 495 u$ -> 0.000495
    #     caller bob 100*1.1 + 10*5.5 = 165 u$ -> 0.000165; alice 220 + 110 = 330 u$ -> 0.000330
    #   global (its own row): 300*1 + 30*5 = 450 u$ -> 0.000450; bob 150 -> 0.000150; alice 300 -> 0.000300
    # Foundation model, bare (bob 100/10) and ARN (alice 200/20): model HAIKU45, the
    #   same figures as a regional prefix: 0.000495, 0.000165, 0.000330.
    # Application profiles (routes.csv):
    #   support-chat -> us.HAIKU45 (base row): alice 1000 in, 100 out, 500 cache read,
    #     200 cache write: 1100 + 550 + 55 + 275 = 1980 u$ -> 0.001980
    #   search -> amazon.nova-micro-v1:0, no row: no-price, and so is carol's bare
    #     nova-micro call: one unresolved row, 2 invocations, 300+400 in, 30+40 out
    #   reporting: in the manifest without a model_id: no-model; its tags still apply;
    #     bob 10/1 and 20/2 + 5 cache read -> unresolved 2,30,3,5,0
    #   unkn0wnapp99: in no manifest: not-in-manifest, empty tags;
    #     alice 70/7 and 30/3 + 8 cache write -> unresolved 2,100,10,0,8
    # Route other (carol, account 4444): provisioned, custom, imported model, both kinds
    #   of prompt router: not-token-priced, model = modelId as logged, 50/5 each.
    # us.foo (one part after the prefix) and ap.HAIKU45 (ap is no prefix): foundation
    #   models, priced as is: no row -> no-price.
    day = "2026-10-05T"
    prefixes = [("us", "aws", "us-east-1"), ("us-gov", "aws-us-gov", "us-gov-west-1"),
                ("eu", "aws", "eu-central-1"), ("apac", "aws", "ap-southeast-1"),
                ("jp", "aws", "ap-northeast-1"), ("au", "aws", "ap-southeast-2"),
                ("ca", "aws", "ca-central-1"), ("sa", "aws", "sa-east-1"),
                ("global", "aws", "us-east-1")]
    recs = []
    for k, (prefix, partition, region) in enumerate(prefixes):
        recs.append(rec(f"{day}10:{k:02d}:00Z", f"{prefix}.{HAIKU45}", BOB, 100, 10, region=region))
        recs.append(rec(f"{day}10:{k:02d}:30Z",
                        f"arn:{partition}:bedrock:{region}:{ACCT}:inference-profile/{prefix}.{HAIKU45}",
                        ALICE, 200, 20, region=region))
    recs += [
        rec(f"{day}11:00:00Z", HAIKU45, BOB, 100, 10),
        rec(f"{day}11:00:30Z", fm_arn("us-east-1", HAIKU45), ALICE, 200, 20),
        rec(f"{day}12:00:00Z", APP_SUPPORT, ALICE, 1000, 100, 500, 200),
        rec(f"{day}12:01:00Z", APP_SEARCH, BOB, 300, 30),
        rec(f"{day}12:01:30Z", NOVA_MICRO, CAROL, 400, 40, account=ACCT2),
        rec(f"{day}12:02:00Z", APP_REPORTS, BOB, 10, 1),
        rec(f"{day}12:02:30Z", APP_REPORTS, BOB, 20, 2, 5),
        rec(f"{day}12:03:00Z", APP_UNKNOWN, ALICE, 70, 7),
        rec(f"{day}12:03:30Z", APP_UNKNOWN, ALICE, 30, 3, None, 8),
        rec(f"{day}13:00:00Z", f"arn:aws:bedrock:us-west-2:{ACCT2}:provisioned-model/k7xq2m9p4r1s",
            CAROL, 50, 5, region="us-west-2", account=ACCT2),
        rec(f"{day}13:00:10Z", f"arn:aws:bedrock:us-west-2:{ACCT2}:custom-model/"
            "amazon.nova-lite-v1:0:300k/c8s1t2m3d4l5", CAROL, 50, 5, region="us-west-2", account=ACCT2),
        rec(f"{day}13:00:20Z", f"arn:aws:bedrock:us-west-2:{ACCT2}:imported-model/1mp0rt3d0001",
            CAROL, 50, 5, region="us-west-2", account=ACCT2),
        rec(f"{day}13:00:30Z", f"arn:aws:bedrock:us-west-2:{ACCT2}:prompt-router/pr0mptr0ut3r",
            CAROL, 50, 5, region="us-west-2", account=ACCT2),
        rec(f"{day}13:00:40Z", f"arn:aws:bedrock:us-west-2:{ACCT2}:default-prompt-router/"
            "anthropic.claude:1", CAROL, 50, 5, region="us-west-2", account=ACCT2),
        rec(f"{day}14:00:00Z", "us.foo", BOB, 1, 1),
        rec(f"{day}14:00:10Z", f"ap.{HAIKU45}", BOB, 2, 2),
    ]
    routes_manifest = f"""profile_arn,model_id,app,team
{APP_SUPPORT},us.{HAIKU45},support-chat,customer-care
{APP_SEARCH},{NOVA_MICRO},search,platform
{APP_REPORTS},,reporting,finance
"""
    new_case("attr-routes", ["-q", "--manifest", "routes.csv", "--prices", "prices.csv",
                             "records.jsonl"],
             {"records.jsonl": lines(recs), "routes.csv": routes_manifest, "prices.csv": ATTR_PRICES})

    # ---- the lookup chain (bedrock-ledger-formats(5), PRICES), a table of its own ----
    # (model, region) first, then (model, *); a prefixed model with neither falls
    # back to the same two steps on the base model; global. is never stripped.
    lookup_prices = """model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok
amazon.nova-pro-v1:0,*,0.8,3.2,0.2,
amazon.nova-pro-v1:0,eu-central-1,1.05,4.2,,
amazon.nova-pro-v1:0,ap-northeast-1,0.96,3.84,,
apac.amazon.nova-pro-v1:0,*,0.9,3.6,,
"""
    # 2026-10-06
    #   alice NOVA_PRO eu-central-1 1000/100: region row 1050 + 420 = 1470 u$ -> 0.001470
    #   carol NOVA_PRO us-east-1 1000/100: * row 800 + 320 = 1120 u$ -> 0.001120
    #     one app_day row, two regions at two prices: 1470 + 1120 = 2590 u$ -> 0.002590
    #   bob eu.NOVA_PRO eu-central-1 2000/200: base region row 2100 + 840 = 2940 u$ -> 0.002940
    #   bob us.NOVA_PRO us-east-2 2000/200: base * row 1600 + 640 = 2240 u$ -> 0.002240
    #   bob apac.NOVA_PRO ap-northeast-1 2000/200: its own * row wins over the base's
    #     ap-northeast-1 row: 1800 + 720 = 2520 u$ -> 0.002520
    #   bob jp.NOVA_PRO ap-northeast-1 2000/200: no jp. row -> base ap-northeast-1 row:
    #     1920 + 768 = 2688 u$ -> 0.002688
    #   bob global.NOVA_PRO us-east-1 2000/200: never stripped -> no-price
    # 2026-10-07 (dave)
    #   NOVA_PRO eu-central-1 1000/100 + 500 cache read: the region row has no cache-read
    #     price (the * row's is not used) -> no-price
    #   NOVA_PRO us-east-1 1000/100: priced (1120 u$), but the row is mixed -> empty cost
    #   NOVA_PRO us-east-1 1000/100 + 300 cache write: * row has no cache-write price -> no-price
    # 2026-10-08 (dave)
    #   NOVA_PRO eu-central-1 1000/100, cache counts 0 (present): empty cells do not
    #     matter when the count is 0: 1470 u$ -> 0.001470
    # caller dave: 4 records, one unpriced -> empty cost.
    # unresolved: NOVA_PRO no-price 2 (2000 in, 200 out, 500 cr, 300 cw); global.NOVA_PRO 1 (2000/200).
    d1, d2, d3 = "2026-10-06T", "2026-10-07T", "2026-10-08T"
    recs = [
        rec(f"{d1}09:00:00Z", NOVA_PRO, ALICE, 1000, 100, region="eu-central-1"),
        rec(f"{d1}09:01:00Z", NOVA_PRO, CAROL, 1000, 100, account=ACCT2),
        rec(f"{d1}09:02:00Z", f"eu.{NOVA_PRO}", BOB, 2000, 200, region="eu-central-1"),
        rec(f"{d1}09:03:00Z", f"us.{NOVA_PRO}", BOB, 2000, 200, region="us-east-2"),
        rec(f"{d1}09:04:00Z", f"apac.{NOVA_PRO}", BOB, 2000, 200, region="ap-northeast-1"),
        rec(f"{d1}09:05:00Z", f"jp.{NOVA_PRO}", BOB, 2000, 200, region="ap-northeast-1"),
        rec(f"{d1}09:06:00Z", f"global.{NOVA_PRO}", BOB, 2000, 200),
        rec(f"{d2}09:00:00Z", NOVA_PRO, DAVE, 1000, 100, 500, region="eu-central-1"),
        rec(f"{d2}09:01:00Z", NOVA_PRO, DAVE, 1000, 100),
        rec(f"{d2}09:02:00Z", NOVA_PRO, DAVE, 1000, 100, None, 300),
        rec(f"{d3}09:00:00Z", NOVA_PRO, DAVE, 1000, 100, 0, 0, region="eu-central-1"),
    ]
    new_case("attr-lookup-chain", ["-q", "--prices", "prices.csv", "records.jsonl"],
             {"records.jsonl": lines(recs), "prices.csv": lookup_prices})

    # ---- exact money and rounding (bedrock-ledger-formats(5), PRICES) ----
    # Made-up acme.* models, so that every price is the one the row needs.
    rounding_prices = """model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok
acme.half-v1,*,0.5,,,
acme.below-half-v1,*,0.499999999,,,
acme.float-trap-v1,*,0.145,1.005,,
acme.split-v1,us-east-1,0.4,,,
acme.split-v1,eu-west-1,0.3,,,
acme.big-v1,*,15,75,1.5,18.75
"""
    # All bob; output 0 (present) where the output price is empty.
    # half-v1: 2026-10-09 1 in: 0.5 u$ -> 0.000001 (half up);
    #          2026-10-10 5 in: 2.5 u$ -> 0.000003 (half up; half-even would say 0.000002);
    #          caller row 6 in: 3 u$ -> 0.000003
    # below-half-v1: 1 in: 0.499999999 u$ -> 0.000000 (priced: a cost of zero, not empty)
    # float-trap-v1: 2026-10-09 100 in: 14.5 u$ -> 0.000015; 2026-10-10 100 out: 100.5 u$
    #          -> 0.000101 (binary floating point gives 0.000014 and 0.000100);
    #          caller row 115 u$ -> 0.000115
    # split-v1: 1 in from us-east-1 (0.4 u$) + 1 in from eu-west-1 (0.3 u$) in one row:
    #          0.7 u$ -> 0.000001 (rounding each record first would give 0.000000)
    # big-v1: two records of 2^53-1 in and out, 1 cache read, 1 cache write:
    #          each (2^53-1)*(15+75) + 1.5 + 18.75 = 810647932926689190 + 20.25 u$;
    #          two: 1621295865853378420.5 u$ -> 1621295865853.378421 (half up);
    #          token sums 18014398509481982 (over 2^53: counters are 64-bit)
    big = 2**53 - 1
    d1, d2 = "2026-10-09T", "2026-10-10T"
    recs = [
        rec(f"{d1}08:00:00Z", "acme.half-v1", BOB, 1, 0),
        rec(f"{d2}08:00:00Z", "acme.half-v1", BOB, 5, 0),
        rec(f"{d1}08:01:00Z", "acme.below-half-v1", BOB, 1, 0),
        rec(f"{d1}08:02:00Z", "acme.float-trap-v1", BOB, 100, 0),
        rec(f"{d2}08:02:00Z", "acme.float-trap-v1", BOB, 0, 100),
        rec(f"{d1}08:03:00Z", "acme.split-v1", BOB, 1, 0),
        rec(f"{d1}08:04:00Z", "acme.split-v1", BOB, 1, 0, region="eu-west-1"),
        rec(f"{d1}08:05:00Z", "acme.big-v1", BOB, big, big, 1, 1),
        rec(f"{d1}08:06:00Z", "acme.big-v1", BOB, big, big, 1, 1),
    ]
    new_case("attr-rounding", ["-q", "--prices", "prices.csv", "records.jsonl"],
             {"records.jsonl": lines(recs), "prices.csv": rounding_prices})

    # ---- the CSV manifest: ARN model_ids; tag values that need quoting or the ' guard ----
    # A byte-order mark, a blank line and a row of empty cells, all ignored.
    # ATTR_PRICES; 2026-10-11, 1000 in, 100 out each:
    #   support (model_id a foundation-model ARN -> HAIKU45): 1100 + 550 = 1650 u$ -> 0.001650
    #   search (model_id a system-profile ARN -> us.amazon.nova-lite-v1:0 -> base row):
    #     60 + 24 = 84 u$ -> 0.000084
    #   reports (global.HAIKU45, its own row): 1000 + 500 = 1500 u$ -> 0.001500
    #   unkn0wnapp99 (10/1): not-in-manifest, empty tags
    # app_day, sorted on the values (not on their guarded text): "" < "+1" < "=SUM" < "@evil".
    tags_csv = ("\ufeffprofile_arn,model_id,app,team,cost_center\n"
                f"{APP_SUPPORT},{fm_arn('us-east-1', HAIKU45)},=SUM(A1:A9),\"platform, core\",\"CC \"\"42\"\"\"\n"
                "\n"
                f"{APP_SEARCH},arn:aws:bedrock:us-east-1:{ACCT}:inference-profile/us.{NOVA_LITE},"
                "\"@evil,x\",-ops,\"line1\nline2\"\n"
                ",,,,\n"
                f"{APP_REPORTS},global.{HAIKU45},+1,\"\ttabbed\",plain\n")
    day = "2026-10-11T"
    recs = [
        rec(f"{day}10:00:00Z", APP_SUPPORT, ALICE, 1000, 100),
        rec(f"{day}10:01:00Z", APP_SEARCH, BOB, 1000, 100),
        rec(f"{day}10:02:00Z", APP_REPORTS, CAROL, 1000, 100, account=ACCT2),
        rec(f"{day}10:03:00Z", APP_UNKNOWN, BOB, 10, 1),
    ]
    new_case("attr-manifest-csv", ["-q", "-g", "app,team,cost_center", "-m", "tags.csv",
                                   "-p", "prices.csv", "records.jsonl"],
             {"records.jsonl": lines(recs), "tags.csv": tags_csv.encode(), "prices.csv": ATTR_PRICES})
    # Unquoted cells are taken byte for byte (RFC 4180: spaces are part of a field):
    # a tab-led value keeps its tab and gets the ' guard; blanks around a value stay.
    # ATTR_PRICES; support (HAIKU45) 100 in, 10 out: 110 + 55 = 165 u$ -> 0.000165
    blanks_csv = (f"profile_arn,model_id,app,team\n"
                  f"{APP_SUPPORT},{HAIKU45},\tsupport-chat, customer care \n")
    new_case("attr-manifest-csv-blanks", ["-q", "-m", "tags.csv", "-p", "prices.csv", "records.jsonl"],
             {"records.jsonl": lines([rec("2026-10-11T11:00:00Z", APP_SUPPORT, ALICE, 100, 10)]),
              "tags.csv": blanks_csv, "prices.csv": ATTR_PRICES})

    # ---- the JSON of aws bedrock list-inference-profiles and get-inference-profile ----
    # The model of a profile copied from a system profile: the base model with the
    # first prefix, in the order jp au ca us-gov us eu apac, whose regions cover all
    # its ARNs; global. when none does. The name is the tag `name`.
    app_gov = app_arn("g0vcl0ud0009", "us-gov-west-1", partition="aws-us-gov")
    app_canada = app_arn("canad4b0t010", "ca-central-1")
    app_apac = app_arn("ap4chelpd011", "ap-south-1")

    def fms(model, *regions, partition="aws"):
        return [f"arn:{partition}:bedrock:{r}::foundation-model/{model}" for r in regions]

    profiles = {"inferenceProfileSummaries": [
        cli_profile(APP_SUPPORT, "support-chat",
                    fms(SONNET45, "us-east-1", "us-east-2", "us-west-2"),
                    "Support chatbot, copied from us.anthropic.claude-sonnet-4-5"),
        cli_profile(APP_TOKYO, "faq-tokyo", fms(SONNET45, "ap-northeast-1", "ap-northeast-3")),
        cli_profile(APP_WORLD, "assistant-global",
                    fms(SONNET45, "us-east-1", "us-east-2", "us-west-2", "eu-central-1",
                        "eu-west-1", "ap-northeast-1")),
        cli_profile(APP_SYDNEY, "ops-sydney", fms(HAIKU45, "ap-southeast-2", "ap-southeast-4")),
        cli_profile(APP_EURO, "docs-eu", fms(HAIKU45, "eu-central-1", "eu-west-1", "eu-west-3")),
        cli_profile(app_gov, "case-review",
                    fms(SONNET45, "us-gov-east-1", "us-gov-west-1", partition="aws-us-gov")),
        cli_profile(app_canada, "intake-ca", fms(HAIKU45, "ca-central-1", "ca-west-1")),
        cli_profile(app_apac, "helpdesk-apac",
                    fms(HAIKU45, "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1")),
        cli_profile(APP_SEARCH, "search-rank", fms(NOVA_LITE, "us-east-1"),
                    "Copied from the foundation model"),
    ]}
    one_profile = cli_profile(APP_REPORTS, "reporting", fms(HAIKU45, "us-east-1"))
    # ATTR_PRICES; 2026-10-12, alice, 1000 in, 100 out each:
    #   support-chat  us.SONNET45     -> base 3.3/16.5: 3300 + 1650 = 4950 u$ -> 0.004950
    #   faq-tokyo     jp.SONNET45     -> base: 0.004950
    #   assistant-global global.SONNET45 -> own row 3/15: 3000 + 1500 = 4500 u$ -> 0.004500
    #   ops-sydney    au.HAIKU45 (au before apac) -> base 1.1/5.5: 1100 + 550 = 1650 u$ -> 0.001650
    #   docs-eu       eu.HAIKU45      -> 0.001650
    #   case-review   us-gov.SONNET45 -> base: 0.004950
    #   intake-ca     ca.HAIKU45      -> 0.001650
    #   helpdesk-apac apac.HAIKU45    -> 0.001650
    #   search-rank   NOVA_LITE (one ARN) -> 60 + 24 = 84 u$ -> 0.000084
    #   reporting     HAIKU45 (get-inference-profile, one ARN) -> 0.001650
    day = "2026-10-12T"
    apps = [APP_SUPPORT, APP_TOKYO, APP_WORLD, APP_SYDNEY, APP_EURO, app_gov, app_canada, app_apac,
            APP_SEARCH, APP_REPORTS]
    recs = [rec(f"{day}10:{k:02d}:00Z", arn, ALICE, 1000, 100, region=arn.split(":")[3])
            for k, arn in enumerate(apps)]
    new_case("attr-manifest-json", ["-g", "name", "-m", "profiles.json", "-m", "profile.json",
                                    "-p", "prices.csv", "records.jsonl"],
             {"records.jsonl": lines(recs), "profiles.json": cli_json(profiles),
              "profile.json": cli_json(one_profile), "prices.csv": ATTR_PRICES})

    # ---- the JSON of aws resourcegroupstaggingapi get-resources: tags, no model ----
    # Both profiles are in a manifest but have no model: no-model, unpriced, with
    # their tags. PaginationToken "" is the last page: no warning.
    tags = {"ResourceTagMappingList": [
        cli_tags(APP_SUPPORT, [("app", "support-chat"), ("team", "customer-care"),
                               ("Environment", "Production")]),
        cli_tags(APP_SEARCH, [("app", "search")]),
    ], "PaginationToken": ""}
    day = "2026-10-13T"
    recs = [rec(f"{day}10:00:00Z", APP_SUPPORT, ALICE, 100, 10),
            rec(f"{day}10:01:00Z", APP_SEARCH, BOB, 200, 20)]
    new_case("attr-manifest-tags", ["-g", "app,team,Environment", "-m", "tags.json",
                                    "-p", "prices.csv", "records.jsonl"],
             {"records.jsonl": lines(recs), "tags.json": cli_json(tags), "prices.csv": ATTR_PRICES})

    # ---- all forms merged by ARN, field by field, a later file wins ----
    # profiles.json: support-chat (copied from global.SONNET45: us + eu regions ->
    #   global.), search-rank (NOVA_LITE).
    # profile.json (get-inference-profile): support-chat again, the same: no warning.
    # tags.json: support app=chatbot team=customer-care; search app=search team=platform
    #   and a tag `name` that replaces the profile name (warning); euro app=docs team=knowledge.
    # corrections.csv: support model_id us.SONNET45 (warning), app chat (warning), an
    #   empty team (no effect), cost_center CC-100; search: two rows, cost_center CC-7
    #   then CC-8 (warning: the same rule within one file), app search again (no warning);
    #   euro: the model only this file gives.
    # ATTR_PRICES; 2026-10-14, 1000 in, 100 out each:
    #   support us.SONNET45 -> base: 3300 + 1650 = 4950 u$ -> 0.004950
    #   search NOVA_LITE: 60 + 24 = 84 u$ -> 0.000084
    #   euro eu.HAIKU45 -> base: 1100 + 550 = 1650 u$ -> 0.001650
    merge_profiles = {"inferenceProfileSummaries": [
        cli_profile(APP_SUPPORT, "support-chat",
                    [fm_arn(r, SONNET45) for r in ("us-east-1", "us-west-2", "eu-west-1")]),
        cli_profile(APP_SEARCH, "search-rank", [fm_arn("us-east-1", NOVA_LITE)]),
    ]}
    merge_one = cli_profile(APP_SUPPORT, "support-chat",
                            [fm_arn(r, SONNET45) for r in ("us-east-1", "us-west-2", "eu-west-1")])
    merge_tags = {"ResourceTagMappingList": [
        cli_tags(APP_SUPPORT, [("app", "chatbot"), ("team", "customer-care")]),
        cli_tags(APP_SEARCH, [("app", "search"), ("team", "platform"), ("name", "search-ranker")]),
        cli_tags(APP_EURO, [("app", "docs"), ("team", "knowledge")]),
    ], "PaginationToken": ""}
    corrections = f"""profile_arn,model_id,app,team,cost_center
{APP_SUPPORT},us.{SONNET45},chat,,CC-100
{APP_SEARCH},,,,CC-7
{APP_SEARCH},,search,,CC-8
{APP_EURO},eu.{HAIKU45},,,
"""
    day = "2026-10-14T"
    recs = [rec(f"{day}10:00:00Z", APP_SUPPORT, ALICE, 1000, 100),
            rec(f"{day}10:01:00Z", APP_SEARCH, BOB, 1000, 100),
            rec(f"{day}10:02:00Z", APP_EURO, ALICE, 1000, 100, region="eu-central-1")]
    new_case("attr-merge", ["-g", "name,app,team,cost_center", "-m", "profiles.json",
                            "-m", "profile.json", "-m", "tags.json", "-m", "corrections.csv",
                            "-p", "prices.csv", "records.jsonl"],
             {"records.jsonl": lines(recs), "profiles.json": cli_json(merge_profiles),
              "profile.json": cli_json(merge_one), "tags.json": cli_json(merge_tags),
              "corrections.csv": corrections, "prices.csv": ATTR_PRICES})

    # ---- manifest warnings: one page of several; ARNs that give no model ----
    # support-chat names two base models, search-rank an ARN without a region: the
    # file gives them no model (no-model), with a warning each; nextToken and
    # PaginationToken set: a warning each. reporting has tags only: no-model.
    page = {"inferenceProfileSummaries": [
        cli_profile(APP_SUPPORT, "support-chat",
                    [fm_arn("us-east-1", SONNET45), fm_arn("us-west-2", HAIKU45)]),
        cli_profile(APP_SEARCH, "search-rank",
                    [fm_arn("us-east-1", NOVA_LITE), f"arn:aws:bedrock:::foundation-model/{NOVA_LITE}"]),
    ], "nextToken": "eyJsYXN0RXZhbHVhdGVkS2V5Ijp7ImlkIjoiMiJ9fQ=="}
    tags_page = {"ResourceTagMappingList": [cli_tags(APP_REPORTS, [("app", "reporting")])],
                 "PaginationToken": "AAQABAAAAFgQ3sxMiJ9"}
    day = "2026-10-15T"
    recs = [rec(f"{day}10:00:00Z", APP_SUPPORT, ALICE, 100, 10),
            rec(f"{day}10:01:00Z", APP_SEARCH, BOB, 200, 20),
            rec(f"{day}10:02:00Z", APP_REPORTS, BOB, 300, 30)]
    new_case("attr-manifest-warnings", ["-g", "name,app", "-m", "page.json", "-m", "tags-page.json",
                                        "-p", "prices.csv", "records.jsonl"],
             {"records.jsonl": lines(recs), "page.json": cli_json(page),
              "tags-page.json": cli_json(tags_page), "prices.csv": ATTR_PRICES})

    # ---- the built-in price table (data/prices.csv), no --prices ----
    # Days up to the table's date (2026-08-21): no warning about newer records.
    # From data/prices.csv, by hand, 1000 in and 100 out unless said:
    #   bob   claude-3-haiku us-east-1: * row 0.25/1.25: 250 + 125 = 375 u$ -> 0.000375
    #   carol claude-3-haiku us-gov-west-1: region row 0.3/1.5: 300 + 150 = 450 u$ -> 0.000450
    #         app_day 2026-08-20: 375 + 450 = 825 u$ -> 0.000825
    #   alice us.claude-3-5-haiku us-east-2 (+200 cr, 300 cw): no us. row -> base * row
    #         0.8/4/0.08/1: 800 + 400 + 16 + 300 = 1516 u$ -> 0.001516
    #   alice global.haiku-4-5 (+2000 cr, 100 cw): 1/5/0.1/1.25: 1000 + 500 + 200 + 125
    #         = 1825 u$ -> 0.001825
    #   bob   us-gov.sonnet-4-5 us-gov-west-1: us-gov. * row 3.6/18: 3600 + 1800 = 5400 u$ -> 0.005400
    #   carol nova-lite eu-central-1: region row 0.078/0.312: 78 + 31.2 = 109.2 u$ -> 0.000109
    #   carol llama3-70b sa-east-1: region row 4.45/5.88: 4450 + 588 = 5038 u$ -> 0.005038
    #   dave  nova-lite ap-northeast-1 + 400 cache read, 2026-08-21: the region row has
    #         no cache-read price -> no-price (the * row's 0.015 is not used)
    recs = [
        rec("2026-08-20T10:00:00Z", HAIKU3, BOB, 1000, 100),
        rec("2026-08-20T10:01:00Z", HAIKU3, CAROL, 1000, 100, region="us-gov-west-1", account=ACCT2),
        rec("2026-08-20T10:02:00Z", "us.anthropic.claude-3-5-haiku-20241022-v1:0", ALICE, 1000, 100,
            200, 300, region="us-east-2"),
        rec("2026-08-20T10:03:00Z", f"global.{HAIKU45}", ALICE, 1000, 100, 2000, 100),
        rec("2026-08-20T10:04:00Z", f"us-gov.{SONNET45}", BOB, 1000, 100, region="us-gov-west-1"),
        rec("2026-08-20T10:05:00Z", NOVA_LITE, CAROL, 1000, 100, region="eu-central-1", account=ACCT2),
        rec("2026-08-20T10:06:00Z", "meta.llama3-70b-instruct-v1:0", CAROL, 1000, 100,
            region="sa-east-1", account=ACCT2),
        rec("2026-08-21T23:59:59Z", NOVA_LITE, DAVE, 1000, 100, 400, region="ap-northeast-1"),
    ]
    new_case("attr-builtin-prices", ["-q", "records.jsonl"], {"records.jsonl": lines(recs)})
    # --print-prices: the built-in table exactly as shipped (expected/stdout = data/prices.csv)
    new_case("attr-print-prices", ["--print-prices"])

    # ---- invalid price tables and manifests: status 2, a message, no report ----
    one = {"records.jsonl": lines([rec("2026-10-16T10:00:00Z", HAIKU45, BOB, 10, 1)])}
    head = "model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok\n"
    bad_prices = {
        "missing-column": "model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,source\n"
                          f"{HAIKU45},*,1.1,5.5,0.11,test\n",
        "not-decimal": head + f"{HAIKU45},*,1.1,5.5,0.11,1.375\n{SONNET45},*,3.3,16.5,3.3e-1,4.125\n",
        "negative": head + f"{HAIKU45},*,-1.1,5.5,0.11,1.375\n",
        "ten-digits": head + f"{HAIKU45},*,1.1,5.5,0.11,1.375\n{SONNET45},*,3.3,16.5,0.33,4.125\n"
                      f"{NOVA_LITE},*,1.0000000001,0.24,0.015,\n",
        "too-large": head + f"{HAIKU45},*,1.1,55555555555,0.11,1.375\n",
        "duplicate": head + f"{HAIKU45},*,1.1,5.5,0.11,1.375\n{HAIKU45},us-east-1,1.1,5.5,0.11,1.375\n"
                     f"{HAIKU45},*,1,5,0.1,1.25\n",
        "field-count": head + f"{HAIKU45},*,1.1,5.5,0.11\n",
        "empty-model": head + f",*,1.1,5.5,0.11,1.375\n",
        "unclosed-quote": head + f"\"{HAIKU45},*,1.1,5.5,0.11,1.375\n",
        "empty": "",
    }
    for name, table in bad_prices.items():
        new_case(f"attr-prices-{name}", ["-p", "prices.csv", "records.jsonl"],
                 {**one, "prices.csv": table})
    new_case("attr-prices-missing-file", ["-p", "no-such-prices.csv", "records.jsonl"], one)

    bad_manifests = {
        # aws bedrock list-foundation-models: JSON, but not a manifest
        "other-json": ("models.json", cli_json({"modelSummaries": [{
            "modelArn": fm_arn("us-east-1", HAIKU45), "modelId": HAIKU45,
            "modelName": "Claude Haiku 4.5", "providerName": "Anthropic"}]})),
        "json-array": ("profiles.json", cli_json([cli_profile(APP_SUPPORT, "support-chat",
                                                              [fm_arn("us-east-1", HAIKU45)])])),
        # aws bedrock list-tags-for-resource: tags without the ARN they belong to
        "list-tags": ("tags.json", cli_json({"tags": [{"key": "app", "value": "support-chat"}]})),
        # a comma missing at the end of line 4 ("inferenceProfileName"): yajl sees it
        # at the next key, on line 5
        "json-syntax": ("profiles.json", cli_json({"inferenceProfileSummaries": [
            cli_profile(APP_SUPPORT, "support-chat", [fm_arn("us-east-1", HAIKU45)])]}).replace(
                '"support-chat",', '"support-chat"', 1)),
        "json-no-arn": ("profiles.json", cli_json({"inferenceProfileSummaries": [
            cli_profile(APP_SUPPORT, "support-chat", [fm_arn("us-east-1", HAIKU45)]),
            {k: v for k, v in cli_profile(APP_SEARCH, "search-rank", [fm_arn("us-east-1", NOVA_LITE)]).items()
             if k != "inferenceProfileArn"}]})),
        "csv-no-arn": ("tags.csv", f"arn,model_id,app\n{APP_SUPPORT},{HAIKU45},support-chat\n"),
        "csv-column-twice": ("tags.csv", f"profile_arn,app,team,app\n{APP_SUPPORT},a,b,c\n"),
        "csv-unnamed-column": ("tags.csv", f"profile_arn,model_id,app,\n{APP_SUPPORT},{HAIKU45},chat,\n"
                                           f"{APP_SEARCH},{NOVA_LITE},search,oops\n"),
        "csv-empty-arn": ("tags.csv", f"profile_arn,model_id,app\n{APP_SUPPORT},{HAIKU45},chat\n"
                                      f",{NOVA_LITE},search\n"),
        "csv-bad-quote": ("tags.csv", f"profile_arn,model_id,app\n{APP_SUPPORT},{HAIKU45},chat \"bot\"\n"),
        "empty": ("tags.csv", "\n"),
    }
    for name, (fname, text) in bad_manifests.items():
        new_case(f"attr-manifest-{name}", ["-m", fname, "-p", "prices.csv", "records.jsonl"],
                 {**one, fname: text, "prices.csv": ATTR_PRICES})
    new_case("attr-manifest-missing-file", ["-m", "no-such-tags.csv", "-p", "prices.csv",
                                            "records.jsonl"], {**one, "prices.csv": ATTR_PRICES})


# ---- grouping keys and principals (bedrock-ledger-formats(5), GROUPING) ----

ROOT = f"arn:aws:iam::{ACCT}:root"
GOV_SESSION = f"arn:aws-us-gov:sts::{ACCT}:assumed-role/gov-analyst/dave"
ALICE2 = f"arn:aws:sts::{ACCT}:assumed-role/support-bot/alice-2"
ODD_SESSION = f"arn:aws:sts::{ACCT}:assumed-role/no-session"   # no session part: itself


def with_meta(r, meta):
    r = dict(r)
    r["requestMetadata"] = meta
    return r


def grouping_cases():
    t = "2026-10-01T10:%02d:00Z"
    recs = [
        rec(t % 0, HAIKU3, ALICE, 10, 1),
        rec(t % 1, HAIKU3, ALICE2, 20, 2),
        rec(t % 2, HAIKU3, BOB, 30, 3, region="eu-west-1"),
        rec(t % 3, HAIKU3, ROOT, 40, 4),
        rec(t % 4, "anthropic.claude-3-haiku-20240307-v1:0", GOV_SESSION, 50, 5,
            region="us-gov-west-1"),
        rec(t % 5, SONNET45_US, ODD_SESSION, 60, 6),
        rec(t % 6, HAIKU45_GLOBAL_ARN, None, 70, 7),
        rec(t % 7, "ap.anthropic.claude-3-haiku-20240307-v1:0", ALICE, 80, 8,
            region="ap-southeast-2"),
        rec(t % 8, "eu.anthropic.claude-3-haiku-20240307-v1:0", ALICE, 90, 9,
            region="eu-central-1", op="ConverseStream"),
        rec(t % 9, APP_SUPPORT, ALICE, 100, 10),
        rec(t % 10, APP_UNKNOWN, ALICE, 110, 11),
        rec(t % 11, PROVISIONED, ALICE, 120, 12),
        rec(t % 12, NOVA_ARN, CAROL, 130, 13),
    ]
    recs[0]["inferenceRegion"] = "us-west-2"
    recs[7]["inferenceRegion"] = "ap-northeast-1"
    fields = ",".join("field:" + f for f in ("account_id", "region", "inference_region", "caller",
                                             "principal", "route", "operation", "tier", "pool"))
    files = {"records.jsonl": lines(recs), "tags.csv": TAGS, "prices.csv": PRICES}
    new_case("group-fields", ["-m", "tags.csv", "-p", "prices.csv", "-g", fields,
                              "records.jsonl"], files)
    # caller.csv and the top callers by principal: alice and alice-2 are one role
    new_case("callers-principal", ["-m", "tags.csv", "-p", "prices.csv", "--callers", "principal",
                                   "-g", "app,field:caller", "records.jsonl"], files)

    # meta:KEY is requestMetadata.KEY, string values only; a tag key that starts
    # with meta: needs tag:; the same key inside a body is not the record's
    meta_tags = TAGS.replace("app,team", "app,meta:x").replace("customer-care", "tagged")
    body_decoy = rec(t % 5, HAIKU3, BOB, 6, 6)
    body_decoy["input"]["inputBodyJson"]["requestMetadata"] = {"tenant": "decoy-in-body"}
    mrecs = [
        with_meta(rec(t % 0, HAIKU3, ALICE, 1, 1), {"tenant": "acme", "env": "prod"}),
        with_meta(rec(t % 1, HAIKU3, ALICE, 2, 2), {"env": "prod", "tenant": "acme"}),
        with_meta(rec(t % 2, HAIKU3, BOB, 3, 3), {"tenant": "globex"}),
        with_meta(rec(t % 3, HAIKU3, BOB, 4, 4), {"tenant": 42}),
        with_meta(rec(t % 4, HAIKU3, BOB, 5, 5), {"tenant": {"name": "nested"}, "env": "dev"}),
        body_decoy,
        with_meta(rec(t % 6, APP_SUPPORT, ALICE, 7, 7), {"tenant": "=cmd|formula"}),
        with_meta(rec(t % 7, HAIKU3, BOB, 8, 8), "not an object"),
        with_meta(rec(t % 8, HAIKU3, BOB, 9, 9), {"tenant": "caf\u00e9"}),
    ]
    new_case("group-meta", ["-m", "tags.csv", "-p", "prices.csv",
                            "-g", "meta:tenant,tag:meta:x,app,meta:env", "records.jsonl"],
             {"records.jsonl": lines(mrecs), "tags.csv": meta_tags, "prices.csv": PRICES})

    one = {"records.jsonl": lines(recs[:1])}
    for name, arg in (("group-usage-empty", "app,,team"), ("group-usage-field", "field:nope"),
                      ("group-usage-fixed", "cost_usd"), ("group-usage-twice", "app,tag:app"),
                      ("group-usage-meta-empty", "meta:")):
        new_case(name, ["-g", arg, "records.jsonl"], one)
    new_case("callers-usage", ["--callers", "role", "records.jsonl"], one)
    # tag keys that no manifest holds: a warning, and the field for a field's name
    new_case("group-tag-warnings", ["-m", "tags.csv", "-p", "prices.csv", "-g",
                                    "account_id,app,nosuchtag,field:region", "records.jsonl"],
             {"records.jsonl": lines(recs[:3]), "tags.csv": TAGS, "prices.csv": PRICES})
    # a mistyped tag key: the nearest key the manifests have, and all of them
    new_case("group-tag-typo", ["-m", "tags.csv", "-p", "prices.csv", "-g", "app,tema",
                                "records.jsonl"],
             {"records.jsonl": lines(recs[:3]), "tags.csv": TAGS, "prices.csv": PRICES})
    # -q silences warnings, but --strict's exit 1 still says why, in one line
    new_case("strict-quiet", ["-q", "--strict", "-g", "nosuchtag", "records.jsonl"],
             {"records.jsonl": lines(recs[:2] + ["not json"])})


# ---- prices v2 (bedrock-ledger-formats(5), PRICES): tiers, context, validity, 1-hour writes ----

V2 = ("model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok,"
      "cache_write_1h_per_mtok,tier,context_over,valid_from,valid_to\n")


def with_tier(r, out_tier=None, in_tier=None, latency=None, body_latency=None):
    r = json.loads(json.dumps(r))
    if out_tier is not None:
        r["output"]["outputBodyJson"]["serviceTier"] = {"type": out_tier}
    if in_tier is not None:
        r["input"]["inputBodyJson"]["serviceTier"] = {"type": in_tier}
    if latency is not None:
        r["performanceConfig"] = {"latency": latency}
    if body_latency is not None:
        r["input"]["inputBodyJson"]["performanceConfig"] = {"latency": body_latency}
    return r


def with_1h(r, path, value):
    """A 1-hour cache-write count at one of the three paths of bedrock-ledger-formats(5), PRICING."""
    r = json.loads(json.dumps(r))
    out = r["output"]
    if path == 1:
        out["outputBodyJson"].setdefault("usage", {})["cache_creation"] = {
            "ephemeral_5m_input_tokens": 1, "ephemeral_1h_input_tokens": value}
    elif path == 2:
        out["outputBodyJson"] = [
            {"type": "message_start", "message": {"usage": {"cache_creation": {
                "ephemeral_1h_input_tokens": value}}}},
            {"type": "content_block_delta", "delta": {"text": CANARY}}]
    else:
        out["outputBodyJson"].setdefault("usage", {})["cacheDetails"] = [
            {"ttl": "5m", "inputTokens": 7}, {"ttl": "1h", "inputTokens": value}]
    return r


def pricing_cases():
    t = "2026-10-10T10:%02d:00Z"
    tiers = V2 + """m.a,*,1,2,0.1,1.25,2,,0,,
m.a,*,1.75,3.5,,,,priority,,,
m.a,*,0.5,1,,,,flex,,,
m.a,us-east-1,1.1,2.2,,,,latency-optimized,,,
m.b,*,1,2,,,,flex,,,
"""
    recs = [
        rec(t % 0, "m.a", BOB, 1000, 100),                                   # standard
        with_tier(rec(t % 1, "m.a", BOB, 1000, 100), out_tier="priority"),
        with_tier(rec(t % 2, "m.a", BOB, 1000, 100), in_tier="flex"),
        with_tier(rec(t % 3, "m.a", BOB, 1000, 100), out_tier="default"),    # standard
        with_tier(rec(t % 4, "m.a", BOB, 1000, 100), latency="optimized"),
        with_tier(rec(t % 5, "m.a", BOB, 1000, 100, region="eu-west-1"), body_latency="optimized"),
        rec(t % 6, "m.b", BOB, 1000, 100),                                   # no standard row
        with_tier(rec(t % 7, "m.b", BOB, 1000, 100), out_tier="flex"),
        with_tier(rec(t % 8, "m.a", BOB, 1000, 100, cread=50), in_tier="flex"),  # empty cell
        with_tier(rec(t % 9, "m.a", BOB, 1000, 100), out_tier="reserved"),   # no reserved row
        with_tier(rec(t % 10, "us.m.a", BOB, 1000, 100), out_tier="priority"),  # prefix stripped
        with_tier(rec(t % 11, "m.a", BOB, 1000, 100), out_tier="flex", in_tier="priority"),
    ]
    new_case("price-tiers", ["-p", "prices.csv", "-g", "field:tier", "records.jsonl"],
             {"records.jsonl": lines(recs), "prices.csv": tiers})

    context = V2 + """m.c,*,3,15,0.3,3.75,,,,,
m.c,*,6,22.5,,7.5,,,200000,,
m.d,*,10,20,,,,,1000,,
"""
    crecs = [
        rec(t % 0, "m.c", BOB, 200000, 10),                    # context 200000: not over
        rec(t % 1, "m.c", BOB, 199000, 10, cwrite=1001),        # 200001 through writes: long
        rec(t % 2, "m.c", BOB, 100, 10, cread=300000),          # long through cache reads
        rec(t % 3, "m.d", BOB, 10, 10),                         # only a row over 1000
        rec(t % 4, "m.d", BOB, 2000, 10),
    ]
    crecs = [with_meta(r, {"n": str(i)}) for i, r in enumerate(crecs)]  # a row each
    new_case("price-context", ["-p", "prices.csv", "-g", "meta:n", "records.jsonl"],
             {"records.jsonl": lines(crecs), "prices.csv": context})

    validity = V2 + """m.e,*,1,2,,,,,,,2026-10-01
m.e,*,2,4,,,,,,2026-10-01,
m.f,*,1,1,,,,,,2026-11-01,
m.g,*,1,1,,,,,,,
m.g,us-east-1,0.8,0.8,,,,,,2026-10-15T00:00:00Z,
"""
    vrecs = [
        rec("2026-09-30T23:59:59Z", "m.e", BOB, 1000000, 0),    # old price
        rec("2026-10-01T00:00:00Z", "m.e", BOB, 1000000, 0),    # new price from midnight
        rec(t % 0, "m.f", BOB, 1000000, 0),                     # no row in force yet
        rec("2026-10-14T23:59:59Z", "m.g", BOB, 1000000, 0),    # the * row: regional not yet
        rec("2026-10-15T00:00:00Z", "m.g", BOB, 1000000, 0),    # the negotiated regional rate
        rec("2026-10-15T00:00:00Z", "m.g", BOB, 1000000, 0, region="eu-west-1"),
    ]
    new_case("price-validity", ["-p", "prices.csv", "-g", "field:region", "records.jsonl"],
             {"records.jsonl": lines(vrecs), "prices.csv": validity})

    onehour = V2 + """m.h,*,1,2,0.1,1.25,2,,,,
m.i,*,1,2,0.1,1.25,,,,,
m.j,*,1,2,0.1,,2,,,,
"""
    hrecs = [
        with_1h(rec(t % 0, "m.h", BOB, 10, 10, cwrite=1000000), 1, 400000),
        with_1h(rec(t % 1, "m.h", BOB, 10, 10, cwrite=1000000), 2, 1000000),
        with_1h(rec(t % 2, "m.h", BOB, 10, 10, cwrite=1000000), 3, 250000),
        with_1h(rec(t % 3, "m.i", BOB, 10, 10, cwrite=1000000), 1, 1),        # no 1h price
        with_1h(rec(t % 4, "m.i", BOB, 10, 10, cwrite=1000000), 1, 0),        # 0: fine
        with_1h(rec(t % 5, "m.h", BOB, 10, 10, cwrite=100), 1, 101),          # over: ignored
        with_1h(rec(t % 6, "m.h", BOB, 10, 10, cwrite=100), 1, "50"),         # a string: ignored
        with_1h(rec(t % 7, "m.h", BOB, 10, 10, cwrite=100), 3, 2.5),          # a fraction: ignored
        with_1h(rec(t % 8, "m.j", BOB, 10, 10, cwrite=500), 1, 500),          # all 1h: 5m price unused
        with_1h(rec(t % 9, "m.j", BOB, 10, 10, cwrite=500), 1, 499),          # one 5m token: unpriced
    ]
    new_case("price-1h", ["-p", "prices.csv", "records.jsonl"],
             {"records.jsonl": lines(hrecs), "prices.csv": onehour})

    one = {"records.jsonl": lines([rec(t % 0, "m.a", BOB, 1, 1)])}
    bad = {
        "price-bad-model-space": V2 + '"m.a ",*,1,2,,,,,,,\n',
        "price-bad-region-space": V2 + "m.a, us-east-1,1,2,,,,,,,\n",
        "price-bad-tier-space": V2 + "m.a,*,1,2,,,,flex ,,,\n",
        "price-bad-arn": V2 + "arn:aws:bedrock:us-east-1::foundation-model/m.a,*,1,2,,,,,,,\n",
        "price-bad-tier": V2 + "m.a,*,1,2,,,,Flex,,,\n",
        "price-bad-context": V2 + "m.a,*,1,2,,,,,200k,,\n",
        "price-bad-valid-from": V2 + "m.a,*,1,2,,,,,,01/10/2026,\n",
        "price-bad-validity-inverted": V2 + "m.a,*,1,2,,,,,,2026-11-01,2026-10-01\n",
        "price-bad-validity-empty": V2 + "m.a,*,1,2,,,,,,2026-10-01,2026-10-01\n",
        "price-bad-overlap": V2 + "m.a,*,1,2,,,,,,,2026-11-01\nm.b,*,1,1,,,,,,,\nm.a,*,2,4,,,,,,2026-10-15,\n",
        "price-bad-1h": V2 + "m.a,*,1,2,,,-2,,,,\n",
        "price-bad-semicolons": "model_id;region;input_per_mtok;output_per_mtok;cache_read_per_mtok;cache_write_per_mtok\nm.a;*;1,5;2;;\n",
        "price-bad-decimal-comma": "model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok\nm.a,*,1,5,2,,\n",
        "price-bad-manifest": TAGS,
        # a region typo that no AWS Region resembles in form: the nearest known one
        "price-bad-region": V2 + "m.a,*,1,2,,,,,,,\nm.a,us-east1,1,2,,,,,,,\n",
    }
    for name, table in bad.items():
        new_case(name, ["-p", "prices.csv", "records.jsonl"], {**one, "prices.csv": table})
    # manifests that are not: a log, a price table, a semicolon table; ARNs that never match
    new_case("manifest-bad-log", ["-m", "log.jsonl", "records.jsonl"],
             {**one, "log.jsonl": lines([rec(t % 0, "m.a", BOB, 1, 1), rec(t % 1, "m.a", BOB, 1, 1)])})
    new_case("manifest-bad-prices", ["-m", "prices.csv", "records.jsonl"],
             {**one, "prices.csv": PRICES})
    new_case("manifest-bad-semicolons", ["-m", "tags.csv", "records.jsonl"],
             {**one, "tags.csv": "profile_arn;app\n" + APP_SUPPORT + ";chat\n"})
    new_case("manifest-bad-gzip", ["-m", "tags.csv.gz", "records.jsonl"],
             {**one, "tags.csv.gz": gz(TAGS.encode())})
    new_case("manifest-arn-warnings", ["-m", "tags.csv", "records.jsonl"],
             {**one, "tags.csv": "profile_arn,app\nsupp0rtchat1,chat\n\"" + APP_SEARCH
              + " \",search\n" + HAIKU45_GLOBAL_ARN + ",x\n" + APP_SUPPORT + ",ok\n"})
    # a region shaped like an AWS Region but not in the geography table: a warning, once
    # per region, with the nearest known one when it is near; its rows price as written
    new_case("price-new-region", ["-p", "prices.csv", "records.jsonl"],
             {"records.jsonl": lines([rec(t % 0, "m.a", BOB, 1000000, 0, region="il-central-1")]),
              "prices.csv": V2 + "m.a,il-central-1,2,4,,,,,,,\nm.b,il-central-1,1,1,,,,,,,\n"
              "m.a,us-eest-1,9,9,,,,,,,\nm.a,*,1,2,,,,,,,\n"})
    # a log given as a price table
    new_case("price-bad-log", ["-p", "log.json.gz", "records.jsonl"],
             {**one, "log.json.gz": gz(lines([rec(t % 0, "m.a", BOB, 1, 1)]))})
    # a hand-added row without the informational source and as_of cells is fine,
    # and a row may stop before the optional columns
    new_case("price-short-rows", ["-p", "prices.csv", "records.jsonl"],
             {**one, "prices.csv": "model_id,region,input_per_mtok,output_per_mtok,"
              "cache_read_per_mtok,cache_write_per_mtok,tier,source,as_of\n"
              "m.b,*,1,2,,,,AWSPP,2025-07-20\nm.a,*,1,2,,\n"})


# ---- residency, spikes, direct calls (bedrock-ledger-formats(5), POOLS; bedrock-ledger-formats(5), REPORTS) ----

def governance_cases():
    t = "2026-10-11T09:%02d:00Z"
    sonnet = "anthropic.claude-sonnet-4-5-20250929-v1:0"
    app_copy = f"arn:aws:bedrock:eu-west-1:{ACCT}:application-inference-profile/c0pyfm00001"
    app_eu = f"arn:aws:bedrock:eu-west-1:{ACCT}:application-inference-profile/eur0pe00002"
    tags = TAGS + f"{app_copy},{sonnet},copied,team-a\n{app_eu},eu.{sonnet},eu-app,team-b\n"

    def at(r, infr):
        if infr is not None:
            r["inferenceRegion"] = infr
        return r

    recs = [
        at(rec(t % 0, "us." + sonnet, BOB, 10, 1), "us-west-2"),                 # in pool
        at(rec(t % 1, "us." + sonnet, BOB, 10, 1), "eu-west-1"),                 # out of pool
        at(rec(t % 2, "eu." + sonnet, BOB, 10, 1, region="eu-west-1"), "eu-central-1"),
        at(rec(t % 3, "global." + sonnet, BOB, 10, 1, region="eu-west-1"), "us-east-1"),  # EU on global
        at(rec(t % 4, "apac." + sonnet, BOB, 10, 1, region="ap-south-1"), "me-central-1"),
        at(rec(t % 5, "ap." + sonnet, BOB, 10, 1, region="ap-south-1"), "eu-west-1"),   # ap.: apac
        at(rec(t % 6, "jp." + sonnet, BOB, 10, 1, region="ap-northeast-1"), "ap-northeast-3"),
        at(rec(t % 7, sonnet, BOB, 10, 1), "us-east-1"),                         # in-region, in
        at(rec(t % 8, sonnet, BOB, 10, 1), "us-east-2"),                         # in-region, out
        at(rec(t % 9, sonnet, BOB, 10, 1, region="eu-west-1"), None),            # no inferenceRegion
        at(rec(t % 10, app_copy, BOB, 10, 1, region="eu-west-1"), "eu-west-1"),  # copied from an FM
        at(rec(t % 11, app_eu, BOB, 10, 1, region="eu-west-1"), "eu-north-1"),
        at(rec(t % 12, APP_UNKNOWN, BOB, 10, 1), "us-east-1"),                  # unattributed: unknown
        at(rec(t % 13, PROVISIONED, BOB, 10, 1), "us-east-1"),                  # other: unknown
        at(rec(t % 14, "us-gov." + sonnet, BOB, 10, 1, region="us-gov-west-1"), "us-gov-east-1"),
        at(rec(t % 15, "sa." + sonnet, BOB, 10, 1, region="sa-east-1"), "sa-east-1"),
    ]
    new_case("residency-pools", ["-m", "tags.csv", "-g", "app", "records.jsonl"],
             {"records.jsonl": lines(recs), "tags.csv": tags})
    # grouping columns that repeat a report's own are left out of that report
    new_case("residency-own-columns", ["-m", "tags.csv", "-g", "field:region,app,field:caller",
                                       "records.jsonl"],
             {"records.jsonl": lines(recs), "tags.csv": tags})

    # spikes: thresholds $1 and 3x; prices 1 USD per 1M input tokens
    table = V2 + "m.s,*,1,0,,,,,,,\n"

    def h(day, hour, caller, mtok, model="m.s", meta=None):
        r = rec(f"2026-10-{day:02d}T{hour:02d}:10:00Z", model, caller, int(mtok * 1000000), 0)
        return with_meta(r, meta) if meta else r
    srecs = [
        h(1, 0, CAROL, 5),                          # a new key, one hour of $5: no baseline, flagged
        h(1, 0, ALICE, 1), h(1, 1, ALICE, 1), h(1, 2, ALICE, 1), h(1, 3, ALICE, 3),  # odd others: B=1, 3x
        h(2, 0, ALICE, 2.9),                        # 2.9x the median: not flagged
        h(1, 0, BOB, 2), h(1, 1, BOB, 4), h(1, 2, BOB, 30),  # even others (2, 4): B=3, 10x
        h(1, 0, ROOT, 0), h(1, 1, ROOT, 0), h(1, 2, ROOT, 2),  # baseline 0: flagged, no ratio
        h(1, 0, GOV_SESSION, 50), h(1, 1, GOV_SESSION, 50), h(1, 2, GOV_SESSION, 50),  # steady: none
        h(1, 5, ALICE2, 0.5), h(1, 6, ALICE2, 0.5),          # below --spike-usd
        h(1, 7, ALICE2, 9, model="m.unpriced"),              # unpriced: left out
        h(3, 9, ODD_SESSION, 2, meta={"tenant": "acme"}), h(3, 10, ODD_SESSION, 2, meta={"tenant": "globex"}),
    ]
    new_case("spikes-rules", ["-p", "prices.csv", "--spike-usd", "1", "--spike-factor", "3",
                              "-g", "meta:tenant", "records.jsonl"],
             {"records.jsonl": lines(srecs), "prices.csv": table})
    # the defaults ($5, 5x); --callers principal changes caller.csv, not spikes.csv
    new_case("spikes-defaults", ["-p", "prices.csv", "--callers", "principal", "records.jsonl"],
             {"records.jsonl": lines(srecs), "prices.csv": table})
    new_case("spikes-usage", ["--spike-factor", "x", "records.jsonl"],
             {"records.jsonl": lines(srecs[:1])})
    # the same records spread over a tree (jobs.sh reads it at several -j), spilled early
    tree = {}
    for i, r in enumerate(srecs):
        tree[f"logs/{i % 5}/part-{i:02d}.json"] = lines([r])
    new_case("spikes-tree", ["-p", "prices.csv", "--spike-usd", "1", "--spike-factor", "3",
                             "-g", "meta:tenant", "logs"],
             {**tree, "prices.csv": table, "env": "BEDROCK_LEDGER_CELLS=1\n"})
    # --spike-by: a $42 loop of one role spread over 12 ECS task sessions of $3.50
    # each (under $5 each) in hour 03, the role's usual hour $0.20 (one session a
    # day): the principal's hour is 210x its usual and flagged by default; by
    # caller no session's hour reaches $5. With none, three roles of app "etl"
    # at $2 each in hour 05 are one key of $6 (one hour: flagged).
    loop = [h(5, 3, role_arn("agent-loop", f"ecs-task-{i:02d}"), 3.5, meta={"app": "rag"})
            for i in range(12)]
    loop += [h(d, 3, role_arn("agent-loop", f"ecs-day-{d}"), 0.2, meta={"app": "rag"})
             for d in (1, 2, 3, 4, 6)]
    loop += [h(5, 5, role_arn(r, "s1"), 2, meta={"app": "etl"}) for r in ("etl-a", "etl-b", "etl-c")]
    for by in ("principal", "caller", "none"):
        args = ["-p", "prices.csv", "-g", "meta:app", "records.jsonl"]
        new_case("spikes-by-" + by, args if by == "principal" else ["--spike-by", by] + args,
                 {"records.jsonl": lines(loop), "prices.csv": table})
    new_case("spikes-by-usage", ["--spike-by", "role", "records.jsonl"],
             {"records.jsonl": lines(loop[:1])})
    # hourly cells spilled to disk after every two cells: the same reports
    new_case("spikes-spilled", ["-p", "prices.csv", "--spike-usd", "1", "--spike-factor", "3",
                                "-g", "meta:tenant", "records.jsonl"],
             {"records.jsonl": lines(srecs), "prices.csv": table, "env": "BEDROCK_LEDGER_CELLS=2\n"})


# ---- inputs as they really arrive (bedrock-ledger-formats(5), WHAT IS READ v2) ----

def arrival_cases():
    t = "2026-10-12T08:%02d:00Z"
    good = [rec(t % i, HAIKU3, BOB, 10 + i, 1) for i in range(6)]
    trail = {"Records": [{"eventVersion": "1.09", "eventSource": "bedrock.amazonaws.com",
                          "eventName": "InvokeModel", "eventTime": "2026-10-12T08:00:00Z"}]}
    files = {
        # other services' logs in the same bucket: not read
        f"logs/AWSLogs/{ACCT}/CloudTrail/us-east-1/2026/10/12/{ACCT}_CloudTrail_us-east-1_x.json.gz":
            gz(json.dumps(trail).encode()),
        f"logs/AWSLogs/o-abc123def4/{ACCT}/CloudTrail/us-east-1/2026/10/12/y.json.gz":
            gz(json.dumps(trail).encode()),
        f"logs/AWSLogs/{ACCT}/elasticloadbalancing/us-east-1/2026/10/12/alb.log.gz":
            gz(b"h2 2026-10-12T08:00:00.000000Z app/x 10.0.0.1:1 - 0.001 0.002 0.000 200 200 1 2 \"GET https://x/ HTTP/2.0\"\n"),
        "logs/" + logkey("us-east-1", t % 0, "0a"): gz(lines(good[:1])),
        # a CloudWatch Logs export: the permission line is not a record
        "exports/000000.gz": gz(("2026-10-12T08:00:00.000Z Permissions are correctly set for Amazon"
                                 " Bedrock logs.\n2026-10-12T08:01:00.000Z " + line(good[1]) + "\n").encode()),
        # records as documentation publishes them: pretty-printed, two in a file
        "docs/records.json": (json.dumps(good[2], indent=2) + "\n" + json.dumps(good[3], indent=4) + "\n").encode(),
        # aws logs get-log-events and filter-log-events output
        "cli/get-log-events.json": json.dumps({"events": [
            {"timestamp": 1760256000000, "message": line(good[4]), "ingestionTime": 1760256001000},
            {"timestamp": 1760256000001, "message": "Permissions are correctly set for Amazon Bedrock logs."}],
            "nextForwardToken": "f/1", "nextBackwardToken": "b/1"}, indent=4).encode(),
        "cli/filter-log-events.json": json.dumps({"events": [
            {"logStreamName": "aws/bedrock/modelinvocations", "message": line(good[5]), "eventId": "1"}],
            "searchedLogStreams": []}).encode(),
    }
    new_case("inputs-as-they-arrive", ["--strict", "logs", "exports", "docs", "cli"], files)
    # the same bucket walked from its AWSLogs folder, and from an account's: other
    # services' logs are still not read
    logs = {k: v for k, v in files.items() if k.startswith("logs/")}
    new_case("inputs-root-awslogs", ["--strict", "logs/AWSLogs", f"logs/AWSLogs/o-abc123def4/{ACCT}"],
             logs)


# ---- nothing found is not success (bedrock-ledger-formats(5), The books) ----

def nothing_cases():
    t = "2026-10-12T08:%02d:00Z"
    good = [rec(t % i, HAIKU3, BOB, 10 + i, 1) for i in range(3)]
    trail = {"Records": [{"eventVersion": "1.09", "eventSource": "bedrock.amazonaws.com",
                          "eventName": "InvokeModel", "eventTime": "2026-10-12T08:00:00Z"}]}
    # a CloudTrail-only tree and a marker: every object skipped
    new_case("nothing-skipped", ["--strict", "logs"], {
        f"logs/AWSLogs/{ACCT}/CloudTrail/us-east-1/2026/10/12/{ACCT}_CloudTrail_us-east-1_a.json.gz":
            gz(json.dumps(trail).encode()),
        f"logs/AWSLogs/{ACCT}/CloudTrail/us-east-1/2026/10/12/{ACCT}_CloudTrail_us-east-1_b.json.gz":
            gz(json.dumps(trail).encode()),
        "logs/amazon-bedrock-logs-permission-check": b""})
    # a window in the future: the hour folders are not opened ...
    tree = {"logs/" + logkey("us-east-1", t % 0, "0a"): gz(lines(good[:2])),
            "logs/" + logkey("us-east-1", "2026-10-12T10:00:00Z", "0b"): gz(lines(good[2:]))}
    new_case("nothing-window-pruned", ["--since", "2062-10-01", "logs"], tree)
    # ... and the records of a file named on the command line are filtered
    new_case("nothing-window", ["--strict", "--since", "2062-10-01", "records.jsonl"],
             {"records.jsonl": lines(good)})
    # every record rejected, and rejected and filtered together
    new_case("nothing-rejected", ["records.jsonl"],
             {"records.jsonl": b"not json\n[1]\n{\"timestamp\":\"yesterday\"}\n"})
    new_case("nothing-mixed", ["--until", "2026-10-12", "records.jsonl"],
             {"records.jsonl": lines(good + ["not json"])})


# ---- --tz: days and hours in a time zone (bedrock-ledger-formats(5), TIME) ----

def tz_cases():
    table = V2 + "m.s,*,1,0,,,,,,,\n"

    def r(ts, mtok=1):
        return rec(ts, "m.s", BOB, int(mtok * 1000000), 0)
    # Berlin leaves summer time on 2026-10-25 at 01:00Z (03:00 CEST -> 02:00 CET):
    # 02:00-03:00 comes twice, the 25th has 25 hours, and local midnight is 22:00Z
    # before the change, 23:00Z after it. --since 2026-10-25 is local midnight.
    berlin = [r("2026-10-24T21:30:00Z"),   # 23:30 CEST on the 24th: before --since
              r("2026-10-24T22:30:00Z"),   # 00:30 on the 25th (UTC: the 24th)
              r("2026-10-25T00:30:00Z"),   # 02:30 CEST
              r("2026-10-25T01:30:00Z"),   # 02:30 CET: the same wall clock, another hour
              r("2026-10-25T01:45:00Z"),
              r("2026-10-25T22:30:00Z"),   # 23:30 CET on the 25th
              r("2026-10-25T23:30:00Z")]   # 00:30 on the 26th (UTC: the 25th)
    args = ["-p", "prices.csv", "--spike-usd", "1", "--spike-factor", "1", "--since", "2026-10-25",
            "records.jsonl"]
    files = {"records.jsonl": lines(berlin), "prices.csv": table}
    new_case("tz-berlin-dst", ["--tz", "Europe/Berlin"] + args, files)
    new_case("tz-berlin-utc", args, files)   # the same without --tz: UTC days and hours
    # Kolkata is UTC+05:30: one UTC hour holds the end of one local hour and the
    # start of the next. A price change at 18:50Z falls inside local hour 00:00.
    kolkata = [r("2026-10-01T18:10:00Z"),  # 23:40 IST on the 1st
               r("2026-10-01T18:20:00Z"),  # 23:50
               r("2026-10-01T18:40:00Z"),  # 00:10 on the 2nd, at $1
               r("2026-10-01T19:05:00Z"),  # 00:35, at $2 (and another UTC hour)
               r("2026-10-01T23:50:00Z"),  # 05:20 (UTC: the 1st)
               r("2026-10-02T00:10:00Z")]  # 05:40 (UTC: the 2nd)
    new_case("tz-kolkata", ["--tz", "Asia/Kolkata", "-p", "prices.csv", "--spike-usd", "1",
                            "--spike-factor", "1", "records.jsonl"],
             {"records.jsonl": lines(kolkata),
              "prices.csv": V2 + "m.s,*,1,0,,,,,,,2026-10-01T18:50:00Z\n"
                                 "m.s,*,2,0,,,,,,2026-10-01T18:50:00Z,\n"})
    new_case("tz-usage", ["--tz", "Europe/Berln", "records.jsonl"],
             {"records.jsonl": lines(kolkata[:1])})


# ---- reconciliation with the bill (bedrock-ledger-formats(5), RECONCILIATION) ----

def reconcile_cases():
    import gen_cur
    day = "2026-09-14"
    sonnet = "anthropic.claude-sonnet-4-6"
    lite = "amazon.nova-2-lite-v1:0"
    t = day + "T10:%02d:00Z"
    recs = [
        rec(t % 0, "us." + sonnet, BOB, 1000000, 200000, cread=300000, cwrite=50000),
        with_1h(rec(t % 1, "us." + sonnet, BOB, 0, 0, cwrite=40000), 1, 40000),
        rec(t % 2, "global." + sonnet, ALICE, 500000, 0),
        rec(t % 3, lite, CAROL, 2000000, 100000),      # logged standard; billed as flex below
        rec(t % 4, lite, CAROL, 10, 0, region="eu-central-1"),  # logged, never billed
        rec(t % 5, APP_UNKNOWN, BOB, 777, 0),          # unattributed
    ]
    T = gen_cur.Total
    # the bill of what the logs show (as the ledger estimates it, and some cents off)
    totals = [
        T(day, "us-east-1", sonnet, "input", tokens=1000000, usd="3.30"),
        T(day, "us-east-1", sonnet, "output", tokens=200000, usd="3.30"),
        T(day, "us-east-1", sonnet, "cache_read", tokens=300000, usd="0.099"),
        T(day, "us-east-1", sonnet, "cache_write", tokens=50000, usd="0.20625"),
        T(day, "us-east-1", sonnet, "cache_write_1h", tokens=40000, usd="0.264"),
        T(day, "us-east-1", sonnet, "input", routing="global", tokens=500001, usd="1.500003"),
        T(day, "us-east-1", lite, "input", tier="flex", tokens=2000000, usd="0.33"),
        T(day, "us-east-1", lite, "output", tier="flex", tokens=100000, usd="0.1375"),
    ]
    rows = gen_cur.bedrock_rows(totals, hours=3)
    rows += gen_cur.injected_rows("2026-09-15")
    rows += gen_cur.category_rows("2026-09-15")
    rows += gen_cur.adjustment_rows("2026-09-01")
    rows += gen_cur.other_service_rows(day, 20)
    d = new_case("reconcile-cur2", ["-p", "prices.csv", "--cur", "cur.csv", "records.jsonl"],
                 {"records.jsonl": lines(recs), "prices.csv": RECONCILE_PRICES})
    gen_cur.write_cur(os.path.join(d, "cur.csv"), rows, dialect="cur2", seed=5)
    d = new_case("reconcile-classic-gz", ["-p", "prices.csv", "--cur", "cur.csv.gz",
                                          "--billing-names", "names.csv", "records.jsonl"],
                 {"records.jsonl": lines(recs), "prices.csv": RECONCILE_PRICES,
                  "names.csv": "billing_name,model_id\nzai.glm6,zai.glm-6\n"})
    gen_cur.write_cur(os.path.join(d, "cur.csv.gz"), rows, dialect="classic", compress=True, seed=9)
    # a window: only the CUR rows and log records of 2026-09-14
    # --tz: the reports' days are Kiritimati's (UTC+14: the 15th), reconcile.csv's the bill's
    new_case("tz-reconcile", ["--tz", "Pacific/Kiritimati", "-p", "prices.csv", "--cur",
                              "../reconcile-cur2/cur.csv", "records.jsonl"],
             {"records.jsonl": lines(recs), "prices.csv": RECONCILE_PRICES})
    new_case("reconcile-window", ["-p", "prices.csv", "--cur", "../reconcile-cur2/cur.csv",
                                  "--since", day, "--until", "2026-09-15", "records.jsonl"],
             {"records.jsonl": lines(recs), "prices.csv": RECONCILE_PRICES})
    # a folder that holds the tables beside the logs: the files given with options are
    # skipped (is-an-option-file, by identity: ./audit/../audit/tags.csv is audit/tags.csv),
    # and other tables (.csv, .csv.gz, .parquet) are no logs (not-a-log-name)
    d = new_case("inputs-option-files", ["--strict", "-m", "./audit/../audit/tags.csv", "-p",
                                         "audit/prices.csv", "--cur", "audit/cur2.csv.gz", "audit"],
                 {"audit/records.jsonl": lines(recs), "audit/tags.csv": TAGS,
                  "audit/prices.csv": RECONCILE_PRICES, "audit/notes.csv": "a,b\n1,2\n",
                  "audit/export.parquet": b"PAR1\x15\x04\x15" + b"\0" * 40 + b"PAR1"})
    gen_cur.write_cur(os.path.join(d, "audit/cur2.csv.gz"), rows, dialect="cur2", compress=True, seed=5)
    os.makedirs(os.path.join(d, "audit/old"), exist_ok=True)
    gen_cur.write_cur(os.path.join(d, "audit/old/cur-2026-08.csv.gz"), rows, dialect="cur2",
                      compress=True, seed=6)
    # a table named as a log (the option forgotten): exit 2, naming the option, recognised by
    # the tables' own header checks, in a gzip file too, and the JSON a manifest is made from
    one_log = {"records.jsonl": lines(recs[:1])}
    profiles = cli_json({"inferenceProfileSummaries": [
        cli_profile(APP_SUPPORT, "support-chat",
                    [f"arn:aws:bedrock:us-east-1::foundation-model/{HAIKU3}"])]})
    for name, table, content in (
            ("manifest", "tags.csv", TAGS),
            ("manifest-json", "profiles.json", profiles),
            ("prices", "prices.csv.gz", gz(RECONCILE_PRICES.encode())),
            ("billing-names", "names.csv", "billing_name,model_id\nzai.glm6,zai.glm-6\n")):
        new_case("named-table-" + name, ["records.jsonl", table], {**one_log, table: content})
    d = new_case("named-table-cur", ["records.jsonl", "cur.csv.gz"], one_log)
    gen_cur.write_cur(os.path.join(d, "cur.csv.gz"), rows, dialect="classic", compress=True, seed=9)
    # bad CUR input: exit 2 before any report is replaced
    new_case("reconcile-bad-parquet", ["--cur", "cur.parquet", "records.jsonl"],
             {"records.jsonl": lines(recs[:1]), "cur.parquet": b"PAR1\x15\x04\x15" + b"\0" * 40 + b"PAR1"})
    new_case("reconcile-bad-columns", ["--cur", "cur.csv", "records.jsonl"],
             {"records.jsonl": lines(recs[:1]), "cur.csv": "identity_line_item_id,line_item_usage_type\nx,USE1-Claude4.6Sonnet-input-tokens\n"})


RECONCILE_PRICES = V2 + """anthropic.claude-sonnet-4-6,*,3.3,16.5,0.33,4.125,6.6,,,,
global.anthropic.claude-sonnet-4-6,*,3,15,0.3,3.75,6,,,,
amazon.nova-2-lite-v1:0,*,0.33,2.75,0.0825,,,,,,
"""


# ---- budgets and duplicates (bedrock-ledger(1), AUDIT) ----

def audit_cases():
    # 1 USD per million input tokens: a record of N*10^6 input tokens costs N USD
    table = V2 + "m.s,*,1,0,,,,,,,\n"

    def spend(day, minute, app, team, mtok):
        r = rec(f"2026-10-{day:02d}T10:{minute:02d}:00Z", "m.s", BOB, int(mtok * 1000000), 0)
        return with_meta(r, {"app": app, "team": team})
    recs = [
        spend(1, 0, "alpha", "red", 3), spend(2, 1, "alpha", "red", 0.5),   # alpha: $3 on the 1st
        spend(1, 2, "beta", "blue", 0.25), spend(2, 3, "beta", "blue", 0.5),  # beta over the run: 0.75
        spend(2, 4, "gamma", "red", 1),                                       # red over the run: 4.5
    ]
    # columns in any order; an empty cell matches any value; per day and per run
    budget = ("max_usd,app,per,team\n"
              "1,alpha,day,\n"      # alpha on 2026-10-01 ($3): over; on the 2nd ($0.5): not
              "4,,run,red\n"        # team red, the whole run ($4.5): over
              "10,,day,\n"          # everything, per day: never over
              "0.5,beta,run,blue\n" # beta/blue over the run ($0.75): over
              "0.75,beta,run,\n")   # exactly at the limit: not over
    new_case("budget-rows", ["-p", "prices.csv", "-g", "meta:app,meta:team", "--budget", "budget.csv",
                             "records.jsonl"],
             {"records.jsonl": lines(recs), "prices.csv": table, "budget.csv": budget})
    new_case("budget-none-over", ["-p", "prices.csv", "-g", "meta:app", "--budget", "budget.csv",
                                  "records.jsonl"],
             {"records.jsonl": lines(recs), "prices.csv": table,
              "budget.csv": "app,max_usd,per\nalpha,100,run\n"})
    new_case("budget-bad-column", ["-p", "prices.csv", "-g", "meta:app", "--budget", "budget.csv",
                                   "records.jsonl"],
             {"records.jsonl": lines(recs), "prices.csv": table,
              "budget.csv": "app,team,max_usd,per\nalpha,red,1,day\n"})
    new_case("budget-bad-per", ["-p", "prices.csv", "-g", "meta:app", "--budget", "budget.csv",
                                "records.jsonl"],
             {"records.jsonl": lines(recs), "prices.csv": table,
              "budget.csv": "app,max_usd,per\nalpha,1,week\n"})

    # duplicates: the same requestId within one object, across objects, and
    # between the S3 tree and a CloudWatch export of the same hour
    def r(minute, req, mtok=1, **kw):
        return rec(f"2026-10-03T12:{minute:02d}:00Z", "m.s", BOB, int(mtok * 1000000), 0,
                   req=req, **kw)
    a, b, c, d, e, x = ("dupe-%s" % k for k in "abcdex")
    no_model = r(8, x)
    del no_model["modelId"]
    hour12 = [r(0, a), r(1, b), r(0, a), "{not json", no_model, r(2, c)]  # a twice; x rejected
    hour13 = [r(1, b), r(3, d), r(9, x)]                # b again; x: first counted copy
    cw = ["2026-10-03T12:02:00.000Z " + line(r(2, c)),   # the export sorts first: its copies
          "2026-10-03T12:03:00.000Z " + line(r(3, d)),   # are the originals
          "2026-10-03T12:04:00.000Z " + line(r(4, e))]

    def unsorted_tar(members):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
            for name, data in members:
                ti = tarfile.TarInfo(name)
                ti.size, ti.mode, ti.mtime = len(data), 0o644, 0
                t.addfile(ti, io.BytesIO(data))
        return buf.getvalue()
    # an archive stored out of path order: z/ is read first, a/ comes first
    tar = unsorted_tar([("z/late.json", lines([r(5, "dupe-t", 2)])),
                        ("a/early.json", lines([r(6, "dupe-t", 2)]))])
    files = {
        "logs/" + logkey("us-east-1", "2026-10-03T12:00:00Z", "h12"): gz(lines(hour12)),
        "logs/" + logkey("us-east-1", "2026-10-03T13:00:00Z", "h13"): gz(lines(hour13)),
        "export/bedrock-log-group.jsonl": lines(cw),
        "tree.tar": tar,
        "prices.csv": table,
    }
    args = ["-p", "prices.csv", "export", "logs", "tree.tar"]
    new_case("dupes-counted", args, files)
    new_case("dupes-dropped", ["--dedupe"] + args, files)
    # --hash: the digest of each object as stored, of an archive and of each of its members
    new_case("hash-objects", ["--hash", "-p", "prices.csv", "tree.tar", "logs"],
             {k: v for k, v in files.items() if k != "export/bedrock-log-group.jsonl"})
    new_case("hash-stdin", ["--hash", "-p", "prices.csv", "-"], {"prices.csv": table},
             stdin=gz(lines(hour13)))


if __name__ == "__main__":
    main()
    import build_views  # the cases of whatif, cache, coverage and report.html
    build_views.main()
