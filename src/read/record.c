/*
 * record.c - a decompressed object -> its records: the framing of bedrock-ledger-formats(5), WHAT
 * IS READ.
 *
 * NDJSON: each line is cut with memchr and fed to the extractor as its
 * pieces arrive, '\n' included, so that a number at the end of the line is
 * terminated and the handle is back at the top level when the line ends;
 * the handle is kept from one good line to the next. Only the first bytes
 * of a line are looked at on their own: blank lines, CloudWatch export
 * prefixes, and the permission line CloudWatch writes once per log group.
 *
 * JSON documents: when the first non-blank line opens a value that does not
 * end on it, the object is probed as a stream of values: the lines are fed
 * on, and kept, until that first value ends (then the object is a document)
 * or fails (then the kept lines are read again as NDJSON). A later failure
 * rejects the value at its first line, and the rest of the object is NDJSON.
 *
 * A value that is a page of `aws logs get-log-events` output holds records
 * in its events' messages; each is read as an NDJSON line by a child parser.
 */
#include "ledger/read/record.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/read/extract.h"
#include "ledger/support/xalloc.h"

#define PREFIX_MAX 40
/* A line longer than this leaves yajl's buffers large: start afresh after it. */
#define BIG_LINE ((size_t)1 << 20)
/* What is kept of a probed first value, to be read again as NDJSON if it fails. */
#define PROBE_MAX ((size_t)16 << 20)

static const char permission_line[] = "Permissions are correctly set for Amazon Bedrock logs.";
#define PERMISSION_LEN (sizeof permission_line - 1)

/* Where the current line is. */
enum frame {
	FRAME_START,  /* nothing but whitespace so far */
	FRAME_PREFIX, /* collecting what may be a CloudWatch prefix in head[] */
	FRAME_BODY,   /* feeding the extractor up to the '\n' */
	FRAME_DROP,   /* after a failed document value: the rest of the line is passed over */
};

/* How the object is read. */
enum mode {
	MODE_FIRST, /* no non-blank line yet */
	MODE_NDJSON,
	MODE_PROBE, /* the first value spans lines: a document, or not */
	MODE_DOC,   /* a stream of JSON values */
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

struct record_parser {
	record_sink_fn sink;
	void *sink_ctx;
	struct extract *x;
	bool nested; /* reads the messages of an events page: NDJSON only */

	/* framing */
	enum mode mode;
	enum frame frame;
	bool lead_ws;	    /* FRAME_START: whitespace seen */
	bool open_at_start; /* a document value was open when the line began */
	int perm;	    /* bytes of the line that match permission_line; -1: no match */
	uint64_t lines;
	size_t line_bytes;
	char head[48];
	size_t head_n;
	char first_byte; /* the line's first byte after a prefix */

	/* documents */
	uint64_t value_line; /* where the current value began */
	char *probe;	     /* the raw bytes since the first non-blank line */
	size_t probe_n, probe_cap;
	bool probe_full;     /* over PROBE_MAX: no second reading */
	bool reread;	     /* the probe has just been read again as NDJSON */
	uint64_t probe_line; /* the line it starts on */

