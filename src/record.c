/*
 * record.c - NDJSON lines -> invocation records, through one reused yajl
 * SAX handle.
 *
 * Framing: each line is cut with memchr and fed to yajl as its pieces arrive,
 * '\n' included, so that a number at the end of the line is terminated and
 * the handle is back at the top level when the line ends. The handle accepts
 * several values (yajl_allow_multiple_values) so that it can be kept from one
 * good line to the next; the callbacks count the top-level values of the
 * line. Only the first bytes of a line are looked at on their own, to find
 * blank lines and CloudWatch export prefixes.
 *
 * Fields: a small state machine over the key path keeps the fields of SPEC §2.
 * Every other value is a skipped subtree, during which the callbacks that
 * would make yajl decode strings or hand over text are switched off.
 */
#include "ledger/record.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "ledger/xalloc.h"

/* SPEC §2: token counts are JSON integers in 0..2^53-1. */
#define TOKEN_COUNT_MAX ((UINT64_C(1) << 53) - 1)
#define PREFIX_MAX 40
/* A line longer than this leaves yajl's buffers large: start afresh after it. */
#define BIG_LINE ((size_t)1 << 20)
/* A field buffer grown beyond this by one odd line is given back after it. */
#define BIG_FIELD ((size_t)1 << 16)

enum field {
	F_NONE,
	/* the string fields, in the order of record_parser.strs */
	F_ACCOUNT,
	F_CALLER,
	F_REGION,
	F_REQUEST,
	F_OPERATION,
	F_MODEL,
	F_INFERENCE_REGION,
	F_TIMESTAMP,
	F_ERROR,
	/* in the order of enum scope */
	F_IDENTITY,
	F_INPUT,
	F_OUTPUT,
	F_META,
	F_META_VALUE, /* requestMetadata.K for a K asked for: meta_idx says which */
	/* in the order of enum record_token */
	F_TOK_INPUT,
	F_TOK_OUTPUT,
	F_TOK_CACHE_READ,
	F_TOK_CACHE_WRITE,
};

#define STR_FIELDS (F_INFERENCE_REGION - F_ACCOUNT + 1)

/* Where the next key is looked up: the record, or one of its three objects. */
enum scope { SCOPE_TOP, SCOPE_IDENTITY, SCOPE_INPUT, SCOPE_OUTPUT, SCOPE_META };

enum kind { K_NULL, K_OTHER, K_NUMBER, K_STRING };

enum have { HAVE_NONE, HAVE_VALUE, HAVE_BAD };

/* Where the current line is. */
enum frame {
	FRAME_START,  /* nothing but whitespace so far */
	FRAME_PREFIX, /* collecting what may be a CloudWatch prefix in head[] */
	FRAME_BODY,   /* feeding yajl up to the '\n' */
};

struct sbuf {
	char *p;
	size_t n, cap;
};

struct key_name {
	const char *name;
	size_t len;
	enum field field;
};

#define KEY(s, f) { s, sizeof(s) - 1, f }

static const struct key_name top_keys[] = {
	KEY("timestamp", F_TIMESTAMP),
	KEY("modelId", F_MODEL),
	KEY("input", F_INPUT),
	KEY("output", F_OUTPUT),
	KEY("identity", F_IDENTITY),
	KEY("accountId", F_ACCOUNT),
	KEY("region", F_REGION),
	KEY("requestId", F_REQUEST),
	KEY("operation", F_OPERATION),
	KEY("inferenceRegion", F_INFERENCE_REGION),
	KEY("errorCode", F_ERROR),
	KEY("requestMetadata", F_META),
	{ NULL, 0, F_NONE },
};
static const struct key_name identity_keys[] = {
	KEY("arn", F_CALLER),
	{ NULL, 0, F_NONE },
};
static const struct key_name input_keys[] = {
	KEY("inputTokenCount", F_TOK_INPUT),
	KEY("cacheReadInputTokenCount", F_TOK_CACHE_READ),
	KEY("cacheWriteInputTokenCount", F_TOK_CACHE_WRITE),
	{ NULL, 0, F_NONE },
};
static const struct key_name output_keys[] = {
	KEY("outputTokenCount", F_TOK_OUTPUT),
	{ NULL, 0, F_NONE },
};
static const struct key_name *const scope_keys[] = {
	[SCOPE_TOP] = top_keys,
	[SCOPE_IDENTITY] = identity_keys,
	[SCOPE_INPUT] = input_keys,
	[SCOPE_OUTPUT] = output_keys,
	[SCOPE_META] = NULL, /* the keys asked for: meta_keys */
};

