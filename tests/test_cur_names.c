/*
 * test_cur_names.c - the billing-name table (billing_names.h): the built-in
 * rows (every name of reference/cur.md §7's table maps as that table says),
 * --billing-names files (a later row wins, ARNs and geographic prefixes
 * dropped, the Bedrock Edition suffix ignored), and bad files with their
 * exact messages, leaving the table unchanged. Runs in tests/.
 */
#include "ledger/bill/billing_names.h"

#include <stdio.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/price/prices.h"
#include "tap.h"

static const char *lookup(const struct billing_names *t, const char *name)
{
	static char buf[256];
	struct str id;
	if (!billing_names_lookup(t, str_from(name), &id))
		return "(none)";
	snprintf(buf, sizeof buf, "%.*s", (int)id.n, id.p);
	return buf;
}

/* reference/cur.md §7, row by row. */
static const char *const builtin[][2] = {
	{ "Claude4.6Sonnet", "anthropic.claude-sonnet-4-6" },
	{ "Claude4.6Opus", "anthropic.claude-opus-4-6-v1" },
	{ "Claude4.5Haiku", "anthropic.claude-haiku-4-5-20251001-v1:0" },
	{ "Claude4.5Opus", "anthropic.claude-opus-4-5-20251101-v1:0" },
	{ "Claude4.5Sonnet", "anthropic.claude-sonnet-4-5-20250929-v1:0" },
	{ "Claude4Sonnet", "anthropic.claude-sonnet-4-20250514-v1:0" },
	{ "Claude4Opus", "anthropic.claude-opus-4-20250514-v1:0" },
	{ "Claude4.1Opus", "anthropic.claude-opus-4-1-20250805-v1:0" },
	{ "Claude3-5Haiku", "anthropic.claude-3-5-haiku-20241022-v1:0" },
	{ "Claude3.5Haiku", "anthropic.claude-3-5-haiku-20241022-v1:0" },
	{ "Claude3Haiku", "anthropic.claude-3-haiku-20240307-v1:0" },
	{ "Claude3Sonnet", "anthropic.claude-3-sonnet-20240229-v1:0" },
	{ "Claude2.0", "anthropic.claude-v2" },
	{ "Claude2.1", "anthropic.claude-v2:1" },
	{ "Nova2.0Lite", "amazon.nova-2-lite-v1:0" },
	{ "Nova2.0Pro", "amazon.nova-2-pro-v1:0" },
	{ "NovaPro", "amazon.nova-pro-v1:0" },
	{ "NovaLite", "amazon.nova-lite-v1:0" },
	{ "NovaMicro", "amazon.nova-micro-v1:0" },
	{ "NovaPremier", "amazon.nova-premier-v1:0" },
	{ "Llama4-Maverick-17B", "meta.llama4-maverick-17b-instruct-v1:0" },
	{ "Llama4-Scout-17B", "meta.llama4-scout-17b-instruct-v1:0" },
	{ "Llama3-1-405B", "meta.llama3-1-405b-instruct-v1:0" },
	{ "Llama3-8B", "meta.llama3-8b-instruct-v1:0" },
	{ "Llama3-70B", "meta.llama3-70b-instruct-v1:0" },
	{ "Llama3-1-8B", "meta.llama3-1-8b-instruct-v1:0" },
	{ "Llama3-1-70B", "meta.llama3-1-70b-instruct-v1:0" },
	{ "Llama3-3-70B", "meta.llama3-3-70b-instruct-v1:0" },
	{ "gpt-oss-120b", "openai.gpt-oss-120b-1:0" },
	{ "Gemma-3-4B-IT", "google.gemma-3-4b-it" },
	{ "MistralSmall", "mistral.mistral-small-2402-v1:0" },
	{ "MistralLarge", "mistral.mistral-large-2402-v1:0" },
	{ "Mistral7B", "mistral.mistral-7b-instruct-v0:2" },
	{ "zai.glm5", "zai.glm-5" },
	{ "TitanEmbeddingV2-Text", "amazon.titan-embed-text-v2:0" },
	{ "Claude 3.5 Sonnet", "anthropic.claude-3-5-sonnet-20240620-v1:0" },
	{ "Claude 3.5 Sonnet (Amazon Bedrock Edition)",
	  "anthropic.claude-3-5-sonnet-20240620-v1:0" },
	{ "Claude 3 Haiku", "anthropic.claude-3-haiku-20240307-v1:0" },
	{ "Claude Sonnet 4.6", "anthropic.claude-sonnet-4-6" },
	{ "Claude Haiku 4.5", "anthropic.claude-haiku-4-5-20251001-v1:0" },
	{ "Claude Opus 4.6", "anthropic.claude-opus-4-6-v1" },
	/* issue 22: names real bills carry that the first table lacked */
	{ "Claude Sonnet 4.5 (Amazon Bedrock Edition)",
	  "anthropic.claude-sonnet-4-5-20250929-v1:0" },
	{ "Claude Opus 4.5 (Amazon Bedrock Edition)", "anthropic.claude-opus-4-5-20251101-v1:0" },
	{ "Claude 3.5 Haiku (Amazon Bedrock Edition)", "anthropic.claude-3-5-haiku-20241022-v1:0" },
	{ "Claude 3.5 Sonnet v2", "anthropic.claude-3-5-sonnet-20241022-v2:0" },
	{ "Claude Sonnet 4", "anthropic.claude-sonnet-4-20250514-v1:0" },
	{ "Jamba 1.5 Large", "ai21.jamba-1-5-large-v1:0" },
	{ "Llama3-2-1B", "meta.llama3-2-1b-instruct-v1:0" },
	{ "Qwen3-32B", "qwen.qwen3-32b-v1:0" },
	{ "Cohere Embed 4 Model", "cohere.embed-v4:0" },
};

