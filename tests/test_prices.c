/*
 * test_prices.c - the price table: loading, every validation error with its
 * message, the lookup chain of bedrock-ledger-formats(5), PRICES, costs, and the built-in table.
 * Runs in tests/ (fixtures under fixtures/prices/).
 */
#include "ledger/price/prices.h"

#include <stdlib.h>
#include <unistd.h>

#include "tap.h"

#define FIX  "fixtures/prices/"
#define NANO 1000000000ull
#define HEADER                                                                                     \
	"model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok"

/* The standard row for every request at no particular time, as version 1 looked it up. */
static const struct price *lookup_slices(const struct price_table *t, struct str model,
					 struct str region)
{
	enum price_miss miss;
	const struct price_row *r =
	    prices_lookup(t, model, region, STR_LIT(""), 0, (struct ts){ 0, 0 }, &miss);
	return r ? &r->price : NULL;
}

static const struct price *lookup(const struct price_table *t, const char *model,
				  const char *region)
{
	return lookup_slices(t, str_from(model), str_from(region));
}

/* The input price of the row found, in nanos; -1 if no row. */
static long long input_nanos(const struct price_table *t, const char *model, const char *region)
{
	const struct price *p = lookup(t, model, region);
	return p ? (long long)p->nanos[TOKEN_INPUT] : -1;
}

static void load_ok(const char *file, size_t rows)
{
	struct price_table *t = prices_create();
	int rc = prices_load_file(t, file);
	ok(rc == 0, "%s loads", file);
	if (rc)
		printf("#   %s\n", prices_error(t));
	is_int(prices_count(t), rows, "%s has %zu rows", file, rows);
	is_str(prices_error(t), "", "%s: no error", file);
	prices_destroy(t);
}

static void load_fails(const char *file, const char *message)
{
	struct price_table *t = prices_create();
	ok(prices_load_file(t, file) == -1, "%s is rejected", file);
	is_str(prices_error(t), message, "%s: message", file);
	is_int(prices_count(t), 0, "%s: table unchanged", file);
	prices_destroy(t);
}

static void buffer_fails(const char *text, const char *message, const char *what)
{
	struct price_table *t = prices_create();
	ok(prices_load_buffer(t, "buf", text, strlen(text)) == -1, "%s is rejected", what);
	is_str(prices_error(t), message, "%s: message", what);
	prices_destroy(t);
}

static void test_valid_files(void)
{
	load_ok(FIX "lookup.csv", 8);
	load_ok(FIX "bom.csv", 1);
	load_ok(FIX "header-only.csv", 0);
	load_ok(FIX "no-final-newline.csv", 1);
	load_ok(FIX "ok-for-dup.csv", 1);

	/* columns in any order, extra columns ignored, quoting, CRLF, a blank line, a cell over two
	 * lines */
	struct price_table *t = prices_create();
	ok(prices_load_file(t, FIX "reordered.csv") == 0, "reordered.csv loads");
	is_int(prices_count(t), 3, "reordered.csv has 3 rows");
	const struct price *p = lookup(t, "x.one", "ap-south-1");
	ok(p && p->has[TOKEN_INPUT] && p->nanos[TOKEN_INPUT] == 3 * NANO, "x.one *: input 3");
	ok(p && p->nanos[TOKEN_OUTPUT] == 15 * NANO, "x.one *: output 15");
	ok(p && p->nanos[TOKEN_CACHE_READ] == 300000000 && p->has[TOKEN_CACHE_READ],
	   "x.one *: cache read 0.3");
	ok(p && p->nanos[TOKEN_CACHE_WRITE] == 1250000000 && p->has[TOKEN_CACHE_WRITE],
	   "x.one *: cache write 1.25");
	p = lookup(t, "x.one", "us-east-1");
	ok(p && p->nanos[TOKEN_INPUT] == 4 * NANO && p->nanos[TOKEN_OUTPUT] == 16 * NANO,
	   "x.one us-east-1: 4/16");
	ok(p && !p->has[TOKEN_CACHE_READ] && !p->has[TOKEN_CACHE_WRITE],
	   "x.one us-east-1: empty cache cells are no price");
	p = lookup(t, "x.two", "us-east-1");
	ok(p && p->nanos[TOKEN_INPUT] == UINT64_MAX && p->nanos[TOKEN_OUTPUT] == 1,
	   "x.two: the largest and the smallest price");
	prices_destroy(t);

	/* the BOM is not part of the first column's name */
	t = prices_create();
	prices_load_file(t, FIX "bom.csv");
	is_int(input_nanos(t, "bom.model", "us-east-1"), NANO,
	       "bom.csv: model_id found after a BOM");
	prices_destroy(t);
}

