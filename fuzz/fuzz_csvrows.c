/*
 * fuzz_csvrows.c - libFuzzer harness for the CSV reader (csvrows.h).
 *
 * The first byte of the input sets the chunk size (1..64) and, with its top
 * bit, makes the callback refuse the third row; the rest is the CSV. It is
 * read whole (csvrows_parse) and in chunks (csvrows_feed).
 *
 * Checked, abort() on failure: both give the same rows, lines and message;
 * a row has at least one field, no field has a NULL pointer or a NUL byte;
 * rows start on strictly increasing lines, none past the last line; a
 * message names the input, ends the rows, holds no control byte and is not
 * endless (fuzz_message_ok).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/csvrows.h"
#include "fuzz_common.h"

struct run {
	FILE *out; /* the rows, as text */
	unsigned long last_line, max_line;
	size_t rows;
	bool refuse_third;
};

static int on_row(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	struct run *run = ctx;
	CHECK(row->nfields >= 1);
	CHECK(row->line > run->last_line && row->line <= run->max_line);
	run->last_line = row->line;
	if (++run->rows == 3 && run->refuse_third)
		return csvrows_fail(r, row->line, "refused");
	fprintf(run->out, "%lu", row->line);
	for (size_t i = 0; i < row->nfields; i++) {
		CHECK(row->field[i].p != NULL);
		CHECK(row->field[i].n == 0 || !memchr(row->field[i].p, '\0', row->field[i].n));
		fprintf(run->out, " %zu:", row->field[i].n);
		fwrite(row->field[i].p, 1, row->field[i].n, run->out);
	}
	putc('\n', run->out);
	return 0;
}

/* The rows and the message of text read in chunks of `step` bytes (0: whole). */
static char *read_rows(const char *text, size_t n, size_t step, bool refuse_third,
		       unsigned long max_line)
{
	char *buf = NULL;
	size_t len = 0;
	struct run run = { open_memstream(&buf, &len), 0, max_line, 0, refuse_third };
	CHECK(run.out != NULL);
	struct diag d = DIAG_INIT;
	int rc;
	if (step == 0) {
		rc = csvrows_parse("fuzz", text, n, on_row, &run, &d);
	} else {
		/* a failed feed fails the finish too */
		struct csvrows *r = csvrows_create("fuzz", on_row, &run);
		const char *p = text, *end = text + n;
		for (size_t k; p < end; p += k) {
			k = (size_t)(end - p) < step ? (size_t)(end - p) : step;
			if (csvrows_feed(r, p, k) != 0)
				break;
		}
		rc = csvrows_finish(r);
		diag_move(&d, csvrows_diag(r));
		csvrows_destroy(r);
	}
	CHECK((rc == 0) == !diag_has(&d));
	if (rc != 0) {
		CHECK(strncmp(diag_msg(&d), "fuzz:", 5) == 0);
		CHECK(fuzz_message_ok(diag_msg(&d)));
		fprintf(run.out, "error: %s\n", diag_msg(&d));
	}
	diag_clear(&d);
	CHECK(fclose(run.out) == 0);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t step = 1 + data[0] % 64;
	bool refuse = data[0] & 0x80;
	const char *text = (const char *)data + 1;
	size_t n = size - 1;
	unsigned long lines = 1; /* LF, CRLF and a lone CR each end one */
	for (size_t i = 0; i < n; i++) {
		bool crlf = text[i] == '\r' && i + 1 < n && text[i + 1] == '\n';
		lines += text[i] == '\n' || (text[i] == '\r' && !crlf);
	}
	char *whole = read_rows(text, n, 0, refuse, lines);
	char *chunked = read_rows(text, n, step, refuse, lines);
	CHECK(strcmp(whole, chunked) == 0);
	free(whole);
	free(chunked);
	return 0;
}
