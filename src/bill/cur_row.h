/*
 * cur_row.h - private to cur.c, cur_work.c and cur_row.c.
 *
 * cur.c owns the bytes: sniffing, inflating, cutting the text into rows and
 * batching the rows that mention Bedrock. cur_work.c hands batches to worker
 * threads. cur_row.c owns the meaning of the cells: a parser (one per
 * thread) feeds its batches to its own CSV reader and turns the header and
 * rows into its own staging bill (columns by name, which rows are Bedrock,
 * dates, amounts, the classification and the key).
 */
#ifndef LEDGER_CUR_ROW_H
#define LEDGER_CUR_ROW_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/support/csvrows.h"
#include "ledger/bill/cur.h"
#include "ledger/bill/jsonmap.h"
#include "ledger/bill/usagetype.h"

/* The columns read, by purpose; the first seven are required. */
enum cur_col {
	CUR_COL_USAGE_TYPE,
	CUR_COL_ITEM_TYPE,
	CUR_COL_START,
	CUR_COL_AMOUNT,
	CUR_COL_COST,
	CUR_COL_PRODUCT_CODE,
	CUR_COL_UNIT,
	CUR_COL_REQUIRED, /* the ones below are optional */
	CUR_COL_DESCRIPTION = CUR_COL_REQUIRED,
	CUR_COL_ENTITY,
	CUR_COL_REGION,
	CUR_COL_SERVICECODE,
	CUR_COL_PRODUCT_NAME,
	CUR_COL_PRODUCT_MAP,
	CUR_COL_END,
	CUR_COL_LINE_ITEM_ID,
	CUR_COL_PRINCIPAL,
	CUR_COL_COUNT
};

/* What every parser of a reader shares, read-only. */
struct cur_config {
	const struct billing_names *names;
	bool has_since, has_until;
	struct ts since, until;
};

/* What a usage type comes to for the key: the class, the region and the model. */
struct cur_resolved {
	struct usagetype_class cls;
	struct str region, model;
	bool unknown; /* model is a billing name that no table row maps */
};

/*
 * Classifications of recent rows (cur_cache.c), keyed by the cells they rest
 * on (usage type, product code, product name, region, unit, description): a
 * bill repeats a few hundred usage types over and over. One per parser.
 */
#define CUR_CACHE_CELLS 6
struct cur_class_cache;
struct cur_class_cache *cur_class_cache_create(void);	 /* never NULL: OOM aborts */
void cur_class_cache_destroy(struct cur_class_cache *c); /* NULL is a no-op */
/* The resolution cached for these cells into *r (its slices live until the next put): true. */
bool cur_class_cache_get(struct cur_class_cache *c, const struct str cells[CUR_CACHE_CELLS],
			 struct cur_resolved *r);
/* Keeps a copy of r as the resolution of cells (over what the slot held). */
void cur_class_cache_put(struct cur_class_cache *c, const struct str cells[CUR_CACHE_CELLS],
			 const struct cur_resolved *r);

/*
 * The line items read (cur_seen.c): a set of 128-bit hashes of
 * (identity_line_item_id, usage start), so that a line item read again is
 * counted once (bedrock-ledger(1), RECONCILIATION). 16 bytes a line item, in
 * a table at most three quarters full.
 */
struct cur_seen_key {
	uint64_t a, b;
};

struct cur_seen {
	struct cur_seen_key *slots; /* a == 0 && b == 0: empty */
	size_t mask, count;
};

/* The last date cell read and its time, which the next rows nearly always repeat. */
struct cur_date_cache {
	char text[40];
	size_t n;
	struct ts ts;
};

/*
 * The key of a line item: false when id is empty (it is then never taken
 * for another). The start counts by its time when it is one, else by its
 * text; c caches the last one parsed.
 */
bool cur_line_item_key(struct str id, struct str start, struct cur_date_cache *c,
		       struct cur_seen_key *k);
bool cur_seen_has(const struct cur_seen *s, struct cur_seen_key k);
void cur_seen_add(struct cur_seen *s, struct cur_seen_key k); /* k not in s yet */
/* Moves every key of src into dst (none of them in dst yet); src is empty again. */
void cur_seen_merge(struct cur_seen *dst, struct cur_seen *src);
void cur_seen_clear(struct cur_seen *s); /* frees; empty again */

/*
 * The line items of the files read before (`done`) and of the file being
 * read (`file`, merged into done when the file was read whole). A duplicate
 * is a key in either; the first is added to file. One thread: the reader's.
 */
struct cur_dedupe {
	struct cur_seen done, file;
};

/* Is (id, start) read already? If not, it is now. Empty ids are never duplicates. */
bool cur_dedupe_repeated(struct cur_dedupe *d, struct str id, struct str start,
			 struct cur_date_cache *c);

/* Room for cells taken out of quotes. */
struct cur_cellbuf {
	char *p;
	size_t n, cap;
};

/*
 * Cells col[0] and col[1] of a row's text (its line end included), as the
 * CSV reader would give them: a quoted cell unquoted into buf, whose bytes
 * live until the next call. False when the row has fewer cells or is not
 * well formed (the CSV reader then says what is wrong).
 */