static void test_errors(void)
{
	load_fails(FIX "empty.csv", FIX "empty.csv:1: missing header row");
	load_fails(FIX "blank.csv", FIX "blank.csv:1: missing header row");
	load_fails(FIX "missing-column.csv",
		   FIX "missing-column.csv:1: missing required column \"cache_write_per_mtok\" "
		       "(see --print-prices)");
	load_fails(FIX "missing-region.csv", FIX
		   "missing-region.csv:2: missing required column \"region\" (see --print-prices)");
	load_fails(FIX "duplicate-column.csv",
		   FIX "duplicate-column.csv:1: duplicate column \"region\"");
	load_fails(FIX "negative.csv",
		   FIX "negative.csv:3: input_per_mtok \"-1\" is not a non-negative decimal");
	load_fails(FIX "too-precise.csv", FIX "too-precise.csv:3: cache_read_per_mtok "
					      "\"0.0000000001\" has more than 9 fractional digits");
	load_fails(FIX "too-large.csv",
		   FIX "too-large.csv:2: output_per_mtok \"18446744074\" is too large");
	load_fails(FIX "blank-in-price.csv",
		   FIX "blank-in-price.csv:2: input_per_mtok \" 3\" is not a non-negative decimal");
	load_fails(FIX "exponent.csv",
		   FIX "exponent.csv:2: input_per_mtok \"1e3\" is not a non-negative decimal");
	load_fails(FIX "leading-dot.csv", FIX "leading-dot.csv:2: cache_write_per_mtok \".5\" is "
					      "not a non-negative decimal");
	load_fails(FIX "empty-model.csv", FIX "empty-model.csv:3: empty model_id");
	load_fails(FIX "empty-region.csv", FIX "empty-region.csv:3: empty region");
	load_fails(
	    FIX "duplicate-row.csv", FIX
	    "duplicate-row.csv:6: "
	    "this row and the one on line 3 both price model_id \"a\", region \"eu-west-1\", tier "
	    "standard, "
	    "context_over 0 at the same time: give them valid_from/valid_to periods that do not "
	    "overlap, or remove one");
	load_fails(FIX "short-row.csv",
		   FIX "short-row.csv:3: 5 fields, but the header has 6: the row stops before a "
		       "required column");
	load_fails(FIX "long-row.csv",
		   FIX "long-row.csv:2: 7 fields, but the header has 6 (a decimal comma? write "
		       "3.5, not 3,5; or quote a cell that holds a comma)");
	load_fails(FIX "stray-quote.csv",
		   FIX "stray-quote.csv:3: malformed CSV: a quote inside an unquoted field, or "
		       "text after a closing quote");
	load_fails(FIX "after-quote.csv",
		   FIX "after-quote.csv:3: malformed CSV: a quote inside an unquoted field, or "
		       "text after a closing quote");
	load_fails(FIX "unclosed-quote.csv",
		   FIX "unclosed-quote.csv:3: malformed CSV: a quoted field is not closed");
	/* a cell over three lines and a blank line: LINE is the physical line */
	load_fails(FIX "line-numbers.csv",
		   FIX "line-numbers.csv:6: input_per_mtok \"x\" is not a non-negative decimal");
	/* the line a row starts on, not the one it ends on */
	load_fails(FIX "multiline-row-error.csv", FIX "multiline-row-error.csv:2: "
						      "cache_write_per_mtok \"x\" is not a "
						      "non-negative decimal");
	load_fails(FIX "no-such-file.csv",
		   FIX "no-such-file.csv: cannot read: No such file or directory");
	load_fails(FIX, FIX ": cannot read: Is a directory");

	/* CRLF and lone CR line ends count as lines too */
	buffer_fails(HEADER "\r\na,*,1,2,,\r\n\r\nb,*,z,2,,\r\n",
		     "buf:4: input_per_mtok \"z\" is not a non-negative decimal", "CRLF");
	buffer_fails(HEADER "\ra,*,1,2,,\rb,*,z,2,,\r",
		     "buf:3: input_per_mtok \"z\" is not a non-negative decimal", "CR");
	/* ... for syntax errors too, in the words a manifest uses */
	buffer_fails(
	    HEADER "\ra,*,1,2,,\rb,*,1\"x,2,,\r",
	    "buf:3: malformed CSV: a quote inside an unquoted field, or text after a closing quote",
	    "CR-only syntax error");
	buffer_fails(HEADER "\ra,*,1,2,,\rb,\"*\r",
		     "buf:3: malformed CSV: a quoted field is not closed",
		     "CR-only unclosed quote");
	/* the first problem wins */
	buffer_fails(HEADER "\n,*,1,2,,\na,,1,2,,\n", "buf:2: empty model_id", "first problem");
	/* a syntax error after a bad row: the bad row is reported */
	buffer_fails(HEADER "\na,*,-,2,,\n\"b\n",
		     "buf:2: input_per_mtok \"-\" is not a non-negative decimal",
		     "error before EOF");
	/* no trimming: a blank-only line is a row of one field */
	buffer_fails(HEADER "\n  \n",
		     "buf:2: 1 field, but the header has 6: the row stops before a required column",
		     "blank-only line");
	/* header names are exact */
	buffer_fails("Model_ID,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,"
		     "cache_write_per_mtok\n",
		     "buf:1: missing required column \"model_id\" (see --print-prices)",
		     "header names are case-sensitive");
	buffer_fails(
	    HEADER "\nm,*,1,2,,\nm,*,1,2,,\n",
	    "buf:3: "
	    "this row and the one on line 2 both price model_id \"m\", region \"*\", tier "
	    "standard, "
	    "context_over 0 at the same time: give them valid_from/valid_to periods that do not "
	    "overlap, or remove one",
	    "duplicate of a * row");
	/* long values are cut in messages */
	buffer_fails(
	    HEADER
	    "\na,*,1234567890123456789012345678901234567890123456789012345678901234567890,,,\n",
	    "buf:2: input_per_mtok "
	    "\"1234567890123456789012345678901234567890123456789012345678901234...\" is too "
	    "large",
	    "long value");

	/* a model_id that differs only by case is another row */
	struct price_table *t = prices_create();
	const char *distinct = HEADER "\nm,*,1,2,,\nM,*,1,2,,\nm,eu-west-1,1,2,,\n";
	ok(prices_load_buffer(t, "buf", distinct, strlen(distinct)) == 0,
	   "keys are compared byte for byte");
	is_int(prices_count(t), 3, "three distinct keys");
	prices_destroy(t);

	/* a NUL byte is malformed CSV (as in a manifest), on the line it is on: 4, in a cell begun
	 * on 3 */
	t = prices_create();
	const char withnul[] = HEADER "\nm,*,1,2,,\n\"a\nb\0x\",*,1,2,,\n";
	ok(prices_load_buffer(t, "buf", withnul, sizeof withnul - 1) == -1, "a NUL inside a cell");
	is_str(prices_error(t), "buf:4: malformed CSV: a NUL byte (not UTF-8 text: a binary file?)",
	       "a NUL byte: message");
	is_int(prices_count(t), 0, "a NUL byte: nothing loaded");
	/* a buffer need not be NUL-terminated */
	ok(prices_load_buffer(t, "cut", HEADER "\nq,*,1,2,,\nr,*,oops", sizeof HEADER + 10) == 0,
	   "only n bytes are read");
	is_int(prices_count(t), 1, "the cut buffer added one row");
	is_str(prices_error(t), "", "a good load clears the last error");
	prices_destroy(t);
}

