#!/usr/bin/env python3
"""build_views.py - the inputs of the golden cases of whatif.csv, cache.csv,
coverage.csv and report.html (called by build.py; runnable on its own).

Each case's expected/ holds the view files it pins (tests/golden.sh compares
the views only where expected/ has them). The numbers are worked out by hand
in the comments, prices being USD per million tokens.
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build import (ACCT, ACCT2, ALICE, BOB, CAROL, V2, app_arn, gz, lines, new_case,  # noqa: E402
                   rec, with_1h, with_meta, with_tier, write)

OPUS45 = "anthropic.claude-opus-4-5-20251101-v1:0"
SONNET45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
APP_CLAIMS = app_arn("c1aimstriage")
APP_SEARCH = app_arn("search0rank2")


def touch_expected(case, names):
    """Starts the expected files of the views the case pins (UPDATE_GOLDEN fills them)."""
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases", case, "expected")
    for n in names:
        p = os.path.join(d, n)
        if not os.path.exists(p):
            write(p, "")


def whatif_case():
    # Prices: the us. Claude 4.5 rows of the built-in table; acme.* invented.
    prices = V2 + f"""us.{OPUS45},*,5.5,27.5,0.55,6.875,11,,,,
us.{SONNET45},*,3.3,16.5,0.33,4.125,6.6,,,,
us.{HAIKU45},*,1.1,5.5,0.11,1.375,2.2,,,,
acme.large,us-east-1,10,20,,,,,,,
acme.large,eu-west-1,12,24,,,,,,,
acme.large,us-east-1,5,10,,,,flex,,,
acme.small,us-east-1,1,2,,,,,,,
acme.solo,*,4,4,,,,,,,
"""
    # --ladder: claude-4.5 replaces the built-in family (Sonnet left out: Opus's only
    # cheaper model is Haiku); acme is a new family; acme.solo is in none.
    ladder = f"""family,rank,model_id,source
claude-4.5,1,{OPUS45},test: Opus and Haiku only
claude-4.5,2,{HAIKU45},test: Opus and Haiku only
acme,1,acme.large,test
acme,2,acme.small,test
"""
    tags = f"""profile_arn,model_id,app,team
{APP_CLAIMS},us.{OPUS45},claims-triage,claims
"""
    t = "2026-10-01T09:%02d:00Z"
    recs = [
        # claims-triage, us.Opus 4.5: 1000 in, 100 out, 2000 cache read, 400 cache write
        #   cost 1000*5.5 + 100*27.5 + 2000*0.55 + 400*6.875 = 5500+2750+1100+2750 = 12100 u$
        #   us.Haiku 4.5: 1100 + 550 + 220 + 550 = 2420 u$; saving 9680 u$; no Sonnet row
        rec(t % 0, APP_CLAIMS, ALICE, 1000, 100, cread=2000, cwrite=400),
        rec(t % 1, APP_CLAIMS, ALICE, 1000, 100, cread=2000, cwrite=400),
        # acme.large in us-east-1 (standard): 1000*10 + 100*20 = 12000 u$; small 1200 u$
        rec(t % 2, "acme.large", BOB, 1000, 100),
        # in eu-west-1: priced (12/24), but acme.small has no eu-west-1 row: no whatif row
        rec(t % 3, "acme.large", BOB, 1000, 100, region="eu-west-1"),
        # flex: priced at the flex row, but acme.small has no flex row: no whatif row
        with_tier(rec(t % 4, "acme.large", BOB, 1000, 100), out_tier="flex"),
        # ap-south-1: acme.large itself has no row: unpriced, left out
        rec(t % 5, "acme.large", BOB, 1000, 100, region="ap-south-1"),
        # a model without siblings, and the last of its family: no rows
        rec(t % 6, "acme.solo", CAROL, 1000, 100),
        rec(t % 7, "acme.small", CAROL, 1000, 100),
    ]
    new_case("views-whatif", ["-p", "prices.csv", "-m", "tags.csv", "--ladder", "ladder.csv",
                              "records.jsonl"],
             {"records.jsonl": lines(recs), "prices.csv": prices, "ladder.csv": ladder,
              "tags.csv": tags})
    touch_expected("views-whatif", ["whatif.csv"])
    # the built-in ladder and prices: Opus 4.5 has Sonnet and Haiku 4.5 below it
    new_case("views-whatif-builtin", ["-m", "tags.csv", "records.jsonl"],
             {"records.jsonl": lines(recs[:2]), "tags.csv": tags})
    touch_expected("views-whatif-builtin", ["whatif.csv"])
    # a ladder that cannot be used: exit 2, no report written
    new_case("views-ladder-bad", ["--ladder", "ladder.csv", "records.jsonl"],
             {"records.jsonl": lines(recs[:1]),
              "ladder.csv": "family,rank,model_id\nclaude-4.5,1,us." + OPUS45 + "\n"})


def cache_case():
    prices = V2 + """m.c,*,3,15,0.3,3.75,6,,,,
