/*
 * test_facts.c - records into fact cells: which records share a cell (same
 * hour and price class), which do not (another context class, a validity
 * bound inside the hour, another set of token kinds, another meta value),
 * and the record a cell stands for.
 */
#include "ledger/facts/facts.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define S(lit) ((struct str){ (lit), sizeof(lit) - 1 })

static const char table[] =
    "model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_mtok,"
    "context_over,valid_from,valid_to\n"
    "m,*,1,2,0.1,1.25,,,2026-10-01T12:30:00Z\n"
    "m,*,3,4,0.3,3.75,200000,2026-10-01T12:30:00Z,\n"
    "m,*,3,4,0.3,3.75,,2026-10-01T12:30:00Z,\n";

static struct record rec(const char *ts, uint64_t input, struct str *meta)
{
	struct record r = { 0 };
	ts_parse(ts, strlen(ts), &r.timestamp);
	r.model_id = S("m");
	r.region = S("us-east-1");
	r.caller = S("arn:aws:sts::111122223333:assumed-role/r/s");
	r.tokens[TOKEN_INPUT] = input;
	r.tokens[TOKEN_OUTPUT] = 10;
	r.meta = meta;
	return r;
}

static size_t cells_of(const struct fact_plan *p, struct record *rs, size_t n)
{
	struct rollup *t = rollup_create(p->nfields);
	struct fact_key k;
	fact_key_init(&k, p);
	for (size_t i = 0; i < n; i++) {
		fact_key_set(&k, p, &rs[i]);
		facts_add(t, &k, &rs[i]);
	}
	size_t cells = rollup_count(t);
	fact_key_finish(&k);
	rollup_destroy(t);
	return cells;
}

int main(void)
{
	struct price_table *prices = prices_create();
	ok(prices_load_buffer(prices, "t.csv", table, sizeof table - 1) == 0, "price table loads");
	struct fact_plan p;
	struct str meta[2] = { S("a"), S("b") };
	fact_plan_init(&p, prices, 1);
	is_int(p.ncontexts, 1, "one context threshold");
	is_int(p.nbounds, 1, "one validity bound");
	is_int(p.nfields, FACT_META + 1, "a field per meta key");

	struct record same[] = { rec("2026-10-01T12:00:00Z", 5, meta),
				 rec("2026-10-01T12:29:59Z", 7, meta) };
	is_int(cells_of(&p, same, 2), 1, "one hour, one price class: one cell");
	struct record bound[] = { rec("2026-10-01T12:29:59Z", 5, meta),
				  rec("2026-10-01T12:30:00Z", 5, meta) };
	is_int(cells_of(&p, bound, 2), 2, "a validity bound inside the hour splits it");
	struct record ctx[] = { rec("2026-10-01T13:00:00Z", 200000, meta),
				rec("2026-10-01T13:00:00Z", 200001, meta) };
	is_int(cells_of(&p, ctx, 2), 2, "a context over the threshold is another class");
	struct record hours[] = { rec("2026-10-01T13:00:00Z", 5, meta),
				  rec("2026-10-01T14:00:00Z", 5, meta) };
	is_int(cells_of(&p, hours, 2), 2, "two hours, two cells");
	struct record kinds[] = { rec("2026-10-01T13:00:00Z", 5, meta),
				  rec("2026-10-01T13:00:00Z", 5, meta) };
	kinds[1].tokens[TOKEN_CACHE_WRITE] = 4;
	kinds[1].tokens[TOKEN_CACHE_WRITE_1H] = 4;
	is_int(cells_of(&p, kinds, 2), 2, "1-hour cache writes are another kind of token");
	struct record metas[] = { rec("2026-10-01T13:00:00Z", 5, meta),
				  rec("2026-10-01T13:00:00Z", 5, meta + 1) };
	is_int(cells_of(&p, metas, 2), 2, "another requestMetadata value, another cell");

	/* the record a cell stands for */
	struct rollup *t = rollup_create(p.nfields);
	struct fact_key k;
	fact_key_init(&k, &p);
	struct record two[] = { rec("2026-10-01T12:40:00Z", 300000, meta),
				rec("2026-10-01T12:50:00Z", 250000, meta) };
	two[1].error = true;
	for (int i = 0; i < 2; i++) {
		fact_key_set(&k, &p, &two[i]);
		facts_add(t, &k, &two[i]);
	}
	size_t pos = 0;
	struct rollup_row row;
	ok(rollup_each(t, &pos, &row), "one cell");
	struct record r;
	uint64_t context;
	fact_record(&p, row.key, row.c, &r, &context);
	is_int(context, 200001, "the class's least context");
	char iso[21];
	ts_format(r.timestamp, iso);
	is_str(iso, "2026-10-01T12:30:00Z", "the price instant is the bound inside the hour");
	is_int(r.tokens[TOKEN_INPUT], 550000, "tokens summed");
	is_int(row.c->invocations, 2, "two invocations");
	is_int(row.c->errors, 1, "one error");
	ok(str_eq(r.caller, two[0].caller) && str_eq(r.meta[0], meta[0]), "fields kept");
	fact_key_finish(&k);
	rollup_destroy(t);

	/* the hour before the epoch is an hour too */
	struct record old[] = { rec("1969-12-31T23:59:59Z", 5, meta),
				rec("1969-12-31T23:00:00Z", 5, meta) };
	is_int(cells_of(&p, old, 2), 1, "1969-12-31T23 is one hour");

	/* --tz: a +05:30 zone splits each UTC hour at its half; a whole-hour one does not */
	struct diag d = DIAG_INIT;
	struct tz *kolkata = tz_load("Asia/Kolkata", &d), *berlin = tz_load("Europe/Berlin", &d);
	ok(kolkata && berlin, "zones load: %s", diag_msg(&d));
	struct record halves[] = { rec("2026-10-01T13:10:00Z", 5, meta),
				   rec("2026-10-01T13:40:00Z", 5, meta) };
	is_int(cells_of(&p, halves, 2), 1, "without --tz, one UTC hour is one cell");
	p.tz = berlin;
	is_int(cells_of(&p, halves, 2), 1, "in Berlin too");
	p.tz = kolkata;
	is_int(cells_of(&p, halves, 2), 2, "in Kolkata, 18:40 and 19:10 are two local hours");
	struct record local[] = { rec("2026-10-01T13:40:00Z", 5, meta),
				  rec("2026-10-01T14:10:00Z", 5, meta) };
	is_int(cells_of(&p, local, 2), 2, "and one local hour over two UTC hours is two cells");
	t = rollup_create(p.nfields);
	fact_key_init(&k, &p);
	fact_key_set(&k, &p, &halves[1]);
	facts_add(t, &k, &halves[1]);
	pos = 0;
	rollup_each(t, &pos, &row);
	fact_record(&p, row.key, row.c, &r, &context);
	ts_format(r.timestamp, iso);
	is_str(iso, "2026-10-01T13:30:00Z", "its price instant is the start of the local hour");
	fact_key_finish(&k);
	rollup_destroy(t);
	p.tz = NULL;
	tz_free(kolkata);
	tz_free(berlin);
	diag_clear(&d);
	fact_plan_finish(&p);
	prices_destroy(prices);
	return tap_done();
}
