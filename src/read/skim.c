/*
 * skim.c - feeding yajl without the long strings that no callback reads.
 *
 * Most of a log's bytes are the text of prompts and responses: long
 * strings inside a body, whose values extract.c never asks for. yajl would
 * still lex each of them byte by byte. The skim finds the strings of the
 * JSON text itself, 64 bytes at a time: masks of the quotes, backslashes and
 * control bytes of a block (with AVX2 where the processor has it, else
 * SSE2; skim_masks.c), the escaped bytes from the backslashes, and from
 * the quotes left, which bytes are inside a string. When a string of
 * SKIM_MIN bytes or more begins where no callback would take it, yajl is
 * given only its two quotes.
 *
 * yajl still sees every other byte, so it refuses what it refused before.
 * The skim checks the strings as yajl's lexer does (no byte below 0x20,
 * only JSON's escapes, four hex digits after \u; UTF-8 is not checked,
 * extract.c tells yajl not to). A string with a byte yajl would refuse is
 * given to yajl whole, or, if it is already being dropped, yajl is handed a
 * byte it refuses in its place. A dropped string that spans feeds and
 * reaches RECORD_MAX_TOKEN bytes is too large, as yajl's buffer would have
 * made it (extract.c, ya_realloc).
 */
#include "extract_state.h"

#include <stdint.h>
#include <string.h>

/* Shorter strings go to yajl whole: a split costs about what lexing 100 bytes does. */
#define SKIM_MIN 96
/* ends() relies on it: a string this long opens and closes in different blocks */
_Static_assert(SKIM_MIN >= 63, "a skimmed string spans 64-byte blocks");

/* One block of the feed: bit i is its byte i. */
struct block {
	const char *at;
	unsigned n; /* bytes of the feed in it, 1 to 64 */
	struct skim_masks m;
};

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* The letters that may follow a backslash in a string, as yajl's lexer has them; 'u' apart. */
static const bool escape_letter[256] = {
	['"'] = true, ['\\'] = true, ['/'] = true, ['b'] = true,
	['f'] = true, ['n'] = true,  ['r'] = true, ['t'] = true,
};

/* Gives yajl [s, e); false once the parse has failed. */
static bool give(struct extract *x, const char *s, const char *e)
{
	if (s < e &&
	    yajl_parse(x->yajl, (const unsigned char *)s, (size_t)(e - s)) != yajl_status_ok)
		x->failed = true;
	return !x->failed;
}

static void dropped(struct extract *x, size_t n)
{
	x->skim.len += n;
	if (x->skim.len >= RECORD_MAX_TOKEN)
		x->too_large = true;
}

void skim_reset(struct skim *k)
{
	k->mode = SKIM_OUT;
	k->backslash = false;
	k->hex = 0;
	k->sig = 0;
	k->len = 0;
	k->masks = skim_pick_masks(k->how);
}

/* One feed's walk. */
struct walk {
	struct extract *x;
	const char *s, *e;
	const char *fed;  /* yajl has been given [s, fed) */
	const char *open; /* the opening quote of the string we are in, if in this feed */
	const char *bad;  /* the first byte yajl refuses, or NULL */
};

static void refuse_at(struct walk *w, const char *p)
{
	if (!w->bad || p < w->bad)
		w->bad = p;
}

/* \u at p-1 (the 'u' at p): its four hex digits, some perhaps in the next feed. */
static void check_hex(struct walk *w, const char *p)
{
	for (unsigned i = 1; i <= 4; i++) {
		if (p + i >= w->e) {
			w->x->skim.hex = 5 - i;
			return;
		}
		if (!is_hex((unsigned char)p[i])) {
			refuse_at(w, p + i);
			return;
		}
	}
}

/*
 * The escaped bytes of block b (bit i: byte i follows a backslash that is
 * not itself escaped), with the escape carried in from before it; an escape
 * begun on the block's last byte is carried out. check_escapes() checks
 * the ones inside strings.
 */
