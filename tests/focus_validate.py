#!/usr/bin/env python3
"""focus_validate.py FOCUS_CSV APP_DAY_CSV - focus.csv against the FOCUS 1.2 column rules (TAP).

  focus_validate.py focus.csv app_day.csv     validate a run's focus.csv (and that it is
                                              app_day.csv's priced rows)
  focus_validate.py --self-test focus.csv app_day.csv
                                              also break a good file in each way the rules
                                              forbid, and fail unless every break is caught

The rules are those of the FinOps Open Cost and Usage Specification (FOCUS), version 1.2
(https://focus.finops.org/focus-specification/v1-2/; the repository
FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, tag v1.2: specification/columns/*.md and
specification/attributes/*.md), as far as a file with only Usage rows of one service can meet
them. Each rule below names its source.
"""
import csv
import io
import json
import re
import sys
from decimal import Decimal, InvalidOperation

# specification/columns/*.md, "Feature level: Mandatory" (v1.2): every one MUST be present.
MANDATORY = [
    "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
    "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass",
    "ChargeDescription", "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost",
    "EffectiveCost", "InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit",
    "ProviderName", "PublisherName", "ServiceCategory", "ServiceName",
]
# Mandatory columns whose "Allows nulls" is False.
NOT_NULL = [
    "BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodEnd",
    "BillingPeriodStart", "ChargeCategory", "ChargePeriodEnd", "ChargePeriodStart",
    "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost", "ProviderName",
    "PublisherName", "ServiceCategory", "ServiceName",
]
# The other FOCUS 1.2 columns (Conditional or Recommended): a column not prefixed x_ must be
# one of these or of MANDATORY.
OTHER_FOCUS = [
    "AvailabilityZone", "BillingAccountType", "CapacityReservationId",
    "CapacityReservationStatus", "ChargeFrequency", "CommitmentDiscountCategory",
    "CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountQuantity",
    "CommitmentDiscountStatus", "CommitmentDiscountType", "CommitmentDiscountUnit",
    "ConsumedQuantity", "ConsumedUnit", "ContractedUnitPrice", "InvoiceId", "ListUnitPrice",
    "PricingCategory", "PricingCurrency", "PricingCurrencyContractedUnitPrice",
    "PricingCurrencyEffectiveCost", "PricingCurrencyListUnitPrice", "RegionId", "RegionName",
    "ResourceId", "ResourceName", "ResourceType", "ServiceSubcategory", "SkuId", "SkuMeter",
    "SkuPriceDetails", "SkuPriceId", "SubAccountId", "SubAccountName", "SubAccountType", "Tags",
]
DECIMALS = ["BilledCost", "ContractedCost", "EffectiveCost", "ListCost", "PricingQuantity",
            "ConsumedQuantity"]
DATETIMES = ["BillingPeriodEnd", "BillingPeriodStart", "ChargePeriodEnd", "ChargePeriodStart"]
# chargecategory.md, chargeclass.md, chargefrequency.md: allowed values.
CHARGE_CATEGORY = {"Usage", "Purchase", "Tax", "Credit", "Adjustment"}
CHARGE_CLASS = {"Correction"}
CHARGE_FREQUENCY = {"One-Time", "Recurring", "Usage-Based"}
# servicecategory.md: allowed values.
SERVICE_CATEGORY = {
    "AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases",
    "Developer Tools", "Multicloud", "Identity", "Integration", "Internet of Things",
    "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security",
    "Storage", "Web", "Other",
}
# servicesubcategory.md: the subcategories of "AI and Machine Learning".
AI_SUBCATEGORY = {"AI Platforms", "Bots", "Generative AI", "Machine Learning",
                  "Natural Language Processing", "Other (AI and Machine Learning)"}
