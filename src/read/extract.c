/*
 * extract.c - the key-path state machine over yajl's SAX events.
 *
 * Scopes are the objects and arrays on the paths we keep (keypaths.h holds
 * them as data). Each tracked container is one entry of a small stack; a
 * value under a key that no scope names is a skipped subtree. A scope is either dense (the record's
 * own small objects: every value callback is on) or sparse (the levels of a
 * body on a SPEC §5.2 path: only keys are looked at, and a value callback
 * is switched on just for the value of a wanted key), so that the strings
 * and numbers of a body are never decoded.
 */
#include "ledger/read/extract.h"
#include "ledger/read/keypaths.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "ledger/support/xalloc.h"

/* SPEC §2: token counts are JSON integers in 0..2^53-1. */
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

struct extract {
	/* yajl keeps a pointer to cb: it is switched in place */
	yajl_handle yajl;
	yajl_callbacks cb;
	yajl_alloc_funcs alloc;
	bool failed;	/* yajl stopped: error or cancelled */
	bool too_large; /* ... or we stopped it: see RECORD_MAX_TOKEN */
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

/* --- values ---------------------------------------------------------- */

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			return false;
		}
		if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t k = 2; k < len; k++) {
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return false;
		}
		i += len;
	}
	return true;
}

/* A JSON number's text -> a count in 0..2^53-1; "-0" is 0. */
static bool parse_count(const char *s, size_t n, uint64_t *out)
{
	size_t i = 0;
	bool neg = n > 0 && s[0] == '-';
	if (neg)
		i = 1;
	/* 2^53-1 has 16 digits, and JSON allows no leading zeros */
	if (i == n || n - i > 16)
		return false;
	uint64_t v = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false; /* a fraction or an exponent */
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > COUNT_MAX || (neg && v != 0))
		return false;
	*out = v;
	return true;
}

static void sbuf_set(struct sbuf *b, const void *s, size_t n)
{
	if (n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		if (cap < n)
			cap = n;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->p, s, n);
	b->n = n;
}

static void sbuf_clear(struct sbuf *b)
{
	b->n = 0;
	if (b->cap > BIG_FIELD) {
		free(b->p);
		b->p = NULL;
		b->cap = 0;
	}
}

static struct str sbuf_str(const struct sbuf *b)
{
	return (struct str){ b->n ? b->p : "", b->n };
}