static void test_second_load(void)
{
	struct price_table *t = prices_create();
	ok(prices_load_file(t, FIX "lookup.csv") == 0, "first table loads");
	const struct price *before = lookup(t, "m.a", "eu-west-1");

	/* a failed load leaves the table as it was */
	ok(prices_load_file(t, FIX "empty-region.csv") == -1, "a bad second table is rejected");
	is_int(prices_count(t), 8, "the rows of a bad table are not added");
	is_int(input_nanos(t, "a", "us-east-1"), -1, "not even its good rows");

	const char *dup = HEADER "\nnew.model,*,1,2,,\nm.a,eu-west-1,9,9,,\n";
	ok(prices_load_buffer(t, "second.csv", dup, strlen(dup)) == -1,
	   "a row already loaded is a duplicate");
	is_str(prices_error(t),
	       "second.csv:3: this row and the one on " FIX "lookup.csv:8 both price model_id "
	       "\"m.a\", region \"eu-west-1\", tier standard, context_over 0 at the same time: "
	       "give them valid_from/valid_to periods that do not overlap, or remove one",
	       "the message names the first table");
	is_int(prices_count(t), 8, "table unchanged");
	is_int(input_nanos(t, "new.model", "us-east-1"), -1, "no row of the rejected buffer");

	const char *more = HEADER "\nnew.model,*,1,2,,\n";
	ok(prices_load_buffer(t, "third.csv", more, strlen(more)) == 0, "new rows are added");
	is_int(prices_count(t), 9, "9 rows");
	is_int(input_nanos(t, "new.model", "us-east-1"), NANO, "the new row is found");
	ok(lookup(t, "m.a", "eu-west-1") == before, "pointers from before stay valid");
	prices_destroy(t);

	/* rows are checked in order: a duplicate of an earlier table before a bad price */
	t = prices_create();
	ok(prices_load_file(t, FIX "ok-for-dup.csv") == 0, "ok-for-dup.csv loads");
	ok(prices_load_file(t, FIX "negative.csv") == -1, "negative.csv repeats its row");
	is_str(prices_error(t),
	       FIX "negative.csv:2: this row and the one on " FIX "ok-for-dup.csv:2 both price "
		   "model_id \"a\", region \"*\", tier standard, context_over 0 at the same time: "
		   "give them valid_from/valid_to periods that do not overlap, or remove one",
	       "the first problem in line order");
	is_int(prices_count(t), 1, "one row");
	prices_destroy(t);

	/* enough rows to grow the hash table several times */
	static const char *const r[7] = { "us-east-1",	  "us-west-2",	"eu-west-1",
					  "eu-central-1", "ap-south-1", "ap-northeast-1",
					  "sa-east-1" };
	t = prices_create();
	size_t cap = 64 + 5000 * 48, n = 0;
	char *big = malloc(cap);
	n += (size_t)snprintf(big + n, cap - n, "%s\n", HEADER);
	for (int i = 0; i < 5000; i++)
		n += (size_t)snprintf(big + n, cap - n, "model.%d,%s,%d,1,,\n", i, r[i % 7], i);
	ok(prices_load_buffer(t, "big", big, n) == 0, "5000 rows load");
	is_int(prices_count(t), 5000, "5000 rows");
	int found = 0;
	for (int i = 0; i < 5000; i++) {
		char m[32];
		snprintf(m, sizeof m, "model.%d", i);
		found += input_nanos(t, m, r[i % 7]) == (long long)i * (long long)NANO;
	}
	is_int(found, 5000, "every row found with its price");
	is_int(input_nanos(t, "model.1", r[2]), -1, "another region is not found");
	prices_destroy(t);

	/* the same through a file larger than one read */
	char path[] = "/tmp/test_prices_XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	ok(f && fwrite(big, 1, n, f) == n && fclose(f) == 0, "wrote %zu bytes to %s", n, path);
	t = prices_create();
	ok(prices_load_file(t, path) == 0, "a large file loads");
	is_int(prices_count(t), 5000, "5000 rows from the file");
	is_int(input_nanos(t, "model.4999", r[4999 % 7]), 4999 * (long long)NANO, "the last row");
	prices_destroy(t);
	unlink(path);
	free(big);
}

