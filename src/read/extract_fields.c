/*
 * extract_fields.c - the values an extraction keeps (record fields, token
 * counts, tiers, 1-hour counts, requestMetadata, CloudWatch messages), and
 * the record they make: its verdict and its fields.
 */
#include "extract_state.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

/* --- values ---------------------------------------------------------- */

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
bool extract_utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* ASCII eight bytes at a time: what the kept fields nearly always are */
		for (uint64_t w; n - i >= 8; i += 8) {
			memcpy(&w, s + i, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
		}
		if (i == n)
			break;
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

void extract_sbuf_clear(struct sbuf *b)
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

void extract_add_message(struct extract *x, const char *s, size_t n)
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

static void take_timestamp(struct extract *x, enum kind kind, const char *s, size_t n)
{
	if (kind == K_NULL)
		x->ts_have = HAVE_NONE;
	else if (kind == K_STRING && ts_parse(s, n, &x->ts) == 0)
		x->ts_have = HAVE_VALUE;
	else
		x->ts_have = HAVE_BAD;
}

/* A token count t: null is absent, anything but a count in range is bad. */
static void take_tokens(struct extract *x, int t, enum kind kind, const char *s, size_t n)
{
	if (kind == K_NULL)
		x->tok_have[t] = HAVE_NONE;
	else if (kind == K_NUMBER && parse_count(s, n, &x->tok[t]))
		x->tok_have[t] = HAVE_VALUE;
	else
		x->tok_have[t] = HAVE_BAD;
}

/* The record's string fields (accountId may be a number). */
static void take_string(struct extract *x, enum field f, enum kind kind, const char *s, size_t n)
{
	struct sbuf *b = &x->strs[f - F_ACCOUNT];
	if (kind == K_STRING || (kind == K_NUMBER && f == F_ACCOUNT))
		sbuf_set(b, s, n);
	else
		b->n = 0;
	if (f == F_MODEL)
		x->model_is_string = kind == K_STRING;
}

/* The value of x->key has come: keep what bedrock-ledger-formats(5), WHAT IS READ;
 * bedrock-ledger-formats(5), PRICING keep of it. */
void extract_take(struct extract *x, enum kind kind, const char *s, size_t n)
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
		take_timestamp(x, kind, s, n);
		return;
	case F_ERROR:
		x->error = kind == K_STRING && n > 0;
		return;
	case F_TOK_INPUT:
	case F_TOK_OUTPUT:
	case F_TOK_CACHE_READ:
	case F_TOK_CACHE_WRITE:
		take_tokens(x, (int)f - F_TOK_INPUT, kind, s, n);
		return;
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
			extract_add_message(x, s, n);
		}
		return;
	default:
		take_string(x, f, kind, s, n);
		return;
	}
}

/* --- callbacks -------------------------------------------------------- */

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

/* bedrock-ledger-formats(5), PRICING: the first path present gives the count, if it is in range. */
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
	/* bedrock-ledger-formats(5), PRICING: latency first, then the output's tier, then the
	 * input's */
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
