/*
 * test_progress.c - the progress line: width, percentage, ETA rounded up,
 * and the form without a known total (standard input).
 */
#include "ledger/support/progress.h"

#include <string.h>

#include "tap.h"

int main(void)
{
	char buf[256];
	struct progress_state s = {
		.objects_done = 3,
		.objects_total = 10,
		.bytes_done = 78000000,
		.bytes_total = 100000000,
		.records = 1234,
		.elapsed = 78.0,
	};
	/* 1 MB/s, 22 MB left: 22 s */
	size_t n = progress_format(&s, 200, buf, sizeof buf);
	is_str(buf, "3/10 files   78%  78.0 MB of 100.0 MB  1234 records  1.0 MB/s  ETA 0m22s",
	       "line");
	is_int(n, strlen(buf), "length");

	/* --state: the objects taken from it */
	s.objects_from_state = 2;
	progress_format(&s, 200, buf, sizeof buf);
	is_str(buf,
	       "3/10 files (2 from the state)   78%  78.0 MB of 100.0 MB  1234 records  1.0 MB/s"
	       "  ETA 0m22s",
	       "line with --state");
	s.objects_from_state = 0;

	/* 0.3 s left is not "0m00s" */
	s.bytes_done = 99700000;
	s.elapsed = 99.7;
	progress_format(&s, 200, buf, sizeof buf);
	ok(strstr(buf, "ETA 0m01s") != NULL, "ETA rounded up: %s", buf);

	/* within the terminal: at most width - 1 characters */
	for (unsigned w = 1; w < 90; w++) {
		n = progress_format(&s, w, buf, sizeof buf);
		if (!ok(n <= w - 1 && strlen(buf) == n, "width %u: %zu characters", w, n))
			break;
	}

	/* one input: no file count; no total (stdin): bytes and records, no ETA */
	struct progress_state in = { .objects_done = 0,
				     .objects_total = 1,
				     .bytes_done = 5500000,
				     .records = 42,
				     .elapsed = 2.0 };
	progress_format(&in, 200, buf, sizeof buf);
	is_str(buf, "5.5 MB read  42 records  2.8 MB/s", "standard input");

	/* a single big file: the percentage moves with the bytes */
	struct progress_state one = { .objects_total = 1,
				      .bytes_done = 297000000,
				      .bytes_total = 594000000,
				      .records = 10,
				      .elapsed = 1.0 };
	progress_format(&one, 200, buf, sizeof buf);
	ok(strncmp(buf, " 50%  297.0 MB of 594.0 MB", 26) == 0, "one file: %s", buf);

	/* more read than the walk saw (files grew): never over 100% */
	one.bytes_done = 700000000;
	progress_format(&one, 200, buf, sizeof buf);
	ok(strncmp(buf, "100%", 4) == 0 && !strstr(buf, "ETA"), "capped: %s", buf);
	return tap_done();
}
