#!/usr/bin/env python3
"""check_prices.py - check a bedrock-ledger price table (SPEC 5.1) and summarise it.

    tools/check_prices.py [--builtin] FILE...

Each FILE is checked on its own, with the rules of SPEC section 5.1 (version 2):
required columns; price cells that are empty or non-negative decimals with at most
9 fractional digits; no empty model_id or region; no leading or trailing spaces
around model_id, region or tier; no ARN as model_id; tier a lower-case word;
context_over a non-negative integer; valid_from / valid_to dates or ISO times with
valid_from before valid_to; no two rows with the same model_id, region, tier and
context_over whose validity periods overlap (both lines named).

--builtin adds the conventions of the shipped table (data/prices.csv): the v2 column
order, rows sorted by model_id, region, tier, context_over, and a source and a
YYYY-MM-DD as_of on every row.

Problems go to stderr as FILE:LINE: MESSAGE; a summary of each clean file goes to
stdout. Exit status: 0 when every file is clean, 2 when any has a problem (as the
tool does), 1 on a usage error. Python 3 standard library only.
"""
import argparse
import csv
import datetime
import re
import sys
from collections import Counter, defaultdict

REQUIRED = ["model_id", "region", "input_per_mtok", "output_per_mtok", "cache_read_per_mtok",
            "cache_write_per_mtok"]
OPTIONAL_PRICES = ["cache_write_1h_per_mtok"]
PRICE_COLUMNS = REQUIRED[2:] + OPTIONAL_PRICES
BUILTIN_ORDER = REQUIRED + OPTIONAL_PRICES + ["tier", "context_over", "valid_from", "valid_to",
                                             "source", "as_of"]

PRICE_RE = re.compile(r"[0-9]+(?:\.([0-9]+))?\Z")
PRICE_MAX_NANOS = 2**64 - 1  # the tool keeps a price as an unsigned 64-bit count of 1e-9 USD
TIER_RE = re.compile(r"[a-z]+(?:-[a-z]+)*\Z")
INT_RE = re.compile(r"[0-9]+\Z")
DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
TIME_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})"
                     r"(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}:[0-9]{2})?\Z")
ASOF_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
UINT64_MAX = 2**64 - 1


def price_problem(value):
    """None if value is a valid price cell (non-empty), else what is wrong with it."""
    m = PRICE_RE.match(value)
    if not m:
        return "is not a non-negative decimal"
    frac = m.group(1) or ""
    if len(frac) > 9:
        return "has more than 9 fractional digits"
    whole = int(value.split(".")[0])
    if whole * 10**9 + int(frac.ljust(9, "0")) > PRICE_MAX_NANOS:
        return "is too large"
    return None


def parse_instant(value):
    """A validity cell as (UTC datetime, None), or (None, problem)."""
    m = DATE_RE.match(value)
    try:
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return datetime.datetime(y, mo, d, tzinfo=datetime.timezone.utc), None
        m = TIME_RE.match(value)
        if not m:
            return None, "is not a date (YYYY-MM-DD) or an ISO time (YYYY-MM-DDTHH:MM[:SS[.f]][Z|+HH:MM])"
        y, mo, d, h, mi = (int(g) for g in m.groups()[:5])
        s = int(m.group(6) or 0)
        frac = m.group(7) or ""
        micro = int(frac[:6].ljust(6, "0")) if frac else 0
        tz = m.group(8)
        if tz in (None, "Z"):
            tzinfo = datetime.timezone.utc
        else:
            sign = 1 if tz[0] == "+" else -1
            oh, om = int(tz[1:3]), int(tz[4:6])
            if oh > 23 or om > 59:
                return None, "has an invalid UTC offset"
            tzinfo = datetime.timezone(sign * datetime.timedelta(hours=oh, minutes=om))
        t = datetime.datetime(y, mo, d, h, mi, s, micro, tzinfo=tzinfo)
        # nanosecond digits beyond microseconds only order equal instants; keep them
        return t.astimezone(datetime.timezone.utc), None
    except ValueError as e:
        return None, "is not a valid date or time (%s)" % e


def spaced(value):
    return value != value.strip()


