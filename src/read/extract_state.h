/*
 * extract_state.h - the state of one extraction, shared by extract.c (the
 * key-path state machine over yajl's SAX events), extract_fields.c (the
 * values it keeps, and what they make of a record) and skim.c (the bytes
 * yajl is given). Private to src/read/.
 */
#ifndef LEDGER_EXTRACT_STATE_H
#define LEDGER_EXTRACT_STATE_H

#include "ledger/read/extract.h"
#include "ledger/read/keypaths.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_parse.h>

/* bedrock-ledger-formats(5), WHAT IS READ: token counts are JSON integers in 0..2^53-1. */
#define COUNT_MAX ((UINT64_C(1) << 53) - 1)
/* A field buffer grown beyond this by one odd value is given back after it. */
#define BIG_FIELD ((size_t)1 << 16)
/* A tier read from a body is kept only if it is a short lower-case word. */
#define TIER_MAX 32
/* Tracked containers: the deepest path is output.outputBodyJson[i].message.usage.cache_creation. */
#define STACK_MAX 8

enum kind { K_NULL, K_OTHER, K_NUMBER, K_STRING };
enum have { HAVE_NONE, HAVE_VALUE, HAVE_BAD };

struct sbuf {
	char *p;
	size_t n, cap;
};

/* A 1-hour cache-write count from one of the three paths. */
struct count {
	enum have have;
	uint64_t v;
};

/* skim.c: where the text fed so far stands, strings-wise */
enum skim_mode {
	SKIM_OUT,  /* outside strings */
	SKIM_IN,   /* in a string yajl reads */
	SKIM_DROP, /* in a string yajl is not given */
};

/* Bit i of a 64-byte block's masks: its byte i is a quote, a backslash, below 0x20 */
struct skim_masks {
	uint64_t quote, backslash, ctl;
	uint64_t quotes_xor; /* bit i: the parity of the quotes up to byte i */
};
typedef void skim_masks_fn(const char *p, size_t blocks, struct skim_masks *m);
/* Masks are made for this many blocks at a time. */
#define SKIM_BATCH 16
/* skim_masks.c: the widest way this processor has, or the plain one the tests ask for. */
skim_masks_fn *skim_pick_masks(enum extract_skim how);

/* Bit i: the parity of bits 0..i of x. */
static inline uint64_t skim_prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

struct skim {
	skim_masks_fn *masks; /* skim_pick_masks's choice for `how` */
	enum skim_mode mode;
	bool backslash;	   /* the next byte, in the next block or feed, is escaped */
	unsigned hex;	   /* ... or this many hex digits of a \u */
	unsigned char sig; /* the last byte outside strings that is not white space */
	size_t len;	   /* SKIM_DROP: the string's bytes so far, its opening quote included */
	enum extract_skim how; /* extract_set_skim */
};

struct extract {
	/* yajl keeps a pointer to cb: it is switched in place */
	yajl_handle yajl;
	yajl_callbacks cb;
	yajl_alloc_funcs alloc;
	bool failed;	/* yajl stopped: error or cancelled */
	bool too_large; /* ... or we stopped it: see RECORD_MAX_TOKEN */
	struct skim skim;
	extract_value_fn on_value;
	void *value_ctx;

	/* the key path */
	size_t depth;	   /* containers open */
	size_t skip_depth; /* depth outside the subtree being skipped */
	bool skipping;
	enum scope stack[STACK_MAX]; /* stack[d]: the scope of the container at depth d+1 */
	size_t nstack;
	const struct key_entry *key; /* the entry whose value comes next, or NULL */
	size_t meta_idx;

	/* the value's fields so far */
	unsigned values; /* top-level values begun */
	bool object;	 /* the first of them is an object */
	enum have ts_have;
	struct ts ts;
	bool model_is_string;
	bool error;
	enum have tok_have[TOKEN_LOGGED];
	uint64_t tok[TOKEN_LOGGED];
	struct sbuf strs[STR_FIELDS];
	bool latency_optimized;
	struct sbuf out_tier, in_tier;
	struct count cc_1h;	 /* path 1 */
	struct count stream_1h;	 /* path 2: the first message_start chunk's */
	bool stream_done;	 /* that chunk has been seen */
	struct count details_1h; /* path 3 */
	/* the chunk or cacheDetails element being read */
	bool el_start, el_1h_ttl;
	struct count el_count;

	/* requestMetadata values asked for */
	const char *const *meta_keys;
	size_t nmeta;
	struct sbuf *meta_bufs;
	struct str *meta_strs;

	/* a CloudWatch events page */
	bool want_events;
	bool events_seen, events_bad;
	bool event_has_message;
	struct sbuf messages; /* the messages, back to back */
	size_t *message_end;  /* offsets of their ends */
	size_t nmessages, cap_messages;
};

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
bool extract_utf8_valid(const unsigned char *s, size_t n);
/* A scalar for the key x->key names (or an events element): kept or dropped. */
void extract_take(struct extract *x, enum kind kind, const char *s, size_t n);
/* One CloudWatch event's message, appended. */
void extract_add_message(struct extract *x, const char *s, size_t n);
void extract_sbuf_clear(struct sbuf *b);

/* skim.c: the feed, without the long strings no callback takes. Returns false once failed. */
bool skim_feed(struct extract *x, const char *s, size_t n);
/* A new yajl handle: outside any string. */
void skim_reset(struct skim *k);

#endif
