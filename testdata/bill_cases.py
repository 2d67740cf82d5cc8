"""bill_cases.py - the golden cases of the bill, version 3 (issue 22): one bill in several
packagings, folders of part files, repeated line items, a bill of other days, the bill's own
callers, and focus.csv.

Called by build.py (build(b), b being the build module, whose helpers it uses); the CUR files
are written by gen_cur.py. Like every input under testdata/, made here, never copied.
"""
import os
import random

import gen_cur

T = gen_cur.Total
SONNET = "anthropic.claude-sonnet-4-6"
HAIKU45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
LITE = "amazon.nova-2-lite-v1:0"

HALF_DAY = "2026-09-21"


def half_prices(b):
    return b.RECONCILE_PRICES + f"global.{HAIKU45},*,1,5,0.1,1.25,2,,,,\n"


def packaging_cases(b):
    """The same bill (line items carrying half tokens) as a CUR 2.0 daily export, a classic
    hourly export and a CUR 2.0 hourly export in two part files: reconcile.csv is the same."""
    day = HALF_DAY
    t = day + "T09:%02d:00Z"
    recs = [b.rec(t % 0, "us." + SONNET, b.BOB, 217487654, 0),
            b.rec(t % 1, "global." + HAIKU45, b.ALICE, 0, 1000001),
            b.rec(t % 2, LITE, b.CAROL, 1500, 10)]
    # exact sums: 217487654.4 tokens (rounds to ...654), 1000000.5 (rounds to ...001), 1510.5
    totals = [T(day, "us-east-1", SONNET, "input", tokens="217487654.4", usd="717.70925952"),
              T(day, "us-east-1", HAIKU45, "output", routing="global", tokens="1000000.5",
                usd="5.0000025", family="B"),
              T(day, "us-east-1", LITE, "input", tokens="1500.5", usd="0.000495165")]
    files = {"records.jsonl": b.lines(recs), "prices.csv": half_prices(b)}
    others = gen_cur.other_service_rows(day, 6)
    args = ["-p", "prices.csv"]

    daily = gen_cur.bedrock_rows(totals, hours=1, half=True) + others
    d = b.new_case("reconcile-half-daily", args + ["--cur", "cur.csv", "records.jsonl"], files)
    gen_cur.write_cur(os.path.join(d, "cur.csv"), daily, dialect="cur2", seed=21)

    hourly = gen_cur.bedrock_rows(totals, hours=24, half=True) + others
    random.Random(22).shuffle(hourly)
    d = b.new_case("reconcile-half-hourly", args + ["--cur", "cur.csv.gz", "records.jsonl"],
                   files)
    gen_cur.write_cur(os.path.join(d, "cur.csv.gz"), hourly, dialect="classic", compress=True,
                      seed=22)

    hourly = gen_cur.bedrock_rows(totals, hours=24, half=True) + others
    random.Random(23).shuffle(hourly)
    cut = len(hourly) // 3
    d = b.new_case("reconcile-half-parts", args + ["--cur", "part-00001.csv.gz", "--cur",
                                                   "part-00002.csv", "records.jsonl"], files)
    gen_cur.write_cur(os.path.join(d, "part-00001.csv.gz"), hourly[:cut], dialect="cur2",
                      compress=True, seed=23)
    gen_cur.write_cur(os.path.join(d, "part-00002.csv"), hourly[cut:], dialect="cur2", seed=23)


def _cur_lines(b, case, name="cur.csv"):
    """The header and rows of a CUR file build.py wrote (split into part files below)."""
    with open(os.path.join(b.CASES, case, name), encoding="utf-8") as f:
        text = f.read()
    head, _, body = text.partition("\n")
    return head + "\n", [line + "\n" for line in body.split("\n") if line]


def _part(head, rows, gzip_it):
    data = (head + "".join(rows)).encode()
    return b_gz(data) if gzip_it else data


def b_gz(data):
    import gzip
    import io
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as f:
        f.write(data)
    return buf.getvalue()