class Table:
    def __init__(self, path):
        self.path = path
        self.problems = []
        self.rows = []  # dicts with the effective values and the line

    def fail(self, line, message):
        self.problems.append((line, message))


def check(path, builtin):
    t = Table(path)
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError as e:
        t.fail(0, "cannot open: %s" % e.strerror)
        return t
    with f:
        try:
            text = f.read()
        except UnicodeDecodeError as e:
            t.fail(0, "not UTF-8 text: %s" % e)
            return t
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    header = None
    col = {}
    prev_end = 0
    try:
        for cells in reader:
            line = prev_end + 1
            prev_end = reader.line_num
            if not cells or cells == [""]:
                continue  # blank line
            if header is None:
                header = cells
                for i, name in enumerate(cells):
                    if name in col:
                        t.fail(line, "column %s appears twice" % name)
                    col.setdefault(name, i)
                for name in REQUIRED:
                    if name not in col:
                        t.fail(line, "missing required column %s" % name)
                if builtin and header != BUILTIN_ORDER:
                    t.fail(line, "built-in table header is not: %s" % ",".join(BUILTIN_ORDER))
                if t.problems:
                    return t
                continue
            check_row(t, line, cells, header, col, builtin)
    except csv.Error as e:
        t.fail(prev_end + 1, "CSV syntax: %s" % e)
        return t
    if header is None:
        t.fail(1, "no header")
        return t
    check_overlaps(t)
    if builtin:
        check_order(t)
    return t


def check_row(t, line, cells, header, col, builtin):
    if len(cells) != len(header):
        t.fail(line, "%d field%s, but the header has %d" % (
            len(cells), "" if len(cells) == 1 else "s", len(header)))
        return

    def get(name):
        return cells[col[name]] if name in col else ""

    ok = True
    model, region, tier = get("model_id"), get("region"), get("tier")
    for name, v in (("model_id", model), ("region", region)):
        if v == "":
            t.fail(line, "empty %s" % name)
            ok = False
    for name, v in (("model_id", model), ("region", region), ("tier", tier)):
        if v and spaced(v):
            t.fail(line, "%s %r has leading or trailing spaces" % (name, v))
            ok = False
    if model.strip().lower().startswith("arn:"):
        t.fail(line, "model_id %r is an ARN: write the model or inference-profile ID "
                     "(the last part of the ARN)" % model)
        ok = False
    if tier and not spaced(tier) and not TIER_RE.match(tier):
        t.fail(line, "tier %r is not a lower-case word (standard, priority, flex, "
                     "latency-optimized, reserved, ...)" % tier)
        ok = False

    prices = {}
    for name in PRICE_COLUMNS:
        v = get(name)
        if v == "":
            continue
        problem = price_problem(v)
        if problem:
            t.fail(line, "%s %r %s" % (name, v, problem))
            ok = False
        prices[name] = v

    ctx = get("context_over")
    context_over = 0
    if ctx != "":
        if not INT_RE.match(ctx) or int(ctx) > UINT64_MAX:
            t.fail(line, "context_over %r is not a non-negative integer" % ctx)
            ok = False
        else:
            context_over = int(ctx)

    bounds = {}
    for name in ("valid_from", "valid_to"):
        v = get(name)
        if v == "":
            bounds[name] = None
            continue
        when, problem = parse_instant(v)
        if problem:
            t.fail(line, "%s %r %s" % (name, v, problem))
            ok = False
        bounds[name] = when
    vf, vt = bounds["valid_from"], bounds["valid_to"]
    if vf is not None and vt is not None and not vf < vt:
        t.fail(line, "valid_from %s is not before valid_to %s (the row would never apply)" % (
            get("valid_from"), get("valid_to")))
        ok = False

    if builtin:
        if get("source").strip() == "":
            t.fail(line, "built-in row without a source")
            ok = False
        if not ASOF_RE.match(get("as_of")) or parse_instant(get("as_of"))[1]:
            t.fail(line, "built-in row as_of %r is not a YYYY-MM-DD date" % get("as_of"))
            ok = False

    t.rows.append(dict(line=line, ok=ok, model=model, region=region, tier=tier or "standard",
                       tier_cell=tier, ctx=context_over, ctx_cell=ctx, vf=vf, vt=vt,
                       vf_cell=get("valid_from"), vt_cell=get("valid_to"), prices=prices,
                       as_of=get("as_of")))