static void test_lookup(void)
{
	struct price_table *t = prices_create();
	ok(prices_load_file(t, FIX "lookup.csv") == 0, "lookup.csv loads");

	is_int(input_nanos(t, "m.a", "eu-west-1"), 1500000000, "region row beats the * row");
	is_int(input_nanos(t, "m.a", "us-east-1"), NANO, "* row for another region");
	is_int(input_nanos(t, "m.a", ""), NANO, "* row for an empty region");
	is_int(input_nanos(t, "c.only-region", "ap-south-1"), 7 * NANO, "a region row alone");
	is_int(input_nanos(t, "c.only-region", "us-east-1"), -1, "no * row: not found");

	static const char *const prefixes[] = { "us.", "eu.",	  "apac.", "jp.",
						"au.", "us-gov.", "ca.",   "sa." };
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
		char model[64];
		snprintf(model, sizeof model, "%sm.a", prefixes[i]);
		is_int(input_nanos(t, model, "eu-west-1"), 1500000000,
		       "%s stripped: the base model's region row", model);
		is_int(input_nanos(t, model, "us-east-1"), NANO,
		       "%s stripped: the base model's * row", model);
		snprintf(model, sizeof model, "%sc.only-region", prefixes[i]);
		is_int(input_nanos(t, model, "ap-south-1"), 7 * NANO,
		       "%s stripped: region row alone", model);
		is_int(input_nanos(t, model, "eu-west-1"), -1, "%s stripped: still nothing", model);
	}

	is_int(input_nanos(t, "eu.b.base", "us-gov-west-1"), 3300000000,
	       "a prefixed * row beats the base model's region row");
	is_int(input_nanos(t, "eu.b.base", "eu-west-1"), 3300000000, "the prefixed row");
	is_int(input_nanos(t, "us.b.base", "us-gov-west-1"), 3600000000,
	       "us. stripped: base region row");
	is_int(input_nanos(t, "us-gov.b.base", "us-gov-west-1"), 3600000000,
	       "us-gov. stripped: base region row");
	is_int(input_nanos(t, "us.b.base", "eu-west-1"), 3 * NANO, "us. stripped: base * row");
	is_int(input_nanos(t, "global.b.base", "us-gov-west-1"), 2 * NANO,
	       "global. has its own row");
	is_int(input_nanos(t, "global.m.a", "eu-west-1"), -1, "global. is never stripped");
	is_int(input_nanos(t, "global.m.a", "us-east-1"), -1, "global. is never stripped (*)");
	is_int(input_nanos(t, "us.eu.b.base", "us-east-1"), 3300000000,
	       "one prefix stripped: the prefixed row of the rest");
	is_int(input_nanos(t, "us.eu.m.a", "eu-west-1"), -1, "a prefix is stripped once only");
	is_int(input_nanos(t, "us.solo", "us-east-1"), -1,
	       "us.solo is not a profile: not stripped");
	is_int(input_nanos(t, "solo", "us-east-1"), NANO, "solo has a row");
	is_int(input_nanos(t, "xx.m.a", "us-east-1"), -1, "xx. is not a geographic prefix");
	is_int(input_nanos(t, "US.m.a", "us-east-1"), -1, "prefixes are lower case");
	is_int(input_nanos(t, "M.A", "us-east-1"), -1, "model IDs are case-sensitive");
	is_int(input_nanos(t, "unknown.model", "us-east-1"), -1, "unknown model");
	is_int(input_nanos(t, "", "us-east-1"), -1, "empty model");
	ok(lookup_slices(t, (struct str){ NULL, 0 }, (struct str){ NULL, 0 }) == NULL,
	   "empty NULL slices");
	is_int(input_nanos(t, "m.a", "*"), NANO, "region * itself");

	/* slices need not be NUL-terminated */
	ok(lookup_slices(t, (struct str){ "m.abc", 3 }, (struct str){ "eu-west-1x", 9 }) ==
	       lookup(t, "m.a", "eu-west-1"),
	   "lookup reads only n bytes");
	prices_destroy(t);

	struct price_table *empty = prices_create();
	ok(lookup(empty, "m.a", "us-east-1") == NULL, "an empty table finds nothing");
	is_int(prices_count(empty), 0, "an empty table has no rows");
	is_str(prices_error(empty), "", "no error yet");
	prices_destroy(empty);
	prices_destroy(NULL);
}