def folder_cases(b):
    """reconcile-cur2's bill as a Data Exports folder of part files, and delivered twice over
    (overlapping exports, a row repeated in one file): reconcile.csv is reconcile-cur2's."""
    head, rows = _cur_lines(b, "reconcile-cur2")
    src = os.path.join(b.CASES, "reconcile-cur2")
    with open(os.path.join(src, "records.jsonl"), "rb") as f:
        records = f.read()
    common = {"records.jsonl": records, "prices.csv": b.RECONCILE_PRICES}
    n = len(rows)
    data = "bill/bedrock-export/data/BILLING_PERIOD=2026-09/"
    meta = "bill/bedrock-export/metadata/BILLING_PERIOD=2026-09/"
    files = dict(common)
    files[data + "bedrock-export-00001.csv.gz"] = _part(head, rows[: n // 3], True)
    files[data + "bedrock-export-00002.csv.gz"] = _part(head, rows[n // 3: 2 * n // 3], True)
    files[data + "bedrock-export-00003.csv"] = _part(head, rows[2 * n // 3:], False)
    files[meta + "bedrock-export-Manifest.json"] = (
        '{"dataFiles": ["bedrock-export-00001.csv.gz", "bedrock-export-00002.csv.gz", '
        '"bedrock-export-00003.csv"]}\n')
    files["bill/README.txt"] = "not a CUR file: skipped\n"
    b.new_case("reconcile-cur-folder", ["-p", "prices.csv", "--cur", "bill", "records.jsonl"],
               files)

    # two deliveries of the month that overlap by a third, the second in another order
    # and with one of its rows twice
    first, second = rows[: 2 * n // 3], rows[n // 3:]
    second = second[::-1] + second[:1]
    files = dict(common)
    files["cur-2026-09.csv"] = _part(head, first, False)
    files["redelivered/2026-09/part-1.csv.gz"] = _part(head, second, True)
    b.new_case("reconcile-repeated", ["-p", "prices.csv", "--cur", "cur-2026-09.csv", "--cur",
                                      "redelivered", "records.jsonl"], files)


def other_period_case(b):
    """A bill of August beside logs of September: a warning naming both periods; every
    day is on one side only, and all that was billed is unexplained."""
    src = os.path.join(b.CASES, "reconcile-cur2")
    with open(os.path.join(src, "records.jsonl"), "rb") as f:
        records = f.read()
    totals = []
    for k, day in enumerate(["2026-08-02", "2026-08-09", "2026-08-16", "2026-08-23",
                             "2026-08-30", "2026-08-31"]):
        totals.append(T(day, "us-east-1", SONNET, "input", tokens=1000000 + k, usd="3.30"))
        totals.append(T(day, "us-east-1", LITE, "output", tier="flex", tokens=5000 * (k + 1)))
    rows = gen_cur.bedrock_rows(totals, hours=2) + gen_cur.other_service_rows("2026-08-02", 8)
    d = b.new_case("reconcile-other-period", ["-p", "prices.csv", "--cur", "cur-2026-08.csv",
                                              "records.jsonl"],
                   {"records.jsonl": records, "prices.csv": b.RECONCILE_PRICES})
    gen_cur.write_cur(os.path.join(d, "cur-2026-08.csv"), rows, dialect="cur2", seed=8)


def callers_case(b):
    """CUR 2.0 with line_item_iam_principal: reconcile_callers.csv sets each principal's logged
    cost against what the bill charged it, day by day. Sessions of a role are the role on both
    sides; rows without a principal and records without identity.arn share one row; a
    principal is billed that the logs never show, and one is logged that the bill never
    charges; one logs only records without a price."""
    day, day2 = "2026-09-23", "2026-09-24"
    t = day + "T08:%02d:00Z"
    haiku3 = "anthropic.claude-3-haiku-20240307-v1:0"
    alice2 = b.role_arn("support-bot", "alice-web")
    dave = b.role_arn("etl-jobs", "dave")
    nightly = b.role_arn("etl-nightly", "run-7")
    recs = [b.rec(t % 0, "us." + SONNET, b.ALICE, 1000000, 0),   # $3.30
            b.rec(t % 1, "us." + SONNET, alice2, 0, 100000),     # $1.65
            b.rec(t % 2, LITE, b.BOB, 2000000, 0),               # $0.66
            b.rec(t % 3, b.APP_UNKNOWN, b.BOB, 500, 0),          # unpriced: not in log_usd
            b.rec(t % 4, LITE, b.CAROL, 0, 10000),               # $0.0275, never billed
            b.rec(t % 5, LITE, None, 1000, 0),                   # no identity.arn: $0.00033
            b.rec(t % 6, haiku3, dave, 4000, 0)]                 # no price: log_usd empty
    P = dict(principal="")
    totals = [
        T(day, "us-east-1", SONNET, "input", tokens=1000000, usd="3.30",
          principal=b.role_arn("support-bot", "alice-mobile")),
        T(day, "us-east-1", SONNET, "output", tokens=100000, usd="1.66", principal=b.ALICE),
        T(day, "us-east-1", LITE, "input", tokens=1500000, usd="0.495", principal=b.BOB),
        T(day, "us-east-1", LITE, "input", tokens=501000, usd="0.16533", **P),
        T(day, "us-east-1", haiku3, "input", tokens=4000, usd="0.001", principal=dave),
        T(day, "us-east-1", LITE, "output", tokens=50000, usd="0.1375", principal=nightly),
        T(day2, "us-east-1", LITE, "input", tokens=7000, usd="0.00231", principal=b.BOB),
    ]
    rows = gen_cur.bedrock_rows(totals, hours=4)
    # a guardrail the support bot ran, billed to it: not tokens, but its money
    g = gen_cur.category_rows(day)[2]
    g.principal = alice2
    rows += [g] + gen_cur.other_service_rows(day, 10)
    random.Random(24).shuffle(rows)
    d = b.new_case("reconcile-callers", ["-p", "prices.csv", "--cur", "cur.csv", "records.jsonl"],
                   {"records.jsonl": b.lines(recs), "prices.csv": b.RECONCILE_PRICES})
    gen_cur.write_cur(os.path.join(d, "cur.csv"), rows, dialect="cur2", seed=24)


def focus_case(b):
    """--focus on a grouped run: focus.csv holds app_day.csv's priced rows in FOCUS 1.2 columns
    (tests/focus_validate.py checks them against the FOCUS column rules and app_day.csv).
    Days on both sides of a month's end (two billing periods), a profile without a team (its
    Tags leave the key out), a model without a price (no row), a direct call (no tags)."""
    sonnet45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
    support, search, unpriced = b.app_arn("f0cussupp01"), b.app_arn("f0cussrch02"), \
        b.app_arn("f0cusnone03")
    quoted = b.app_arn("f0cusqu0te4")
    recs = [b.rec("2026-09-30T22:10:00Z", support, b.ALICE, 1000, 200, cread=3000, cwrite=400),
            b.rec("2026-09-30T23:59:59Z", search, b.BOB, 5000, 50),
            b.rec("2026-10-01T00:00:00Z", support, b.ALICE, 2000, 100),
            b.rec("2026-10-01T08:00:00Z", "us." + sonnet45, b.CAROL, 100, 10),
            b.rec("2026-10-01T09:00:00Z", unpriced, b.BOB, 700, 70),
            b.rec("2026-10-01T10:00:00Z", quoted, b.BOB, 300, 30)]
    tags = (f"profile_arn,model_id,app,team\n"
            f"{support},us.{sonnet45},support-chat,customer-care\n"
            f"{search},amazon.nova-lite-v1:0,search,\n"
            f"{unpriced},amazon.titan-text-premier-v1:0,archive,ops\n"
            f"{quoted},amazon.nova-lite-v1:0,\"ops, \"\"legacy\"\" \\\\ tools\",=team\n")
    b.new_case("focus-bad-account", ["--focus-account", "", "records.jsonl"],
               {"records.jsonl": b.lines(recs[:1])})
    b.new_case("focus-grouped", ["-g", "app,team", "-m", "tags.csv", "-p", "prices.csv",
                                 "--focus-account", "123456789012", "records.jsonl"],
               {"records.jsonl": b.lines(recs), "tags.csv": tags, "prices.csv": b.PRICES})


def build(b):
    packaging_cases(b)
    folder_cases(b)
    other_period_case(b)
    callers_case(b)
    focus_case(b)
