/*
 * test_cur_usagetype.c - the usage-type classifier (usagetype.h): every
 * grammar of reference/cur.md §4, every example of §4, §6, §8 and §9, the
 * variants §4 says to accept, every unit of §5, and the order rules (cache
 * before input, 1-hour writes before other writes, categories in bedrock-ledger-formats(5),
 * RECONCILIATION's order, mantle before them).
 */
#include "ledger/bill/usagetype.h"

#include <stdio.h>
#include <string.h>

#include "tap.h"

/*
 * One case a line: "USAGE TYPE;UNIT;DESCRIPTION;PRODUCT CODE;PRODUCT NAME;REGION CODE
 * => FAMILY REGION [BILLING NAME] KIND ROUTING TIER CONTEXT [CATEGORY] UNIT-TOKENS GEO"
 * (REGION "-" for none).
 */
static const char *const cases[] = {
	/* A, first-party: cur.md §4 examples */
	"USE1-Claude4.6Sonnet-cache-read-input-token-count;1K "
	"tokens;;AmazonBedrockService;;us-east-1 "
	"=> A us-east-1 [Claude4.6Sonnet] cache_read regional standard standard [] 1000 0",
	"USE1-Claude4.6Sonnet-output-tokens-cross-region-global;1K "
	"tokens;;AmazonBedrockService;;us-east-1 => A us-east-1 [Claude4.6Sonnet] output global "
	"standard standard [] 1000 0",
	"USE1-Nova2.0Lite-input-tokens-flex;1K tokens;;AmazonBedrock;; => A us-east-1 "
	"[Nova2.0Lite] "
	"input regional flex standard [] 1000 0",
	"USE1-gpt-oss-120b-output-tokens-priority;1K tokens;;AmazonBedrock;; => A us-east-1 "
	"[gpt-oss-120b] output regional priority standard [] 1000 0",
	"USE1-Nova2.0Pro-text-input-tokens-priority-cross-region-global;1K tokens;;AmazonBedrock;; "
	"=> "
	"A us-east-1 [Nova2.0Pro] input global priority standard [] 1000 0",
	"USE1-Nova2.0Lite-input-tokens-cross-region-global-batch;1K tokens;;AmazonBedrock;; => A "
	"us-east-1 [Nova2.0Lite] input global batch standard [] 1000 0",
	"USE1-Claude3-5Haiku-input-tokens-latency-optimized;1K tokens;;AmazonBedrockService;; => A "
	"us-east-1 [Claude3-5Haiku] input regional latency-optimized standard [] 1000 0",
	"USE1-Claude4Sonnet-output-tokens-long-context-cross-region-global;1K "
	"tokens;;AmazonBedrockService;; => A us-east-1 [Claude4Sonnet] output global standard long "
	"[] "
	"1000 0",
	/* A: names with '-' are never split; the qualifiers in any order */
	"USE1-Llama4-Maverick-17B-input-tokens-batch;1K tokens;;AmazonBedrock;; => A us-east-1 "
	"[Llama4-Maverick-17B] input regional batch standard [] 1000 0",
	"USE1-GPT-OSS-Safeguard-20B-input-tokens-priority;1K tokens;;AmazonBedrock;; => A "
	"us-east-1 "
	"[GPT-OSS-Safeguard-20B] input regional priority standard [] 1000 0",
	"USE1-Gemma-3-4B-IT-input-tokens-flex;1K tokens;;AmazonBedrock;; => A us-east-1 "
	"[Gemma-3-4B-IT] input regional flex standard [] 1000 0",
	"USE1-Llama3-2-1B-output-tokens;1K tokens;;AmazonBedrock;; => A us-east-1 [Llama3-2-1B] "
	"output "
	"regional standard standard [] 1000 0",
	"USE1-Claude4.6Sonnet-output-tokens-cross-region-global-long-context-priority;1K "
	"tokens;;AmazonBedrockService;; => A us-east-1 [Claude4.6Sonnet] output global priority "
	"long "
	"[] 1000 0",
	/* cache kinds before input, 1-hour writes before other writes */
	"USE1-Claude4.6Opus-cache-write-input-token-count;1K tokens;;AmazonBedrockService;; => A "
	"us-east-1 [Claude4.6Opus] cache_write regional standard standard [] 1000 0",
	"USE1-Claude4.6Opus-cache-write-1h-input-token-count-cross-region-global;1K "
	"tokens;;AmazonBedrockService;; => A us-east-1 [Claude4.6Opus] cache_write_1h global "
	"standard "
	"standard [] 1000 0",
	"USE1-Claude4.6Opus-cache-read-input-token-count-cross-region-global;1K "
	"tokens;;AmazonBedrockService;; => A us-east-1 [Claude4.6Opus] cache_read global standard "
	"standard [] 1000 0",
	/* accepted variants (cur.md §4) */
	"USE1-Claude4.5Haiku-cache-write-input-token-count-1-hour;1K "
	"tokens;;AmazonBedrockService;; => "
	"A us-east-1 [Claude4.5Haiku] cache_write_1h regional standard standard [] 1000 0",
	"USE1-Claude4.5Haiku-input-tokens-cross-region-geo;1K tokens;;AmazonBedrockService;; => A "
	"us-east-1 [Claude4.5Haiku] input regional standard standard [] 1000 1",
	"USE1-MP:USE1_CacheWrite5mInputTokenCount-Units;Units;AWS Marketplace software "
	"usage|us-east-1|Million Input Tokens;abc123;Claude Opus 4.6 (Amazon Bedrock Edition); => "
	"B "
	"us-east-1 [Claude Opus 4.6] cache_write regional standard standard [] 1000000 0",
	"USE1-MP:USE1_CacheWrite30mInputTokenCount_Global-Units;Units;AWS Marketplace software "
	"usage|us-east-1|Million Input Tokens;abc123;Claude Opus 4.6 (Amazon Bedrock Edition); => "
	"B "
	"us-east-1 [Claude Opus 4.6] cache_write global standard standard [] 1000000 0",
	/* region prefixes (§6), the unknown one giving way to product_region_code */
	"EU-TitanEmbeddingV2-Text-input-tokens;1K tokens;;AmazonBedrock;;eu-west-1 => A eu-west-1 "
	"[TitanEmbeddingV2-Text] input regional standard standard [] 1000 0",
	"EUW1-Claude-Haiku-output-tokens;1K tokens;;AmazonBedrockService;; => A eu-west-1 "
	"[Claude-Haiku] output regional standard standard [] 1000 0",
	"APS3-NovaPro-input-tokens;1K tokens;;AmazonBedrock;; => A ap-south-1 [NovaPro] input "
	"regional "
	"standard standard [] 1000 0",
	"APN1-zai.glm5-input-tokens;1K tokens;;AmazonBedrock;; => A ap-northeast-1 [zai.glm5] "
	"input "
	"regional standard standard [] 1000 0",
	"CAN2-NovaLite-input-tokens;1K tokens;;AmazonBedrock;; => A ca-west-1 [NovaLite] input "
	"regional standard standard [] 1000 0",
	"UGW1-Claude3Haiku-output-tokens;1K tokens;;AmazonBedrock;; => A us-gov-west-1 "
	"[Claude3Haiku] "
	"output regional standard standard [] 1000 0",
	"ZZZ9-Claude4.6Sonnet-input-tokens;1K tokens;;AmazonBedrockService;;us-east-2 => A "
	"us-east-2 "
	"[Claude4.6Sonnet] input regional standard standard [] 1000 0",
	"ZZZ9-Claude4.6Sonnet-input-tokens;1K tokens;;AmazonBedrockService;; => A - "
	"[Claude4.6Sonnet] "
	"input regional standard standard [] 1000 0",
	"Claude4.6Sonnet-input-tokens;1K tokens;;AmazonBedrockService;;us-west-2 => A us-west-2 "
	"[Claude4.6Sonnet] input regional standard standard [] 1000 0",
	/* B, Marketplace camel */
	"USW2-MP:USW2_InputTokenCount-Units;Units;AWS Marketplace software usage|us-west-2|Million "
	"Input Tokens;4a524th30q694o538qndh9ucht;Claude 3.5 Sonnet (Amazon Bedrock "
	"Edition);us-west-2 "
	"=> B us-west-2 [Claude 3.5 Sonnet] input regional standard standard [] 1000000 0",
	"USE1-MP:USE1_InputTokenCount_Global_Batch-Units;Units;AWS Marketplace software "
	"usage|us-east-1|Million Input Tokens;h1;Claude Sonnet 4.6 (Amazon Bedrock Edition); => B "
	"us-east-1 [Claude Sonnet 4.6] input global batch standard [] 1000000 0",
	"USE1-MP:USE1_InputTokenCount_LatencyOptimized-Units;Units;AWS Marketplace software "
	"usage|us-east-1|Million Input Tokens;h1;Claude Sonnet 4.6 (Amazon Bedrock Edition); => B "
	"us-east-1 [Claude Sonnet 4.6] input regional latency-optimized standard [] 1000000 0",
	"USE1-MP:USE1_CacheWrite1hInputTokenCount_Global-Units;Units;AWS Marketplace software "
	"usage|us-east-1|Million Input Tokens;h1;Claude Sonnet 4.6 (Amazon Bedrock Edition); => B "
	"us-east-1 [Claude Sonnet 4.6] cache_write_1h global standard standard [] 1000000 0",
	"USE1-MP:USE1_CacheReadInputTokenCount-Units;Units;AWS Marketplace software "
	"usage|us-east-1|Million Input Tokens;h1;Claude Sonnet 4.6 (Amazon Bedrock Edition); => B "
	"us-east-1 [Claude Sonnet 4.6] cache_read regional standard standard [] 1000000 0",
	"USE1-MP:USE1_CacheWriteInputTokenCount-Units;Units;AWS Marketplace software "
	"usage|us-east-1|Million Input Tokens;h1;Claude Sonnet 4.6 (Amazon Bedrock Edition); => B "
	"us-east-1 [Claude Sonnet 4.6] cache_write regional standard standard [] 1000000 0",
	"USE1-MP:USE1_OutputTokenCount-Units;Units;AWS Marketplace software "
	"usage|us-east-1|Million "
	"Input Tokens;h1;Claude Sonnet 4.6 (Amazon Bedrock Edition); => B us-east-1 [Claude Sonnet "
	"4.6] output regional standard standard [] 1000000 0",
	"USE1-MP:USE1_MillionBatchInputTokens-Units;Units;AWS Marketplace software "
	"usage|us-east-1|Million Input Tokens;h1;Claude Haiku 4.5 (Amazon Bedrock Edition); => B "
	"us-east-1 [Claude Haiku 4.5] input regional batch standard [] 1000000 0",
	"USW2-MP:USW2_InputTokenCount_LCtx_Global-Units;Units;AWS Marketplace software "
	"usage|us-east-1|Million Input Tokens;h1;Claude Sonnet 4.6 (Amazon Bedrock Edition); => B "
	"us-west-2 [Claude Sonnet 4.6] input global standard long [] 1000000 0",
	"USW2-MP:USW2_OutputTokenCount_Geo-Units;Units;AWS Marketplace software "
	"usage|us-east-1|Million Input Tokens;h1;Claude Sonnet 4.6 (Amazon Bedrock Edition); => B "
	"us-west-2 [Claude Sonnet 4.6] output regional standard standard [] 1000000 1",
	/* no product name: the product code is the billing name (so that --billing-names can map
	   it) */
	"USW2-MP:USW2_InputTokenCount-Units;Units;AWS Marketplace software usage|us-east-1|Million "
	"Input Tokens;4a524th30q694o538qndh9ucht;; => B us-west-2 [4a524th30q694o538qndh9ucht] "
	"input "
	"regional standard standard [] 1000000 0",
	/* C, Marketplace snake */
	"USE1-MP:USE1_cache_write_tokens_1h_standard-Units;Units;;h2;Claude Opus 4.6 (Amazon "
	"Bedrock "
	"Edition); => C us-east-1 [Claude Opus 4.6] cache_write_1h regional standard standard [] "
	"1000000 0",
	"USE1-MP:USE1_cache_write_tokens_30m_global_flex-Units;Units;;h2;Claude Opus 4.6 (Amazon "
	"Bedrock Edition); => C us-east-1 [Claude Opus 4.6] cache_write global flex standard [] "
	"1000000 0",
	"USE1-MP:USE1_cache_read_tokens_priority-Units;Units;;h2;Claude Opus 4.6 (Amazon Bedrock "
	"Edition); => C us-east-1 [Claude Opus 4.6] cache_read regional priority standard [] "
	"1000000 0",
	"USE1-MP:USE1_input_tokens_global_standard-Units;Units;;h2;Claude Opus 4.6 (Amazon Bedrock "
	"Edition); => C us-east-1 [Claude Opus 4.6] input global standard standard [] 1000000 0",
	"USE1-MP:USE1_input_tokens_long_ctx_global_standard-Units;Units;;h2;Claude Opus 4.6 "
	"(Amazon "
	"Bedrock Edition); => C us-east-1 [Claude Opus 4.6] input global standard long [] 1000000 "
	"0",
	"USE1-MP:USE1_output_tokens_batch-Units;Units;;h2;Claude Opus 4.6 (Amazon Bedrock "
	"Edition); => "
	"C us-east-1 [Claude Opus 4.6] output regional batch standard [] 1000000 0",
	/* D, mantle: never in the logs */
	"USE1-openai.gpt-oss-120b-mantle-input-tokens-standard;1K tokens;;AmazonBedrock;; => D "
	"us-east-1 [openai.gpt-oss-120b] other regional standard standard [mantle] 0 0",
	"USW2-anthropic.claude-opus-4-8-mantle-cache-write-tokens-global-standard;1K "
	"tokens;;AmazonBedrock;; => D us-west-2 [anthropic.claude-opus-4-8] other global standard "
	"standard [mantle] 0 0",
	"USE1-openai.gpt-5.6-luna-mantle-cache-write-tokens-5m-long-ctx-flex;1K "
	"tokens;;AmazonBedrock;; => D us-east-1 [openai.gpt-5.6-luna] other regional flex long "
	"[mantle] 0 0",
	/* §8 categories, in the order of bedrock-ledger-formats(5) */
	"USE1-Qwen3-32B-ProvisionedThroughput-NoCommit-ModelUnits;Hrs;;AmazonBedrock;; => A "
	"us-east-1 "
	"[] other regional standard standard [provisioned-throughput] 0 0",
	"USE1-anthropic.claude-opus-5-5-reserved-1-month-input-tokens-per-minute;1K TPM "
	"Hour;;AmazonBedrockService;; => A us-east-1 [anthropic.claude-opus-5-5-reserved-1-month] "
	"other regional standard standard [reserved-tier] 0 0",
	"USE1-NovaPro-input-tokens-capacity;1K TPM Hour;;AmazonBedrock;; => A us-east-1 [NovaPro] "
	"other regional standard standard [reserved-tier] 0 0",
	"USE1-Guardrail-AutomatedReasoningPolicyUnitsConsumed;Units;;AmazonBedrock;; => A "
	"us-east-1 [] "
	"other regional standard standard [guardrails] 0 0",
	"USE1-NovaCanvas-T2I-1024-Standard;Images;;AmazonBedrock;; => A us-east-1 [] other "
	"regional "
	"standard standard [images-video] 0 0",
	"USE1-TitanImageGeneratorV2-created_image;Images;;AmazonBedrock;; => A us-east-1 [] other "
	"regional standard standard [images-video] 0 0",
	"USE1-NovaReel-T2V-720p-seconds;Seconds;;AmazonBedrock;; => A us-east-1 [] other regional "
	"standard standard [images-video] 0 0",
	"USE1-Nova2.0Lite-input-image-token-count;1K tokens;;AmazonBedrock;; => A us-east-1 "
	"[Nova2.0Lite] other regional standard standard [image-input-tokens] 0 0",
	"USE1-NovaSonic-speech-input-tokens;1K tokens;;AmazonBedrock;; => A us-east-1 [NovaSonic] "
	"other regional standard standard [speech] 0 0",
	"USE1-Nova2.0Omni-speech-input-tokens;1K tokens;;AmazonBedrock;; => A us-east-1 "
	"[Nova2.0Omni] "
	"other regional standard standard [speech] 0 0",
	"USE1-BedrockFlows-InvokeFlow-Nodes;Units;;AmazonBedrock;; => A us-east-1 [] other "
	"regional "
	"standard standard [kb-flows-tools] 0 0",
	"BedrockKnowledgeBase-searchunits;Units;;AmazonBedrock;;us-west-2 => A us-west-2 [] other "
	"regional standard standard [kb-flows-tools] 0 0",
	"USE1-cohere.rerank-english-v3-search-units;Units;;AmazonBedrock;; => A us-east-1 [] other "
	"regional standard standard [rerank] 0 0",
	"USE1-MP:USE1_SearchUnits-Units;Units;;h3;Cohere Rerank v3.5 (Amazon Bedrock Edition); => "
	"B "
	"us-east-1 [Cohere Rerank v3.5] other regional standard standard [rerank] 0 0",
	"USE1-Consumption-vCPU-Hours;vCPU-Hours;;AmazonBedrockAgentCore;; => A us-east-1 [] other "
	"regional standard standard [agentcore] 0 0",
	"USE1-CodeInterpreter-Memory-GB-Hours;GB-Hours;;AmazonBedrock;; => A us-east-1 [] other "
	"regional standard standard [agentcore] 0 0",
	"USE1-Nova2.0Lite-customization-training-tokens;1K tokens;;AmazonBedrock;; => A us-east-1 "
	"[] "
	"other regional standard standard [customization-storage] 0 0",
	"USE1-CustomModelImport-Storage;GB-Mo;;AmazonBedrock;; => A us-east-1 [] other regional "
	"standard standard [customization-storage] 0 0",
	"USE1-Qwen3-32B-input-tokens-custom-model;1K tokens;;AmazonBedrock;; => A us-east-1 "
	"[Qwen3-32B] other regional standard standard [custom-model] 0 0",
	"USE1-Claude4.6Sonnet-something-else;1K tokens;;AmazonBedrockService;; => A us-east-1 [] "
	"other "
	"regional standard standard [unclassified] 0 0",
	"USE1-input-tokens;1K tokens;;AmazonBedrockService;; => A us-east-1 [] other regional "
	"standard "
	"standard [unclassified] 0 0",
	";1K tokens;;AmazonBedrockService;;us-east-1 => A us-east-1 [] other regional standard "
	"standard [unclassified] 0 0",
	/* embeddings are input tokens */
	"USE1-TitanEmbeddingV2-Text-input-tokens;1K tokens;;AmazonBedrock;; => A us-east-1 "
	"[TitanEmbeddingV2-Text] input regional standard standard [] 1000 0",
	/* units (§5): never assumed */
	"USE1-NovaPro-input-tokens;1M tokens;;AmazonBedrockFoundationModels;; => A us-east-1 "
	"[NovaPro] "
	"input regional standard standard [] 1000000 0",
	"USE1-NovaPro-input-tokens; 1k Tokens ;;AmazonBedrock;; => A us-east-1 [NovaPro] input "
	"regional standard standard [] 1000 0",
	"USE1-NovaPro-input-tokens;;$0.0008 per 1K input tokens;AmazonBedrock;; => A us-east-1 "
	"[NovaPro] input regional standard standard [] 1000 0",
	"USE1-NovaPro-input-tokens;;per million tokens;AmazonBedrock;; => A us-east-1 [NovaPro] "
	"input "
	"regional standard standard [] 1000000 0",
	"USE1-NovaPro-input-tokens;;;AmazonBedrock;; => A us-east-1 [NovaPro] other regional "
	"standard "
	"standard [unclassified] 0 0",
	"USE1-NovaPro-input-tokens;Hrs;;AmazonBedrock;; => A us-east-1 [NovaPro] other regional "
	"standard standard [unclassified] 0 0",
	"USE1-MP:USE1_input_tokens_standard-Units;Units;software usage|us-east-1|Thousand Input "
	"Tokens;h2;X (Amazon Bedrock Edition); => C us-east-1 [X] input regional standard standard "
	"[] "
	"1000 0",
	"USE1-MP:USE1_input_tokens_standard-Units;Tokens;;h2;X (Amazon Bedrock Edition); => C "
	"us-east-1 [X] input regional standard standard [] 1 0",
};

