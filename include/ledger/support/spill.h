/*
 * spill.h - append-only scratch storage on disk, read back by offset.
 *
 * Pipeline: what the workers find per object (sources.csv rows, rejected
 * lines) goes here instead of into memory, so that memory does not grow with
 * the number of objects or of bad lines; report writing reads it back.
 * The file is created in $TMPDIR (default /tmp) and unlinked at once, so it
 * never outlives the process. It holds paths, line numbers and reasons, never
 * a byte of a record. If no file can be made, or the disk fills, the data is
 * kept in memory instead: slower to be exhausted, never lost.
 * Ownership: the caller embeds the struct; spill_finish releases everything.
 */
#ifndef LEDGER_SPILL_H
#define LEDGER_SPILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/support/diag.h"

struct spill {
	int fd;		    /* -1 when in memory */
	unsigned char *buf; /* write buffer (file) or all data (memory) */
	size_t buf_n, buf_cap;
	uint64_t flushed; /* bytes already in the file */
	struct diag diag; /* the problem of the last spill_read_at that failed */
};

void spill_init(struct spill *s);
void spill_finish(struct spill *s);

/* Appends n bytes. */
void spill_write(struct spill *s, const void *p, size_t n);

/* Bytes written so far. */
uint64_t spill_size(const struct spill *s);

/*
 * Reads n bytes at offset off (within spill_size). Returns 0, or -1 with
 * s->diag set ("cannot read back a temporary file: ...").
 */
int spill_read_at(struct spill *s, uint64_t off, void *p, size_t n);

/*
 * A byte range [off, end) of a spill read in order through a buffer of
 * `ahead` bytes (0: 32 KiB), one spill_read_at per buffer: a sorted run
 * read back row by row. Set the fields, read, then spill_range_finish.
 */
struct spill_range {
	struct spill *s;
	uint64_t off, end;  /* what is not yet in buf */
	unsigned char *buf; /* allocated at the first read */
	size_t at, n;	    /* buf[at..n) is not yet taken */
	size_t ahead;
};

/* The next n bytes. Returns 0, or -1 with d set (a read error, or the range ends early). */
int spill_range_read(struct spill_range *r, void *p, size_t n, struct diag *d);

/* Whether a byte is left. */
bool spill_range_more(const struct spill_range *r);

void spill_range_finish(struct spill_range *r); /* frees the buffer */

#endif
