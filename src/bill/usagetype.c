/*
 * usagetype.c - Bedrock usage types -> (region, billing name, kind, routing,
 * tier, context). The rules and their order are in usagetype.h; the facts
 * behind them in reference/cur.md.
 */
#include "ledger/support/keynames.h"
#include "ledger/bill/usagetype.h"

#include <string.h>

/* Longer usage types are not Bedrock's: unclassified (and the buffers below stay small). */
#define USAGE_TYPE_MAX 256

static const char *const tier_names[USAGE_TIERS] = {
	[USAGE_TIER_STANDARD] = "standard", [USAGE_TIER_PRIORITY] = "priority",
	[USAGE_TIER_FLEX] = "flex",	    [USAGE_TIER_LATENCY_OPTIMIZED] = "latency-optimized",
	[USAGE_TIER_BATCH] = "batch",
};

/* The squashed substrings (see squash) that give each category, NULL-ended. */
static const char *const provisioned[] = { "provisionedthroughput", "modelunits", NULL };
static const char *const reserved[] = { "reserved", NULL };
static const char *const guardrails[] = { "guardrail", NULL };
static const char *const images[] = { "novacanvas",   "imagegenerator",
				      "createdimage", "inputimagecount",
				      "novareel",     "i2v",
				      "t2v",	      NULL };
static const char *const image_input[] = { "inputimagetokencount", NULL };
static const char *const speech[] = { "sonic", "speechinputtokens", NULL };
/* knowledgebase: BedrockKnowledgeBase-searchunits is a KB fee before it is a rerank */
static const char *const kb_flows[] = { "generatesql",
					"structuredretrieve",
					"invokeflow",
					"bedrockflows",
					"optimizeprompt",
					"promptrouting",
					"novagrounding",
					"evaluations",
					"dataautomation",
					"knowledgebase",
					NULL };
static const char *const rerank[] = { "searchunits", NULL };
static const char *const agentcore[] = { "agentcore",	   "runtime", "codeinterpreter",
					 "browsertool",	   "gateway", "shorttermmemory",
					 "longtermmemory", NULL };
static const char *const customization[] = { "customizationtraining",	"rfttraining",
					     "customizationstorage",	"custommodelimport",
					     "customizationtokencount", "cachestorage",
					     "cachevalidationcount",	NULL };
static const char *const custom_model[] = { "custommodel", NULL };
static const char *const none[] = { NULL };

static const struct category_def {
	const char *name, *note;
	const char *const *needles;
} categories[USAGE_CATEGORIES] = {
	[USAGE_CATEGORY_NONE] = { "", NULL, none },
	[USAGE_CATEGORY_PROVISIONED_THROUGHPUT] = { "provisioned-throughput",
						    "not-tokens: provisioned-throughput",
						    provisioned },
	[USAGE_CATEGORY_RESERVED_TIER] = { "reserved-tier", "not-tokens: reserved-tier", reserved },
	[USAGE_CATEGORY_GUARDRAILS] = { "guardrails", "not-tokens: guardrails", guardrails },
	[USAGE_CATEGORY_IMAGES_VIDEO] = { "images-video", "not-tokens: images-video", images },
	[USAGE_CATEGORY_IMAGE_INPUT_TOKENS] = { "image-input-tokens",
						"not-tokens: image-input-tokens", image_input },
	[USAGE_CATEGORY_SPEECH] = { "speech", "not-tokens: speech", speech },
	[USAGE_CATEGORY_KB_FLOWS_TOOLS] = { "kb-flows-tools", "not-tokens: kb-flows-tools",
					    kb_flows },
	[USAGE_CATEGORY_RERANK] = { "rerank", "not-tokens: rerank", rerank },
	[USAGE_CATEGORY_AGENTCORE] = { "agentcore", "not-tokens: agentcore", agentcore },
	[USAGE_CATEGORY_CUSTOMIZATION_STORAGE] = { "customization-storage",
						   "not-tokens: customization-storage",
						   customization },
	[USAGE_CATEGORY_CUSTOM_MODEL] = { "custom-model", "not-tokens: custom-model",
					  custom_model },
	[USAGE_CATEGORY_UNCLASSIFIED] = { "unclassified", "not-tokens: unclassified", none },
	[USAGE_CATEGORY_MANTLE] = { "mantle", "not-in-logs: mantle", none },
};

const char *usage_kind_name(enum usage_kind k)
{
	_Static_assert(USAGE_KIND_CACHE_WRITE_1H == (int)KEY_CACHE_WRITE_1H &&
			   USAGE_KIND_OTHER == (int)KEY_KINDS,
		       "keynames.h's kinds are usagetype.h's");
	return key_kind_name((unsigned)k);
}

