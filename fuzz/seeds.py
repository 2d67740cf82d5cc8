#!/usr/bin/env python3
"""seeds.py - writes the seed corpora fuzz/corpus/<harness>/ from our own test
inputs (testdata/, tests/fixtures/, data/prices.csv).

Run it from anywhere; it rewrites the seeds in fuzz/corpus/ and keeps the
files named found-*: inputs that libFuzzer found to reach code the seeds do
not (kept small: see fuzz/README.md). fuzz_record inputs start with two
header bytes that choose the chunk sizes (see fuzz_record.c), so each seed
gets one. Archives made here carry no times or owners: the output is
deterministic. Inputs that once crashed go to fuzz/regressions/, never here.
"""
import bz2
import glob
import gzip
import io
import lzma
import os
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")
LIMIT = 64 * 1024


def src(*parts):
    return os.path.join(ROOT, *parts)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(harness, name, data):
    assert len(data) < LIMIT, (harness, name, len(data))
    d = os.path.join(CORPUS, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def tar_of(members, mode="w"):
    """A tar of (name, bytes) pairs, no times or owners."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode, format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def gz(data):
    return gzip.compress(data, mtime=0)


def record_seeds():
    # (limit - 1, seed): one-byte chunks, 7-byte chunks, random chunks up to
    # 32 and up to 256, and whole 256-byte chunks
    headers = [b"\x00\x00", b"\x06\x00", b"\x1f\x2a", b"\xff\x07", b"\xff\x00"]
    texts = []
    for path in sorted(glob.glob(src("tests", "fixtures", "record", "*.jsonl"))):
        texts.append(("fixture-" + os.path.basename(path), read(path)))
    for case, name in [("rejects", "records.jsonl"), ("timestamps", "t.json"),
                       ("tokens-null", "n.json"), ("window", "w.json"),
                       ("formula-guard", "=evil.json"), ("strict", "s.json")]:
        texts.append((case + "-" + name.lstrip("="), read(src("testdata", "cases", case, name))))
    texts.append(("decoys.json", gzip.decompress(read(src("testdata", "cases", "decoys", "decoys.json.gz")))))
    cw = src("testdata", "cases", "cloudwatch-export", "exportedlogs", "1a2b3c4d-task",
             "aws-bedrock-modelinvocations", "000000.gz")
    texts.append(("cloudwatch.json", gzip.decompress(read(cw))))
    arrive = src("testdata", "cases", "inputs-as-they-arrive")
    for name in ["docs/records.json", "cli/get-log-events.json", "cli/filter-log-events.json"]:
        texts.append(("arrive-" + os.path.basename(name), read(os.path.join(arrive, name))))
    for case in ["price-1h", "price-tiers", "group-meta"]:
        texts.append((case + ".jsonl", read(src("testdata", "cases", case, "records.jsonl"))))
    for i, (name, text) in enumerate(texts):
        write("record", name, headers[i % len(headers)] + text)


def inflate_seeds():
    cases = src("testdata", "cases")
    for name in ["concat.json.gz", "corrupt.json.gz", "garbage-after.json.gz",
                 "plain-named.gz", "truncated.json.gz", "plain.json"]:
        write("inflate", "gzip-" + name, read(os.path.join(cases, "gzip", "d", name)))
    write("inflate", "decoys.json.gz", read(os.path.join(cases, "decoys", "decoys.json.gz")))
    write("inflate", "tree.tar", read(os.path.join(cases, "archive-tar", "tree.tar")))
    write("inflate", "tree.tgz", read(os.path.join(cases, "archive-tgz", "tree.tgz")))
    write("inflate", "tree.zip", read(os.path.join(cases, "archive-zip", "tree.zip")))
    hostile = os.path.join(cases, "archive-hostile", "handover")
    write("inflate", "hostile-2026-10.tgz", read(os.path.join(hostile, "2026-10.tgz")))
    write("inflate", "hostile-nested.tar", read(os.path.join(hostile, "nested.tar")))
    # cut where libarchive still finds members
    write("inflate", "hostile-truncated-head.tgz", read(os.path.join(hostile, "truncated.tgz"))[:16384])
    # the other compressions inflate_sniff and archive.c know, and a zip in a tar
    log = gzip.decompress(read(os.path.join(cases, "decoys", "decoys.json.gz")))
    small_tar = tar_of([("a.json", log[:1500]), ("b.json.gz", gz(log[:900]))])
    write("inflate", "small.tar.bz2", bz2.compress(small_tar, 9))
    write("inflate", "small.tar.xz", lzma.compress(small_tar))
    zst = os.path.join(cases, "archive-zstd")
    write("inflate", "tree.tar.zst", read(os.path.join(zst, "handovers", "2026-12.tar.zst")))
    write("inflate", "log.json.zst", read(os.path.join(zst, "notes.json.zst")))
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("x/a.json", log[:800]), ("x/b.tgz", gz(small_tar))]:
            zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    write("inflate", "nested.zip", zbuf.getvalue())
    write("inflate", "zip-in-tar.tar", tar_of([("inner.zip", zbuf.getvalue())]))


def manifest_seeds():
    for path in sorted(glob.glob(src("tests", "fixtures", "manifest", "*"))):
        write("manifest", os.path.basename(path), read(path))
    write("manifest", "testdata-tags.csv", read(src("testdata", "cases", "archive-tar", "tags.csv")))


def prices_seeds():
    for path in sorted(glob.glob(src("tests", "fixtures", "prices", "*.csv"))):
        write("prices", os.path.basename(path), read(path))
    write("prices", "testdata-prices.csv", read(src("testdata", "cases", "gzip", "prices.csv")))
    # the built-in table is over the seed limit: its first and last rows
    builtin = read(src("data", "prices.csv")).split(b"\n")
    write("prices", "builtin-prices.csv", b"\n".join(builtin[:120] + builtin[-120:]))
    # the v2 tables of the golden cases: tiers, context, validity, 1-hour prices, each error
    for path in sorted(glob.glob(src("testdata", "cases", "price-*", "prices.csv"))):
        write("prices", "case-" + os.path.basename(os.path.dirname(path)) + ".csv", read(path))


def csvrows_seeds():
    # the first byte sets the chunk size and whether the third row is refused (see fuzz_csvrows.c)
    for i, path in enumerate(sorted(glob.glob(src("tests", "fixtures", "csvrows", "*.csv")))):
        head = bytes([(i * 7) % 64 | (0x80 if i % 5 == 0 else 0)])
        write("csvrows", os.path.basename(path), head + read(path))
    builtin = read(src("data", "prices.csv")).split(b"\n")
    write("csvrows", "builtin-prices.csv", b"\x0c" + b"\n".join(builtin[:200]))


def cur_seeds():
    # the first byte: read size (low five bits), gzip first (0x20), a window (0x40); see fuzz_cur.c
    for i, path in enumerate(sorted(glob.glob(src("tests", "fixtures", "cur", "*.csv")))):
        head = bytes([(i * 5) % 32 | (0x20 if i % 3 == 1 else 0) | (0x40 if i % 4 == 2 else 0)])
        write("cur", os.path.basename(path), head + read(path))
    write("cur", "billing-names.csv", b"\x03" + read(src("data", "billing-names.csv")))
    # pieces between "--8<--" lines are also read as the files of a directory (see fuzz_cur.c)
    cut = b"--8<--\n"
    callers = read(src("testdata", "cases", "reconcile-callers", "cur.csv")).split(b"\n")
    head, rows = callers[0] + b"\n", [r + b"\n" for r in callers[1:] if r]
    third = len(rows) // 3
    pieces = [head + b"".join(rows[i * third:(i + 1) * third]) for i in range(3)]
    write("cur", "pieces-callers.csv", b"\x87" + cut.join(pieces))
    repeated = read(src("tests", "fixtures", "cur", "repeated.csv")).split(b"\n")
    head, rows = repeated[0] + b"\n", [r + b"\n" for r in repeated[1:] if r]
    write("cur", "pieces-repeated.csv", b"\x43" + cut.join(
        [head + b"".join(rows[:8]), head + b"".join(rows[4:]), head + b"".join(rows[::3])]))
    lone = read(src("tests", "fixtures", "cur", "repeated-lone-cr.csv"))
    write("cur", "pieces-lone-cr.csv", b"\x85" + cut.join(
        [head + b"".join(rows[:5]), lone + b"\n", b"PAR1 not a CSV\n", head]))


def main():
    for harness in os.listdir(CORPUS) if os.path.isdir(CORPUS) else []:
        d = os.path.join(CORPUS, harness)
        for name in os.listdir(d):
            if not name.startswith("found-"):
                os.remove(os.path.join(d, name))
    record_seeds()
    inflate_seeds()
    manifest_seeds()
    prices_seeds()
    csvrows_seeds()
    cur_seeds()
    total = 0
    for harness in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, harness))
        size = sum(os.path.getsize(os.path.join(CORPUS, harness, f)) for f in files)
        total += size
        print(f"{harness}: {len(files)} seeds, {size} bytes")
    print(f"total: {total} bytes")
    assert total < 2 * 1024 * 1024


if __name__ == "__main__":
    main()