struct record_parser {
	record_sink_fn sink;
	void *sink_ctx;

	/* yajl keeps a pointer to cb: it is switched in place while skipping */
	yajl_handle yajl;
	yajl_callbacks cb;
	yajl_alloc_funcs alloc;

	/* framing */
	enum frame frame;
	bool lead_ws;     /* FRAME_START: whitespace seen */
	bool failed;      /* yajl stopped on this line: error or cancelled */
	bool too_large;   /* ... or we stopped it: see RECORD_MAX_TOKEN */
	uint64_t lines;
	size_t line_bytes;
	char head[48];
	size_t head_n;

	/* the key path */
	size_t depth;      /* containers open */
	size_t skip_depth; /* depth outside the subtree being skipped */
	bool skipping;
	enum scope scope;
	enum field key; /* the field whose value comes next, or F_NONE */

	/* the line's fields so far */
	unsigned values; /* top-level values begun */
	bool object;     /* the first of them is an object */
	enum have ts_have;
	struct ts ts;
	bool model_is_string;
	bool error;
	enum have tok_have[TOKEN_KINDS];
	uint64_t tok[TOKEN_KINDS];
	struct sbuf strs[STR_FIELDS];
	/* requestMetadata values asked for */
	const char *const *meta_keys;
	size_t nmeta, meta_idx;
	struct sbuf *meta_bufs;
	struct str *meta_strs;
};

static const char *const reject_names[RECORD_REJECT_COUNT] = {
	[RECORD_OK] = "ok",
	[RECORD_TOO_LARGE] = "too-large",
	[RECORD_INVALID_JSON] = "invalid-json",
	[RECORD_NOT_AN_OBJECT] = "not-an-object",
	[RECORD_MISSING_TIMESTAMP] = "missing-timestamp",
	[RECORD_BAD_TIMESTAMP] = "bad-timestamp",
	[RECORD_MISSING_MODEL_ID] = "missing-modelId",
	[RECORD_BAD_TOKEN_COUNT] = "bad-token-count",
};

const char *record_reject_name(enum record_reject why)
{
	return (unsigned)why < RECORD_REJECT_COUNT ? reject_names[why] : "unknown";
}

/* --- values ------------------------------------------------------------ */

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
	if (v > TOKEN_COUNT_MAX || (neg && v != 0))
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

/* The value of p->key has come: keep what SPEC §2 keeps of it. */
static void take(struct record_parser *p, enum kind kind, const char *s, size_t n)
{
	enum field f = p->key;
	p->key = F_NONE;
	switch (f) {
	case F_NONE:
	case F_IDENTITY:
	case F_INPUT:
	case F_OUTPUT:
	case F_META:
		/* not an object: the subfields were cleared with the key */
		return;
	case F_META_VALUE:
		if (kind == K_STRING)
			sbuf_set(&p->meta_bufs[p->meta_idx], s, n);
		else
			p->meta_bufs[p->meta_idx].n = 0;
		return;
	case F_TIMESTAMP:
		if (kind == K_NULL)
			p->ts_have = HAVE_NONE;
		else if (kind == K_STRING && ts_parse(s, n, &p->ts) == 0)
			p->ts_have = HAVE_VALUE;
		else
			p->ts_have = HAVE_BAD;
		return;
	case F_ERROR:
		p->error = kind == K_STRING && n > 0;
		return;
	case F_TOK_INPUT:
	case F_TOK_OUTPUT:
	case F_TOK_CACHE_READ:
	case F_TOK_CACHE_WRITE: {
		int t = (int)f - F_TOK_INPUT;
		if (kind == K_NULL)
			p->tok_have[t] = HAVE_NONE;
		else if (kind == K_NUMBER && parse_count(s, n, &p->tok[t]))
			p->tok_have[t] = HAVE_VALUE;
		else
			p->tok_have[t] = HAVE_BAD;
		return;
	}
	default: {
		struct sbuf *b = &p->strs[f - F_ACCOUNT];
		if (kind == K_STRING || (kind == K_NUMBER && f == F_ACCOUNT))
			sbuf_set(b, s, n);
		else
			b->n = 0;
		if (f == F_MODEL)
			p->model_is_string = kind == K_STRING;
		return;
	}
	}
}

