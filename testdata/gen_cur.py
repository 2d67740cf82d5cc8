#!/usr/bin/env python3
"""gen_cur.py - writes Cost and Usage Report exports for tests and benchmarks.

No CUR file is copied from anywhere: every row is made here, from the
usage-type grammars, units, region prefixes and line-item types of
../shared/reference/cur.md (facts), and from totals the caller knows (the log
side of a golden case). Output is deterministic for a given seed.

Library (for testdata/build.py):

    import gen_cur
    totals = [gen_cur.Total("2026-09-14", "us-east-1", "anthropic.claude-sonnet-4-6",
                            "input", tokens=1250500, usd="3.7515")]
    rows = gen_cur.bedrock_rows(totals, hours=24)          # what the bill says of them
    rows += gen_cur.grammar_rows("2026-09-15")             # every grammar, kind, unit
    rows += gen_cur.injected_rows("2026-09-16")            # batch, mantle, flex, 1-hour, unknown
    rows += gen_cur.adjustment_rows("2026-09-01")          # credit, refund, discount, tax
    rows += gen_cur.other_service_rows("2026-09-14", 20)   # EC2, S3, ... (ignored)
    gen_cur.write_cur("cases/x/cur.csv.gz", rows, dialect="classic", compress=True, seed=3)
    expected = gen_cur.expected_keys(rows)   # {(day, region, model, kind, routing, tier,
                                             #   context): (tokens, usd, note)}

Each Bedrock row carries the key the reconciliation must find for it (`row.key`)
and the note bedrock-ledger-formats(5), RECONCILIATION gives it (`row.note`); `expected_keys` sums them as the
bill side does. CLI:

    gen_cur.py --out cur.csv [--dialect cur2|classic] [--gzip] [--seed N]
               [--totals totals.csv [--half]] [--hourly] [--size 1G --bedrock-share 0.2]
               [--expect expected.txt]

With --totals (CSV day,region,model,kind,routing,tier,context,tokens[,usd]) the
bill holds those; without, one sample of every grammar. --size pads the file
with other services' rows and repeats Bedrock hourly rows until it has that
many bytes (for tests/bench; streamed, never held in memory). --expect writes
the bill side that the reader must produce (the format of tests/cur_dump.c).
"""
import argparse
import csv
import datetime
import decimal
import gzip
import hashlib
import io
import os
import random
import sys

D = decimal.Decimal
decimal.getcontext().prec = 60

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BILLING_NAMES = os.path.join(ROOT, "data", "billing-names.csv")
EDITION = " (Amazon Bedrock Edition)"

# reference/cur.md §6 (region -> usage-type prefix)
PREFIX = {
    "us-east-1": "USE1", "us-east-2": "USE2", "us-west-1": "USW1", "us-west-2": "USW2",
    "ca-central-1": "CAN1", "ca-west-1": "CAN2", "mx-central-1": "MXC1", "af-south-1": "AFS1",
    "ap-east-1": "APE1", "ap-east-2": "APE2", "ap-northeast-1": "APN1",
    "ap-northeast-2": "APN2", "ap-northeast-3": "APN3", "ap-southeast-1": "APS1",
    "ap-southeast-2": "APS2", "ap-south-1": "APS3", "ap-southeast-3": "APS4",
    "ap-south-2": "APS5", "ap-southeast-4": "APS6", "ap-southeast-5": "APS7",
    "ap-southeast-6": "APS8", "ap-southeast-7": "APS9", "eu-west-1": "EU", "eu-west-2": "EUW2",
    "eu-west-3": "EUW3", "eu-central-1": "EUC1", "eu-central-2": "EUC2", "eu-north-1": "EUN1",
    "eu-south-1": "EUS1", "eu-south-2": "EUS2", "me-south-1": "MES1", "me-central-1": "MEC1",
    "il-central-1": "ILC1", "sa-east-1": "SAE1", "us-gov-west-1": "UGW1",
    "us-gov-east-1": "UGE1",
}
LOCATION = {"us-east-1": "US East (N. Virginia)", "us-west-2": "US West (Oregon)",
            "eu-west-1": "EU (Ireland)", "eu-central-1": "EU (Frankfurt)",
            "ap-northeast-1": "Asia Pacific (Tokyo)"}

KINDS = ["input", "output", "cache_read", "cache_write", "cache_write_1h"]
# line_item_iam_principal values (reference/cur.md §1): sessions of a role, a user, none
SAMPLE_PRINCIPALS = ["arn:aws:sts::111122223333:assumed-role/AppRole/session-1",
                     "arn:aws:sts::111122223333:assumed-role/AppRole/session-2",
                     "arn:aws:iam::111122223333:user/bob", "",
                     "arn:aws-us-gov:sts::444455556666:assumed-role/Batch/job-9"]
TIERS = ["standard", "priority", "flex", "latency-optimized", "batch"]


