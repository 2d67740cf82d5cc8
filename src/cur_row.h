/*
 * cur_row.h - private to cur.c and cur_row.c: the reader's state, and the
 * CSV reader's callback that turns a CUR header and rows into the bill.
 *
 * cur.c owns the bytes (sniffing, inflating, cutting rows); cur_row.c owns
 * the meaning of the cells (columns by name, which rows are Bedrock, dates,
 * amounts, the classification and the key).
 */
#ifndef LEDGER_CUR_ROW_H
#define LEDGER_CUR_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/csvrows.h"
#include "ledger/cur.h"
#include "ledger/jsonmap.h"

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
	CUR_COL_COUNT
};

/* The state of the file being read. */
struct cur_file {
	const char *name;
	struct cur_bill *stage; /* this file's rows, merged into the caller's bill at the end */
	struct csvrows *csv;
	/* the header */
	bool header_done;
	size_t nfields;
	size_t col[CUR_COL_COUNT];        /* SIZE_MAX: absent */
	char *col_name[CUR_COL_COUNT];    /* as written, for messages */
	/* cutting rows (cur.c) */
	unsigned long lfs;     /* line feeds seen */
	unsigned long pending; /* line ends of skipped rows not yet given to the CSV reader */
	uint64_t text_bytes;
	bool passthrough, failed;
	enum { REFUSED_NOT, REFUSED_PARQUET, REFUSED_JSON } refused; /* by its first bytes */
	/* the last start date read, which the next rows nearly always repeat */
	char last_start[40];
	size_t last_start_n;
	struct ts last_ts;
};

struct cur_reader {
	const struct billing_names *names;
	bool has_since, has_until;
	struct ts since, until;
	struct inflater *z;
	unsigned char *head;
	struct jsonmap_buf json, json_region; /* the product name's, the region's */
	/* a row cut across chunks of text */
	char *carry;
	size_t carry_n, carry_cap;
	bool carry_odd; /* an odd number of quotes in it: a quoted cell is open */
	unsigned long carry_lfs;
	struct cur_file f;
};

/* The byte source that ends as soon as the file has failed (so that the inflater stops). */
struct stop_source {
	struct byte_source src;
	struct byte_source *inner;
	const struct cur_file *f;
};

/* Starts r->f for a file called name: a staging bill and a CSV reader. */
void cur_file_start(struct cur_reader *r, const char *name);
/* Frees what cur_file_start made. */
void cur_file_end(struct cur_reader *r);

#endif