static bool is_lower_word(const char *s, size_t n)
{
	if (n == 0 || n > TIER_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

static void take_count(struct count *c, enum kind kind, const char *s, size_t n)
{
	if (kind == K_NUMBER && parse_count(s, n, &c->v))
		c->have = HAVE_VALUE;
	else
		c->have = HAVE_BAD;
}

static void add_message(struct extract *x, const char *s, size_t n)
{
	struct sbuf *b = &x->messages;
	size_t at = b->n;
	if (at + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < at + n)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + at, s, n);
	b->n = at + n;
	if (x->nmessages == x->cap_messages) {
		x->cap_messages = x->cap_messages ? 2 * x->cap_messages : 64;
		x->message_end = xrealloc(x->message_end, x->cap_messages * sizeof *x->message_end);
	}
	x->message_end[x->nmessages++] = b->n;
}

/* The value of x->key has come: keep what SPEC §2 and §5.2 keep of it. */
static void take(struct extract *x, enum kind kind, const char *s, size_t n)
{
	const struct key_entry *k = x->key;
	x->key = NULL;
	if (!k) {
		/* an element of the events array that is not an object */
		if (x->nstack && x->stack[x->nstack - 1] == S_EVENTS)
			x->events_bad = true;
		return;
	}
	enum field f = k->field;
	switch (f) {
	case F_NONE:
		/* a container key whose value is not a container: its fields stay cleared */
		return;
	case F_TIMESTAMP:
		if (kind == K_NULL)
			x->ts_have = HAVE_NONE;
		else if (kind == K_STRING && ts_parse(s, n, &x->ts) == 0)
			x->ts_have = HAVE_VALUE;
		else
			x->ts_have = HAVE_BAD;
		return;
	case F_ERROR:
		x->error = kind == K_STRING && n > 0;
		return;
	case F_TOK_INPUT:
	case F_TOK_OUTPUT:
	case F_TOK_CACHE_READ:
	case F_TOK_CACHE_WRITE: {
		int t = (int)f - F_TOK_INPUT;
		if (kind == K_NULL)
			x->tok_have[t] = HAVE_NONE;
		else if (kind == K_NUMBER && parse_count(s, n, &x->tok[t]))
			x->tok_have[t] = HAVE_VALUE;
		else
			x->tok_have[t] = HAVE_BAD;
		return;
	}
	case F_LATENCY:
		if (kind == K_STRING && n == 9 && memcmp(s, "optimized", 9) == 0)
			x->latency_optimized = true;
		return;
	case F_OUT_TIER:
	case F_IN_TIER: {
		struct sbuf *b = f == F_OUT_TIER ? &x->out_tier : &x->in_tier;
		if (kind == K_STRING && is_lower_word(s, n))
			sbuf_set(b, s, n);
		else
			b->n = 0;
		return;
	}
	case F_CC_1H:
		take_count(&x->cc_1h, kind, s, n);
		return;
	case F_STREAM_TYPE:
		x->el_start = kind == K_STRING && n == 13 && memcmp(s, "message_start", 13) == 0;
		return;
	case F_STREAM_1H:
	case F_DETAIL_TOKENS:
		take_count(&x->el_count, kind, s, n);
		return;
	case F_DETAIL_TTL:
		x->el_1h_ttl = kind == K_STRING && n == 2 && memcmp(s, "1h", 2) == 0;
		return;
	case F_META_VALUE:
		if (kind == K_STRING)
			sbuf_set(&x->meta_bufs[x->meta_idx], s, n);
		else
			x->meta_bufs[x->meta_idx].n = 0;
		return;
	case F_MESSAGE:
		if (kind == K_STRING && !x->event_has_message) {
			x->event_has_message = true;
			add_message(x, s, n);
		}
		return;
	default: {
		struct sbuf *b = &x->strs[f - F_ACCOUNT];
		if (kind == K_STRING || (kind == K_NUMBER && f == F_ACCOUNT))
			sbuf_set(b, s, n);
		else
			b->n = 0;
		if (f == F_MODEL)
			x->model_is_string = kind == K_STRING;
		return;
	}
	}
}

/* --- callbacks -------------------------------------------------------- */

static int on_null(void *ctx);
static int on_boolean(void *ctx, int b);
static int on_number(void *ctx, const char *s, size_t n);
static int on_string(void *ctx, const unsigned char *s, size_t n);
static int on_map_key(void *ctx, const unsigned char *s, size_t n);

/* yajl only decodes a string or a number when there is a callback to hand it to */
static void value_callbacks(struct extract *x, bool on)
{
	x->cb.yajl_null = on ? on_null : NULL;
	x->cb.yajl_boolean = on ? on_boolean : NULL;
	x->cb.yajl_number = on ? on_number : NULL;
	x->cb.yajl_string = on ? on_string : NULL;
}

/* The callbacks for the scope on top of the stack (or the top level). */
static void scope_callbacks(struct extract *x)
{
	bool sparse = x->nstack && keypaths_scopes[x->stack[x->nstack - 1]].sparse;
	value_callbacks(x, !sparse);
	x->cb.yajl_map_key = on_map_key;
}

static void begin_skip(struct extract *x)
{
	x->skipping = true;
	x->skip_depth = x->depth++;
	value_callbacks(x, false);
	x->cb.yajl_map_key = NULL;
}

static void end_skip(struct extract *x)
{
	x->skipping = false;
	scope_callbacks(x);
}

static void value_done(struct extract *x)
{
	if (x->on_value) {
		x->on_value(x->value_ctx);
		extract_clear(x);
	}
}

/* A value at the top level: in line mode a second one on the line cancels the parse. */
static int top_value(struct extract *x)
{
	if (x->on_value) {
		x->values++;
		return 1;
	}
	return x->values++ == 0;
}

/* A scalar (after its key, or as an array element). */
static int scalar(struct extract *x, enum kind kind, const char *s, size_t n)
{
	if (x->depth == 0) {
		int r = top_value(x);
		if (r)
			value_done(x);
		return r;
	}
	take(x, kind, s, n);
	scope_callbacks(x);
	return 1;
}

static int on_null(void *ctx)
{
	return scalar(ctx, K_NULL, NULL, 0);
}

static int on_boolean(void *ctx, int b)
{
	(void)b;
	return scalar(ctx, K_OTHER, NULL, 0);
}

static int on_number(void *ctx, const char *s, size_t n)
{
	return scalar(ctx, K_NUMBER, s, n);
}

static int on_string(void *ctx, const unsigned char *s, size_t n)
{
	struct extract *x = ctx;
	/* yajl does not check UTF-8 (bodies): check what we keep */
	const struct key_entry *k = x->depth ? x->key : NULL; /* a top-level value is never kept */
	bool kept =
	    k && ((k->field >= F_ACCOUNT && k->field <= F_ERROR) || k->field == F_META_VALUE);
	if (kept && !utf8_valid(s, n))
		return 0;
	return scalar(x, K_STRING, (const char *)s, n);
}

/* A repeated key wins over the earlier one: what its scope held is cleared. */
static void clear_scope_fields(struct extract *x, enum scope s)
{
	switch (s) {
	case S_IDENTITY:
		x->strs[F_CALLER - F_ACCOUNT].n = 0;
		break;
	case S_INPUT:
		x->tok_have[TOKEN_INPUT] = HAVE_NONE;
		x->tok_have[TOKEN_CACHE_READ] = HAVE_NONE;
		x->tok_have[TOKEN_CACHE_WRITE] = HAVE_NONE;
		x->in_tier.n = 0;
		break;
	case S_OUTPUT:
		x->tok_have[TOKEN_OUTPUT] = HAVE_NONE;
		/* fall through */
	case S_OUT_BODY:
	case S_STREAM:
		x->out_tier.n = 0;
		x->cc_1h.have = x->stream_1h.have = x->details_1h.have = HAVE_NONE;
		x->stream_done = false;
		break;
	case S_META:
		for (size_t i = 0; i < x->nmeta; i++)
			x->meta_bufs[i].n = 0;
		break;
	default:
		break;
	}
}

static int on_map_key(void *ctx, const unsigned char *s, size_t n)
{
	struct extract *x = ctx;
	enum scope sc = x->nstack ? x->stack[x->nstack - 1] : S_TOP;
	x->key = NULL;
	if (sc == S_META) {
		for (size_t i = 0; i < x->nmeta; i++) {
			if (strlen(x->meta_keys[i]) == n && memcmp(x->meta_keys[i], s, n) == 0) {
				x->key = &keypaths_meta_value;
				x->meta_idx = i;
			}
		}
	} else {
		x->key = keypaths_find(sc, s, n);
	}
	const struct key_entry *k = x->key;
	if (!k)
		return 1;
	if (k->object == S_META && !x->nmeta)
		x->key = NULL; /* nothing asked for: skipped like a body */
	else if (k->array == S_EVENTS && !x->want_events)
		x->key = NULL;
	else if (k->object != S_COUNT)
		clear_scope_fields(x, k->object);
	else if (k->array != S_COUNT)
		clear_scope_fields(x, k->array);
	/* in a sparse scope, the value of a wanted leaf is the one value read */
	if (x->key && k->field != F_NONE && keypaths_scopes[sc].sparse)
		value_callbacks(x, true);
	return 1;
}

/* Inside a skipped subtree: one level deeper, within RECORD_MAX_DEPTH. */
static int deeper(struct extract *x)
{
	if (++x->depth <= RECORD_MAX_DEPTH)
		return 1;
	x->too_large = true;
	return 0;
}

static void push(struct extract *x, enum scope s)
{
	assert(x->nstack < STACK_MAX);
	x->stack[x->nstack++] = s;
	x->depth++;
	x->key = NULL;
	if (s == S_CHUNK || s == S_DETAIL) {
		x->el_start = x->el_1h_ttl = false;
		x->el_count.have = HAVE_NONE;
	} else if (s == S_EVENT) {
		x->event_has_message = false;
	} else if (s == S_DETAILS) {
		x->details_1h = (struct count){ HAVE_VALUE, 0 };
	} else if (s == S_EVENTS) {
		x->events_seen = true;
		x->events_bad = false;
		x->messages.n = 0;
		x->nmessages = 0;
	}
	scope_callbacks(x);
}

/* The element just ended adds to its path's count. */
static void end_element(struct extract *x, enum scope s)
{
	if (s == S_CHUNK) {
		if (!x->stream_done && x->el_start) {
			x->stream_done = true;
			x->stream_1h = x->el_count;
		}
	} else if (s == S_DETAIL) {
		if (x->el_1h_ttl && x->details_1h.have == HAVE_VALUE) {
			if (x->el_count.have == HAVE_BAD)
				x->details_1h.have = HAVE_BAD;
			else if (x->el_count.have == HAVE_VALUE)
				x->details_1h.v += x->el_count.v;
			if (x->details_1h.v > COUNT_MAX)
				x->details_1h.have = HAVE_BAD;
		}
	} else if (s == S_EVENT) {
		if (!x->event_has_message)
			x->events_bad = true;
	}
}

/* A container below the top level: tracked as scope s, or skipped (S_COUNT). */
static int enter(struct extract *x, enum scope s)
{
	if (s != S_COUNT && x->nstack < STACK_MAX) {
		push(x, s);
		return 1;
	}
	take(x, K_OTHER, NULL, 0);
	begin_skip(x);
	return 1;
}

static int on_start_map(void *ctx)
{
	struct extract *x = ctx;
	if (x->skipping)
		return deeper(x);
	if (x->depth == 0) {
		if (!top_value(x))
			return 0;
		if (x->values == 1)
			x->object = true;
		push(x, S_TOP);
		return 1;
	}
	/* under a key, the key's object scope; in an array, its elements' scope */
	const struct key_entry *k = x->key;
	return enter(x, k ? k->object : keypaths_scopes[x->stack[x->nstack - 1]].element);
}

static int on_start_array(void *ctx)
{
	struct extract *x = ctx;
	if (x->skipping)
		return deeper(x);
	if (x->depth == 0) {
		if (!top_value(x))
			return 0;
		begin_skip(x);
		return 1;
	}
	return enter(x, x->key ? x->key->array : S_COUNT);
}

static int on_end(void *ctx)
{
	struct extract *x = ctx;
	x->depth--;
	if (x->skipping) {
		if (x->depth == x->skip_depth) {
			end_skip(x);
			if (x->depth == 0)
				value_done(x); /* a top-level array */
		}
		return 1;
	}
	enum scope s = x->stack[--x->nstack];
	end_element(x, s);
	x->key = NULL;
	scope_callbacks(x);
	if (x->depth == 0)
		value_done(x);
	return 1;
}

/* --- the handle ------------------------------------------------------- */

static void *ya_malloc(void *ctx, size_t n)
{
	(void)ctx;
	return xmalloc(n);
}

/*
 * yajl grows a token's buffer by doubling and cannot take a refusal: the
 * request is granted, and the value is flagged so that feeding stops (the
 * buffer is then at most twice RECORD_MAX_TOKEN, and freed after it).
 */
static void *ya_realloc(void *ctx, void *ptr, size_t n)
{
	struct extract *x = ctx;
	if (n > RECORD_MAX_TOKEN)
		x->too_large = true;
	return xrealloc(ptr, n);
}

static void ya_free(void *ctx, void *ptr)
{
	(void)ctx;
	free(ptr);
}

void extract_renew(struct extract *x)
{
	if (x->yajl)
		yajl_free(x->yajl);
	x->skipping = false;
	x->nstack = 0;
	x->depth = 0;
	x->key = NULL;
	x->failed = false;
	x->too_large = false;
	scope_callbacks(x);
	x->yajl = yajl_alloc(&x->cb, &x->alloc, x);
	assert(x->yajl); /* NULL only without allocation functions */
	yajl_config(x->yajl, yajl_allow_multiple_values, 1);
	yajl_config(x->yajl, yajl_dont_validate_strings, 1);
}

void extract_clear(struct extract *x)
{
	if (!x->depth)
		x->key = NULL;
	x->values = 0;
	x->object = false;
	x->ts_have = HAVE_NONE;
	x->model_is_string = false;
	x->error = false;
	for (int t = 0; t < TOKEN_LOGGED; t++)
		x->tok_have[t] = HAVE_NONE;
	for (int i = 0; i < STR_FIELDS; i++)
		sbuf_clear(&x->strs[i]);
	x->latency_optimized = false;
	sbuf_clear(&x->out_tier);
	sbuf_clear(&x->in_tier);
	x->cc_1h.have = x->stream_1h.have = x->details_1h.have = HAVE_NONE;
	x->stream_done = false;
	for (size_t i = 0; i < x->nmeta; i++)
		sbuf_clear(&x->meta_bufs[i]);
	x->events_seen = x->events_bad = false;
	x->nmessages = 0;
	sbuf_clear(&x->messages);
	if (x->cap_messages > 1024) {
		free(x->message_end);
		x->message_end = NULL;
		x->cap_messages = 0;
	}
}

struct extract *extract_create(void)
{
	struct extract *x = xcalloc(1, sizeof *x);
	x->cb = (yajl_callbacks){
		.yajl_start_map = on_start_map,
		.yajl_end_map = on_end,
		.yajl_start_array = on_start_array,
		.yajl_end_array = on_end,
	};
	x->alloc = (yajl_alloc_funcs){ ya_malloc, ya_realloc, ya_free, x };
	extract_renew(x);
	extract_clear(x);
	return x;
}

void extract_destroy(struct extract *x)
{
	if (!x)
		return;
	yajl_free(x->yajl);
	for (int i = 0; i < STR_FIELDS; i++)
		free(x->strs[i].p);
	free(x->out_tier.p);
	free(x->in_tier.p);
	for (size_t i = 0; i < x->nmeta; i++)
		free(x->meta_bufs[i].p);
	free(x->meta_bufs);
	free(x->meta_strs);
	free(x->messages.p);
	free(x->message_end);
	free(x);
}

void extract_want_meta(struct extract *x, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < x->nmeta; i++)
		free(x->meta_bufs[i].p);
	free(x->meta_bufs);
	free(x->meta_strs);
	x->meta_keys = keys;
	x->nmeta = n;
	x->meta_bufs = xcalloc(n ? n : 1, sizeof *x->meta_bufs);
	x->meta_strs = xcalloc(n ? n : 1, sizeof *x->meta_strs);
}