class Total:
    """One key of the log side and what the bill should say of it."""

    def __init__(self, day, region, model, kind, routing="regional", tier="standard",
                 context="standard", tokens=0, usd=None, family=None, billing_name=None,
                 principal=""):
        assert kind in KINDS and tier in TIERS and routing in ("regional", "global")
        assert context in ("standard", "long")
        self.day, self.region, self.model, self.kind = day, region, model, kind
        self.routing, self.tier, self.context = routing, tier, context
        # an int, or a Decimal for a bill whose line items carry fractions of a token
        self.tokens = D(tokens) if isinstance(tokens, (str, D)) else int(tokens)
        # the bill's cost: given (e.g. the ledger's own estimate), else $1 per million tokens
        self.usd = D(usd) if usd is not None else D(self.tokens) / D(10) ** 6
        self.family = family              # "A", "B", "C" or None (the table decides)
        self.billing_name = billing_name  # force a name (e.g. one the table lacks)
        self.principal = principal        # line_item_iam_principal (CUR 2.0), as billed


class Row:
    """One CUR line item, in neutral field names; write_cur maps them to a dialect."""

    FIELDS = ["entity", "product_code", "servicecode", "usage_type", "operation", "item_type",
              "start", "end", "amount", "unit", "rate", "cost", "description", "region_code",
              "product_name", "resource_id", "account", "principal", "tags"]

    def __init__(self, **kw):
        for f in self.FIELDS:
            setattr(self, f, kw.pop(f, ""))
        # the key the bill side must give this row, its note, its tokens (None: not Bedrock usage)
        self.key = kw.pop("key", None)
        self.note = kw.pop("note", "")
        self.tokens = kw.pop("tokens", 0)
        self.adjustment = kw.pop("adjustment", None)  # line-item type, for Bedrock non-Usage rows
        assert not kw, kw


def load_billing_names(path=BILLING_NAMES):
    """model_id -> (first-party billing names, Marketplace product names without the
    Edition suffix), in file order; and the set of all billing names."""
    names, known = {}, set()
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            fp, mp = names.setdefault(r["model_id"], ([], []))
            name = r["billing_name"]
            if name.endswith(EDITION):
                name = name[:-len(EDITION)]
                mp.append(name)
            else:
                fp.append(name)
            known.add(name)
    return names, known


_NAMES = None


def _table():
    global _NAMES
    if _NAMES is None:
        _NAMES = load_billing_names()
    return _NAMES


def names_of(model):
    return _table()[0].get(model, ([], []))


def is_known_name(name):
    return name in _table()[1]


def dec_str(x):
    """An exact decimal as CUR writes it: no exponent, no trailing zeros after the point."""
    s = format(D(x), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def market_code(name):
    """An opaque Marketplace product code, stable for a product name."""
    h = hashlib.sha256(name.encode()).hexdigest()
    return "".join("abcdefghijklmnopqrstuvwxyz0123456789"[int(h[i:i + 2], 16) % 36]
                   for i in range(0, 52, 2))


def day_after(day, n=1):
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=n)).isoformat()


def start_end(day, hour, hours):
    """A row's usage start and end: the whole day, or hour `hour` of it."""
    if hours == 1:
        return f"{day}T00:00:00Z", f"{day_after(day)}T00:00:00Z"
    end = f"{day_after(day)}T00:00:00Z" if hour == 23 else f"{day}T{hour + 1:02d}:00:00Z"
    return f"{day}T{hour:02d}:00:00Z", end


# ---- usage types, by family (reference/cur.md §4) -------------------------------------------

A_KIND = {"input": "input-tokens", "output": "output-tokens",
          "cache_read": "cache-read-input-token-count",
          "cache_write": "cache-write-input-token-count",
          "cache_write_1h": "cache-write-1h-input-token-count"}
A_TIER = {"standard": "", "priority": "priority", "flex": "flex", "batch": "batch",
          "latency-optimized": "latency-optimized"}


def usage_type_a(prefix, name, kind, routing, tier, context, variant=0):
    kind_text = A_KIND[kind]
    if kind == "cache_write_1h" and variant % 2:
        kind_text = "cache-write-input-token-count-1-hour"  # the accepted variant
    quals = [q for q in (A_TIER[tier], "long-context" if context == "long" else "",
                         "cross-region-global" if routing == "global" else "") if q]
    if variant % 3 == 1:
        quals.reverse()  # qualifiers come in varying order
    return "-".join([prefix, name, kind_text] + quals)


B_HEAD = {"input": "InputTokenCount", "output": "OutputTokenCount",
          "cache_read": "CacheReadInputTokenCount", "cache_write": "CacheWriteInputTokenCount",
          "cache_write_1h": "CacheWrite1hInputTokenCount"}


def usage_type_b(prefix, kind, routing, tier, context, variant=0):
    assert tier in ("standard", "batch", "latency-optimized"), tier
    head = B_HEAD[kind]
    if kind == "input" and tier == "batch" and variant % 2:
        head, tier = "MillionBatchInputTokens", "standard"
    parts = [head]
    if context == "long":
        parts.append("LCtx")
    if routing == "global":
        parts.append("Global")
    if tier == "batch":
        parts.append("Batch")
    if tier == "latency-optimized":
        parts.append("LatencyOptimized")
    return f"{prefix}-MP:{prefix}_{'_'.join(parts)}-Units"


C_HEAD = {"input": "input_tokens", "output": "output_tokens", "cache_read": "cache_read_tokens",
          "cache_write": "cache_write_tokens", "cache_write_1h": "cache_write_tokens_1h"}