/* Seen without a paired ID (cur.md §7): never guessed. */
static const char *const unpaired[] = { "GPT-OSS-Safeguard-20B", "NovaSonic",
					"Qwen3-VL-235B-A22B",	 "Claude3.5Sonnet",
					"Llama3-2-3B",		 "Palmyra X5",
					"claude4.6sonnet",	 "Claude4.6Sonnet " };

/*
 * Models of the built-in price table whose billing names no public source
 * showed (data/billing-names.csv is sourced row by row): a bill of theirs is
 * unknown-billing-name until --billing-names says. A model added to the price
 * table must get its names, or be listed here.
 */
static const char *const unnamed[] = {
	"deepseek.r1-v1:0",
	"deepseek.v3-v1:0",
	"deepseek.v3.2",
	"meta.llama3-2-11b-instruct-v1:0",
	"meta.llama3-2-3b-instruct-v1:0",
	"mistral.magistral-small-2509",
	"mistral.voxtral-mini-3b-2507",
	"mistral.voxtral-small-24b-2507",
	"qwen.qwen3-235b-a22b-2507-v1:0",
	"qwen.qwen3-coder-30b-a3b-v1:0",
	"qwen.qwen3-coder-480b-a35b-v1:0",
	"qwen.qwen3-next-80b-a3b",
	"qwen.qwen3-vl-235b-a22b",
};

/* Does the CSV text hold a line whose field k (0 or 1) is `id`? (No quoted cells here.) */
static bool has_field(const char *csv, size_t k, struct str id)
{
	for (const char *line = csv; line && *line;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *f = line;
		for (size_t i = 0; i < k && f; i++)
			f = strchr(f, ','), f = f ? f + 1 : NULL;
		if (f && strncmp(f, id.p, id.n) == 0 && f[id.n] == ',')
			return true;
	}
	return false;
}