static void test_cost(void)
{
	struct price_table *t = prices_create();
	prices_load_file(t, FIX "lookup.csv");
	const struct price *full = lookup(t, "m.a", "us-east-1"); /* 1, 2, 0.1, 1.25 */
	const struct price *part = lookup(t, "m.a", "eu-west-1"); /* 1.5, 3, -, - */
	money_t cost = 77;

	uint64_t all[TOKEN_KINDS] = { 1000000, 1000000, 1000000, 1000000 };
	ok(price_cost(full, all, &cost, NULL) == 0, "all kinds priced");
	ok(cost == (money_t)4350000000 * 1000000, "1M of each at 1+2+0.1+1.25 = $4.35");

	uint64_t io[TOKEN_KINDS] = { 100, 200, 0, 0 };
	ok(price_cost(part, io, &cost, NULL) == 0, "an empty cell with a zero count is fine");
	ok(cost == (money_t)100 * 1500000000 + (money_t)200 * 3000000000u, "exact cost");

	uint64_t zero[TOKEN_KINDS] = { 0 };
	ok(price_cost(part, zero, &cost, NULL) == 0 && cost == 0, "no tokens cost 0");

	cost = 77;
	uint64_t cr[TOKEN_KINDS] = { 100, 200, 5, 0 };
	ok(price_cost(part, cr, &cost, NULL) == -1, "cache reads without a price: unpriced");
	ok(cost == 77, "cost untouched when unpriced");
	uint64_t cw[TOKEN_KINDS] = { 0, 0, 0, 1 };
	ok(price_cost(part, cw, &cost, NULL) == -1, "cache writes without a price: unpriced");

	const struct price *global = lookup(t, "global.b.base", "us-east-1"); /* 2, 10, -, - */
	uint64_t out_only[TOKEN_KINDS] = { 0, 7, 0, 0 };
	ok(price_cost(global, out_only, &cost, NULL) == 0 && cost == (money_t)7 * 10 * NANO,
	   "output only");

	uint64_t max[TOKEN_KINDS] = { 9007199254740991ull, 9007199254740991ull, 9007199254740991ull,
				      9007199254740991ull };
	ok(price_cost(full, max, &cost, NULL) == 0, "2^53-1 of every kind");
	ok(cost == (money_t)9007199254740991ull * 4350000000ull, "exact at 2^53-1 tokens");
	char text[48];
	money_format_usd(cost, text);
	is_str(text, "39181316758.123311", "printed");
	prices_destroy(t);
}