static const char *const family_names[] = { "A", "B", "C", "D" };

/* Splits "a;b;c..." into n slices (the last runs to the end). */
static void split(struct str s, char sep, struct str *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = i + 1 < n ? memchr(s.p, sep, s.n) : NULL;
		size_t len = e ? (size_t)(e - s.p) : s.n;
		out[i] = (struct str){ s.p, len };
		if (e) {
			s.p += len + 1;
			s.n -= len + 1;
		}
	}
}

static void check(const char *line, size_t i)
{
	const char *arrow = strstr(line, " => ");
	struct str in[6];
	split((struct str){ line, (size_t)(arrow - line) }, ';', in, 6);
	struct usagetype_in u = { .usage_type = in[0],
				  .unit = in[1],
				  .description = in[2],
				  .product_code = in[3],
				  .product_name = in[4],
				  .region_code = in[5] };
	struct usagetype_class k;
	usagetype_classify(&u, &k);
	char got[512];
	snprintf(got, sizeof got, "%s %.*s [%.*s] %s %s %s %s [%s] %llu %d", family_names[k.family],
		 (int)(k.region.n ? k.region.n : 1), k.region.n ? k.region.p : "-",
		 (int)k.billing_name.n, k.billing_name.p, usage_kind_name(k.kind),
		 usage_routing_name(k.routing), usage_tier_name(k.tier),
		 usage_context_name(k.context), usage_category_name(k.category),
		 (unsigned long long)k.unit_tokens, (int)k.geo);
	is_str(got, arrow + 4, "%zu: %.*s (%.*s)", i, (int)in[0].n, in[0].p, (int)in[1].n, in[1].p);
	ok((k.kind == USAGE_KIND_OTHER) == (k.category != USAGE_CATEGORY_NONE),
	   "%zu: a category exactly for kind other", i);
}

