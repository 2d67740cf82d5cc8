/*
 * fields.h - what a counted record is, column by column: the fields that
 * reports are keyed by and that -g can group by (bedrock-ledger-formats(5), GROUPING).
 *
 * Pipeline: record, attribute -> [fields] -> layout -> rollup.
 * A field is named by a struct field_ref; its value for one record is read
 * from a struct record_view, which joins the record with its attribution and
 * computes derived values on demand: a day's and an hour's text once per
 * instant, the principal once per record.
 * Ownership: a group_by owns its item list and strings; a view owns its
 * scratch buffers, and the slices it returns are valid until the next
 * view_set on it.
 */
#ifndef LEDGER_FIELDS_H
#define LEDGER_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger/price/attribute.h"
#include "ledger/support/diag.h"
#include "ledger/support/money.h"
#include "ledger/read/record.h"
#include "ledger/support/str.h"
#include "ledger/support/tz.h"

enum field_id {
	FIELD_DAY,		/* YYYY-MM-DD (UTC, or local to --tz) */
	FIELD_HOUR,		/* YYYY-MM-DDTHH:00Z, or with --tz YYYY-MM-DDTHH:00+hh:mm */
	FIELD_UTC_DAY,		/* YYYY-MM-DD (UTC, whatever --tz says: the bill's days) */
	FIELD_ACCOUNT_ID,	/* accountId */
	FIELD_REGION,		/* the source region (bedrock-ledger-formats(5), ROUTES) */
	FIELD_INFERENCE_REGION, /* inferenceRegion */
	FIELD_CALLER,		/* identity.arn as logged */
	FIELD_PRINCIPAL,	/* its principal (bedrock-ledger-formats(5), GROUPING) */
	FIELD_CALLER_KEY,	/* the caller, or its principal with --callers principal */
	FIELD_ROUTE,
	FIELD_OPERATION,
	FIELD_TIER,    /* bedrock-ledger-formats(5), PRICING */
	FIELD_POOL,    /* bedrock-ledger-formats(5), POOLS */
	FIELD_IN_POOL, /* yes, no or unknown (bedrock-ledger-formats(5), REPORTS, residency.csv) */
	FIELD_SAME_GEOGRAPHY, /* yes, no or unknown: source and inference region alike */
	FIELD_MODEL,	      /* as priced and reported */
	FIELD_PROBLEM_MODEL,  /* unresolved.csv's model_id */
	FIELD_PROBLEM,	      /* unresolved.csv's problem */
	FIELD_DETAIL,	      /* unresolved.csv's detail */
	FIELD_BASE_MODEL,     /* reconcile: the model without its geographic prefix
				 (bedrock-ledger-formats(5), RECONCILIATION) */
	FIELD_ROUTING,	      /* reconcile: global for global. models, else regional */
	FIELD_CONTEXT_CLASS,  /* reconcile: long when the price row has context_over > 0 */
	FIELD_KIND,	      /* reconcile: the kind of token the view is set to (view.kind) */
	FIELD_UNATTRIBUTED,   /* reconcile: "unattributed" for a profile in no manifest or without a
				 model */
	FIELD_TAG,	      /* a manifest tag: arg indexes group_by.tags */
	FIELD_META,	      /* requestMetadata.KEY: arg indexes group_by.metas */
	FIELD_COUNT
};

struct field_ref {
	enum field_id id;
	unsigned arg; /* FIELD_TAG, FIELD_META: which key */
};

/* One -g item and its column header. */
struct group_item {
	struct field_ref ref;
	const char *header;
};

struct group_by {
	struct group_item *items;
	size_t n;
	const char **tags; /* the tag keys asked for, in -g order */
	size_t ntags;
	const char **metas; /* the requestMetadata keys asked for */
	size_t nmeta;
	char *text; /* owned copy of the argument that the strings point into */
};

/*
 * Parses a -g argument (bedrock-ledger-formats(5), GROUPING): KEY, tag:KEY, meta:KEY, field:NAME,
 * comma-separated. Returns 0, or -1 with d set to the usage problem (an
 * empty item, an unknown field NAME, two items with one header, a header
 * equal to a fixed column of app_day.csv). On 0, g owns what it holds;
 * release it with group_by_finish.
 */
int group_by_parse(struct group_by *g, const char *arg, struct diag *d);
void group_by_finish(struct group_by *g); /* a zeroed g is a no-op */

/* "account_id", "region", ... for the field:NAME items; NULL for others. */
const char *field_name(enum field_id id);

/* A counted record as the reports see it. */
#define VIEW_MEMO 32 /* hours of texts kept (a power of two) */

struct record_view {
	const struct record *r;
	const struct attribution *at;
	enum problem problem; /* at->problem, or PROBLEM_NO_PRICE when the cost failed */
	struct str detail;    /* unresolved.csv's detail */
	char detail_buf[256];
	struct str region; /* the source region (bedrock-ledger-formats(5), ROUTES) */
	const struct price_row *price_row; /* the row it was priced from, or NULL */
	uint64_t context;	/* the least context of the cell's price class (facts.h) */
	enum record_token kind; /* FIELD_KIND's kind (reconcile.csv's rows are per kind) */
	bool unpriced;
	money_t cost;		/* exact; 0 when unpriced */
	bool callers_principal; /* --callers principal */
	const struct tz *tz;	/* --tz, or NULL (UTC) */
	/* derived on demand */
	unsigned have; /* bit per field_id computed */
	/* the texts of FIELD_DAY, FIELD_UTC_DAY and FIELD_HOUR for the last instants
	 * asked, by hour (the cells of an hour share their instant, and a flush
	 * takes them in no order) */
	struct view_memo {
		int64_t sec;
		bool set;
		unsigned char len; /* of an hour's text */
		char text[24];
	} memo[3][VIEW_MEMO];
	struct str principal;
	char *scratch; /* principal's bytes */
	size_t scratch_cap;
};

/* Points v at one record; derived values are recomputed when asked. */
void view_set(struct record_view *v, const struct record *r, const struct attribution *at,
	      struct str region);
/* reconcile.csv's name of a kind of token: input, output, cache_read, cache_write, cache_write_1h.
 */
const char *fields_kind_name(enum record_token k);

/* The value of field f for the record v points at. */
struct str view_field(struct record_view *v, struct field_ref f);
void view_finish(struct record_view *v);

#endif