static uint64_t escapes(const struct block *b, bool *carry)
{
	uint64_t escaped = *carry, bits = b->m.backslash;
	*carry = false;
	while (bits) {
		unsigned i = (unsigned)__builtin_ctzll(bits);
		bits &= bits - 1;
		if (escaped >> i & 1)
			continue;
		if (i + 1 < b->n)
			escaped |= UINT64_C(1) << (i + 1);
		else
			*carry = true;
	}
	return escaped;
}

static void check_escapes(struct walk *w, const struct block *b, uint64_t escaped)
{
	while (escaped) {
		unsigned i = (unsigned)__builtin_ctzll(escaped);
		escaped &= escaped - 1;
		unsigned char c = (unsigned char)b->at[i];
		if (c == 'u')
			check_hex(w, b->at + i);
		else if (!escape_letter[c])
			refuse_at(w, b->at + i);
	}
}

static unsigned char sig_before(const struct walk *w, const char *q)
{
	for (const char *p = q; p > w->s;) {
		unsigned char c = (unsigned char)*--p;
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return c;
	}
	return w->x->skim.sig;
}

/*
 * yajl has just read the opening quote at q: would a callback take the
 * string? Not in a skipped subtree (no callback at all), nor as an
 * object's value where strings are not read.
 */
static bool unread(const struct walk *w, const char *q)
{
	const struct extract *x = w->x;
	if (x->cb.yajl_string)
		return false;
	return !x->cb.yajl_map_key || sig_before(w, q) == ':';
}

/* A quote at p that yajl reads as one: a string opens or closes. False once the parse failed. */
static bool quote(struct walk *w, const char *p)
{
	struct skim *k = &w->x->skim;
	if (k->mode == SKIM_OUT) {
		k->mode = SKIM_IN;
		w->open = p;
		return true;
	}
	if (k->mode == SKIM_DROP) {
		/* dropped since an earlier feed: yajl reads the closing quote on */
		dropped(w->x, (size_t)(p + 1 - w->s));
		w->fed = p;
	} else if (w->open && p - w->open - 1 >= SKIM_MIN) {
		if (!give(w->x, w->fed, w->open + 1))
			return false;
		w->fed = unread(w, w->open) ? p : w->open + 1;
	}
	k->mode = SKIM_OUT;
	w->open = NULL;
	return true;
}

/* The feed holds a byte yajl refuses, at w->bad: yajl is to refuse it too. */
static void refused(struct walk *w)
{
	struct extract *x = w->x;
	if (x->skim.mode != SKIM_DROP)
		return; /* yajl is given the rest of the feed, and refuses it there */
	static const char refuse = 0x01;
	dropped(x, (size_t)(w->bad - w->s));
	give(x, &refuse, &refuse + 1);
}

/* The quotes of block b in order, up to a refused byte. False: the walk stops. */
static bool events(struct walk *w, const struct block *b, uint64_t quotes)
{
	while (quotes) {
		const char *p = b->at + __builtin_ctzll(quotes);
		quotes &= quotes - 1;
		if (w->bad && w->bad <= p)
			break;
		if (!quote(w, p))
			return false;
	}
	if (w->bad && w->bad < b->at + b->n) {
		refused(w);
		return false;
	}
	return true;
}

/* The feed has been walked to its end: a string open there is dropped if no callback takes it. */
static void feed_end(struct walk *w)
{
	struct extract *x = w->x;
	struct skim *k = &x->skim;
	if (k->mode == SKIM_IN && w->open) {
		if (!give(x, w->fed, w->open + 1))
			return;
		w->fed = w->open + 1;
		if (unread(w, w->open)) {
			k->mode = SKIM_DROP;
			k->len = 0;
			dropped(x, (size_t)(w->e - w->open));
			w->fed = w->e;
		}
	} else if (k->mode == SKIM_DROP) {
		dropped(x, (size_t)(w->e - w->s));
		w->fed = w->e;
	}
	k->sig = sig_before(w, w->e);
}

