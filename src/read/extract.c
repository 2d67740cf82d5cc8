/*
 * extract.c - the key-path state machine over yajl's SAX events.
 *
 * Scopes are the objects and arrays on the paths we keep (keypaths.h holds
 * them as data). Each tracked container is one entry of a small stack; a
 * value under a key that no scope names is a skipped subtree. A scope is either dense (the record's
 * own small objects: every value callback is on) or sparse (the levels of a
 * body on a bedrock-ledger-formats(5), PRICING path: only keys are looked at, and a value callback
 * is switched on just for the value of a wanted key), so that the strings
 * and numbers of a body are never decoded.
 */
#include "extract_state.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

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
	extract_take(x, kind, s, n);
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
	if (kept && !extract_utf8_valid(s, n))
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
	extract_take(x, K_OTHER, NULL, 0);
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
	skim_reset(&x->skim);
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
		extract_sbuf_clear(&x->strs[i]);
	x->latency_optimized = false;
	extract_sbuf_clear(&x->out_tier);
	extract_sbuf_clear(&x->in_tier);
	x->cc_1h.have = x->stream_1h.have = x->details_1h.have = HAVE_NONE;
	x->stream_done = false;
	for (size_t i = 0; i < x->nmeta; i++)
		extract_sbuf_clear(&x->meta_bufs[i]);
	x->events_seen = x->events_bad = false;
	x->nmessages = 0;
	extract_sbuf_clear(&x->messages);
	if (x->cap_messages > 1024) {
		free(x->message_end);
		x->message_end = NULL;
		x->cap_messages = 0;
	}
}

struct extract *extract_create(void)
{
	keypaths_init();
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
	if (!x->failed)
		skim_feed(x, s, n);
	if (x->too_large)
		x->failed = true;
	return !x->failed;
}

void extract_set_skim(struct extract *x, enum extract_skim how)
{
	x->skim.how = how;
	skim_reset(&x->skim);
}

bool extract_failed(const struct extract *x)
{
	return x->failed;
}

bool extract_open(const struct extract *x)
{
	return x->depth != 0;
}
