/*
 * test_json.c - the JSON writer: layout, escaping of every control byte,
 * UTF-8 kept or replaced, money with 6 decimals; and SHA-256 of known texts.
 */
#include "ledger/support/json.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/sha256.h"
#include "tap.h"

/* What fn writes, as a NUL-terminated string (caller frees). */
static char *capture(void (*fn)(struct json *j, const void *arg), const void *arg)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);
	struct json j;
	json_init(&j, fp);
	fn(&j, arg);
	fclose(fp);
	return buf;
}

static void put_string(struct json *j, const void *arg)
{
	const struct str *s = arg;
	json_str(j, *s);
}

static char *str_json(const char *p, size_t n)
{
	struct str s = { p, n };
	return capture(put_string, &s);
}

static void check_string(const char *in, size_t n, const char *want, const char *what)
{
	char *got = str_json(in, n);
	is_str(got, want, "%s", what);
	free(got);
}

static void doc(struct json *j, const void *arg)
{
	(void)arg;
	json_begin_object(j);
	json_key(j, "version");
	json_u64(j, 1);
	json_key(j, "cost_usd");
	json_money(j, (money_t)1234567890123456789ULL); /* 1234.567890123456789 USD */
	json_key(j, "list");
	json_begin_array(j);
	json_i64(j, -3);
	json_bool(j, true);
	json_null(j);
	json_cstr(j, "x");
	json_end_array(j);
	json_key(j, "empty");
	json_begin_object(j);
	json_end_object(j);
	json_end_object(j);
	json_finish(j);
}

int main(void)
{
	check_string("plain", 5, "\"plain\"", "plain ASCII as is");
	check_string("a\"b\\c", 5, "\"a\\\"b\\\\c\"", "quote and backslash escaped");
	check_string("\n\t\r\x01\x1f\x7f", 6, "\"\\n\\t\\r\\u0001\\u001f\\u007f\"",
		     "control bytes escaped");
	check_string("a\0b", 3, "\"a\\u0000b\"", "NUL escaped, not an end");
	check_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14,
		     "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "valid UTF-8 kept");
	check_string("\xff\xc3", 2, "\"\\ufffd\\ufffd\"", "invalid and cut-off bytes replaced");
	check_string("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"", "overlong form replaced");
	check_string("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"", "surrogate replaced");
	check_string("\xe2\x80\xa8", 3, "\"\\u2028\"", "U+2028 escaped");
	check_string("</script>", 9, "\"</script>\"", "no HTML escaping needed in JSON");

	char *got = capture(doc, NULL);
	is_str(got,
	       "{\n  \"version\": 1,\n  \"cost_usd\": \"1234.567890\",\n  \"list\": [\n    -3,\n"
	       "    true,\n    null,\n    \"x\"\n  ],\n  \"empty\": {}\n}\n",
	       "nested layout, money rounded to 6 decimals in a string");
	free(got);

	unsigned char d[SHA256_SIZE];
	char hex[SHA256_HEX];
	struct sha256 *h = sha256_create();
	sha256_update(h, "ab", 2);
	sha256_update(h, "c", 1);
	sha256_final(h, d);
	sha256_hex(d, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	       "SHA-256 of abc, fed in two pieces");
	sha256_final(h, d);
	sha256_hex(d, hex);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	       "SHA-256 of nothing (final resets)");
	sha256_destroy(h);
	return tap_done();
}