/* --- yajl callbacks ------------------------------------------------------- */

static int on_null(void *ctx);
static int on_boolean(void *ctx, int b);
static int on_number(void *ctx, const char *s, size_t n);
static int on_string(void *ctx, const unsigned char *s, size_t n);
static int on_map_key(void *ctx, const unsigned char *s, size_t n);

static void begin_skip(struct record_parser *p)
{
	p->skipping = true;
	p->skip_depth = p->depth++;
	/* yajl only decodes a string when there is a callback to hand it to */
	p->cb.yajl_null = NULL;
	p->cb.yajl_boolean = NULL;
	p->cb.yajl_number = NULL;
	p->cb.yajl_string = NULL;
	p->cb.yajl_map_key = NULL;
}

static void end_skip(struct record_parser *p)
{
	p->skipping = false;
	p->cb.yajl_null = on_null;
	p->cb.yajl_boolean = on_boolean;
	p->cb.yajl_number = on_number;
	p->cb.yajl_string = on_string;
	p->cb.yajl_map_key = on_map_key;
}

/* A value at the top level: a second one on the line cancels the parse. */
static int top_value(struct record_parser *p)
{
	return p->values++ == 0;
}

static int on_null(void *ctx)
{
	struct record_parser *p = ctx;
	if (p->depth == 0)
		return top_value(p);
	take(p, K_NULL, NULL, 0);
	return 1;
}

static int on_boolean(void *ctx, int b)
{
	struct record_parser *p = ctx;
	(void)b;
	if (p->depth == 0)
		return top_value(p);
	take(p, K_OTHER, NULL, 0);
	return 1;
}

static int on_number(void *ctx, const char *s, size_t n)
{
	struct record_parser *p = ctx;
	if (p->depth == 0)
		return top_value(p);
	take(p, K_NUMBER, s, n);
	return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t n)
{
	struct record_parser *p = ctx;
	if (p->depth == 0)
		return top_value(p);
	enum field f = p->key;
	/* yajl no longer checks UTF-8 (bodies): check what we keep */
	if (f != F_NONE && (f < F_IDENTITY || f == F_META_VALUE) && !utf8_valid(s, n))
		return 0;
	take(p, K_STRING, (const char *)s, n);
	return 1;
}

static int on_map_key(void *ctx, const unsigned char *s, size_t n)
{
	struct record_parser *p = ctx;
	if (p->scope == SCOPE_META) {
		p->key = F_NONE;
		for (size_t i = 0; i < p->nmeta; i++) {
			if (strlen(p->meta_keys[i]) == n && memcmp(p->meta_keys[i], s, n) == 0) {
				p->key = F_META_VALUE;
				p->meta_idx = i;
			}
		}
		return 1;
	}
	const struct key_name *k = scope_keys[p->scope];
	while (k->name && (k->len != n || memcmp(k->name, s, n) != 0))
		k++;
	p->key = k->field;
	/* a repeated key wins over the earlier one, objects included */
	switch (k->field) {
	case F_IDENTITY:
		p->strs[F_CALLER - F_ACCOUNT].n = 0;
		break;
	case F_INPUT:
		p->tok_have[TOKEN_INPUT] = HAVE_NONE;
		p->tok_have[TOKEN_CACHE_READ] = HAVE_NONE;
		p->tok_have[TOKEN_CACHE_WRITE] = HAVE_NONE;
		break;
	case F_OUTPUT:
		p->tok_have[TOKEN_OUTPUT] = HAVE_NONE;
		break;
	case F_META:
		if (!p->nmeta)
			p->key = F_NONE; /* nothing asked for: skipped like a body */
		for (size_t i = 0; i < p->nmeta; i++)
			p->meta_bufs[i].n = 0;
		break;
	default:
		break;
	}
	return 1;
}

