/*
 * usagetype.h - what a Bedrock usage type in the bill says: source region,
 * billing name, token kind, routing, tier, context, and the unit of its
 * amount (bedrock-ledger-formats(5), RECONCILIATION, reference/cur.md §4-§8).
 *
 * Pipeline: cur reads a CUR row -> [usagetype] -> the bill's key. Also the
 * one home of the names of kinds, tiers, routings, contexts and categories
 * that reconcile.csv prints.
 * Pure functions over borrowed slices: the slices a classification holds
 * point into its input or at static strings.
 *
 * The rules, in the order they are applied (usagetype_classify):
 *  1. Region prefix: the text before the first '-'. A prefix of the
 *     REGDOC table (USE1, EU, APS3, ...; EUW1 too) gives the source region.
 *     Text shaped like a prefix but unknown (2-4 capitals and 1-2 digits,
 *     "ZZZ9") is a prefix too, and the region is product_region_code; so is
 *     the region when there is no prefix at all.
 *  2. Family: "MP:" after the prefix is Marketplace (B camel, or C snake when
 *     the text after "MP:{REG}_" starts lower-case; "-Units" is dropped);
 *     "-mantle-" anywhere is mantle (D); anything else is first-party (A).
 *  3. Mantle: kind other, category mantle ("not-in-logs: mantle").
 *  4. Non-token categories, tested in this order on the whole usage type
 *     lower-cased with '-', '_' and ' ' removed: provisioned-throughput
 *     (provisionedthroughput, modelunits), reserved-tier (reserved, or a
 *     pricing unit with "TPM"), guardrails (guardrail), images-video
 *     (novacanvas, imagegenerator, createdimage, inputimagecount, novareel,
 *     i2v, t2v), image-input-tokens (inputimagetokencount), speech (sonic,
 *     speechinputtokens), kb-flows-tools (generatesql, structuredretrieve,
 *     invokeflow, bedrockflows, optimizeprompt, promptrouting,
 *     novagrounding, evaluations, dataautomation, knowledgebase), rerank
 *     (searchunits), agentcore (product code AmazonBedrockAgentCore, or
 *     agentcore, runtime, codeinterpreter, browsertool, gateway,
 *     shorttermmemory, longtermmemory), customization-storage
 *     (customizationtraining, rfttraining, customizationstorage,
 *     custommodelimport, customizationtokencount, cachestorage,
 *     cachevalidationcount), custom-model (custommodel).
 *  5. Kind, from the kind-and-qualifier text (A: from the first '-'-separated
 *     word that begins with cache, input or output, or is a lower-case
 *     "text"/"speech" before "input"; B/C: all after "MP:{REG}_"; D: after
 *     "-mantle-"), lower-cased without '-'/'_': cacheread -> cache_read;
 *     cachewrite with 1h (1h, 1-hour) -> cache_write_1h, else (5m, 30m,
 *     none) -> cache_write; then input; then output. Cache before input:
 *     every cache kind contains "input". No kind: category unclassified.
 *  6. Tier from the same text: batch, flex, priority, latencyoptimized, else
 *     standard. Routing: global when it holds "global", else regional
 *     ("geo" sets the geo flag only). Context: long for lctx, longctx,
 *     longcontext.
 *  7. Billing name: A the text between the prefix and the kind (never split
 *     on '-': "Llama4-Maverick-17B"); B/C the product name without
 *     " (Amazon Bedrock Edition)", or the product code when there is no
 *     product name and it is no AmazonBedrock... code (so that
 *     --billing-names can map it); D the vendor.model
 *     before "-mantle-". An empty billing name is unclassified.
 *  8. Unit (usagetype_unit_tokens): a token kind whose unit is not a token
 *     unit is unclassified, never assumed.
 */
#ifndef LEDGER_USAGETYPE_H
#define LEDGER_USAGETYPE_H

#include <stdbool.h>
#include <stdint.h>

#include "ledger/support/str.h"

/* The token kinds of reconcile.csv, and other. */
enum usage_kind {
	USAGE_KIND_INPUT,
	USAGE_KIND_OUTPUT,
	USAGE_KIND_CACHE_READ,
	USAGE_KIND_CACHE_WRITE,	   /* 5- and 30-minute writes */
	USAGE_KIND_CACHE_WRITE_1H, /* 1-hour writes (not part of cache_write here) */
	USAGE_KIND_OTHER,	   /* not tokens the logs hold: see the category */
	USAGE_KINDS
};

enum usage_routing { USAGE_ROUTING_REGIONAL, USAGE_ROUTING_GLOBAL };

enum usage_tier {
	USAGE_TIER_STANDARD,
	USAGE_TIER_PRIORITY,
	USAGE_TIER_FLEX,
	USAGE_TIER_LATENCY_OPTIMIZED,
	USAGE_TIER_BATCH,
	USAGE_TIERS
};

enum usage_context { USAGE_CONTEXT_STANDARD, USAGE_CONTEXT_LONG };

