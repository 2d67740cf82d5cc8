/*
 * test_cur_jsonmap.c - strings out of CUR 2.0 map cells (jsonmap.h): found,
 * absent, escapes, nesting, and every way a cell can fail to be one JSON
 * object.
 */
#include "ledger/bill/jsonmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static struct jsonmap_buf buf;

static const char *get(const char *cell, const char *key)
{
	static char out[256];
	struct str v;
	switch (jsonmap_get(str_from(cell), key, &buf, &v)) {
	case JSONMAP_FOUND:
		snprintf(out, sizeof out, "[%.*s]", (int)v.n, v.p);
		return out;
	case JSONMAP_ABSENT:
		return "absent";
	case JSONMAP_INVALID:
		return "invalid";
	}
	return "?";
}

/* {"a":[[...]]} with `arrays` arrays */
static const char *deep(int arrays)
{
	static char text[300];
	size_t n = (size_t)sprintf(text, "{\"a\":");
	for (int i = 0; i < arrays; i++)
		text[n++] = '[';
	for (int i = 0; i < arrays; i++)
		text[n++] = ']';
	text[n++] = '}';
	text[n] = '\0';
	return text;
}

int main(void)
{
	static const struct {
		const char *cell, *key, *want;
	} cases[] = {
		{ "{\"product_name\":\"Amazon Bedrock\",\"region\":\"us-east-1\"}", "region",
		  "[us-east-1]" },
		{ "{\"product_name\":\"Amazon Bedrock\",\"region\":\"us-east-1\"}", "product_name",
		  "[Amazon Bedrock]" },
		{ " { \"a\" : 1 , \"region\" :\t\"x\" } ", "region", "[x]" },
		{ "{}", "region", "absent" },
		{ "", "region", "absent" },
		{ "   ", "region", "absent" },
		{ "{\"region\":null}", "region", "absent" },
		{ "{\"region\":5}", "region", "absent" },
		{ "{\"region\":\"a\",\"region\":\"b\"}", "region", "[a]" },
		{ "{\"nested\":{\"region\":\"no\"},\"region\":\"yes\"}", "region", "[yes]" },
		{ "{\"x\":[1,-2.5e+3,true,false,null,{\"y\":[]}],\"region\":\"ok\"}", "region",
		  "[ok]" },
		{ "{\"region\":\"a\\\"b\\\\c\\/d\\u0041\\u00e9\\u20ac\"}", "region",
		  "[a\"b\\c/dA\xc3\xa9\xe2\x82\xac]" },
		{ "{\"region\":\"\\ud83d\\ude00\"}", "region", "[\xf0\x9f\x98\x80]" },
		{ "{\"region\":\"\\ud83d\"}", "region", "[\xef\xbf\xbd]" },
		{ "{\"re\\u0067ion\":\"escaped key\"}", "region", "[escaped key]" },
		{ "{\"region\":\"\"}", "region", "[]" },
		/* not one JSON object */
		{ "{", "region", "invalid" },
		{ "{\"region\":\"x\"", "region", "invalid" },
		{ "{\"region\":\"x\"}}", "region", "invalid" },
		{ "{\"region\":\"x\",}", "region", "invalid" },
		{ "{region:\"x\"}", "region", "invalid" },
		{ "{\"region\" \"x\"}", "region", "invalid" },
		{ "[\"region\",\"x\"]", "region", "invalid" },
		{ "\"x\"", "region", "invalid" },
		{ "{\"region\":\"a\x01b\"}", "region", "invalid" },
		{ "{\"region\":\"\\x\"}", "region", "invalid" },
		{ "{\"region\":\"\\u12\"}", "region", "invalid" },
		{ "{\"region\":tru}", "region", "invalid" },
		{ "{\"region\":01}", "region", "invalid" },
		{ "{\"region\":1.}", "region", "invalid" },
		{ "{\"region\":-}", "region", "invalid" },
		{ "{\"a\":[1 2]}", "region", "invalid" },
		{ "{\"region\":\"x\"} trailing", "region", "invalid" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_str(get(cases[i].cell, cases[i].key), cases[i].want, "%zu: %s", i,
		       cases[i].cell);

	/* nesting: the object and 63 arrays in it are 64 levels, read; one more is refused */
	is_str(get(deep(63), "region"), "absent", "64 levels");
	is_str(get(deep(64), "region"), "invalid", "65 levels");

	/* not NUL-terminated: only n bytes are read */
	struct str v;
	ok(jsonmap_get((struct str){ "{\"region\":\"x\"}garbage", 14 }, "region", &buf, &v) ==
		   JSONMAP_FOUND &&
	       str_eq(v, STR_LIT("x")),
	   "reads only the cell");
	free(buf.p);
	return tap_done();
}