void extract_want_events(struct extract *x, bool on)
{
	x->want_events = on;
}

void extract_set_stream(struct extract *x, extract_value_fn fn, void *ctx)
{
	x->on_value = fn;
	x->value_ctx = ctx;
}

bool extract_feed(struct extract *x, const char *s, size_t n)
{
	if (!x->failed && yajl_parse(x->yajl, (const unsigned char *)s, n) != yajl_status_ok)
		x->failed = true;
	if (x->too_large)
		x->failed = true;
	return !x->failed;
}

bool extract_failed(const struct extract *x)
{
	return x->failed;
}

bool extract_open(const struct extract *x)
{
	return x->depth != 0;
}

enum record_reject extract_verdict(const struct extract *x)
{
	if (x->too_large)
		return RECORD_TOO_LARGE;
	if (x->failed || x->values != 1 || x->depth != 0)
		return RECORD_INVALID_JSON;
	if (!x->object)
		return RECORD_NOT_AN_OBJECT;
	if (x->ts_have == HAVE_NONE)
		return RECORD_MISSING_TIMESTAMP;
	if (x->ts_have == HAVE_BAD)
		return RECORD_BAD_TIMESTAMP;
	if (!x->model_is_string || x->strs[F_MODEL - F_ACCOUNT].n == 0)
		return RECORD_MISSING_MODEL_ID;
	for (int t = 0; t < TOKEN_LOGGED; t++) {
		if (x->tok_have[t] == HAVE_BAD)
			return RECORD_BAD_TOKEN_COUNT;
	}
	return RECORD_OK;
}

