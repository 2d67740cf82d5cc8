#!/usr/bin/env python3
"""build.py - writes the inputs of the golden cases and of the sample tree.

Every input under testdata/ is made here, by us, from the records below, so
that a case can be read and checked by hand. Run it from anywhere; it
rewrites the inputs (never the expected reports: those come from
`UPDATE_GOLDEN=1 meson test`, and are committed only after reading the diff).
Output is deterministic: gzip, tar and zip carry no times or owners.
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

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")

ACCT = "111122223333"
ACCT2 = "444455556666"
ALICE = f"arn:aws:sts::{ACCT}:assumed-role/support-bot/alice"
BOB = f"arn:aws:iam::{ACCT}:user/bob"
CAROL = f"arn:aws:sts::{ACCT2}:assumed-role/batch-jobs/carol"
APP_SUPPORT = f"arn:aws:bedrock:us-east-1:{ACCT}:application-inference-profile/supp0rtchat1"
APP_SEARCH = f"arn:aws:bedrock:us-east-1:{ACCT}:application-inference-profile/search0rank2"
APP_UNKNOWN = f"arn:aws:bedrock:us-east-1:{ACCT}:application-inference-profile/unkn0wnapp99"
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


if __name__ == "__main__":
    main()