# attributes/datetime_format.md: UTC, extended ISO 8601, 'YYYY-MM-DDTHH:mm:ssZ'.
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
# attributes/numeric_format.md: an integer, a decimal or E notation; no '+', no commas, no
# symbols; a negative exponent only carries a sign.
NUMERIC = re.compile(r"^-?\d+(\.\d+)?(E-?\d+)?$")
# attributes/currency_format.md: ISO 4217 three-letter code for a national currency.
CURRENCY = re.compile(r"^[A-Z]{3}$")
# attributes/column_handling.md: FOCUS column IDs are alphanumeric Pascal case; custom
# columns MUST be prefixed x_ and SHOULD come after all FOCUS columns.
PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
# attributes/unit_format.md: "<plural-units>" or "<quantity> <plural-units>" among others.
UNIT = re.compile(r"^(\d+ )?[A-Z][A-Za-z]*s([-/][A-Za-z0-9 ]+)?$")


def check(text, app_day_text):
    """The problems of a focus.csv (text) with app_day.csv (text) beside it: a list of str."""
    errs = []
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return ["empty file"]
    header, body = rows[0], rows[1:]
    known = set(MANDATORY) | set(OTHER_FOCUS)
    for col in MANDATORY:
        if col not in header:
            errs.append(f"mandatory column {col} missing")
    seen_custom = False
    for col in header:
        if col.startswith("x_"):
            seen_custom = True
            if not PASCAL.match(col[2:]):
                errs.append(f"custom column {col}: not x_ and a Pascal-case ID")
        elif col not in known:
            errs.append(f"column {col}: neither a FOCUS 1.2 column nor prefixed x_")
        elif seen_custom:
            errs.append(f"column {col}: a FOCUS column after a custom column")
    if len(set(header)) != len(header):
        errs.append("a column appears twice")
    if errs:
        return errs
    for n, cells in enumerate(body, 2):
        if len(cells) != len(header):
            errs.append(f"line {n}: {len(cells)} cells, header has {len(header)}")
            continue
        errs += [f"line {n}: {e}" for e in check_row(dict(zip(header, cells)))]
    errs += cross_check(header, body, app_day_text)
    return errs


def check_row(r):
    errs = []
    for col in NOT_NULL:
        if r[col] == "":
            errs.append(f"{col} is null")
    for col in DECIMALS:
        if col in r and r[col] != "" and not NUMERIC.match(r[col]):
            errs.append(f"{col} {r[col]!r} is not in the numeric format")
    for col in DATETIMES:
        if r[col] != "" and not DATETIME.match(r[col]):
            errs.append(f"{col} {r[col]!r} is not a UTC date/time YYYY-MM-DDTHH:mm:ssZ")
    if r["ChargeCategory"] not in CHARGE_CATEGORY:
        errs.append(f"ChargeCategory {r['ChargeCategory']!r} is not an allowed value")
    if r["ChargeClass"] not in CHARGE_CLASS | {""}:
        errs.append(f"ChargeClass {r['ChargeClass']!r} is neither null nor Correction")
    if r["ServiceCategory"] not in SERVICE_CATEGORY:
        errs.append(f"ServiceCategory {r['ServiceCategory']!r} is not an allowed value")
    if r.get("ServiceSubcategory", "x") == "" or (
            r["ServiceCategory"] == "AI and Machine Learning"
            and r.get("ServiceSubcategory", "Generative AI") not in AI_SUBCATEGORY):
        errs.append(f"ServiceSubcategory {r.get('ServiceSubcategory')!r} is not one of its "
                    "category's")
    if r.get("ChargeFrequency", "Usage-Based") not in CHARGE_FREQUENCY:
        errs.append(f"ChargeFrequency {r['ChargeFrequency']!r} is not an allowed value")
    if not CURRENCY.match(r["BillingCurrency"]):
        errs.append(f"BillingCurrency {r['BillingCurrency']!r} is not an ISO 4217 code")
    # pricingquantity.md / pricingunit.md: not null for Usage (not a correction); the unit
    # is null exactly when the quantity is
    if r["ChargeCategory"] == "Usage" and r["ChargeClass"] == "" and r["PricingQuantity"] == "":
        errs.append("PricingQuantity is null on a Usage row")
    if (r["PricingQuantity"] == "") != (r["PricingUnit"] == ""):
        errs.append("PricingUnit null and PricingQuantity not, or the reverse")
    # consumedquantity.md / consumedunit.md: null unless Usage; the unit with the quantity
    if "ConsumedQuantity" in r:
        if r["ChargeCategory"] != "Usage" and r["ConsumedQuantity"] != "":
            errs.append("ConsumedQuantity on a row that is not Usage")
        if (r["ConsumedQuantity"] == "") != (r.get("ConsumedUnit", "") == ""):
            errs.append("ConsumedUnit null and ConsumedQuantity not, or the reverse")
    for col in ("PricingUnit", "ConsumedUnit"):
        if r.get(col) and not UNIT.match(r[col]):
            errs.append(f"{col} {r[col]!r} is not in the unit format")
    if r["ChargePeriodStart"] >= r["ChargePeriodEnd"] or \
            r["BillingPeriodStart"] >= r["BillingPeriodEnd"]:
        errs.append("a period that does not end after it starts")
    if not (r["BillingPeriodStart"] <= r["ChargePeriodStart"]
            and r["ChargePeriodEnd"] <= r["BillingPeriodEnd"]):
        errs.append("the charge period lies outside the billing period")
    # attributes/key_value_format.md: a JSON object of unique keys, scalar values
    if r.get("Tags"):
        try:
            tags = json.loads(r["Tags"], object_pairs_hook=unique_pairs)
            if not isinstance(tags, dict) or any(isinstance(v, (dict, list))
                                                 for v in tags.values()):
                errs.append("Tags is not a JSON object of scalar values")
        except ValueError as e:
            errs.append(f"Tags is not JSON: {e}")
    return errs