/* SPEC §5.2: the first path present gives the count, if it is in range. */
static void fill_1h(const struct extract *x, struct record *r)
{
	const struct count *c = x->cc_1h.have != HAVE_NONE	  ? &x->cc_1h
				: x->stream_1h.have != HAVE_NONE  ? &x->stream_1h
				: x->details_1h.have != HAVE_NONE ? &x->details_1h
								  : NULL;
	r->tokens[TOKEN_CACHE_WRITE_1H] = 0;
	r->cache_write_1h_ignored = false;
	if (!c)
		return;
	if (c->have == HAVE_VALUE && c->v <= r->tokens[TOKEN_CACHE_WRITE])
		r->tokens[TOKEN_CACHE_WRITE_1H] = c->v;
	else
		r->cache_write_1h_ignored = true;
}

void extract_fill(const struct extract *x, struct record *r)
{
	struct str empty = { "", 0 };
	enum record_reject why = r->reject;
	r->account_id = r->caller = r->region = r->request_id = empty;
	r->operation = r->model_id = r->inference_region = empty;
	r->tier = empty;
	r->meta = x->meta_strs;
	if (why != RECORD_OK && why <= RECORD_NOT_AN_OBJECT)
		return;
	if (x->ts_have == HAVE_VALUE)
		r->timestamp = x->ts;
	r->account_id = sbuf_str(&x->strs[F_ACCOUNT - F_ACCOUNT]);
	r->caller = sbuf_str(&x->strs[F_CALLER - F_ACCOUNT]);
	r->region = sbuf_str(&x->strs[F_REGION - F_ACCOUNT]);
	r->request_id = sbuf_str(&x->strs[F_REQUEST - F_ACCOUNT]);
	r->operation = sbuf_str(&x->strs[F_OPERATION - F_ACCOUNT]);
	r->model_id = sbuf_str(&x->strs[F_MODEL - F_ACCOUNT]);
	r->inference_region = sbuf_str(&x->strs[F_INFERENCE_REGION - F_ACCOUNT]);
	r->error = x->error;
	for (size_t i = 0; i < x->nmeta; i++)
		x->meta_strs[i] = sbuf_str(&x->meta_bufs[i]);
	/* SPEC §5.2: latency first, then the output's tier, then the input's */
	const struct sbuf *tier = x->out_tier.n ? &x->out_tier : &x->in_tier;
	if (x->latency_optimized)
		r->tier = STR_LIT("latency-optimized");
	else if (tier->n && !(tier->n == 7 && memcmp(tier->p, "default", 7) == 0))
		r->tier = sbuf_str(tier);
	if (why != RECORD_OK)
		return;
	for (int t = 0; t < TOKEN_LOGGED; t++)
		r->tokens[t] = x->tok_have[t] == HAVE_VALUE ? x->tok[t] : 0;
	fill_1h(x, r);
}

long extract_event_count(const struct extract *x)
{
	if (!x->events_seen || x->events_bad || x->values != 1 || x->depth != 0 || x->failed)
		return -1;
	return (long)x->nmessages;
}

struct str extract_event(const struct extract *x, size_t i)
{
	size_t start = i ? x->message_end[i - 1] : 0;
	return (struct str){ x->messages.p + start, x->message_end[i] - start };
}