m.nocache,*,1,1,,,,,,,
"""
    t = "2026-10-01T10:%02d:00Z"
    recs = [
        # app a: 1000 cache read: saving 1000*(3-0.3) = 2700 u$
        with_meta(rec(t % 0, "m.c", BOB, 100, 10, cread=1000), {"app": "a"}),
        # app a: 2000 writes, 500 of them 1-hour: premium 1500*(3.75-3) + 500*(6-3)
        #   = 1125 + 1500 = 2625 u$; net for a: 2700 - 2625 = 75 u$
        with_1h(with_meta(rec(t % 1, "m.c", BOB, 100, 10, cwrite=2000), {"app": "a"}), 1, 500),
        # app b writes and never reads: premium 4000*0.75 = 3000 u$, net -3000 u$
        with_meta(rec(t % 2, "m.c", BOB, 100, 10, cwrite=4000), {"app": "b"}),
        # app c: a cache read of a model without a cache-read price: unpriced, left out
        with_meta(rec(t % 3, "m.nocache", BOB, 100, 10, cread=50), {"app": "c"}),
        # app c: no caching at all: a row of zeros
        with_meta(rec(t % 4, "m.nocache", BOB, 100, 10), {"app": "c"}),
    ]
    new_case("views-cache", ["-p", "prices.csv", "-g", "meta:app", "records.jsonl"],
             {"records.jsonl": lines(recs), "prices.csv": prices})
    touch_expected("views-cache", ["cache.csv"])


def coverage_case():
    def key(acct, region, day, hour, n):
        return (f"logs/AWSLogs/{acct}/BedrockModelInvocationLogs/{region}/2026/10/{day}/{hour}/"
                f"20261{day}T{hour}0000Z_{n}.json")
    files = {}
    # account 1, us-east-1: day 01 hours 00..23 but 05 (two objects in hour 10),
    # day 02 hours 00..03 only (half synced)
    for h in range(24):
        if h == 5:
            continue
        ts = f"2026-10-01T{h:02d}:10:00Z"
        files[key(ACCT, "us-east-1", "01", f"{h:02d}", "a")] = lines([rec(ts, "m.x", BOB)])
    files[key(ACCT, "us-east-1", "01", "10", "b")] = lines([
        rec("2026-10-01T10:20:00Z", "m.x", BOB),
        # rejected with a timestamp: counted in coverage's records and rejected
        '{"timestamp":"2026-10-01T10:21:00Z","accountId":"%s","region":"us-east-1"}' % ACCT,
        # no timestamp: no day, not in coverage
        '{"accountId":"%s","modelId":"m.x"}' % ACCT,
    ])
    for h in range(4):
        files[key(ACCT, "us-east-1", "02", f"{h:02d}", "a")] = lines(
            [rec(f"2026-10-02T{h:02d}:00:00Z", "m.x", BOB)])
    # account 2 in eu-west-1: one object whose records fall on two days; one
    # outside the window (--until): filtered, not in coverage
    files[key(ACCT2, "eu-west-1", "01", "23", "a")] = lines([
        rec("2026-10-01T23:59:59Z", "m.x", CAROL, region="eu-west-1", account=ACCT2),
        rec("2026-10-02T00:00:01Z", "m.x", CAROL, region="eu-west-1", account=ACCT2),
        rec("2026-10-03T00:00:00Z", "m.x", CAROL, region="eu-west-1", account=ACCT2),
    ])
    new_case("views-coverage", ["--until", "2026-10-03", "logs"], files)
    touch_expected("views-coverage", ["coverage.csv"])


def escape_case():
    # tag values, requestMetadata and caller ARNs that try to be markup
    evil_app = '<script>alert("app")</script>'
    evil_team = '"><svg onload=alert(1)>'
    tags = ('profile_arn,model_id,app,team\n'
            f'{APP_CLAIMS},us.{HAIKU45},"{evil_app.replace(chr(34), chr(34) * 2)}",'
            f'"{evil_team.replace(chr(34), chr(34) * 2)}"\n')
    t = "2026-10-01T11:%02d:00Z"
    recs = [
        with_meta(rec(t % 0, APP_CLAIMS, ALICE, 1000, 100), {"tenant": "<img src=x onerror=alert(2)>"}),
        rec(t % 1, "<b>bold</b>", "arn:aws:iam::111122223333:user/</td><script>x()</script>", 10, 1),
        rec(t % 2, APP_SEARCH, "' onmouseover='alert(3)", 10, 1),
    ]
    new_case("views-html-escape", ["-m", "tags.csv", "-g", "app,team,meta:tenant", "--spike-usd", "0.000001",
                                   "records.jsonl"],
             {"records.jsonl": lines(recs), "tags.csv": tags})
    touch_expected("views-html-escape", ["report.html"])


def page_corpus(seed=19):
    """A month of a small company's calls: the browser test's page (tests/browser.sh)."""
    rnd = random.Random(seed)
    apps = [("claims-triage", "claims", OPUS45, 0.5), ("claims-summary", "claims", SONNET45, 0.2),
            ("support-chat", "customer-care", SONNET45, 0.15), ("search-rerank", "platform", HAIKU45, 0.1),
            ("doc-extract", "platform", "amazon.nova-pro-v1:0", 0.05)]
    tags = "profile_arn,model_id,app,team\n"
    arns = {}
    for i, (app, team, model, _) in enumerate(apps):
        arn = app_arn(f"{app[:6]}{i:06d}")
        arns[app] = arn
        tags += f"{arn},us.{model},{app},{team}\n"
    recs = []
    for day in range(1, 21):
        for hour in range(24):
            busy = 3 if 8 <= hour < 19 else 1
            for app, team, model, share in apps:
                for _ in range(rnd.randint(0, int(busy * share * 10))):
                    ts = f"2026-08-{day:02d}T{hour:02d}:{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}Z"
                    inp = rnd.randint(200, 4000)
                    recs.append(rec(ts, arns[app], role_of(rnd), inp, rnd.randint(50, 800),
                                    cread=rnd.choice([None, 0, inp * 3]),
                                    cwrite=rnd.choice([None, None, 500])))
    # a loop last night: claims-triage, 03:00 on the 28th
    for m in range(60):
        recs.append(rec(f"2026-08-20T03:{m:02d}:00Z", arns["claims-triage"], ALICE, 9000, 2000))
    # direct calls and something to fix
    for i in range(40):
        recs.append(rec(f"2026-08-{1 + i % 20:02d}T12:00:00Z", "us." + SONNET45, BOB, 800, 100))
        recs.append(rec(f"2026-08-{1 + i % 20:02d}T13:00:00Z", "acme.unknown-model", CAROL, 100, 10,
                        account=ACCT2, region="eu-west-1"))
    recs.append(rec("2026-08-15T10:00:00Z", app_arn("unkn0wnapp99"), ALICE, 100, 10))
    recs.sort(key=lambda r: r["timestamp"])
    return tags, recs


def role_of(rnd):
    return rnd.choice([ALICE, BOB, "arn:aws:sts::111122223333:assumed-role/claims-worker/i-0abc",
                       "arn:aws:sts::111122223333:assumed-role/claims-worker/i-0def"])


def page_case():
    tags, recs = page_corpus()
    new_case("views-page", ["-m", "tags.csv", "records.jsonl.gz"],
             {"records.jsonl.gz": gz(lines(recs)), "tags.csv": tags})
    touch_expected("views-page", ["whatif.csv", "cache.csv", "coverage.csv"])


def others_case():
    """report.html's top lists past PAGE_TOP (10) rows: 12 apps (2 others), 11 direct callers (1 other)."""
    tags = "profile_arn,model_id,app,team\n"
    recs = []
    for i in range(12):
        arn = app_arn(f"toplist{i:05d}")
        tags += f"{arn},us.{SONNET45},app-{i:02d},team-{i % 3}\n"
        recs.append(rec(f"2026-10-01T10:{i:02d}:00Z", arn, ALICE, 1000 * (i + 1), 100))
    for i in range(11):
        caller = f"arn:aws:iam::{ACCT}:user/direct-{i:02d}"
        recs.append(rec(f"2026-10-01T11:{i:02d}:00Z", "us." + SONNET45, caller, 500 * (i + 1), 50))
    new_case("views-html-others", ["-m", "tags.csv", "records.jsonl"],
             {"records.jsonl": lines(recs), "tags.csv": tags})
    touch_expected("views-html-others", ["report.html"])


def main():
    whatif_case()
    cache_case()
    coverage_case()
    escape_case()
    page_case()
    others_case()


if __name__ == "__main__":
    main()