/* The newest as_of in a CSV whose last column is as_of (no quoted commas). */
static void newest_as_of(const char *csv, size_t len, char out[11])
{
	out[0] = '\0';
	const char *line = memchr(csv, '\n', len) + 1; /* skip the header */
	const char *end = csv + len;
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *stop = nl ? nl : end;
		const char *p = stop;
		while (p > line && p[-1] != ',')
			p--;
		if (stop - p == 10 && memcmp(p, out, 10) > 0) {
			memcpy(out, p, 10);
			out[10] = '\0';
		}
		line = stop + 1;
	}
}

static void test_builtin(void)
{
	size_t len = 0;
	const char *csv = prices_builtin_csv(&len);
	ok(csv && len > 0, "built-in CSV present");
	is_int(strlen(csv), len, "NUL-terminated, no NUL inside");
#define HEADER_V2                                                                                  \
	HEADER ",cache_write_1h_per_mtok,tier,context_over,valid_from,valid_to,source,as_of\n"
	ok(strncmp(csv, HEADER_V2, strlen(HEADER_V2)) == 0, "the header of data/prices.csv");
	ok(csv[len - 1] == '\n', "ends with a newline");
	ok(prices_builtin_csv(NULL) == csv, "len may be NULL");

	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += csv[i] == '\n';

	/* rows sorted by model_id, region, tier, then context_over (as a number); unique keys */
	int sorted = 1;
	char prev[512] = "";
	const char *line = strchr(csv, '\n') + 1;
	while (*line) {
		const char *c[10];
		c[0] = line - 1;
		for (int i = 1; i < 10; i++)
			c[i] = strchr(c[i - 1] + 1, ',');
		char key[512];
		/* fields joined by \1: a value that is a prefix of another sorts first */
		snprintf(key, sizeof key, "%.*s%c%.*s%c%.*s%c%020llu", (int)(c[1] - line), line, 1,
			 (int)(c[2] - c[1] - 1), c[1] + 1, 1, (int)(c[8] - c[7] - 1), c[7] + 1, 1,
			 strtoull(c[8] + 1, NULL, 10));
		if (strcmp(prev, key) >= 0) {
			sorted = 0;
			printf("#   out of order: %s\n", key);
		}
		strcpy(prev, key);
		line = strchr(line, '\n') + 1;
	}
	ok(sorted, "rows sorted by model_id, region, tier, context_over; no duplicate key");

	char newest[11];
	newest_as_of(csv, len, newest);
	is_str(prices_builtin_date(), newest, "prices_builtin_date is the newest as_of");

	struct price_table *t = prices_create();
	ok(prices_load_builtin(t) == 0, "built-in table loads");
	is_str(prices_error(t), "", "no error");
	is_int(prices_count(t), 668, "668 rows");
	is_int(prices_count(t), lines - 1, "one row per line after the header");

	is_int(input_nanos(t, "anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1"), 3300000000,
	       "Sonnet 4.5 base ID: regional price");
	is_int(input_nanos(t, "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1"),
	       3 * NANO, "Sonnet 4.5 global.");
	is_int(input_nanos(t, "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-gov-west-1"),
	       3600000000, "Sonnet 4.5 us-gov.");
	is_int(input_nanos(t, "us.anthropic.claude-3-haiku-20240307-v1:0", "us-gov-west-1"),
	       300000000, "us. Claude 3 Haiku from GovCloud: base region row");
	is_int(input_nanos(t, "us.anthropic.claude-3-haiku-20240307-v1:0", "us-east-1"), 250000000,
	       "us. Claude 3 Haiku: base * row");
	is_int(input_nanos(t, "eu.amazon.nova-pro-v1:0", "eu-central-1"), 1050000000,
	       "eu. Nova Pro from Frankfurt: region price");
	is_int(input_nanos(t, "global.anthropic.claude-3-haiku-20240307-v1:0", "us-east-1"), -1,
	       "global. Claude 3 Haiku: no row");
	const struct price *nova = lookup(t, "amazon.nova-micro-v1:0", "us-east-1");
	ok(nova && nova->has[TOKEN_CACHE_READ] && nova->nanos[TOKEN_CACHE_READ] == 8750000 &&
	       !nova->has[TOKEN_CACHE_WRITE],
	   "Nova Micro: cache read 0.00875, no cache-write price");

	ok(prices_load_builtin(t) == -1, "loading the built-in table twice: duplicates");
	is_str(
	    prices_error(t),
	    "(built-in prices):2: this row and the one on (built-in prices):2 both price model_id"
	    " \"ai21.j2-mid-v1\", region \"*\", tier standard, context_over 0 at the same time:"
	    " give them valid_from/valid_to periods that do not overlap, or remove one",
	    "the message names both places");
	is_int(prices_count(t), 668, "still 668 rows");
	prices_destroy(t);
}

