#!/usr/bin/env python3
"""cur_generator.py CUR_DUMP ROOT - testdata/gen_cur.py and the CUR reader agree (TAP).

Every export gen_cur.py writes (both column dialects, plain and gzip, daily and
hourly rows, several column orders, and from a totals CSV) is read by
tests/cur_dump (the reader of src/bill/cur.c) and must give exactly the bill side
gen_cur.py says it holds (--expect).
"""
import os
import subprocess
import sys
import tempfile

dump, root = sys.argv[1], sys.argv[2]
gen = os.path.join(root, "testdata", "gen_cur.py")
n = 0
failed = 0


def check(args, name, extra_dump=("--jobs", "1")):
    global n, failed
    n += 1
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cur.csv")
        exp = os.path.join(tmp, "expect")
        subprocess.run([sys.executable, gen, "--out", out, "--expect", exp] + args, check=True)
        got = subprocess.run([dump, *extra_dump, out], capture_output=True, text=True)
        want = open(exp).read()
        if got.returncode == 0 and got.stdout == want:
            print(f"ok {n} - {name}")
            return
        failed += 1
        print(f"not ok {n} - {name}")
        for line in (got.stderr + got.stdout).splitlines()[:20]:
            print("#   got:  " + line)
        for line in want.splitlines()[:5]:
            print("#   want: " + line)


for dialect in ("cur2", "classic"):
    for gz in ([], ["--gzip"]):
        for hourly in ([], ["--hourly"]):
            for seed in (1, 7):
                args = ["--dialect", dialect, "--seed", str(seed)] + gz + hourly
                check(args, " ".join(args))
                check(args, " ".join(args) + ", 3 worker threads", ("--jobs", "3"))

with tempfile.TemporaryDirectory() as tmp:
    totals = os.path.join(tmp, "totals.csv")
    with open(totals, "w") as f:
        f.write("day,region,model,kind,routing,tier,context,tokens,usd\n"
                "2026-09-30,us-east-1,anthropic.claude-sonnet-4-6,input,global,standard,standard,"
                "1234567,3.703701\n"
                "2026-10-01,eu-west-1,amazon.nova-lite-v1:0,output,regional,flex,standard,99,\n"
                "2026-10-01,us-west-2,anthropic.claude-opus-4-6-v1,cache_write_1h,regional,"
                "standard,long,5000001,0.1000000001\n")
    for dialect in ("cur2", "classic"):
        check(["--totals", totals, "--hourly", "--dialect", dialect], f"totals, {dialect}")
    # half tokens on every hourly row: the key's tokens are its exact sum, rounded once
    with open(totals, "w") as f:
        f.write("day,region,model,kind,routing,tier,context,tokens,usd\n"
                "2026-09-30,us-east-1,anthropic.claude-sonnet-4-6,input,regional,standard,"
                "standard,217487654.4,652.462963\n"
                "2026-09-30,us-east-1,anthropic.claude-haiku-4-5-20251001-v1:0,output,global,"
                "standard,standard,1000000.5,5.0000025\n")
    for dialect in ("cur2", "classic"):
        for hourly in ([], ["--hourly"]):
            args = ["--totals", totals, "--half", "--dialect", dialect] + hourly
            check(args, f"half tokens, {dialect} {'hourly' if hourly else 'daily'}")
            check(args, f"half tokens, {dialect}, 3 worker threads", ("--jobs", "3"))

print(f"1..{n}")
sys.exit(1 if failed else 0)
