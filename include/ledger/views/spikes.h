/*
 * spikes.h - expensive hours (bedrock-ledger-formats(5), REPORTS, spikes.csv).
 *
 * Pipeline: tally (hourly cells of priced records) -> runs -> [spikes] -> report, summary.
 * For a key K = (principal, -g values, model), or as --spike-by says
 * (caller as logged, or no one), an active hour is an hour
 * with a priced record of K. An hour is flagged when its cost is at least
 * --spike-usd and either K has no other active hour or the cost is at least
 * --spike-factor times the median cost of K's other active hours (the mean
 * of the two middle values for an even count). All of it exact: costs are
 * integers, the median is kept as a fraction with denominator 1 or 2.
 * The cells come from a merge in key order (K's fields, then the hour), so
 * one K's hours arrive together; only flagged hours are kept.
 * Ownership: a spikes result owns copies of the keys of its flagged hours.
 */
#ifndef LEDGER_SPIKES_H
#define LEDGER_SPIKES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/support/diag.h"
#include "ledger/support/money.h"
#include "ledger/views/report.h"
#include "ledger/facts/rollup.h"
#include "ledger/facts/runs.h"

struct spike_rule {
	money_t min_cost;      /* --spike-usd, in 1e-15 USD */
	uint64_t factor_nanos; /* --spike-factor, in 1e-9 */
};

/* One flagged hour. */
struct spike {
	struct str *key; /* K's fields (principal, -g values..., model), hour (owned) */
	struct counters c;
	bool has_baseline;
	money_t baseline_num;  /* baseline = num / den, in 1e-15 USD */
	unsigned baseline_den; /* 1 or 2 */
};

struct spikes {
	size_t nfields; /* of each key */
	struct spike *v;
	size_t n, cap;
};

/*
 * Reads the merged hourly cells (each key: K's fields, then the hour) and
 * keeps the flagged hours, sorted as spikes.csv is: hour, then K. Returns 0,
 * or -1 when the merge fails (d says why).
 */
int spikes_find(struct spikes *s, struct runs_merge *m, size_t nfields, const struct spike_rule *r,
		struct diag *d);
void spikes_finish(struct spikes *s);

/*
 * Writes spikes.csv's rows (the header is the caller's): for each flagged
 * hour, the hour, then the other key fields, then the counters as cols
 * says, cost, baseline and ratio.
 */
void spikes_write(const struct spikes *s, struct report_file *f);

/* The i-th largest flagged hour by cost (ties: spikes.csv order); i < s->n. */
const struct spike *spikes_largest(const struct spikes *s, size_t i);

/* "12.345678" (B rounded half up to 6 decimals) and "23.40" (cost / B, 2 decimals). */
void spike_baseline_text(const struct spike *sp, char out[48]);
bool spike_ratio_text(const struct spike *sp, char out[48]); /* false: no baseline or B = 0 */

/* Parses --spike-usd (a decimal) and --spike-factor (a decimal); 0 or -1. */
int spike_parse_usd(const char *s, money_t *out);
int spike_parse_factor(const char *s, uint64_t *out);

#endif