/* The model of kind other is the usage type without its prefix. */
static void test_rest(void)
{
	struct usagetype_in in = { .usage_type = STR_LIT("USE1-Guardrail-ContentPolicyUnits") };
	struct usagetype_class k;
	usagetype_classify(&in, &k);
	ok(str_eq(k.rest, STR_LIT("Guardrail-ContentPolicyUnits")), "rest drops the prefix");
	ok(str_eq(k.prefix, STR_LIT("USE1")) && k.prefix_known, "the prefix is kept");
	in.usage_type = STR_LIT("ZZZ9-Guardrail-ContentPolicyUnits");
	usagetype_classify(&in, &k);
	ok(str_eq(k.rest, STR_LIT("Guardrail-ContentPolicyUnits")) && !k.prefix_known,
	   "an unknown prefix is dropped too");
	in.usage_type = STR_LIT("GPT-OSS-Safeguard-20B-input-tokens");
	in.unit = STR_LIT("1K tokens");
	in.region_code = STR_LIT("us-east-1");
	usagetype_classify(&in, &k);
	ok(k.prefix.n == 0 && str_eq(k.billing_name, STR_LIT("GPT-OSS-Safeguard-20B")) &&
	       str_eq(k.region, STR_LIT("us-east-1")),
	   "GPT is a name, not a prefix (no digit)");
}