def unique_pairs(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key appears twice")
    return dict(pairs)


def cross_check(header, body, app_day_text):
    """bedrock-ledger(1): one row per app_day.csv row with a cost, in its order; every cost
    the row's cost_usd; the quantities its tokens; Tags its -g values."""
    errs = []
    days = list(csv.DictReader(io.StringIO(app_day_text)))
    fixed = {"day", "model", "invocations", "errors", "input_tokens", "output_tokens",
             "cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens", "cost_usd",
             "unpriced"}
    groups = [c for c in csv.reader(io.StringIO(app_day_text)).__next__() if c not in fixed]
    priced = [d for d in days if d["cost_usd"] != ""]
    if len(priced) != len(body):
        return [f"{len(body)} rows, but app_day.csv has {len(priced)} with a cost"]
    for n, (d, cells) in enumerate(zip(priced, body), 2):
        r = dict(zip(header, cells))
        tokens = sum(int(d[k]) for k in ("input_tokens", "output_tokens", "cache_read_tokens",
                                         "cache_write_tokens"))
        for col in ("BilledCost", "EffectiveCost", "ListCost", "ContractedCost"):
            if dec(r[col]) != dec(d["cost_usd"]):
                errs.append(f"line {n}: {col} {r[col]} is not app_day's {d['cost_usd']}")
        if dec(r["ConsumedQuantity"]) != tokens or r["ConsumedUnit"] != "Tokens":
            errs.append(f"line {n}: ConsumedQuantity {r['ConsumedQuantity']} is not {tokens}")
        if r["ChargePeriodStart"] != d["day"] + "T00:00:00Z":
            errs.append(f"line {n}: ChargePeriodStart is not the day {d['day']}")
        if r["x_Model"] != d["model"] or r["x_Invocations"] != d["invocations"]:
            errs.append(f"line {n}: x_Model/x_Invocations differ from app_day.csv")
        want = {g: unguard(d[g]) for g in groups if d[g] != ""}
        try:
            tags = json.loads(r["Tags"] or "{}")
        except ValueError:
            tags = None  # said by check_row
        if tags != want:
            errs.append(f"line {n}: Tags {r['Tags']} are not the -g values {want}")
        if r["ChargeCategory"] != "Usage" or r["ServiceName"] != "Amazon Bedrock":
            errs.append(f"line {n}: not a Usage row of Amazon Bedrock")
    return errs


def unguard(v):
    """app_day.csv writes a text cell that starts like a formula with a leading '."""
    return v[1:] if v[:1] == "'" and v[1:2] in ("=", "+", "-", "@", "\t", "\r") else v


def dec(v):
    try:
        return Decimal(v)
    except InvalidOperation:
        return None


def replace_cell(text, col, value, line=1):
    rows = list(csv.reader(io.StringIO(text)))
    if col in rows[0]:
        rows[line][rows[0].index(col)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def drop_column(text, col):
    rows = list(csv.reader(io.StringIO(text)))
    i = rows[0].index(col)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([r[:i] + r[i + 1:] for r in rows])
    return buf.getvalue()


def rename_column(text, col, new):
    head, _, rest = text.partition("\n")
    return ",".join(new if c == col else c for c in head.split(",")) + "\n" + rest


# One break per rule: each must be caught.
BREAKS = [
    ("a mandatory column left out", lambda t: drop_column(t, "InvoiceIssuerName")),
    ("a custom column without x_", lambda t: rename_column(t, "x_Model", "Model")),
    ("a null BilledCost", lambda t: replace_cell(t, "BilledCost", "")),
    ("a cost with a currency sign", lambda t: replace_cell(t, "BilledCost", "$1.00")),
    ("a positive exponent with a sign", lambda t: replace_cell(t, "ListCost", "1.5E+3")),
    ("a local time", lambda t: replace_cell(t, "ChargePeriodStart", "2026-09-30T00:00:00+02:00")),
    ("a date without a time", lambda t: replace_cell(t, "BillingPeriodStart", "2026-09-01")),
    ("a ChargeCategory not allowed", lambda t: replace_cell(t, "ChargeCategory", "Consumption")),
    ("a ChargeClass not allowed", lambda t: replace_cell(t, "ChargeClass", "Regular")),
    ("a ServiceCategory not allowed", lambda t: replace_cell(t, "ServiceCategory", "AI/ML")),
    ("a subcategory of another category",
     lambda t: replace_cell(t, "ServiceSubcategory", "Relational Databases")),
    ("a currency that is no ISO code", lambda t: replace_cell(t, "BillingCurrency", "$")),
    ("a null PricingQuantity on Usage", lambda t: replace_cell(t, "PricingQuantity", "")),
    ("a unit without its quantity", lambda t: replace_cell(t, "ConsumedQuantity", "")),
    ("Tags that are no JSON object", lambda t: replace_cell(t, "Tags", "app=search")),
    ("Tags with a nested value", lambda t: replace_cell(t, "Tags", '{"app":["a"]}')),
    ("a charge period outside its billing period",
     lambda t: replace_cell(t, "BillingPeriodEnd", "2026-09-15T00:00:00Z")),
    ("a cost that is not app_day.csv's", lambda t: replace_cell(t, "EffectiveCost", "9.999999")),
    ("a row app_day.csv does not have", lambda t: t + t.partition("\n")[2].partition("\n")[0]
     + "\n"),
]


def main(argv):
    self_test = argv[:1] == ["--self-test"]
    args = argv[1:] if self_test else argv
    if len(args) != 2:
        print(__doc__.strip().split("\n")[0], file=sys.stderr)
        return 2
    text = open(args[0], encoding="utf-8").read()
    app_day = open(args[1], encoding="utf-8").read()
    n, failed = 0, 0
    n += 1
    errs = check(text, app_day)
    if errs:
        failed += 1
        print(f"not ok {n} - {args[0]} meets FOCUS 1.2")
        for e in errs[:20]:
            print(f"#   {e}")
    else:
        print(f"ok {n} - {args[0]} meets FOCUS 1.2 and is app_day.csv's priced rows")
    if self_test:
        for name, brk in BREAKS:
            n += 1
            bad = brk(text)
            if bad != text and check(bad, app_day):
                print(f"ok {n} - caught: {name}")
            else:
                failed += 1
                print(f"not ok {n} - not caught: {name}")
    print(f"1..{n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