/* Inside a skipped subtree: one level deeper, within RECORD_MAX_DEPTH. */
static int deeper(struct record_parser *p)
{
	if (++p->depth <= RECORD_MAX_DEPTH)
		return 1;
	p->too_large = true;
	return 0;
}

static int on_start_map(void *ctx)
{
	struct record_parser *p = ctx;
	if (p->skipping)
		return deeper(p);
	if (p->depth == 0) {
		if (!top_value(p))
			return 0;
		p->object = true;
		p->depth = 1;
		p->scope = SCOPE_TOP;
		return 1;
	}
	enum field f = p->key;
	if (p->depth == 1 && (f == F_IDENTITY || f == F_INPUT || f == F_OUTPUT || f == F_META)) {
		p->key = F_NONE;
		p->scope = (enum scope)(SCOPE_IDENTITY + (f - F_IDENTITY));
		p->depth = 2;
		return 1;
	}
	take(p, K_OTHER, NULL, 0);
	begin_skip(p);
	return 1;
}

static int on_start_array(void *ctx)
{
	struct record_parser *p = ctx;
	if (p->skipping)
		return deeper(p);
	if (p->depth == 0) {
		if (!top_value(p))
			return 0;
	} else {
		take(p, K_OTHER, NULL, 0);
	}
	begin_skip(p);
	return 1;
}

static int on_end(void *ctx)
{
	struct record_parser *p = ctx;
	p->depth--;
	if (p->skipping) {
		if (p->depth == p->skip_depth)
			end_skip(p);
	} else if (p->depth == 1) {
		p->scope = SCOPE_TOP;
	}
	return 1;
}

/* --- the handle ----------------------------------------------------------- */

static void *ya_malloc(void *ctx, size_t n)
{
	(void)ctx;
	return xmalloc(n);
}

/*
 * yajl grows a token's buffer by doubling and cannot take a refusal: the
 * request is granted, and the line is flagged so that feeding stops (the
 * buffer is then at most twice RECORD_MAX_TOKEN, and freed after the line).
 */
static void *ya_realloc(void *ctx, void *ptr, size_t n)
{
	struct record_parser *p = ctx;
	if (n > RECORD_MAX_TOKEN)
		p->too_large = true;
	return xrealloc(ptr, n);
}

static void ya_free(void *ctx, void *ptr)
{
	(void)ctx;
	free(ptr);
}

/* yajl 2.1 cannot go on after an error, a cancel or a cut-off value. */
static void renew_handle(struct record_parser *p)
{
	if (p->yajl)
		yajl_free(p->yajl);
	end_skip(p);
	p->yajl = yajl_alloc(&p->cb, &p->alloc, p);
	assert(p->yajl); /* NULL only without allocation functions */
	yajl_config(p->yajl, yajl_allow_multiple_values, 1);
	yajl_config(p->yajl, yajl_dont_validate_strings, 1);
}

static void clear_line(struct record_parser *p)
{
	p->frame = FRAME_START;
	p->lead_ws = false;
	p->failed = false;
	p->too_large = false;
	p->line_bytes = 0;
	p->head_n = 0;
	p->depth = 0;
	p->skipping = false;
	p->scope = SCOPE_TOP;
	p->key = F_NONE;
	p->values = 0;
	p->object = false;
	p->ts_have = HAVE_NONE;
	p->model_is_string = false;
	p->error = false;
	for (int t = 0; t < TOKEN_KINDS; t++)
		p->tok_have[t] = HAVE_NONE;
	for (int i = 0; i < STR_FIELDS; i++)
		sbuf_clear(&p->strs[i]);
	for (size_t i = 0; i < p->nmeta; i++)
		sbuf_clear(&p->meta_bufs[i]);
}