static void test_names(void)
{
	is_str(usage_kind_name(USAGE_KIND_CACHE_WRITE_1H), "cache_write_1h", "kind name");
	is_str(usage_tier_name(USAGE_TIER_LATENCY_OPTIMIZED), "latency-optimized", "tier name");
	is_str(usage_category_note(USAGE_CATEGORY_MANTLE), "not-in-logs: mantle", "mantle note");
	is_str(usage_category_note(USAGE_CATEGORY_KB_FLOWS_TOOLS), "not-tokens: kb-flows-tools",
	       "category note");
	ok(usage_category_note(USAGE_CATEGORY_NONE) == NULL, "no note for a token kind");
	is_str(usagetype_region(STR_LIT("APS9")), "ap-southeast-7", "APS9");
	ok(usagetype_region(STR_LIT("CAW1")) == NULL, "CAW1 is not a REGDOC prefix");
}

/* Long and hostile usage types: classified, never read past their end. */
static void test_edges(void)
{
	char big[600];
	memset(big, 'a', sizeof big);
	memcpy(big, "USE1-X-input-tokens-", 20);
	struct usagetype_in in = { .usage_type = { big, sizeof big },
				   .unit = STR_LIT("1K tokens") };
	struct usagetype_class k;
	usagetype_classify(&in, &k);
	is_str(usage_category_name(k.category), "unclassified", "over 256 bytes: unclassified");
	static const char *const odd[] = { "-",	       "USE1-",	   "USE1-MP:",	  "USE1-MP:USE1_",
					   "MP:",      "-mantle-", "USE1--input", "USE1-MP:_-Units",
					   "USE1-text" };
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		in.usage_type = str_from(odd[i]);
		usagetype_classify(&in, &k);
		ok(k.kind == USAGE_KIND_OTHER, "odd usage type '%s' is other", odd[i]);
	}
}

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(cases[i], i);
	test_rest();
	test_names();
	test_edges();
	return tap_done();
}