/* The rows in load order, as the SQL generator inlines them. */
static void test_row_at(void)
{
	struct price_table *t = prices_create();
	const char *text = "model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,"
			   "cache_write_per_mtok\n"
			   "b,*,1,2,,\na,us-east-1,3,4,5,6\n";
	ok(prices_load_buffer(t, "buf", text, strlen(text)) == 0, "two rows");
	const struct price_row *r0 = prices_row_at(t, 0), *r1 = prices_row_at(t, 1);
	ok(r0 && str_eq(r0->model, STR_LIT("b")) && str_eq(r0->region, STR_LIT("*")),
	   "row 0 is the first line");
	ok(r1 && str_eq(r1->model, STR_LIT("a")) && r1->price.nanos[0] == 3000000000u,
	   "row 1 is the second");
	ok(prices_row_at(t, 2) == NULL, "past the end");
	prices_destroy(t);
}

/* Regions: * and known codes load quietly, new well-formed codes warn once, others fail. */
static void test_regions(void)
{
	struct price_table *t = prices_create();
	const char *ok_text =
	    HEADER "\nm.a,*,1,1,,\nm.a,us-gov-west-1,1,1,,\nm.a,eu-west-3,1,1,,\n";
	ok(prices_load_buffer(t, "known", ok_text, strlen(ok_text)) == 0, "known regions load");
	is_int(prices_warning_count(t), 0, "known regions: no warning");
	const char *new_text = HEADER "\nm.a,il-central-1,1,1,,\nm.b,il-central-1,1,1,,\n"
				      "m.a,us-eest-1,1,1,,\n";
	ok(prices_load_buffer(t, "new", new_text, strlen(new_text)) == 0, "new regions load");
	is_int(prices_warning_count(t), 2, "one warning per new region");
	is_str(prices_warning(t, 0),
	       "new:2: region \"il-central-1\" is not a Region bedrock-ledger knows (a new AWS "
	       "Region?): its rows price the records made there",
	       "a new region: a warning");
	is_str(prices_warning(t, 1),
	       "new:4: region \"us-eest-1\" is not a Region bedrock-ledger knows (a new AWS "
	       "Region?): its rows price the records made there; if it is a typo, did you mean "
	       "us-east-1?",
	       "a well-formed typo: a warning with the nearest region");
	is_int(prices_count(t), 6, "all rows loaded");
	const char *bad_text = HEADER "\nm.z,useast-1,1,1,,\n";
	ok(prices_load_buffer(t, "bad", bad_text, strlen(bad_text)) == -1, "a failed load");
	is_int(prices_warning_count(t), 2, "a failed load adds no warning");
	prices_destroy(t);

	buffer_fails(
	    HEADER "\nm.a,us-east1,1,1,,\n",
	    "buf:2: region \"us-east1\" is not an AWS Region code (such as us-east-1) or *:"
	    " did you mean us-east-1?",
	    "a region with a dash missing");
	buffer_fails(
	    HEADER "\nm.a,EU-WEST-1,1,1,,\n",
	    "buf:2: region \"EU-WEST-1\" is not an AWS Region code (such as us-east-1) or *:"
	    " did you mean eu-west-1?",
	    "a region in capitals");
	buffer_fails(HEADER "\nm.a,europe,1,1,,\n",
		     "buf:2: region \"europe\" is not an AWS Region code (such as us-east-1) or *",
		     "a region like none");
}

int main(void)
{
	test_regions();
	test_row_at();
	test_valid_files();
	test_errors();
	test_second_load();
	test_lookup();
	test_cost();
	test_builtin();
	return tap_done();
}