def check_overlaps(t):
    groups = defaultdict(list)
    for r in t.rows:
        if r["ok"]:
            groups[(r["model"], r["region"], r["tier"], r["ctx"])].append(r)
    for (model, region, tier, ctx), rs in groups.items():
        for i, b in enumerate(rs):
            for a in rs[:i]:
                # [vf, vt) intervals, None = unbounded
                if (a["vt"] is None or b["vf"] is None or b["vf"] < a["vt"]) and \
                   (b["vt"] is None or a["vf"] is None or a["vf"] < b["vt"]):
                    t.fail(b["line"], "model_id %r, region %r, tier %s, context_over %d: "
                                      "validity overlaps the row on line %d%s" % (
                                          model, region, tier, ctx, a["line"],
                                          "" if a["vf"] or a["vt"] or b["vf"] or b["vt"]
                                          else " (both undated: a duplicate)"))


def check_order(t):
    prev = None
    for r in t.rows:
        key = (r["model"], r["region"], r["tier"], r["ctx"])
        if prev is not None and key < prev[0]:
            t.fail(r["line"], "built-in rows out of order: %s after line %d %s "
                              "(sort by model_id, region, tier, context_over)" % (
                                  key, prev[1], prev[0]))
        prev = (key, r["line"])


def summary(t):
    rows = t.rows
    out = []
    models = {r["model"] for r in rows}
    out.append("%s: OK, %d rows, %d model IDs, %d regions named (+ '*')" % (
        t.path, len(rows), len(models), len({r["region"] for r in rows} - {"*"})))
    by_tier = Counter(r["tier"] for r in rows)
    for tier in sorted(by_tier, key=lambda x: (x != "standard", x)):
        ctx = Counter(r["ctx"] for r in rows if r["tier"] == tier)
        parts = ", ".join("context_over %d: %d" % (c, ctx[c]) for c in sorted(ctx))
        with1h = sum(1 for r in rows if r["tier"] == tier and "cache_write_1h_per_mtok" in
                     r["prices"])
        nm = len({r["model"] for r in rows if r["tier"] == tier})
        out.append("  tier %-18s %4d rows, %3d model IDs (%s); with a 1h write price: %d" % (
            tier, by_tier[tier], nm, parts, with1h))
    long_ctx = [r for r in rows if r["ctx"] > 0]
    out.append("  long-context rows (context_over > 0): %d, for %d model IDs" % (
        len(long_ctx), len({r["model"] for r in long_ctx})))
    with1h = [r for r in rows if "cache_write_1h_per_mtok" in r["prices"]]
    out.append("  rows with cache_write_1h_per_mtok: %d, for %d model IDs" % (
        len(with1h), len({r["model"] for r in with1h})))
    dated = [r for r in rows if r["vf"] is not None or r["vt"] is not None]
    out.append("  rows with a validity period: %d" % len(dated))
    empty = Counter()
    for r in rows:
        for c in PRICE_COLUMNS:
            if c not in r["prices"]:
                empty[c] += 1
    out.append("  empty price cells: " + ", ".join("%s %d" % (c, empty[c]) for c in PRICE_COLUMNS))
    as_of = [r["as_of"] for r in rows if ASOF_RE.match(r["as_of"] or "")]
    if as_of:
        out.append("  newest as_of (the table's date): %s; oldest: %s" % (max(as_of), min(as_of)))
    return "\n".join(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--builtin", action="store_true",
                    help="also check the conventions of the shipped data/prices.csv")
    ap.add_argument("files", nargs="+", metavar="FILE")
    args = ap.parse_args(argv)
    status = 0
    for path in args.files:
        t = check(path, args.builtin)
        if t.problems:
            status = 2
            for line, message in sorted(t.problems):
                print("%s:%d: %s" % (path, line, message), file=sys.stderr)
            print("%s: %d problem%s" % (path, len(t.problems),
                                         "" if len(t.problems) == 1 else "s"), file=sys.stderr)
        else:
            print(summary(t))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