const char *usage_routing_name(enum usage_routing r)
{
	return key_routing_name(r == USAGE_ROUTING_GLOBAL);
}

const char *usage_tier_name(enum usage_tier t)
{
	return t < USAGE_TIERS ? tier_names[t] : "?";
}

const char *usage_context_name(enum usage_context c)
{
	return key_context_name(c == USAGE_CONTEXT_LONG);
}

const char *usage_category_name(enum usage_category c)
{
	return c < USAGE_CATEGORIES ? categories[c].name : "?";
}

const char *usage_category_note(enum usage_category c)
{
	return c < USAGE_CATEGORIES ? categories[c].note : NULL;
}

/* reference/cur.md §6 (AWS "Region billing codes"); EUW1 as HUIZI also maps it. */
static const struct {
	const char *prefix, *region;
} region_prefixes[] = {
	{ "USE1", "us-east-1" },      { "USE2", "us-east-2" },	    { "USW1", "us-west-1" },
	{ "USW2", "us-west-2" },      { "CAN1", "ca-central-1" },   { "CAN2", "ca-west-1" },
	{ "MXC1", "mx-central-1" },   { "AFS1", "af-south-1" },	    { "APE1", "ap-east-1" },
	{ "APE2", "ap-east-2" },      { "APN1", "ap-northeast-1" }, { "APN2", "ap-northeast-2" },
	{ "APN3", "ap-northeast-3" }, { "APS1", "ap-southeast-1" }, { "APS2", "ap-southeast-2" },
	{ "APS3", "ap-south-1" },     { "APS4", "ap-southeast-3" }, { "APS5", "ap-south-2" },
	{ "APS6", "ap-southeast-4" }, { "APS7", "ap-southeast-5" }, { "APS8", "ap-southeast-6" },
	{ "APS9", "ap-southeast-7" }, { "EU", "eu-west-1" },	    { "EUW1", "eu-west-1" },
	{ "EUW2", "eu-west-2" },      { "EUW3", "eu-west-3" },	    { "EUC1", "eu-central-1" },
	{ "EUC2", "eu-central-2" },   { "EUN1", "eu-north-1" },	    { "EUS1", "eu-south-1" },
	{ "EUS2", "eu-south-2" },     { "MES1", "me-south-1" },	    { "MEC1", "me-central-1" },
	{ "ILC1", "il-central-1" },   { "SAE1", "sa-east-1" },	    { "UGW1", "us-gov-west-1" },
	{ "UGE1", "us-gov-east-1" },
};

const char *usagetype_region(struct str prefix)
{
	for (size_t i = 0; i < sizeof region_prefixes / sizeof region_prefixes[0]; i++)
		if (str_eq(prefix, str_from(region_prefixes[i].prefix)))
			return region_prefixes[i].region;
	return NULL;
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

/* An unknown prefix looks like the known ones: 2-4 capitals, then 1-2 digits ("ZZZ9"). */
static bool prefix_shaped(struct str s)
{
	size_t i = 0;
	while (i < s.n && is_upper(s.p[i]))
		i++;
	size_t letters = i;
	while (i < s.n && is_digit(s.p[i]))
		i++;
	return i == s.n && letters >= 2 && letters <= 4 && s.n - letters >= 1 && s.n - letters <= 2;
}

static bool has_ci(struct str s, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= s.n; i++) {
		size_t k = 0;
		while (k < m && lower(s.p[i + k]) == needle[k])
			k++;
		if (k == m)
			return true;
	}
	return false;
}

static bool eq_ci(struct str s, const char *word)
{
	size_t m = strlen(word);
	if (s.n != m)
		return false;
	for (size_t i = 0; i < m; i++)
		if (lower(s.p[i]) != word[i])
			return false;
	return true;
}

static bool starts_ci(struct str s, const char *prefix)
{
	size_t m = strlen(prefix);
	return s.n >= m && eq_ci((struct str){ s.p, m }, prefix);
}

static bool ends_ci(struct str s, const char *suffix)
{
	size_t m = strlen(suffix);
	return s.n >= m && eq_ci((struct str){ s.p + s.n - m, m }, suffix);
}

/* s lower-cased without '-', '_' and ' ' into buf (USAGE_TYPE_MAX + 1 bytes), NUL-ended. */
static struct str squash(struct str s, char *buf)
{
	size_t n = 0;
	for (size_t i = 0; i < s.n && n < USAGE_TYPE_MAX; i++)
		if (s.p[i] != '-' && s.p[i] != '_' && s.p[i] != ' ')
			buf[n++] = lower(s.p[i]);
	buf[n] = '\0';
	return (struct str){ buf, n };
}