/* The hex digits of a \u begun in the last feed. */
static void hex_carried(struct walk *w)
{
	struct skim *k = &w->x->skim;
	for (const char *p = w->s; k->hex && p < w->e; k->hex--, p++) {
		if (!is_hex((unsigned char)*p)) {
			refuse_at(w, p);
			k->hex = 0;
		}
	}
}

/*
 * The quotes of a block with no refused byte. A string of SKIM_MIN bytes
 * or more spans blocks: it opens at the last quote of a block and closes at
 * the first quote of a later one, so the strings that begin and end inside
 * the block are passed over.
 */
static bool ends(struct walk *w, const struct block *b, uint64_t quotes, bool was_in, bool in)
{
	if (!quotes)
		return true;
	if (was_in && !quote(w, b->at + __builtin_ctzll(quotes)))
		return false;
	if (in) {
		w->x->skim.mode = SKIM_OUT;
		return quote(w, b->at + 63 - __builtin_clzll(quotes));
	}
	w->x->skim.mode = SKIM_OUT;
	return true;
}

/* One block: its strings' bytes checked, its quotes followed. False: the walk stops. */
static inline bool step(struct walk *w, const struct block *b, bool *in)
{
	struct skim *k = &w->x->skim;
	uint64_t escaped = 0, quotes = b->m.quote, inside = b->m.quotes_xor;
	if (b->m.backslash || k->backslash) {
		escaped = escapes(b, &k->backslash);
		quotes &= ~escaped;
		inside = skim_prefix_xor(quotes);
	}
	/* bit i: inside a string after byte i (an opening quote is inside, a closing one not) */
	inside ^= *in ? ~UINT64_C(0) : 0;
	bool was_in = *in;
	*in = inside >> (b->n - 1) & 1;
	if (escaped & inside)
		check_escapes(w, b, escaped & inside);
	if (b->m.ctl & inside)
		refuse_at(w, b->at + __builtin_ctzll(b->m.ctl & inside));
	if (w->bad && w->bad < b->at + b->n)
		return events(w, b, quotes);
	return ends(w, b, quotes, was_in, *in);
}

/* Walks the feed block by block; false if it stopped before the end. */
static bool walk_blocks(struct walk *w)
{
	struct skim *k = &w->x->skim;
	bool in = k->mode != SKIM_OUT;
	struct skim_masks m[SKIM_BATCH];
	const char *p = w->s;
	while (w->e - p >= 64) {
		size_t blocks = (size_t)(w->e - p) / 64;
		if (blocks > SKIM_BATCH)
			blocks = SKIM_BATCH;
		k->masks(p, blocks, m);
		for (size_t i = 0; i < blocks; i++, p += 64) {
			/* no quote, backslash or control byte: the block changes nothing */
			if (!(m[i].quote | m[i].backslash | m[i].ctl) && !k->backslash && !w->bad)
				continue;
			struct block b = { .at = p, .n = 64, .m = m[i] };
			if (!step(w, &b, &in))
				return false;
		}
	}
	if (p == w->e)
		return true;
	char pad[64];
	memset(pad, ' ', sizeof pad);
	memcpy(pad, p, (size_t)(w->e - p));
	struct block b = { .at = p, .n = (unsigned)(w->e - p) };
	k->masks(pad, 1, &b.m);
	return step(w, &b, &in);
}

bool skim_feed(struct extract *x, const char *s, size_t n)
{
	if (x->skim.how == EXTRACT_SKIM_OFF)
		return give(x, s, s + n);
	struct walk w = { .x = x, .s = s, .e = s + n, .fed = s };
	if (x->skim.hex)
		hex_carried(&w);
	if (walk_blocks(&w) && !x->failed)
		feed_end(&w);
	if (!x->failed)
		give(x, w.fed, w.e);
	return !x->failed;
}
