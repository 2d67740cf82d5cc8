/*
 * keypaths.c - the tables of keypaths.h.
 */
#include "ledger/read/keypaths.h"

#include <pthread.h>
#include <string.h>

/* one initializer a line reads as the table it is */
/* clang-format off */
#define LEAF(s, f) { s, sizeof(s) - 1, f, S_COUNT, S_COUNT }
#define OBJ(s, sc) { s, sizeof(s) - 1, F_NONE, sc, S_COUNT }
#define ARR(s, sc) { s, sizeof(s) - 1, F_NONE, S_COUNT, sc }
#define BOTH(s, o, a) { s, sizeof(s) - 1, F_NONE, o, a }
#define END { NULL, 0, F_NONE, S_COUNT, S_COUNT }
/* clang-format on */

static const struct key_entry top_keys[] = {
	LEAF("timestamp", F_TIMESTAMP),
	LEAF("modelId", F_MODEL),
	OBJ("input", S_INPUT),
	OBJ("output", S_OUTPUT),
	OBJ("identity", S_IDENTITY),
	LEAF("accountId", F_ACCOUNT),
	LEAF("region", F_REGION),
	LEAF("requestId", F_REQUEST),
	LEAF("operation", F_OPERATION),
	LEAF("inferenceRegion", F_INFERENCE_REGION),
	LEAF("errorCode", F_ERROR),
	OBJ("requestMetadata", S_META),
	OBJ("performanceConfig", S_PERF),
	ARR("events", S_EVENTS),
	END,
};
static const struct key_entry identity_keys[] = { LEAF("arn", F_CALLER), END };
static const struct key_entry input_keys[] = {
	LEAF("inputTokenCount", F_TOK_INPUT),
	LEAF("cacheReadInputTokenCount", F_TOK_CACHE_READ),
	LEAF("cacheWriteInputTokenCount", F_TOK_CACHE_WRITE),
	OBJ("inputBodyJson", S_IN_BODY),
	END,
};
static const struct key_entry output_keys[] = {
	LEAF("outputTokenCount", F_TOK_OUTPUT),
	BOTH("outputBodyJson", S_OUT_BODY, S_STREAM),
	END,
};
static const struct key_entry perf_keys[] = { LEAF("latency", F_LATENCY), END };
static const struct key_entry in_body_keys[] = {
	OBJ("performanceConfig", S_PERF),
	OBJ("serviceTier", S_IN_TIER),
	END,
};
static const struct key_entry in_tier_keys[] = { LEAF("type", F_IN_TIER), END };
static const struct key_entry out_body_keys[] = {
	OBJ("serviceTier", S_OUT_TIER),
	OBJ("usage", S_USAGE),
	END,
};
static const struct key_entry out_tier_keys[] = { LEAF("type", F_OUT_TIER), END };
static const struct key_entry usage_keys[] = {
	OBJ("cache_creation", S_CC),
	ARR("cacheDetails", S_DETAILS),
	END,
};
static const struct key_entry cc_keys[] = { LEAF("ephemeral_1h_input_tokens", F_CC_1H), END };
static const struct key_entry detail_keys[] = {
	LEAF("ttl", F_DETAIL_TTL),
	LEAF("inputTokens", F_DETAIL_TOKENS),
	END,
};
static const struct key_entry chunk_keys[] = {
	LEAF("type", F_STREAM_TYPE),
	OBJ("message", S_CHUNK_MSG),
	END,
};
static const struct key_entry chunk_msg_keys[] = { OBJ("usage", S_CHUNK_USAGE), END };
static const struct key_entry chunk_usage_keys[] = { OBJ("cache_creation", S_CHUNK_CC), END };
static const struct key_entry chunk_cc_keys[] = {
	LEAF("ephemeral_1h_input_tokens", F_STREAM_1H),
	END,
};
static const struct key_entry event_keys[] = { LEAF("message", F_MESSAGE), END };
static const struct key_entry no_keys[] = { END };

const struct scope_info keypaths_scopes[S_COUNT] = {
	[S_TOP] = { top_keys, false, S_COUNT },
	[S_IDENTITY] = { identity_keys, false, S_COUNT },
	[S_INPUT] = { input_keys, false, S_COUNT },
	[S_OUTPUT] = { output_keys, false, S_COUNT },
	[S_META] = { no_keys, false, S_COUNT }, /* keys: the ones asked for */
	[S_PERF] = { perf_keys, true, S_COUNT },
	[S_IN_BODY] = { in_body_keys, true, S_COUNT },
	[S_IN_TIER] = { in_tier_keys, true, S_COUNT },
	[S_OUT_BODY] = { out_body_keys, true, S_COUNT },
	[S_OUT_TIER] = { out_tier_keys, true, S_COUNT },
	[S_USAGE] = { usage_keys, true, S_COUNT },
	[S_CC] = { cc_keys, true, S_COUNT },
	[S_DETAILS] = { no_keys, true, S_DETAIL },
	[S_DETAIL] = { detail_keys, true, S_COUNT },
	[S_STREAM] = { no_keys, true, S_CHUNK },
	[S_CHUNK] = { chunk_keys, true, S_COUNT },
	[S_CHUNK_MSG] = { chunk_msg_keys, true, S_COUNT },
	[S_CHUNK_USAGE] = { chunk_usage_keys, true, S_COUNT },
	[S_CHUNK_CC] = { chunk_cc_keys, true, S_COUNT },
	/* dense: a non-object element must be seen, to tell a page from a record */
	[S_EVENTS] = { no_keys, false, S_EVENT },
	[S_EVENT] = { event_keys, true, S_COUNT },
};

const struct key_entry keypaths_meta_value = LEAF("", F_META_VALUE);

/*
 * A key's slot in its scope's index: from its first and last bytes and its
 * length, which tell a scope's keys apart (keypaths_indexed says whether
 * they still do: a scope where two collide is scanned instead).
 */
#define SLOTS 32
static unsigned slot_of(const unsigned char *s, size_t n)
{
	return (s[0] * 2u + s[n - 1] * 3u + (unsigned)n) & (SLOTS - 1);
}

static unsigned char slots[S_COUNT][SLOTS]; /* 1 + the key's index in its table, or 0 */
static bool scanned[S_COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
	for (int sc = 0; sc < S_COUNT; sc++) {
		const struct key_entry *keys = keypaths_scopes[sc].keys;
		for (unsigned i = 0; keys[i].name; i++) {
			unsigned h = slot_of((const unsigned char *)keys[i].name, keys[i].len);
			if (slots[sc][h] || i >= 255)
				scanned[sc] = true;
			else
				slots[sc][h] = (unsigned char)(i + 1);
		}
	}
}

void keypaths_init(void)
{
	pthread_once(&once, build);
}

bool keypaths_indexed(void)
{
	keypaths_init();
	for (int sc = 0; sc < S_COUNT; sc++)
		if (scanned[sc])
			return false;
	return true;
}

const struct key_entry *keypaths_find(enum scope sc, const unsigned char *s, size_t n)
{
	if (scanned[sc]) {
		for (const struct key_entry *k = keypaths_scopes[sc].keys; k->name; k++)
			if (k->len == n && memcmp(k->name, s, n) == 0)
				return k;
		return NULL;
	}
	if (!n)
		return NULL;
	unsigned i = slots[sc][slot_of(s, n)];
	if (!i)
		return NULL;
	const struct key_entry *k = &keypaths_scopes[sc].keys[i - 1];
	return k->len == n && memcmp(k->name, s, n) == 0 ? k : NULL;
}