/* What a row of kind other is; in bedrock-ledger-formats(5), RECONCILIATION's order, then mantle.
 */
enum usage_category {
	USAGE_CATEGORY_NONE, /* a token kind */
	USAGE_CATEGORY_PROVISIONED_THROUGHPUT,
	USAGE_CATEGORY_RESERVED_TIER,
	USAGE_CATEGORY_GUARDRAILS,
	USAGE_CATEGORY_IMAGES_VIDEO,
	USAGE_CATEGORY_IMAGE_INPUT_TOKENS,
	USAGE_CATEGORY_SPEECH,
	USAGE_CATEGORY_KB_FLOWS_TOOLS,
	USAGE_CATEGORY_RERANK,
	USAGE_CATEGORY_AGENTCORE,
	USAGE_CATEGORY_CUSTOMIZATION_STORAGE,
	USAGE_CATEGORY_CUSTOM_MODEL,
	USAGE_CATEGORY_UNCLASSIFIED,
	USAGE_CATEGORY_MANTLE,
	USAGE_CATEGORIES
};

/* reference/cur.md §4. */
enum usage_family {
	USAGE_FAMILY_FIRST_PARTY,	/* A: USE1-Claude4.6Sonnet-input-tokens */
	USAGE_FAMILY_MARKETPLACE_CAMEL, /* B: USW2-MP:USW2_InputTokenCount-Units */
	USAGE_FAMILY_MARKETPLACE_SNAKE, /* C: USE1-MP:USE1_input_tokens_global_standard-Units */
	USAGE_FAMILY_MANTLE, /* D: USE1-openai.gpt-oss-120b-mantle-input-tokens-standard */
};

/* Static names, as reconcile.csv prints them: "input" ... "cache_write_1h", "other". */
const char *usage_kind_name(enum usage_kind k);
const char *usage_routing_name(enum usage_routing r); /* "regional", "global" */
/* "standard", "priority", "flex", "latency-optimized", "batch" */
const char *usage_tier_name(enum usage_tier t);
const char *usage_context_name(enum usage_context c); /* "standard", "long" */
/* "provisioned-throughput" ... "unclassified", "mantle"; "" for none. */
const char *usage_category_name(enum usage_category c);
/* The note of bedrock-ledger-formats(5), RECONCILIATION: "not-tokens: CATEGORY", "not-in-logs:
 * mantle"; NULL for none. */
const char *usage_category_note(enum usage_category c);

/* What the classifier reads of a CUR row (slices borrowed; any may be empty). */
struct usagetype_in {
	struct str usage_type;	 /* line_item_usage_type */
	struct str product_code; /* line_item_product_code */
	struct str product_name; /* Marketplace product name, as in the bill */
	struct str region_code;	 /* product_region_code */
	struct str unit;	 /* pricing_unit */
	struct str description;	 /* line_item_line_item_description */
};

struct usagetype_class {
	enum usage_family family;
	struct str prefix; /* the region prefix as written; empty when none */
	bool prefix_known; /* the prefix is in the table */
	struct str region; /* the source region (may be empty) */
	struct str rest;   /* the usage type without its prefix: the model of kind other */
	struct str billing_name;
	enum usage_kind kind;
	enum usage_category category; /* USAGE_CATEGORY_NONE exactly when kind is not other */
	bool unit_unknown;	      /* a token kind whose unit is not a token unit */
	enum usage_routing routing;
	bool geo; /* "_Geo" or "cross-region-geo": regional, but said to be geo */
	enum usage_tier tier;
	enum usage_context context;
	uint64_t unit_tokens; /* tokens per unit of line_item_usage_amount; 0 for kind other */
};

/*
 * Classifies one usage type by the rules at the top of this file. Never
 * fails: what it cannot read is kind other, category unclassified. Usage
 * types over 256 bytes are unclassified.
 *	"USE1-Claude4.6Sonnet-output-tokens-cross-region-global" -> region
 *	us-east-1, billing name Claude4.6Sonnet, output, global, standard, standard
 */
void usagetype_classify(const struct usagetype_in *in, struct usagetype_class *out);

/* The region of a region prefix ("USE1" -> "us-east-1", "EU" -> "eu-west-1"); NULL if unknown. */
const char *usagetype_region(struct str prefix);

/*
 * Tokens per unit of line_item_usage_amount (reference/cur.md §5), from
 * pricing_unit (case and surrounding blanks ignored): "1K tokens" 1000; "1M
 * tokens" or "Million tokens" 10^6; "tokens" 1; "Units": 10^6, or 1000 when
 * the description says "thousand" and not "million"; empty: the description's
 * "per 1K"/"thousand" (1000) or "per 1M"/"million" (10^6). Anything else
 * ("1K TPM Hour", "Hrs", "Images") is 0: not tokens.
 */
uint64_t usagetype_unit_tokens(struct str unit, struct str description);

#endif