/*
 * Does s hold needle? The haystacks are short (a usage type) and there are
 * dozens of needles per row: memchr on the first byte beats memmem, whose
 * setup costs more than these searches.
 */
static bool has(struct str s, const char *needle)
{
	size_t m = strlen(needle);
	if (m == 0 || s.n < m)
		return m == 0;
	const char *end = s.p + s.n - m + 1;
	for (const char *p = s.p; p < end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p));
		if (!p)
			return false;
		if (memcmp(p + 1, needle + 1, m - 1) == 0)
			return true;
	}
	return false;
}

static enum usage_category category_of(const struct usagetype_in *in, struct str squashed)
{
	for (int c = USAGE_CATEGORY_PROVISIONED_THROUGHPUT; c < USAGE_CATEGORY_UNCLASSIFIED; c++) {
		if (c == USAGE_CATEGORY_RESERVED_TIER && has_ci(in->unit, "tpm"))
			return USAGE_CATEGORY_RESERVED_TIER;
		if (c == USAGE_CATEGORY_AGENTCORE &&
		    str_eq(in->product_code, STR_LIT("AmazonBedrockAgentCore")))
			return USAGE_CATEGORY_AGENTCORE;
		for (const char *const *n = categories[c].needles; *n; n++)
			if (has(squashed, *n))
				return (enum usage_category)c;
	}
	return USAGE_CATEGORY_NONE;
}

/* Splits off the region prefix (rule 1). */
static void split_prefix(const struct usagetype_in *in, struct usagetype_class *out)
{
	struct str u = in->usage_type;
	const char *dash = u.n ? memchr(u.p, '-', u.n) : NULL;
	struct str prefix = { u.p, dash ? (size_t)(dash - u.p) : 0 };
	const char *region = dash ? usagetype_region(prefix) : NULL;
	if (region || (dash && prefix_shaped(prefix))) {
		out->prefix = prefix;
		out->rest = (struct str){ dash + 1, u.n - prefix.n - 1 };
	} else {
		out->prefix = (struct str){ u.p, 0 };
		out->rest = u;
	}
	out->prefix_known = region != NULL;
	out->region = region ? str_from(region) : in->region_code;
}

/*
 * Family A: where the kind begins in rest (the first word that begins with
 * cache, input or output; "text"/"speech" just before "input"), or rest.n.
 * Billing names are CamelCase or lower-case ids without those words;
 * "TitanEmbeddingV2-Text" keeps its capital Text.
 */
static size_t first_party_kind_start(struct str rest)
{
	size_t i = 0;
	while (i < rest.n) {
		const char *end = memchr(rest.p + i, '-', rest.n - i);
		size_t j = end ? (size_t)(end - rest.p) : rest.n;
		struct str w = { rest.p + i, j - i };
		if (starts_ci(w, "cache") || starts_ci(w, "input") || starts_ci(w, "output"))
			return i;
		if ((str_eq(w, STR_LIT("text")) || str_eq(w, STR_LIT("speech"))) &&
		    j + 6 <= rest.n && eq_ci((struct str){ rest.p + j + 1, 5 }, "input"))
			return i;
		i = j + 1;
	}
	return rest.n;
}

static const char bedrock_edition[] = " (Amazon Bedrock Edition)";

/* Rules 2 and 7: the family, the billing name, and the kind-and-qualifier text. */
static struct str split_family(const struct usagetype_in *in, struct usagetype_class *out)
{
	struct str rest = out->rest;
	if (str_starts(rest, "MP:")) {
		struct str t = { rest.p + 3, rest.n - 3 };
		const char *us = memchr(t.p, '_', t.n);
		if (us && prefix_shaped((struct str){ t.p, (size_t)(us - t.p) }))
			t = (struct str){ us + 1, t.n - (size_t)(us - t.p) - 1 };
		else if (us && usagetype_region((struct str){ t.p, (size_t)(us - t.p) }))
			t = (struct str){ us + 1, t.n - (size_t)(us - t.p) - 1 };
		if (ends_ci(t, "-units"))
			t.n -= 6;
		out->family = t.n && is_lower(t.p[0]) ? USAGE_FAMILY_MARKETPLACE_SNAKE
						      : USAGE_FAMILY_MARKETPLACE_CAMEL;
		struct str name = in->product_name;
		size_t m = sizeof bedrock_edition - 1;
		if (name.n >= m && memcmp(name.p + name.n - m, bedrock_edition, m) == 0)
			name.n -= m;
		/* an opaque Marketplace code names the product; AmazonBedrock... names none */
		out->billing_name = name.n ? name
				    : str_starts(in->product_code, "AmazonBedrock")
					? (struct str){ in->product_code.p, 0 }
					: in->product_code;
		return t;
	}
	for (size_t i = 0; i + 8 <= rest.n; i++) {
		if (eq_ci((struct str){ rest.p + i, 8 }, "-mantle-")) {
			out->family = USAGE_FAMILY_MANTLE;
			out->billing_name = (struct str){ rest.p, i };
			return (struct str){ rest.p + i + 8, rest.n - i - 8 };
		}
	}
	out->family = USAGE_FAMILY_FIRST_PARTY;
	size_t k = first_party_kind_start(rest);
	/* no kind word: no billing name either (the row is unclassified unless a category holds it)
	 */
	out->billing_name = (struct str){ rest.p, k && k < rest.n ? k - 1 : 0 };
	return (struct str){ rest.p + k, rest.n - k };
}