static void test_price_models_named(void)
{
	size_t len;
	const char *prices = prices_builtin_csv(&len);
	const char *names = billing_names_builtin_csv(&len);
	size_t models = 0, missing = 0;
	for (const char *line = strchr(prices, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		struct str id = { line, (size_t)(strchr(line, ',') - line) };
		size_t geo = modelid_geo_prefix_len(id);
		id.p += geo, id.n -= geo;
		bool listed = false;
		for (size_t i = 0; i < sizeof unnamed / sizeof unnamed[0]; i++)
			listed |= str_eq(id, str_from(unnamed[i]));
		bool named = has_field(names, 1, id);
		models++;
		if (named == listed) {
			missing++;
			printf("# %.*s: %s\n", (int)id.n, id.p,
			       named ? "named, but listed as unnamed" : "no billing name");
		}
	}
	ok(models > 100 && missing == 0,
	   "every model of the built-in price table has a billing name, or is listed as unsourced");
}

static void test_builtin(void)
{
	struct billing_names *t = billing_names_create();
	ok(billing_names_load_builtin(t) == 0, "the built-in table loads");
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
		is_str(lookup(t, builtin[i][0]), builtin[i][1], "%s", builtin[i][0]);
	for (size_t i = 0; i < sizeof unpaired / sizeof unpaired[0]; i++)
		is_str(lookup(t, unpaired[i]), "(none)", "'%s' is not guessed", unpaired[i]);
	size_t len;
	const char *csv = billing_names_builtin_csv(&len);
	ok(len > 0 && strncmp(csv, "billing_name,model_id,source\n", 29) == 0,
	   "the built-in CSV, with a source column");
	/* every row names its source */
	bool sourced = true;
	for (const char *line = strchr(csv, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		const char *end = strchr(line, '\n');
		const char *last = end - 1;
		sourced &= *last != ',';
		if (!end[1])
			break;
	}
	ok(sourced, "every built-in row has a source");
	billing_names_destroy(t);
}

static void test_extend(void)
{
	struct billing_names *t = billing_names_create();
	billing_names_load_builtin(t);
	size_t before = billing_names_count(t);
	struct diag d = DIAG_INIT;
	const char csv[] = "source,model_id,billing_name\n"
			   "mine,arn:aws:bedrock:us-east-1::foundation-model/x.y-v1:0,NewName\n"
			   "mine,global.anthropic.claude-sonnet-4-6-next,Claude4.6Sonnet\n"
			   "mine,\"a,b\",Odd Name (Amazon Bedrock Edition)\n"
			   "mine,first,Twice\n"
			   "mine,second,Twice\n";
	ok(billing_names_load_buffer(t, "mine.csv", csv, sizeof csv - 1, &d) == 0, "loads");
	is_str(lookup(t, "NewName"), "x.y-v1:0", "an ARN is reduced to its ID");
	is_str(lookup(t, "Claude4.6Sonnet"), "anthropic.claude-sonnet-4-6-next",
	       "over the built-in row, without its geographic prefix");
	is_str(lookup(t, "Odd Name"), "a,b", "the Edition suffix is dropped");
	is_str(lookup(t, "Odd Name (Amazon Bedrock Edition)"), "a,b", "...on lookups too");
	is_str(lookup(t, "Twice"), "second", "a later row wins");
	is_int(billing_names_count(t), before + 3, "three new names");
	diag_clear(&d);
	billing_names_destroy(t);
}

static void test_bad(void)
{
	static const struct {
		const char *csv, *message;
	} cases[] = {
		{ "", "x.csv:1: missing header row" },
		{ "billing_name\nA\n", "x.csv:1: missing required column \"model_id\"" },
		{ "model_id,other\nA,B\n", "x.csv:1: missing required column \"billing_name\"" },
		{ "billing_name,model_id,billing_name\n",
		  "x.csv:1: duplicate column \"billing_name\"" },
		{ "billing_name,model_id\nA,B\n,C\n", "x.csv:3: empty billing_name" },
		{ "billing_name,model_id\nA,\n", "x.csv:2: empty model_id" },
		{ "billing_name,model_id\nA ,B\n",
		  "x.csv:2: billing_name \"A \" has leading or trailing blanks" },
		{ "billing_name,model_id\nA,\tB\n",
		  "x.csv:2: model_id \"\\x09B\" has leading or trailing blanks" },
		{ "billing_name,model_id\nA,B,C\n", "x.csv:2: 3 fields, but the header has 2" },
		{ "billing_name,model_id\nA,\"B\n",
		  "x.csv:2: malformed CSV: a quoted field is not closed" },
		{ "billing_name,model_id\nA,arn:aws:bedrock:us-east-1::foundation-model/\n",
		  "x.csv:2: model_id \"arn:aws:bedrock:us-east-1::foundation-model/\" names no "
		  "model" },
	};
	struct billing_names *t = billing_names_create();
	billing_names_load_builtin(t);
	size_t before = billing_names_count(t);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct diag d = DIAG_INIT;
		ok(billing_names_load_buffer(t, "x.csv", cases[i].csv, strlen(cases[i].csv), &d) ==
		       -1,
		   "refused: %s", cases[i].message);
		is_str(diag_msg(&d), cases[i].message, "message %zu", i);
		diag_clear(&d);
	}
	/* a bad row after good ones: none of them is kept */
	struct diag d = DIAG_INIT;
	const char csv[] = "billing_name,model_id\nZZ1,a\nZZ2,b\n,c\n";
	ok(billing_names_load_buffer(t, "y.csv", csv, sizeof csv - 1, &d) == -1, "refused");
	is_str(lookup(t, "ZZ1"), "(none)", "a failed load leaves the table unchanged");
	is_int(billing_names_count(t), before, "...its count too");
	diag_clear(&d);
	ok(billing_names_load_file(t, "fixtures/no-such-names.csv", &d) == -1 &&
	       strstr(diag_msg(&d), "fixtures/no-such-names.csv: cannot read: ") == diag_msg(&d),
	   "a missing file");
	diag_clear(&d);
	billing_names_destroy(t);
}

int main(void)
{
	test_price_models_named();
	test_builtin();
	test_extend();
	test_bad();
	return tap_done();
}
