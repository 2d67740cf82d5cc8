/*
 * views.h - the views that need more than a group-by: whatif.csv (the
 * same tokens at the prices of cheaper models of the ladder), cache.csv
 * (what prompt caching saved and what its writes cost) and coverage.csv
 * (records per account, source region and day, with the hours that have
 * any), as bedrock-ledger(1) describes them.
 *
 * Pipeline: worker -> tally -> [views] -> report (CSV) and html (the page).
 * A struct views is embedded in each worker's tally: tally_add feeds whatif
 * and cache with each priced record (or fact cell) and its invocations; the
 * worker feeds coverage with every record whose timestamp is in the window,
 * counted or rejected. tally_merge folds the workers' views into one, which
 * is written to the CSVs and read by the page: both show the same rows.
 * Ownership: a views owns its tables and its cache of alternatives; the
 * config (group-by, ladder, price table) is borrowed and read-only.
 */
#ifndef LEDGER_VIEWS_H
#define LEDGER_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/facts/rollup.h"
#include "ledger/price/ladder.h"
#include "ledger/price/prices.h"
#include "ledger/support/table.h"
#include "ledger/support/tz.h"
#include "ledger/views/fields.h"
#include "ledger/views/report.h"
#include "ledger/views/sums.h"
#include "ledger/views/whatif.h"

struct views_config {
	const struct group_by *g;
	const struct ladder *ladder; /* NULL: no whatif.csv rows */
	const struct price_table *prices;
	const struct tz *tz; /* --tz: coverage.csv's days and hours in its zone; NULL: UTC */
};

/* The -g columns a view keeps: those whose header is not one of the view's own. */
struct views_groups {
	size_t idx[64];
	size_t n;
};

struct views {
	const struct views_config *cfg; /* NULL: nothing is counted */
	struct views_groups whatif_groups, cache_groups;
	struct sums *whatif;   /* -g..., model, alternative: count[0] invocations; usd cost, alt */
	struct sums *cache;    /* -g..., model: count[0] invocations; usd read saving, premium */
	struct sums *coverage; /* account, region, day: count objects, records, rejected */
	struct sums *hourly;   /* hour: count[0] priced invocations, usd[0] their cost (the page) */
	struct whatif_alts alts; /* whatif.csv's alternatives */
	struct str *key;       /* scratch */
	uint64_t object;       /* coverage: the object being read, numbered from 1 */
	bool day_set;	       /* coverage: the day of the last record, formatted once */
	int64_t day_num;
	int64_t day_start;     /* ... and the instant it began (its local midnight with --tz) */
	char day[11];
};

/* cfg NULL: a views that counts nothing (its tables stay empty). */
void views_init(struct views *v, const struct views_config *cfg);
void views_finish(struct views *v);

/*
 * A priced record (or a fact cell of them: rv->r's tokens are the sum, and
 * `invocations` their number) joins whatif.csv and cache.csv; unpriced ones
 * are left out.
 */
void views_add(struct views *v, struct record_view *rv, uint64_t invocations);

/* coverage.csv: a new object begins; its records follow. */
void views_object(struct views *v);
/* coverage.csv: one record of the window (counted, or rejected when `rejected`). */
void views_saw(struct views *v, const struct record *r, bool rejected);
/*
 * coverage.csv: the counted records of a fact cell (--state: an object
 * taken from it), of account and source region, from c->first to c->last
 * (one hour): as views_saw for each of them.
 */
void views_saw_cell(struct views *v, struct str account, struct str region,
		    const struct counters *c);

void views_merge(struct views *dst, const struct views *src);

/* whatif.csv, cache.csv and coverage.csv into the set; 0, or -1 (the set says why). */
int views_write(const struct views *v, struct report_set *set);

/* The headers of the files (the -g columns first where they have them). */
void views_whatif_header(const struct views *v, struct report_file *f);
void views_cache_header(const struct views *v, struct report_file *f);
#define VIEWS_COVERAGE_HEADER                                                                      \
	"account_id,region,day,objects,records,rejected,first_timestamp,last_timestamp,"           \
	"hours_with_records"

/* usd indexes of the tables (whatif's and cache's: whatif.h) */
enum { COVERAGE_OBJECTS, COVERAGE_RECORDS, COVERAGE_REJECTED };


/* hours_with_records of a coverage row */
unsigned views_hours(const struct sums_row *r);

#endif