bool cur_text_cells(struct cur_cellbuf *buf, const char *p, size_t n, const size_t col[2],
		    struct str out[2]);

/* The CSV side of one file in one thread. */
struct cur_parser {
	const struct cur_config *cfg;
	const char *name;
	struct csvrows *csv;
	struct cur_bill *stage; /* what this parser has read */
	unsigned long line;	/* the physical line of the next byte fed */
	bool failed;
	unsigned long fail_line; /* where, when failed */
	/* the header */
	bool header_done;
	size_t nfields;
	size_t col[CUR_COL_COUNT];	      /* SIZE_MAX: absent */
	char *col_name[CUR_COL_COUNT];	      /* as written, for messages */
	struct jsonmap_buf json, json_region; /* the product name's, the region's */
	/* the last start and end dates read, which the next rows nearly always repeat */
	struct cur_date_cache last_start, last_end;
	struct cur_class_cache *cache;
	/*
	 * Rows fed to the main parser straight (the header's text, passthrough)
	 * are checked for repeated line items here; rows of batches were checked
	 * by the cutter (NULL): set by the reader for each feed.
	 */
	struct cur_dedupe *dedupe;
	struct cur_date_cache dedupe_date;
};

void cur_parser_start(struct cur_parser *p, const struct cur_config *cfg, const char *name);
void cur_parser_end(struct cur_parser *p);

/*
 * Feeds n bytes of text that begin on physical line `line` (0: where the
 * last feed ended; else not before it: the lines between are fed as blank
 * lines, so that every line the CSV reader names is the file's). Returns 0,
 * or -1 once the parser has failed (its message in csvrows_diag(p->csv)).
 */
int cur_parser_feed(struct cur_parser *p, unsigned long line, const char *text, size_t n);
/* The end of the file for this parser: 0 or -1. */
int cur_parser_finish(struct cur_parser *p);

/* Makes p (just started) read rows by the columns of src's header. */
void cur_parser_take_header(struct cur_parser *p, const struct cur_parser *src);

/* A run of whole rows for one parser, with the blank lines of the rows skipped between them. */
struct cur_batch {
	char *text;
	size_t n, cap;
	unsigned long line;	/* the physical line text[0] is on; 0: right after the last batch */
	struct cur_batch *next; /* in a queue or the free list */
};

struct cur_work; /* worker threads: cur_work.c */

/*
 * Starts up to `jobs` worker threads (at most 8), each with a parser of its
 * own that knows the columns of `main`'s header (and has read nothing: the
 * text main read may hold more rows than the header). NULL when no thread
 * could be started: the caller reads alone.
 */
struct cur_work *cur_work_start(const struct cur_parser *main, int jobs);
/* An empty batch to fill; waits while all are in use. */
struct cur_batch *cur_work_batch(struct cur_work *w);
/* Hands a filled batch to the next worker in turn. */
void cur_work_submit(struct cur_work *w, struct cur_batch *b);
/* The first line a worker failed on, 0 while none has. */
unsigned long cur_work_failed_line(struct cur_work *w);
/*
 * Waits for the workers to read all they were given and stop. Returns the
 * number of workers, whose parsers cur_work_parser gives until cur_work_end.
 */
int cur_work_join(struct cur_work *w);
struct cur_parser *cur_work_parser(struct cur_work *w, int i);
/* Joins (if not yet done) and frees everything, the parsers too. NULL is a no-op. */
void cur_work_end(struct cur_work *w);

/* The state of the file being read, on the reading thread. */
struct cur_file {
	const char *name;
	struct cur_parser main;	 /* the header; all rows when alone or in passthrough */
	struct cur_work *work;	 /* NULL: no worker threads */
	struct cur_batch *batch; /* being filled */
	struct cur_batch own;	 /* the batch used without workers */
	unsigned long line;	 /* the physical line of the next byte cut */
	unsigned long pending;	 /* line ends of rows skipped since the batch's last row */
	unsigned long lfs;	 /* line feeds seen (for the message of a truncated gzip) */
	uint64_t skipped;	 /* rows skipped unread (other services) */
	uint64_t duplicates;	 /* rows the cutter dropped: line items read before */
	struct cur_date_cache dedupe_date;
	uint64_t text_bytes;
	bool header_seen, passthrough, failed;
	enum { REFUSED_NOT, REFUSED_PARQUET, REFUSED_JSON } refused; /* by its first bytes */
};

struct cur_reader {
	struct cur_config cfg;
	int jobs;
	struct inflater *z;
	unsigned char *head;
	/* a row cut across chunks of text */
	char *carry;
	size_t carry_n, carry_cap;
	bool carry_odd; /* an odd number of quotes in it: a quoted cell is open */
	unsigned long carry_lfs;
	struct cur_file f;
	struct cur_dedupe seen;	  /* every line item read, over the files */
	struct cur_cellbuf cells; /* the cutter's, for cur_text_cells */
};

/* The byte source that ends as soon as the file has failed (so that the inflater stops). */
struct stop_source {
	struct byte_source src;
	struct byte_source *inner;
	struct cur_file *f;
};

#endif