	/* events pages */
	struct record_parser *child;
	uint64_t event_pos;
	const char *const *meta_keys;
	size_t nmeta;
};

static void feed_bytes(struct record_parser *p, const char *buf, size_t n);

/* --- records ------------------------------------------------------------ */

static void emit(struct record_parser *p, uint64_t line, enum record_reject why)
{
	struct record r = { .line = line, .reject = why };
	extract_fill(p->x, &r);
	p->sink(p->sink_ctx, &r);
}

static void on_child_record(void *ctx, const struct record *r)
{
	struct record_parser *p = ctx;
	struct record copy = *r;
	copy.line = p->event_pos;
	p->sink(p->sink_ctx, &copy);
}

/* The value just read is an events page: each message is a line of NDJSON. */
static bool read_events(struct record_parser *p)
{
	long n = extract_event_count(p->x);
	if (n < 0 || p->nested)
		return false;
	if (!p->child) {
		p->child = record_parser_create(on_child_record, p);
		p->child->nested = true;
		extract_want_events(p->child->x, false);
		extract_want_meta(p->child->x, p->meta_keys, p->nmeta);
	}
	for (long i = 0; i < n; i++) {
		struct str m = extract_event(p->x, (size_t)i);
		p->event_pos = (uint64_t)i + 1;
		record_parser_reset(p->child);
		record_parser_feed(p->child, m.p, m.n);
		record_parser_finish(p->child);
	}
	return true;
}

/* A value ended in a document (the extractor's stream hook). */
static void on_value(void *ctx)
{
	struct record_parser *p = ctx;
	if (p->mode == MODE_PROBE) {
		p->mode = MODE_DOC; /* the first value is whole: a document */
		p->probe_n = 0;
	}
	if (!read_events(p))
		emit(p, p->value_line, extract_verdict(p->x));
	p->value_line = p->lines + 1; /* a next value may begin on this line */
}

/* --- lines --------------------------------------------------------------- */

static void clear_line(struct record_parser *p)
{
	p->frame = FRAME_START;
	p->lead_ws = false;
	p->line_bytes = 0;
	p->head_n = 0;
	p->perm = 0;
	p->first_byte = 0;
}

static bool is_permission_line(const struct record_parser *p)
{
	return p->perm == (int)PERMISSION_LEN;
}

/* The permission text, then blanks only. */
static void match_permission(struct record_parser *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n && p->perm >= 0; i++) {
		if ((size_t)p->perm < PERMISSION_LEN && s[i] == permission_line[p->perm])
			p->perm++;
		else if (!((size_t)p->perm == PERMISSION_LEN &&
			   (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')))
			p->perm = -1;
	}
}

static void keep_probe(struct record_parser *p, const char *s, size_t n)
{
	if (p->probe_full)
		return;
	if (p->probe_n + n > PROBE_MAX) {
		p->probe_full = true; /* too big to read twice: the object is a document */
		free(p->probe);
		p->probe = NULL;
		p->probe_n = p->probe_cap = 0;
		return;
	}
	if (p->probe_n + n > p->probe_cap) {
		size_t cap = p->probe_cap ? p->probe_cap * 2 : 4096;
		while (cap < p->probe_n + n)
			cap *= 2;
		p->probe = xrealloc(p->probe, cap);
		p->probe_cap = cap;
	}
	memcpy(p->probe + p->probe_n, s, n);
	p->probe_n += n;
}

/* The probed first value failed: the object is NDJSON after all, from its first line. */
static void reread_as_ndjson(struct record_parser *p)
{
	p->mode = MODE_NDJSON;
	extract_set_stream(p->x, NULL, NULL);
	extract_renew(p->x);
	extract_clear(p->x);
	clear_line(p);
	p->lines = p->probe_line - 1;
	char *buf = p->probe;
	size_t n = p->probe_n;
	p->probe = NULL;
	p->probe_n = p->probe_cap = 0;
	feed_bytes(p, buf, n);
	free(buf);
	p->reread = true; /* after the second reading, which clears it piece by piece */
}

/* A document value failed: it is rejected where it began; NDJSON from the next line on. */
static void document_failed(struct record_parser *p)
{
	emit(p, p->value_line, extract_verdict(p->x));
	p->mode = MODE_NDJSON;
	extract_set_stream(p->x, NULL, NULL);
	extract_renew(p->x);
	extract_clear(p->x);
	p->frame = FRAME_DROP;
}

/* Bytes of the line's body, after any prefix. */
static void feed_body(struct record_parser *p, const char *s, size_t n)
{
	if (!n)
		return;
	if (!p->first_byte)
		p->first_byte = s[0];
	p->line_bytes += n;
	if (p->perm >= 0)
		match_permission(p, s, n);
	if (p->mode == MODE_PROBE)
		keep_probe(p, s, n);
	bool ok = extract_feed(p->x, s, n);
	if (ok || p->mode == MODE_NDJSON || p->mode == MODE_FIRST)
		return;
	/* a failure in a document; the permission line is not one, if it is one */
	if (!p->open_at_start && p->perm > 0)
		return;
	if (p->mode == MODE_PROBE && !p->probe_full)
		reread_as_ndjson(p);
	else
		document_failed(p);
}

/* The '\n' of a non-blank line has been fed. */
static void end_line(struct record_parser *p)
{
	uint64_t line = ++p->lines;
	struct extract *x = p->x;
	if (p->mode == MODE_PROBE || p->mode == MODE_DOC) {
		if (!p->open_at_start && is_permission_line(p)) {
			extract_renew(x); /* not a value: like a blank line */
			extract_clear(x);
		} else if (!p->open_at_start && p->perm > 0 && extract_failed(x)) {
			p->value_line = line;
			document_failed(p);
			p->frame = FRAME_START;
		}
		if (p->line_bytes > BIG_LINE && !extract_open(x))
			extract_renew(x);
		clear_line(p);
		return;
	}
	if (is_permission_line(p)) {
		extract_renew(x);
		extract_clear(x);
		clear_line(p);
		if (p->mode == MODE_FIRST)
			p->probe_n = 0; /* not the first line of a document either */
		return;
	}
	/* the first line opens a value it does not close: probe for a document */
	if (p->mode == MODE_FIRST && !p->nested && extract_open(x) && !extract_failed(x) &&
	    (p->first_byte == '{' || p->first_byte == '[')) {
		p->mode = MODE_PROBE;
		p->value_line = p->probe_line = line;
		extract_set_stream(x, on_value, p);
		clear_line(p);
		return;
	}
	if (p->mode == MODE_FIRST) {
		p->mode = MODE_NDJSON;
		p->probe_n = 0;
	}
	enum record_reject why = extract_verdict(x);
	if (!read_events(p))
		emit(p, line, why);
	if (why == RECORD_INVALID_JSON || why == RECORD_TOO_LARGE || p->line_bytes > BIG_LINE)
		extract_renew(x);
	extract_clear(x);
	clear_line(p);
}

/* yajl's whitespace, but for '\n' */
static bool is_blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_prefix_byte(char c)
{
	return (c >= '0' && c <= '9') || c == 'T' || c == 'Z' || c == ':' || c == '.' || c == '+' ||
	       c == '-';
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
	bool in_doc = p->mode == MODE_PROBE || p->mode == MODE_DOC;
	if (p->frame == FRAME_START) {
		if (in_doc && !p->lead_ws && !p->head_n) {
			p->open_at_start = extract_open(p->x);
			if (!p->open_at_start)
				p->value_line = p->lines + 1;
		}
		const char *ws = s;
		while (s < end && is_blank_byte(*s)) {
			p->lead_ws = true;
			s++;
		}
		if (in_doc && s > ws) {
			if (p->mode == MODE_PROBE)
				keep_probe(p, ws, (size_t)(s - ws));
			extract_feed(p->x, ws, (size_t)(s - ws));
		}
		if (s == end)
			return s;
		if (*s == '\n') {
			if (in_doc) {
				if (p->mode == MODE_PROBE)
					keep_probe(p, s, 1);
				extract_feed(p->x, s, 1);
			}
			p->lines++;
			p->lead_ws = false;
			return s + 1;
		}
		if (p->open_at_start && in_doc)
			p->perm = -1; /* inside a value, a line is JSON text */
		if (in_doc || p->lead_ws || !is_prefix_byte(*s)) {
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
		if (p->mode == MODE_FIRST)
			keep_probe(p, p->head, p->head_n), keep_probe(p, " ", 1);
		return s + 1;
	}
	if (p->mode == MODE_FIRST)
		keep_probe(p, p->head, p->head_n);
	feed_body(p, p->head, p->head_n);
	return s;
}

static void feed_bytes(struct record_parser *p, const char *buf, size_t n)
{
	const char *s = buf, *end = buf + n;
	while (s < end) {
		if (p->frame == FRAME_DROP) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			if (!nl)
				return;
			p->lines++;
			clear_line(p);
			s = nl + 1;
			continue;
		}
		if (p->frame != FRAME_BODY) {
			s = line_start(p, s, end);
			continue;
		}
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl + 1 - s) : (size_t)(end - s);
		if (p->mode == MODE_FIRST)
			keep_probe(p, s, len);
		p->reread = false;
		feed_body(p, s, len);
		s += len;
		if (p->reread)
			continue; /* read again from its first line, this piece included */
		if (p->frame == FRAME_DROP) {
			if (nl) { /* the failing line ended in this piece */
				p->lines++;
				clear_line(p);
			}
			continue;
		}
		if (nl)
			end_line(p);
	}
}

/* --- the parser ------------------------------------------------------------ */

struct record_parser *record_parser_create(record_sink_fn sink, void *ctx)
{
	struct record_parser *p = xcalloc(1, sizeof *p);
	p->sink = sink;
	p->sink_ctx = ctx;
	p->x = extract_create();
	extract_want_events(p->x, true);
	record_parser_reset(p);
	return p;
}

void record_parser_destroy(struct record_parser *p)
{
	if (!p)
		return;
	extract_destroy(p->x);
	record_parser_destroy(p->child);
	free(p->probe);
	free(p);
}

void record_parser_want_meta(struct record_parser *p, const char *const *keys, size_t n)
{
	extract_want_meta(p->x, keys, n);
	if (p->child)
		extract_want_meta(p->child->x, keys, n);
	p->meta_keys = keys;
	p->nmeta = n;
}

void record_parser_feed(struct record_parser *p, const char *buf, size_t n)
{
	feed_bytes(p, buf, n);
}

void record_parser_finish(struct record_parser *p)
{
	if (p->frame == FRAME_DROP) {
		p->lines++;
		clear_line(p);
	} else if (p->frame != FRAME_START) {
		record_parser_feed(p, "\n", 1);
	} else if (p->lead_ws) {
		p->lines++;
		p->lead_ws = false;
	}
	if (p->mode == MODE_PROBE && !p->probe_full) {
		reread_as_ndjson(p); /* the first value never ended */
		record_parser_finish(p);
	} else if ((p->mode == MODE_PROBE || p->mode == MODE_DOC) && extract_open(p->x)) {
		emit(p, p->value_line, RECORD_INVALID_JSON); /* cut off */
	}
}

void record_parser_reset(struct record_parser *p)
{
	/* a line cut off by the end of the last object leaves yajl mid-value */
	if (p->frame != FRAME_START || p->mode == MODE_PROBE || p->mode == MODE_DOC)
		extract_renew(p->x);
	extract_set_stream(p->x, NULL, NULL);
	extract_clear(p->x);
	clear_line(p);
	p->mode = MODE_FIRST;
	p->lines = 0;
	p->probe_n = 0;
	p->probe_full = false;
	p->open_at_start = false;
	if (p->probe_cap > PROBE_MAX / 4) {
		free(p->probe);
		p->probe = NULL;
		p->probe_cap = 0;
	}
}

uint64_t record_parser_lines(const struct record_parser *p)
{
	return p->lines;
}