static enum usage_kind kind_of(struct str q)
{
	if (has(q, "cacheread"))
		return USAGE_KIND_CACHE_READ;
	if (has(q, "cachewrite"))
		return has(q, "1h") ? USAGE_KIND_CACHE_WRITE_1H : USAGE_KIND_CACHE_WRITE;
	if (has(q, "input"))
		return USAGE_KIND_INPUT;
	if (has(q, "output"))
		return USAGE_KIND_OUTPUT;
	return USAGE_KIND_OTHER;
}

static enum usage_tier tier_of(struct str q)
{
	if (has(q, "batch"))
		return USAGE_TIER_BATCH;
	if (has(q, "flex"))
		return USAGE_TIER_FLEX;
	if (has(q, "priority"))
		return USAGE_TIER_PRIORITY;
	if (has(q, "latencyoptimized"))
		return USAGE_TIER_LATENCY_OPTIMIZED;
	return USAGE_TIER_STANDARD;
}

static void set_other(struct usagetype_class *out, enum usage_category c)
{
	out->kind = USAGE_KIND_OTHER;
	out->category = c;
	out->unit_tokens = 0;
}

void usagetype_classify(const struct usagetype_in *in, struct usagetype_class *out)
{
	memset(out, 0, sizeof *out);
	split_prefix(in, out);
	if (in->usage_type.n > USAGE_TYPE_MAX) {
		out->family = USAGE_FAMILY_FIRST_PARTY;
		out->billing_name = (struct str){ out->rest.p, 0 };
		set_other(out, USAGE_CATEGORY_UNCLASSIFIED);
		return;
	}
	struct str tail = split_family(in, out);

	char qbuf[USAGE_TYPE_MAX + 1];
	struct str q = squash(tail, qbuf);
	out->tier = tier_of(q);
	out->routing = has(q, "global") ? USAGE_ROUTING_GLOBAL : USAGE_ROUTING_REGIONAL;
	out->geo = has(q, "geo");
	out->context = has(q, "lctx") || has(q, "longctx") || has(q, "longcontext")
			   ? USAGE_CONTEXT_LONG
			   : USAGE_CONTEXT_STANDARD;
	if (out->family == USAGE_FAMILY_MANTLE) {
		set_other(out, USAGE_CATEGORY_MANTLE);
		return;
	}
	char ubuf[USAGE_TYPE_MAX + 1];
	enum usage_category c = category_of(in, squash(in->usage_type, ubuf));
	if (c != USAGE_CATEGORY_NONE) {
		set_other(out, c);
		return;
	}
	out->kind = kind_of(q);
	if (out->kind == USAGE_KIND_OTHER || out->billing_name.n == 0) {
		set_other(out, USAGE_CATEGORY_UNCLASSIFIED);
		return;
	}
	out->unit_tokens = usagetype_unit_tokens(in->unit, in->description);
	if (out->unit_tokens == 0) {
		out->unit_unknown = true;
		set_other(out, USAGE_CATEGORY_UNCLASSIFIED);
	}
}

static struct str trim(struct str s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t'))
		s.p++, s.n--;
	while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
		s.n--;
	return s;
}

uint64_t usagetype_unit_tokens(struct str unit, struct str description)
{
	struct str u = trim(unit);
	if (eq_ci(u, "1k tokens") || eq_ci(u, "1k token"))
		return 1000;
	if (eq_ci(u, "1m tokens") || eq_ci(u, "1m token") || eq_ci(u, "million tokens"))
		return 1000000;
	if (eq_ci(u, "tokens") || eq_ci(u, "token"))
		return 1;
	if (eq_ci(u, "units") || eq_ci(u, "unit"))
		return has_ci(description, "thousand") && !has_ci(description, "million") ? 1000
											  : 1000000;
	if (u.n == 0) {
		if (has_ci(description, "million") || has_ci(description, "per 1m "))
			return 1000000;
		if (has_ci(description, "thousand") || has_ci(description, "per 1k "))
			return 1000;
	}
	return 0;
}
