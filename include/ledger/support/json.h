/*
 * json.h - a small JSON writer: objects, arrays, strings, integers, and
 * money as strings, indented two spaces a level.
 *
 * Pipeline: used by summary.json (--format json), run.json and whatever
 * else the ledger writes as JSON.
 * Strings are any bytes: quote, backslash and every control byte are
 * escaped, valid UTF-8 is kept as is (U+2028 and U+2029 escaped, so the
 * text can sit in a script), and a byte that is not part of valid UTF-8
 * becomes U+FFFD: a value from the inputs can never break the document.
 * Money is a string with 6 decimals ("12.345678"), rounded half up, so that
 * no reader rounds it through a float.
 * Ownership: the writer borrows the stream; it keeps no memory.
 *
 *	struct json j;
 *	json_init(&j, fp);
 *	json_begin_object(&j);
 *	json_key(&j, "version"); json_u64(&j, 1);
 *	json_end_object(&j);
 *	json_finish(&j);                  (a final newline)
 */
#ifndef LEDGER_JSON_H
#define LEDGER_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger/support/decimal.h"
#include "ledger/support/money.h"
#include "ledger/support/str.h"
#include "ledger/support/timestamp.h"

#define JSON_MAX_DEPTH 32

struct json {
	FILE *fp;
	int depth;
	bool first[JSON_MAX_DEPTH]; /* nothing written yet at this level */
	bool after_key;		    /* a value completes the key just written */
};

void json_init(struct json *j, FILE *fp);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
/* The key of the next member (in an object). */
void json_key(struct json *j, const char *key);

void json_str(struct json *j, struct str s);
void json_cstr(struct json *j, const char *s); /* NULL: null */
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
void json_money(struct json *j, money_t v);	     /* "1.234567" */
void json_decimal(struct json *j, struct decimal d); /* "-1.234567" */
void json_ts(struct json *j, struct ts t);	     /* "YYYY-MM-DDTHH:MM:SSZ" */

/* Members that are counts, in order: a table reads as the object it writes. */
struct json_count {
	const char *key;
	uint64_t n;
};
void json_counts(struct json *j, const struct json_count *c, size_t n);
#define JSON_COUNTS(j, ...)                                                                        \
	json_counts((j), (const struct json_count[]){ __VA_ARGS__ },                               \
		    sizeof((const struct json_count[]){ __VA_ARGS__ }) / sizeof(struct json_count))

/* Ends the document with a newline. Returns 0, or -1 when the stream has an error. */
int json_finish(struct json *j);

/* Writes s as a JSON string (quotes included) to fp: the escaping rule above. */
void json_put_string(FILE *fp, const char *s, size_t n);

#endif