struct record_parser *record_parser_create(record_sink_fn sink, void *ctx)
{
	struct record_parser *p = xcalloc(1, sizeof *p);
	p->sink = sink;
	p->sink_ctx = ctx;
	p->cb = (yajl_callbacks){
		.yajl_start_map = on_start_map,
		.yajl_end_map = on_end,
		.yajl_start_array = on_start_array,
		.yajl_end_array = on_end,
	};
	p->alloc = (yajl_alloc_funcs){ ya_malloc, ya_realloc, ya_free, p };
	renew_handle(p);
	clear_line(p);
	return p;
}

void record_parser_destroy(struct record_parser *p)
{
	if (!p)
		return;
	yajl_free(p->yajl);
	for (int i = 0; i < STR_FIELDS; i++)
		free(p->strs[i].p);
	for (size_t i = 0; i < p->nmeta; i++)
		free(p->meta_bufs[i].p);
	free(p->meta_bufs);
	free(p->meta_strs);
	free(p);
}

/* --- lines ---------------------------------------------------------------- */

static enum record_reject verdict(const struct record_parser *p)
{
	if (p->too_large)
		return RECORD_TOO_LARGE;
	if (p->failed || p->values != 1 || p->depth != 0)
		return RECORD_INVALID_JSON;
	if (!p->object)
		return RECORD_NOT_AN_OBJECT;
	if (p->ts_have == HAVE_NONE)
		return RECORD_MISSING_TIMESTAMP;
	if (p->ts_have == HAVE_BAD)
		return RECORD_BAD_TIMESTAMP;
	if (!p->model_is_string || p->strs[F_MODEL - F_ACCOUNT].n == 0)
		return RECORD_MISSING_MODEL_ID;
	for (int t = 0; t < TOKEN_KINDS; t++) {
		if (p->tok_have[t] == HAVE_BAD)
			return RECORD_BAD_TOKEN_COUNT;
	}
	return RECORD_OK;
}

/* The '\n' of a non-blank line has been fed. */
static void end_line(struct record_parser *p)
{
	struct record r = { .line = ++p->lines, .reject = verdict(p) };
	struct str empty = { "", 0 };
	r.account_id = r.caller = r.region = r.request_id = empty;
	r.operation = r.model_id = r.inference_region = empty;
	if (r.reject == RECORD_OK || r.reject > RECORD_NOT_AN_OBJECT) {
		if (p->ts_have == HAVE_VALUE)
			r.timestamp = p->ts;
		r.account_id = sbuf_str(&p->strs[F_ACCOUNT - F_ACCOUNT]);
		r.caller = sbuf_str(&p->strs[F_CALLER - F_ACCOUNT]);
		r.region = sbuf_str(&p->strs[F_REGION - F_ACCOUNT]);
		r.request_id = sbuf_str(&p->strs[F_REQUEST - F_ACCOUNT]);
		r.operation = sbuf_str(&p->strs[F_OPERATION - F_ACCOUNT]);
		r.model_id = sbuf_str(&p->strs[F_MODEL - F_ACCOUNT]);
		r.inference_region = sbuf_str(&p->strs[F_INFERENCE_REGION - F_ACCOUNT]);
		r.error = p->error;
		for (size_t i = 0; i < p->nmeta; i++)
			p->meta_strs[i] = sbuf_str(&p->meta_bufs[i]);
	}
	r.meta = p->meta_strs;
	if (r.reject == RECORD_OK) {
		for (int t = 0; t < TOKEN_KINDS; t++)
			r.tokens[t] = p->tok_have[t] == HAVE_VALUE ? p->tok[t] : 0;
	}
	if (r.reject == RECORD_INVALID_JSON || r.reject == RECORD_TOO_LARGE || p->line_bytes > BIG_LINE)
		renew_handle(p);
	p->sink(p->sink_ctx, &r);
	clear_line(p);
}

