/*
 * test_report.c - CSV cells (quoting, the formula guard) and atomic writes.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger/views/report.h"
#include "tap.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static int count_entries(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

int main(void)
{
	char dir[] = "/tmp/ledger-test-report-XXXXXX";
	ok(mkdtemp(dir) != NULL, "temp dir");
	char out[600];
	struct diag d = DIAG_INIT;
	snprintf(out, sizeof out, "%s/a/b", dir);

	struct report_set *s = report_set_create(out, &d);
	ok(s != NULL, "creates nested output dirs");
	struct report_file *f = report_open(s, "t.csv");
	ok(f != NULL, "opens a report");
	report_header(f, "a,b,c");
	report_cstr(f, "plain");
	report_cstr(f, "with,comma");
	report_cstr(f, "say \"hi\"");
	report_end_row(f);
	report_cstr(f, "=1+1");
	report_cstr(f, "-x,y");
	report_cstr(f, "@a");
	report_end_row(f);
	report_cstr(f, "\tt");
	report_cstr(f, "\rr");
	report_cstr(f, "+1");
	report_end_row(f);
	report_u64(f, 18446744073709551615ull);
	report_money(f, (money_t)1500000000); /* 1.5e-6 USD -> 0.000002 */
	report_empty(f);
	report_end_row(f);
	report_cstr(f, "line\nbreak");
	report_cstr(f, "a=b");
	report_cstr(f, "");
	report_end_row(f);

	char final[700];
	snprintf(final, sizeof final, "%s/t.csv", out);
	ok(access(final, F_OK) != 0, "nothing in place before commit");
	ok(count_entries(out) == 1, "one temporary file while writing");
	ok(report_set_commit(s) == 0, "commit");
	report_set_destroy(s);
	is_str(slurp(final),
	       "a,b,c\n"
	       "plain,\"with,comma\",\"say \"\"hi\"\"\"\n"
	       "'=1+1,\"'-x,y\",'@a\n"
	       "'\tt,\"'\rr\",'+1\n"
	       "18446744073709551615,0.000002,\n"
	       "\"line\nbreak\",a=b,\n",
	       "cells quoted and guarded");
	ok(count_entries(out) == 1, "no temporary file left");
	struct stat st;
	ok(stat(final, &st) == 0 && (st.st_mode & 0044) == 0044, "report readable by others");

	/* a failed set leaves the previous report alone and no temporary file */
	s = report_set_create(out, &d);
	f = report_open(s, "t.csv");
	report_header(f, "new");
	report_set_destroy(s); /* never committed */
	ok(strncmp(slurp(final), "a,b,c\n", 6) == 0, "uncommitted set changes nothing");
	ok(count_entries(out) == 1, "uncommitted set leaves no temporary file");

	/* an output path that is a file */
	ok(report_set_create(final, &d) == NULL, "output dir that is a file fails");
	char want[800];
	snprintf(want, sizeof want, "%s: cannot create directory: Not a directory", final);
	is_str(diag_msg(&d), want, "message");
	diag_clear(&d);
	snprintf(want, sizeof want, "%s/below", final);
	ok(report_set_create(want, &d) == NULL, "output dir below a file fails");
	ok(strstr(diag_msg(&d), "/below: cannot create directory: Not a directory") != NULL,
	   "message: %s", diag_msg(&d));
	diag_clear(&d);

	/* a directory that cannot be written is found when the set is made */
	snprintf(want, sizeof want, "%s/ro", dir);
	ok(mkdir(want, 0555) == 0, "read-only dir made");
	s = report_set_create(want, &d);
	if (geteuid() == 0) {
		ok(1, "# skip: root writes anywhere");
		report_set_destroy(s);
	} else {
		ok(s == NULL && strstr(diag_msg(&d), "/ro: cannot write: Permission denied"),
		   "an unwritable dir is refused at once: %s", diag_msg(&d));
	}
	diag_clear(&d);
	rmdir(want);

	/* a report that cannot be started: the set's message says which and why */
	snprintf(want, sizeof want, "%s/gone", dir);
	s = report_set_create(want, &d);
	ok(s != NULL && rmdir(want) == 0, "output dir removed under the set");
	ok(report_open(s, "x.csv") == NULL, "report_open fails");
	ok(strstr(report_set_error(s), "/gone/x.csv: cannot write: No such file or directory"),
	   "message: %s", report_set_error(s));
	report_set_destroy(s);
	s = report_set_create(out, &d);
	for (int i = 0; i < 32; i++)
		report_open(s, "many.csv");
	ok(report_open(s, "many.csv") == NULL, "a thirty-third file is refused");
	is_str(report_set_error(s), "too many report files", "message");
	report_set_destroy(s);

	ok(report_needs_guard(STR_LIT("-")), "guard -");
	ok(!report_needs_guard(STR_LIT("a-")), "no guard a-");
	ok(!report_needs_guard(STR_LIT("")), "no guard on empty");

	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ok(system(cmd) == 0, "cleanup");
	return tap_done();
}