def usage_type_c(prefix, kind, routing, tier, context, variant=0):
    assert tier in ("standard", "batch", "flex", "priority"), tier
    head = C_HEAD[kind]
    if kind == "cache_write" and variant % 2:
        head = "cache_write_tokens_30m"  # 30-minute writes are cache_write
    parts = [head]
    if context == "long":
        parts.append("long_ctx")
    if routing == "global":
        parts.append("global")
    parts.append(tier)
    return f"{prefix}-MP:{prefix}_{'_'.join(parts)}-Units"


D_KIND = {"input": "input-tokens", "output": "output-tokens", "cache_read": "cache-read-tokens",
          "cache_write": "cache-write-tokens-5m", "cache_write_1h": "cache-write-tokens-1h"}


def usage_type_d(prefix, vendor_model, kind, routing, tier, context):
    parts = [prefix, vendor_model, "mantle", D_KIND[kind]]
    if context == "long":
        parts.append("long-ctx")
    if routing == "global":
        parts.append("global")
    parts.append(tier if tier != "latency-optimized" else "standard")
    return "-".join(parts)


# ---- rows -------------------------------------------------------------------------------------

MARKET_HEAD = {"input": "Million Input Tokens", "output": "Million Output Tokens",
               "cache_read": "Million Cache Read Tokens",
               "cache_write": "Million Cache Write Tokens",
               "cache_write_1h": "Million Cache Write 1h Tokens"}


def split_exact(total, parts, digits):
    """total (Decimal) in `parts` exact decimals of at most `digits` fractional digits."""
    q = D(1).scaleb(-digits)
    share = (total / parts).quantize(q, rounding=decimal.ROUND_DOWN)
    out = [share] * (parts - 1)
    out.append(total - share * (parts - 1))
    return out