static void feed_yajl(struct record_parser *p, const char *s, size_t n)
{
	p->line_bytes += n;
	if (!p->failed && yajl_parse(p->yajl, (const unsigned char *)s, n) != yajl_status_ok)
		p->failed = true;
	if (p->too_large)
		p->failed = true;
}

/* yajl's whitespace, but for '\n' */
static bool is_blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_prefix_byte(char c)
{
	return (c >= '0' && c <= '9') || c == 'T' || c == 'Z' || c == ':' || c == '.' ||
	       c == '+' || c == '-';
}

/* head[] is a whole CloudWatch export prefix (without its space). */
static bool is_prefix(const char *h, size_t n)
{
	bool all_digits = true;
	for (size_t i = 0; i < n && all_digits; i++)
		all_digits = h[i] >= '0' && h[i] <= '9';
	if (all_digits)
		return n > 0;
	for (size_t i = 0; i < 4; i++) {
		if (h[i] < '0' || h[i] > '9')
			return false;
	}
	return n >= 5 && h[4] == '-';
}

/*
 * The first bytes of a line, up to the first one that belongs to the JSON:
 * returns how far it got in [s, end).
 */
static const char *line_start(struct record_parser *p, const char *s, const char *end)
{
	if (p->frame == FRAME_START) {
		while (s < end && is_blank_byte(*s)) {
			p->lead_ws = true;
			s++;
		}
		if (s == end)
			return s;
		if (*s == '\n') {
			p->lines++;
			p->lead_ws = false;
			return s + 1;
		}
		if (p->lead_ws || !is_prefix_byte(*s)) {
			p->frame = FRAME_BODY;
			return s;
		}
		p->frame = FRAME_PREFIX;
	}
	while (s < end && p->head_n <= PREFIX_MAX && is_prefix_byte(*s))
		p->head[p->head_n++] = *s++;
	if (s == end && p->head_n <= PREFIX_MAX)
		return s; /* more may follow in the next chunk */
	p->frame = FRAME_BODY;
	if (p->head_n <= PREFIX_MAX && *s == ' ' && is_prefix(p->head, p->head_n)) {
		p->line_bytes += p->head_n + 1;
		return s + 1;
	}
	feed_yajl(p, p->head, p->head_n);
	return s;
}

void record_parser_feed(struct record_parser *p, const char *buf, size_t n)
{
	const char *s = buf, *end = buf + n;
	while (s < end) {
		if (p->frame != FRAME_BODY) {
			s = line_start(p, s, end);
			continue;
		}
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl) {
			feed_yajl(p, s, (size_t)(end - s));
			return;
		}
		feed_yajl(p, s, (size_t)(nl + 1 - s));
		s = nl + 1;
		end_line(p);
	}
}

void record_parser_finish(struct record_parser *p)
{
	if (p->frame != FRAME_START) {
		record_parser_feed(p, "\n", 1);
	} else if (p->lead_ws) {
		p->lines++;
		p->lead_ws = false;
	}
}

void record_parser_want_meta(struct record_parser *p, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < p->nmeta; i++)
		free(p->meta_bufs[i].p);
	free(p->meta_bufs);
	free(p->meta_strs);
	p->meta_keys = keys;
	p->nmeta = n;
	p->meta_bufs = xcalloc(n ? n : 1, sizeof *p->meta_bufs);
	p->meta_strs = xcalloc(n ? n : 1, sizeof *p->meta_strs);
}

void record_parser_reset(struct record_parser *p)
{
	/* a line cut off by the end of the last object leaves yajl mid-value */
	if (p->frame != FRAME_START)
		renew_handle(p);
	clear_line(p);
	p->lines = 0;
}

uint64_t record_parser_lines(const struct record_parser *p)
{
	return p->lines;
}