def split_tokens(tokens, parts):
    base, rest = divmod(tokens, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def split_half(tokens, parts):
    """tokens (exact) in `parts` amounts that each carry half a token, but perhaps the last,
    which takes what is left: rounding each part would add up to parts/2 tokens."""
    if parts == 1:
        return [D(tokens)]
    base = (D(tokens) / parts).to_integral_value(rounding=decimal.ROUND_FLOOR) - 1
    out = [base + D("0.5")] * (parts - 1)
    return out + [D(tokens) - sum(out)]


def family_for(t):
    fp, mp = names_of(t.model)
    if t.billing_name:
        return t.family or "A", t.billing_name
    fam = t.family or ("A" if fp else "B" if mp else "A")
    if fam == "A":
        if not fp:
            raise ValueError(f"no first-party billing name for {t.model}: give billing_name")
        return "A", fp[0]
    if not mp:
        raise ValueError(f"no Marketplace product name for {t.model}")
    if fam == "B" and t.tier in ("flex", "priority"):
        fam = "C"
    if fam == "C" and t.tier == "latency-optimized":
        fam = "B"
    return fam, mp[0]


def usage_row(t, tokens, usd, hour, hours, variant, note=""):
    """One Usage row billing `tokens` of total t."""
    prefix = PREFIX[t.region]
    fam, name = family_for(t)
    start, end = start_end(t.day, hour, hours)
    model_key = t.model if t.billing_name is None else t.billing_name
    key = (t.day, t.region, model_key, t.kind, t.routing, t.tier, t.context)
    if not note and t.billing_name and not is_known_name(t.billing_name):
        note = "unknown-billing-name"
    elif not note and t.tier == "batch":
        note = "not-in-logs: batch"
    common = dict(start=start, end=end, cost=dec_str(usd), region_code=t.region,
                  account="111122223333", operation="InvokeModelInference", key=key,
                  principal=t.principal,
                  tokens=tokens, note=note, item_type="Usage")
    rate = dec_str((D(usd) / D(tokens) * 1000).quantize(D("1e-10"))) if tokens else "0"
    if fam == "A":
        per_million = variant % 5 == 4
        unit = "1M tokens" if per_million else "1K tokens"
        amount = D(tokens) / (D(10) ** 6 if per_million else D(1000))
        code = ("AmazonBedrockFoundationModels" if per_million else
                "AmazonBedrockService" if t.model.startswith("anthropic.") else "AmazonBedrock")
        ut = usage_type_a(prefix, name, t.kind, t.routing, t.tier, t.context, variant)
        return Row(entity="AWS", product_code=code, servicecode=code, usage_type=ut,
                   amount=dec_str(amount), unit=unit, rate=rate,
                   description=f"USD {rate} per {unit[:2]} {t.kind.replace('_', ' ')} tokens "
                               f"for {name} in {LOCATION.get(t.region, t.region)}",
                   product_name="Amazon Bedrock Service" if code == "AmazonBedrockService"
                   else "Amazon Bedrock", **common)
    ut = (usage_type_b if fam == "B" else usage_type_c)(prefix, t.kind, t.routing, t.tier,
                                                         t.context, variant)
    desc = f"AWS Marketplace software usage|{t.region}|{MARKET_HEAD[t.kind]}"
    if fam == "C" and variant % 2:
        desc = f"AWS Marketplace software usage|{t.region}|{t.kind} tokens"  # no "Million"
    return Row(entity="AWS Marketplace", product_code=market_code(name), usage_type=ut,
               amount=dec_str(D(tokens) / D(10) ** 6), unit="Units", rate=rate,
               description=desc, product_name=name + EDITION,
               resource_id=f"arn:aws:bedrock:{t.region}::foundation-model/{t.model}", **common)


def bedrock_rows(totals, hours=1, seed=0, half=False):
    """The Usage rows that bill each total exactly (tokens and USD), over `hours` hourly rows;
    with half, every row but the last of a total bills a half token more or less (its amount
    has one more digit), as AWS's hourly exports do."""
    rows = []
    for i, t in enumerate(totals):
        n = max(1, min(hours, int(t.tokens) or 1))
        toks = split_half(t.tokens, n) if half else split_tokens(t.tokens, n)
        usds = split_exact(t.usd, n, 10)
        for h in range(n):
            rows.append(usage_row(t, toks[h], usds[h], h, hours if n > 1 else 1, seed + i))
    return rows


def grammar_rows(day, region="us-east-1"):
    """One row of every grammar (A, B, C, D), kind, qualifier and unit of cur.md §4-§5."""
    T = Total
    totals = []
    # A: every kind, every tier, long context, global, both variants of the 1-hour write
    for i, kind in enumerate(KINDS):
        totals.append(T(day, region, "anthropic.claude-sonnet-4-6", kind, tokens=1000 * (i + 1),
                        family="A"))
    for i, tier in enumerate(TIERS):
        totals.append(T(day, region, "amazon.nova-2-lite-v1:0", "input",
                        routing="global" if i % 2 else "regional", tier=tier,
                        tokens=2000 + 10 * i, family="A"))
    totals.append(T(day, region, "anthropic.claude-sonnet-4-20250514-v1:0", "output",
                    routing="global", context="long", tokens=3000, family="A"))
    totals.append(T(day, "eu-west-1", "amazon.titan-embed-text-v2:0", "input", tokens=4000,
                    family="A"))
    totals.append(T(day, region, "meta.llama4-maverick-17b-instruct-v1:0", "input", tier="batch",
                    tokens=5000, family="A"))
    # B: camel; C: snake (flex, priority, 30-minute writes)
    for i, kind in enumerate(KINDS):
        totals.append(T(day, region, "anthropic.claude-haiku-4-5-20251001-v1:0", kind,
                        routing="global" if i % 2 else "regional", tokens=6000 + i, family="B"))
    totals.append(T(day, "us-west-2", "anthropic.claude-3-5-sonnet-20240620-v1:0", "input",
                    context="long", routing="global", tokens=7000, family="B"))
    totals.append(T(day, region, "anthropic.claude-haiku-4-5-20251001-v1:0", "input",
                    tier="latency-optimized", tokens=7100, family="B"))
    for i, tier in enumerate(["standard", "batch", "flex", "priority"]):
        totals.append(T(day, region, "anthropic.claude-opus-4-6-v1", KINDS[i],
                        routing="global" if i % 2 else "regional", tier=tier,
                        context="long" if i == 2 else "standard", tokens=8000 + i, family="C"))
    rows = []
    for i, t in enumerate(totals):
        rows.append(usage_row(t, t.tokens, t.usd, 0, 1, i))
    # variants: 1-hour written -1-hour, 30-minute writes, MillionBatch, units 1M and Units without Million
    extra = [(T(day, region, "anthropic.claude-sonnet-4-6", "cache_write_1h", tokens=900,
                family="A"), 1),
             (T(day, region, "anthropic.claude-opus-4-6-v1", "cache_write", tokens=910,
                family="C"), 1),
             (T(day, region, "anthropic.claude-haiku-4-5-20251001-v1:0", "input", tier="batch",
                tokens=920, family="B"), 1),
             (T(day, region, "amazon.nova-pro-v1:0", "output", tokens=930, family="A"), 4)]
    for t, variant in extra:
        rows.append(usage_row(t, t.tokens, t.usd, 0, 1, variant))
    rows += mantle_rows(day, region)
    rows += category_rows(day, region)
    return rows


def mantle_rows(day, region="us-east-1"):
    """bedrock-mantle usage (family D): never in the logs."""
    out = []
    for i, (vm, kind, routing, tier, ctx) in enumerate([
            ("openai.gpt-oss-120b", "input", "regional", "standard", "standard"),
            ("anthropic.claude-opus-4-8", "cache_write", "global", "standard", "standard"),
            ("openai.gpt-5.6-luna", "cache_write", "regional", "flex", "long")]):
        ut = usage_type_d(PREFIX[region], vm, kind, routing, tier, ctx)
        start, end = start_end(day, 0, 1)
        out.append(Row(entity="AWS", product_code="AmazonBedrock", servicecode="AmazonBedrock",
                       usage_type=ut, item_type="Usage", start=start, end=end,
                       amount=str(10 + i), unit="1K tokens", rate="0.0001",
                       cost=dec_str(D("0.0001") * (10 + i)), region_code=region,
                       description="bedrock-mantle usage", product_name="Amazon Bedrock",
                       key=(day, region, ut.split("-", 1)[1], "other", routing, tier, ctx),
                       note="not-in-logs: mantle"))
    return out


# usage type (after the prefix), unit, category: one row of every non-token category of bedrock-ledger-formats(5), RECONCILIATION
CATEGORY_SAMPLES = [
    ("Qwen3-32B-ProvisionedThroughput-NoCommit-ModelUnits", "Hrs", "provisioned-throughput"),
    ("anthropic.claude-opus-5-5-reserved-1-month-input-tokens-per-minute", "1K TPM Hour",
     "reserved-tier"),
    ("Guardrail-AutomatedReasoningPolicyUnitsConsumed", "Units", "guardrails"),
    ("NovaCanvas-T2I-1024-Standard", "Images", "images-video"),
    ("Nova2.0Lite-input-image-token-count", "1K tokens", "image-input-tokens"),
    ("NovaSonic-speech-input-tokens", "1K tokens", "speech"),
    ("BedrockKnowledgeBase-searchunits", "Units", "kb-flows-tools"),
    ("cohere.rerank-english-v3-search-units", "Units", "rerank"),
    ("AgentCore-Runtime-vCPU-Hours", "vCPU-Hours", "agentcore"),
    ("CustomModelImport-Storage", "GB-Mo", "customization-storage"),
    ("Qwen3-32B-input-tokens-custom-model", "1K tokens", "custom-model"),
    ("Nova2.0Lite-input-tokens", "Seconds", "unclassified"),  # a token kind in a non-token unit
]


def category_rows(day, region="us-east-1"):
    out = []
    for i, (rest, unit, cat) in enumerate(CATEGORY_SAMPLES):
        start, end = start_end(day, 0, 1)
        cost = D(i + 1) / 4
        out.append(Row(entity="AWS", product_code="AmazonBedrock", servicecode="AmazonBedrock",
                       usage_type=f"{PREFIX[region]}-{rest}", item_type="Usage", start=start,
                       end=end, amount=str(i + 1), unit=unit, rate="0.25", cost=dec_str(cost),
                       region_code=region, description=f"synthetic {cat}",
                       product_name="Amazon Bedrock",
                       key=(day, region, rest, "other", "regional", "standard", "standard"),
                       note=f"not-tokens: {cat}"))
    return out


def injected_rows(day, region="us-east-1"):
    """The known differences of issue 13, each billed on `day`:
    a day of batch jobs, flex billing (logs show standard), 1-hour writes, and a model whose
    billing name is missing from the table (mantle rows: mantle_rows)."""
    T = Total
    totals = [
        T(day, region, "amazon.nova-2-lite-v1:0", "input", tier="batch", tokens=5_000_000,
          usd="0.375"),
        T(day, region, "amazon.nova-2-lite-v1:0", "output", tier="batch", tokens=1_000_000,
          usd="0.3125"),
        T(day, region, "amazon.nova-2-lite-v1:0", "input", tier="flex", tokens=2_000_000,
          usd="0.33"),
        T(day, region, "anthropic.claude-sonnet-4-6", "cache_write_1h", tokens=40_000,
          usd="0.24"),
        T(day, region, "zai.glm-6", "input", tokens=12_345, usd="0.0074070", billing_name="zai.glm6"),
    ]
    return bedrock_rows(totals, hours=1) + mantle_rows(day, region)[:1]


def adjustment_rows(day, region="us-east-1"):
    """Credits, a refund, a discount and tax on Bedrock: summed by type, never keyed."""
    start, end = f"{day}T00:00:00Z", f"{day_after(day, 27)}T00:00:00Z"
    out = []
    for item, code, ut, cost in [
            ("Credit", "AmazonBedrockService", f"{PREFIX[region]}-Claude4.6Sonnet-input-tokens",
             "-1.2500000000"),
            ("Credit", "AmazonBedrock", f"{PREFIX[region]}-Nova2.0Lite-input-tokens", "-0.05"),
            ("Refund", "AmazonBedrock", f"{PREFIX[region]}-NovaPro-output-tokens", "-0.0000001"),
            ("EdpDiscount", "AmazonBedrockService",
             f"{PREFIX[region]}-Claude4.6Sonnet-output-tokens", "-0.1234567891"),
            ("Tax", "AmazonBedrock", "", "0.0876543210"),
            ("Tax", "AmazonBedrockService", "", "0.4000000001")]:
        out.append(Row(entity="AWS", product_code=code, servicecode=code, usage_type=ut,
                       item_type=item, start=start, end=end, amount="" if item == "Tax" else "0",
                       unit="" if item == "Tax" else "1K tokens", cost=cost,
                       description=f"{item} for product code {code}", region_code=region,
                       product_name="Amazon Bedrock", adjustment=item))
    return out


OTHER_SERVICES = [
    ("AmazonEC2", "BoxUsage:m5.large", "Hrs", "0.096", "Linux/UNIX m5.large On Demand"),
    ("AmazonS3", "TimedStorage-ByteHrs", "GB-Mo", "0.023", "USD 0.023 per GB-month"),
    ("AmazonCloudWatch", "CW:Requests", "Requests", "0.00001", "per 1,000 requests"),
    ("AWSLambda", "Lambda-GB-Second", "Lambda-GB-Second", "0.0000166667", "AWS Lambda compute"),
    ("AmazonDynamoDB", "ReadRequestUnits", "ReadRequestUnits", "0.00000025", "read units"),
    ("AmazonS3", "Requests-Tier1", "Requests", "0.000005", "PUT for a Bedrock knowledge base"),
]


def other_service_rows(day, n, region="us-east-1", seed=0):
    """Rows of other services (one in six mentions Bedrock in its description): ignored."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        code, ut, unit, rate, desc = OTHER_SERVICES[i % len(OTHER_SERVICES)]
        amount = D(rnd.randint(1, 10**6)) / 1000
        start, end = start_end(day, i % 24, 24)
        out.append(Row(entity="AWS", product_code=code, servicecode=code,
                       usage_type=f"{PREFIX[region]}-{ut}", item_type="Usage", start=start,
                       end=end, amount=dec_str(amount), unit=unit, rate=rate,
                       cost=dec_str(amount * D(rate)), description=desc, region_code=region,
                       product_name=code, resource_id=f"arn:aws:{code.lower()}:{region}:x/{i}"))
    out.append(Row(entity="AWS Marketplace", product_code="zzsaasfirewall0000000000000",
                   usage_type=f"{PREFIX[region]}-MP:{PREFIX[region]}_Requests-Units",
                   item_type="Usage", start=f"{day}T00:00:00Z", end=f"{day}T01:00:00Z",
                   amount="10", unit="Units", rate="0.1", cost="1",
                   description="SaaS firewall (not Bedrock)", region_code=region,
                   product_name="Example SaaS Firewall"))
    return out


def expected_keys(rows):
    """{key: [tokens, usd, note]} summed as the bill side sums them."""
    out = {}
    for r in rows:
        if r.key is None:
            continue
        e = out.setdefault(r.key, [0, D(0), r.note])
        e[0] += r.tokens
        e[1] += D(r.cost)
    return out


def fold_principal(p):
    """An assumed-role session as its role, as the logs' principal is (bedrock-ledger(1))."""
    parts = p.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[2] == "sts" and parts[3] == "" \
            and parts[5].startswith("assumed-role/"):
        role = parts[5].split("/")
        if len(role) >= 3 and role[1]:
            return f"arn:{parts[1]}:iam::{parts[4]}:role/{role[1]}"
    return p


def expected_callers(rows):
    """{(day, folded principal): usd} over the Bedrock Usage rows, as the bill side sums them."""
    out = {}
    for r in rows:
        if r.key is None:
            continue
        k = (r.key[0], fold_principal(r.principal))
        out[k] = out.get(k, D(0)) + D(r.cost)
    return out


def expected_adjustments(rows):
    out = {}
    for r in rows:
        if r.adjustment:
            e = out.setdefault(r.adjustment, [D(0), 0])
            e[0] += D(r.cost)
            e[1] += 1
    return out


# ---- writing ----------------------------------------------------------------------------------

# (field of Row, CUR 2.0 column, classic CUR column; None: the dialect has no such column)
COLUMNS = [
    ("entity", "bill_billing_entity", "bill/BillingEntity"),
    ("product_code", "line_item_product_code", "lineItem/ProductCode"),
    ("servicecode", "product_servicecode", "product/servicecode"),
    ("usage_type", "line_item_usage_type", "lineItem/UsageType"),
    ("operation", "line_item_operation", "lineItem/Operation"),
    ("item_type", "line_item_line_item_type", "lineItem/LineItemType"),
    ("start", "line_item_usage_start_date", "lineItem/UsageStartDate"),
    ("end", "line_item_usage_end_date", "lineItem/UsageEndDate"),
    ("amount", "line_item_usage_amount", "lineItem/UsageAmount"),
    ("unit", "pricing_unit", "pricing/unit"),
    ("rate", "line_item_unblended_rate", "lineItem/UnblendedRate"),
    ("cost", "line_item_unblended_cost", "lineItem/UnblendedCost"),
    ("description", "line_item_line_item_description", "lineItem/LineItemDescription"),
    ("region_code", "product_region_code", "product/region"),
    ("resource_id", "line_item_resource_id", "lineItem/ResourceId"),
    ("account", "line_item_usage_account_id", "lineItem/UsageAccountId"),
    ("principal", "line_item_iam_principal", None),
    ("product_name", None, "product/ProductName"),  # CUR 2.0: in the product map
]
CUR2 = {f: c for f, c, _ in COLUMNS if c}
CLASSIC = {f: c for f, _, c in COLUMNS if c}
# columns a real export has that the reader does not need (cur.md §2): some filled, most empty
EXTRA_CUR2 = ["identity_line_item_id", "identity_time_interval", "bill_invoice_id",
              "bill_bill_type", "bill_payer_account_id", "bill_billing_period_start_date",
              "bill_billing_period_end_date", "bill_payer_account_name",
              "line_item_usage_account_name", "line_item_availability_zone",
              "line_item_currency_code", "line_item_net_unblended_cost",
              "line_item_net_unblended_rate", "line_item_blended_cost", "line_item_blended_rate",
              "line_item_legal_entity", "line_item_normalization_factor",
              "line_item_normalized_usage_amount", "line_item_tax_type", "pricing_currency",
              "pricing_public_on_demand_cost", "pricing_public_on_demand_rate", "pricing_term",
              "pricing_rate_code", "product_fee_code", "product_fee_description",
              "product_from_location", "product_instance_family", "product_location",
              "product_location_type", "product_operation", "product_pricing_unit",
              "product_sku", "product_to_location", "product_usagetype",
              "reservation_reservation_a_r_n", "savings_plan_savings_plan_a_r_n",
              "split_line_item_split_cost", "cost_category", "discount", "resource_tags",
              "tags"]
EXTRA_CLASSIC = ["identity/LineItemId", "identity/TimeInterval", "bill/InvoiceId",
                 "bill/BillType", "bill/PayerAccountId", "bill/BillingPeriodStartDate",
                 "bill/BillingPeriodEndDate", "lineItem/AvailabilityZone",
                 "lineItem/CurrencyCode", "lineItem/BlendedCost", "lineItem/BlendedRate",
                 "lineItem/LegalEntity", "lineItem/NetUnblendedCost", "lineItem/TaxType",
                 "pricing/currency", "pricing/publicOnDemandCost", "pricing/term",
                 "pricing/RateCode", "product/location", "product/locationType",
                 "product/operation", "product/sku", "product/usagetype",
                 "resourceTags/user:app", "resourceTags/user:team"]


def _json_map(pairs):
    items = ",".join('"%s":"%s"' % (k, v.replace("\\", "\\\\").replace('"', '\\"'))
                     for k, v in pairs if v)
    return "{" + items + "}"


ID_SLOT = "@" * 24  # write_sized puts a line number here: every line item its own


def row_values(r, dialect, i=0, line_id=None):
    """The cells of a row by column name (missing columns are empty)."""
    names = CUR2 if dialect == "cur2" else CLASSIC
    cells = {names[f]: getattr(r, f) for f in names}
    if dialect == "cur2":
        cells["product"] = _json_map([("product_name", r.product_name),
                                      ("region", r.region_code)])
        cells["resource_tags"] = '{"user_app":"chatbot"}' if i % 3 == 0 else "{}"
        cells["tags"] = "{}"
        cells["cost_category"] = "{}"
        cells["discount"] = "{}"
        cells["identity_time_interval"] = f"{r.start}/{r.end}"
        cells["line_item_currency_code"] = "USD"
        cells["line_item_net_unblended_cost"] = r.cost
        cells["bill_payer_account_id"] = "111122223333"
        cells["product_location"] = LOCATION.get(r.region_code, "")
        cells["bill_payer_account_name"] = "Example Org"
    else:
        cells["identity/TimeInterval"] = f"{r.start}/{r.end}"
        cells["lineItem/CurrencyCode"] = "USD"
        cells["lineItem/NetUnblendedCost"] = r.cost
        cells["product/location"] = LOCATION.get(r.region_code, "")
        cells["resourceTags/user:app"] = "chatbot" if i % 3 == 0 else ""
    cells["identity_line_item_id" if dialect == "cur2" else "identity/LineItemId"] = \
        line_id or hashlib.sha1(f"{i}|{r.usage_type}|{r.start}".encode()).hexdigest()[:24]
    return cells


def header_for(dialect, seed=None):
    names = CUR2 if dialect == "cur2" else CLASSIC
    cols = list(names.values()) + (["product"] if dialect == "cur2" else [])
    cols += [c for c in (EXTRA_CUR2 if dialect == "cur2" else EXTRA_CLASSIC) if c not in cols]
    if seed is not None:
        random.Random(seed).shuffle(cols)  # order is not fixed (cur.md §2)
    return cols


def _line(cols, cells):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([cells.get(c, "") for c in cols])
    return buf.getvalue()


def _open(path, compress):
    if path == "-":
        return sys.stdout.buffer
    if compress:
        return gzip.GzipFile(path, "wb", mtime=0, compresslevel=6)
    return open(path, "wb")


def write_cur(path, rows, dialect="cur2", compress=False, seed=None, crlf=False):
    """Writes rows as one export: CUR 2.0 or classic column names, the columns shuffled when
    seed is given, gzip-compressed (deterministically) when compress."""
    assert dialect in ("cur2", "classic")
    cols = header_for(dialect, seed)
    out = _open(path, compress)
    end = "\r\n" if crlf else "\n"
    try:
        out.write((",".join(cols) + end).encode())
        for i, r in enumerate(rows):
            line = _line(cols, row_values(r, dialect, i))
            out.write((line[:-1] + end).encode())
    finally:
        if out is not sys.stdout.buffer:
            out.close()


def write_sized(path, size, dialect="cur2", compress=False, seed=1, bedrock_share=0.2,
                days=30, day0="2026-09-01"):
    """A file of about `size` bytes of text for benchmarks: hourly Bedrock rows (a share of
    the rows, each naming one of SAMPLE_PRINCIPALS in CUR 2.0) among other services' rows,
    written as they are made, every line a line item of its own."""
    rnd = random.Random(seed)
    cols = header_for(dialect, seed)
    models = [("anthropic.claude-sonnet-4-6", "A"), ("amazon.nova-2-lite-v1:0", "A"),
              ("anthropic.claude-haiku-4-5-20251001-v1:0", "B"),
              ("anthropic.claude-opus-4-6-v1", "C")]
    bed_pool, other_pool = [], []
    for k in range(days):
        day = day_after(day0, k)
        for j, (model, fam) in enumerate(models):
            kind = KINDS[(k + j) % 4]
            t = Total(day, "us-east-1", model, kind, tokens=rnd.randint(1000, 10**7), family=fam,
                      principal=SAMPLE_PRINCIPALS[(k + j) % len(SAMPLE_PRINCIPALS)])
            bed_pool += bedrock_rows([t], hours=6, seed=k)
        # other services rarely name Bedrock (a description of a knowledge base's bucket)
        other_pool += [r for r in other_service_rows(day, 24, seed=k)
                       if "Bedrock" not in r.description or k == 0]
    bed_lines = [_line(cols, row_values(r, dialect, i, ID_SLOT)).encode()
                 for i, r in enumerate(bed_pool)]
    oth_lines = [_line(cols, row_values(r, dialect, i, ID_SLOT)).encode()
                 for i, r in enumerate(other_pool)]
    slot = ID_SLOT.encode()
    out = _open(path, compress)
    written = 0
    try:
        head = (",".join(cols) + "\n").encode()
        out.write(head)
        written += len(head)
        while written < size:
            pool = bed_lines if rnd.random() < bedrock_share else oth_lines
            line = pool[rnd.randrange(len(pool))].replace(slot, b"%024x" % written, 1)
            out.write(line)
            written += len(line)
    finally:
        if out is not sys.stdout.buffer:
            out.close()


def usd6(x):
    """USD rounded half up (away from zero) to 6 decimals, never -0 (as bedrock-ledger-formats(5), RECONCILIATION prints it)."""
    q = D(x).quantize(D("0.000001"), rounding=decimal.ROUND_HALF_UP)
    return format(abs(q) if q == 0 else q, "f")


def round_tokens(tokens):
    """A key's billed tokens: its exact sum rounded half up, once (bedrock-ledger(1))."""
    return int(D(tokens).quantize(D(1), rounding=decimal.ROUND_HALF_UP))


def format_expected(rows, dialect="classic"):
    """The bill side as tests/cur_dump.c prints it: keyed rows, adjustments, then (CUR 2.0,
    which has line_item_iam_principal) what each principal was charged each day."""
    lines = []
    keys = expected_keys(rows)
    for key in sorted(keys, key=lambda k: tuple(str(x) for x in k)):
        tokens, usd, note = keys[key]
        tokens = round_tokens(tokens)
        day, region, model, kind, routing, tier, context = key
        lines.append(f"{day},{region},{model},{kind},{routing},{tier},{context},{tokens},"
                     f"{usd6(usd)},{note}")
    for item, (usd, n) in sorted(expected_adjustments(rows).items()):
        lines.append(f"adjustment,{item},{usd6(usd)},{n}")
    if dialect == "cur2":
        callers = expected_callers(rows)
        for day, p in sorted(callers, key=lambda k: (k[0], k[1].encode())):
            lines.append(f"caller,{day},{p},{usd6(callers[(day, p)])}")
    return "\n".join(lines) + "\n"


def read_totals(path):
    with open(path, newline="") as f:
        return [Total(r["day"], r["region"], r["model"], r["kind"], r.get("routing") or
                      "regional", r.get("tier") or "standard", r.get("context") or "standard",
                      D(r["tokens"]) if "." in r["tokens"] else int(r["tokens"]),
                      r.get("usd") or None) for r in csv.DictReader(f)]


def parse_size(s):
    mult = {"K": 10**3, "M": 10**6, "G": 10**9}
    return int(float(s[:-1]) * mult[s[-1].upper()]) if s[-1].upper() in mult else int(s)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="file to write ('-': stdout)")
    ap.add_argument("--dialect", choices=["cur2", "classic"], default="cur2")
    ap.add_argument("--gzip", action="store_true")
    ap.add_argument("--seed", type=int, default=1, help="column order and amounts")
    ap.add_argument("--totals", help="CSV day,region,model,kind,routing,tier,context,tokens[,usd]")
    ap.add_argument("--hourly", action="store_true", help="24 rows a day per key, not one")
    ap.add_argument("--half", action="store_true", help="--totals rows carry half tokens")
    ap.add_argument("--size", help="pad to this many bytes of text (100M, 1G): benchmarks")
    ap.add_argument("--bedrock-share", type=float, default=0.2)
    ap.add_argument("--expect", help="also write the bill side the reader must give")
    a = ap.parse_args(argv)
    if a.size:
        write_sized(a.out, parse_size(a.size), a.dialect, a.gzip, a.seed, a.bedrock_share)
        return 0
    if a.totals:
        rows = bedrock_rows(read_totals(a.totals), hours=24 if a.hourly else 1, seed=a.seed,
                            half=a.half)
    else:
        rows = (grammar_rows("2026-09-14") + injected_rows("2026-09-15") +
                bedrock_rows([Total("2026-09-16", "us-east-1", "anthropic.claude-sonnet-4-6",
                                    "output", tokens=123457, usd="1.851855")],
                             hours=24 if a.hourly else 1))
    rows += adjustment_rows("2026-09-01") + other_service_rows("2026-09-14", 12, seed=a.seed)
    for i, r in enumerate(rows):  # who made the calls (CUR 2.0 only), sessions of one role too
        if r.key is not None:
            r.principal = SAMPLE_PRINCIPALS[i % len(SAMPLE_PRINCIPALS)]
    random.Random(a.seed).shuffle(rows)
    write_cur(a.out, rows, a.dialect, a.gzip, a.seed)
    if a.expect:
        with open(a.expect, "w") as f:
            f.write(format_expected(rows, a.dialect))
    return 0


if __name__ == "__main__":
    sys.exit(main())
