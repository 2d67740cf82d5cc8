/*
 * test_diag.c - diag.h: the place as fields and the one formatter; a
 * message is escaped when it is made; cells are cut; the printed line.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/support/diag.h"
#include "tap.h"

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return true;
	return false;
}

static void test_escape(void)
{
	struct diag d = DIAG_INIT;
	is_str(diag_msg(&d), "", "no problem: empty message");
	ok(!diag_has(&d), "no problem: none");
	is_int(diag_set(&d, "cell \"%s\" is bad", "two\r\nlines\t\x7f\x01"), -1, "set returns -1");
	is_str(diag_msg(&d), "cell \"two\\x0d\\x0alines\\x09\\x7f\\x01\" is bad",
	       "control bytes escaped when the message is made");
	ok(!has_control(diag_msg(&d)), "no control byte left");
	is_str(diag_msg(&d), "cell \"two\\x0d\\x0alines\\x09\\x7f\\x01\" is bad", "stable");
	diag_prefix(&d, "f\n.csv");
	is_str(diag_msg(&d), "f\\x0a.csv: cell \"two\\x0d\\x0alines\\x09\\x7f\\x01\" is bad",
	       "a prefix is escaped, the message is not escaped twice");
	diag_set(&d, "utf-8 \xc3\xa9 and \\x41 are kept");
	is_str(diag_msg(&d), "utf-8 \xc3\xa9 and \\x41 are kept",
	       "bytes >= 0x80 and backslashes kept");
	struct diag e = DIAG_INIT;
	diag_move(&e, &d);
	ok(!diag_has(&d) && diag_has(&e), "move");
	diag_clear(&e);
	diag_clear(&d);
}

static void test_cut(void)
{
	char buf[300];
	memset(buf, 'a', sizeof buf);
	struct str s = { buf, DIAG_CELL_MAX };
	is_int(diag_cut_len(s, DIAG_CELL_MAX), DIAG_CELL_MAX, "a cell of the limit is whole");
	is_str(diag_cut_mark(s, DIAG_CELL_MAX), "", "... not cut");
	s.n = DIAG_CELL_MAX + 1;
	is_int(diag_cut_len(s, DIAG_CELL_MAX), DIAG_CELL_MAX, "one more byte: cut");
	is_str(diag_cut_mark(s, DIAG_CELL_MAX), "...", "... with an ellipsis");

	struct diag d = DIAG_INIT;
	s.n = 100;
	diag_set(&d, "\"%.*s%s\"", DIAG_CELL(s));
	is_int((long)strlen(diag_msg(&d)), DIAG_CELL_MAX + 5, "DIAG_CELL in a message");
	ok(strcmp(diag_msg(&d) + DIAG_CELL_MAX + 1, "...\"") == 0, "ends in ...");
	s.n = sizeof buf;
	diag_set(&d, "%.*s%s", DIAG_NAME(s));
	is_int((long)strlen(diag_msg(&d)), DIAG_NAME_MAX + 3, "DIAG_NAME cuts at its own limit");
	diag_clear(&d);

	/* "é" (c3 a9) across the limit: the cut backs off to the character's start */
	buf[DIAG_CELL_MAX - 1] = '\xc3';
	buf[DIAG_CELL_MAX] = '\xa9';
	s.n = 100;
	is_int(diag_cut_len(s, DIAG_CELL_MAX), DIAG_CELL_MAX - 1,
	       "no cut inside a UTF-8 character");
	/* a 4-byte character ending at the limit is kept whole */
	memcpy(buf + DIAG_CELL_MAX - 4, "\xf0\x9f\x98\x80", 4);
	buf[DIAG_CELL_MAX] = 'a';
	is_int(diag_cut_len(s, DIAG_CELL_MAX), DIAG_CELL_MAX, "a whole character before the cut");
	/* continuation bytes without a start: at most 3 are taken back */
	memset(buf, '\x80', sizeof buf);
	is_int(diag_cut_len(s, DIAG_CELL_MAX), DIAG_CELL_MAX - 3, "invalid UTF-8: 3 bytes back");
}

static void test_place(void)
{
	struct diag d = DIAG_INIT;
	is_int(diag_set_at(&d, "prices.csv", 2, "empty %s", "model_id"), -1, "set_at returns -1");
	is_str(d.file, "prices.csv", "file is a field");
	is_int(d.line, 2, "line is a field");
	is_int(d.column, 0, "no column");
	is_str(d.text, "empty model_id", "the problem alone");
	is_str(diag_msg(&d), "prices.csv:2: empty model_id", "FILE:LINE: PROBLEM");

	diag_place(&d, "prices.csv", 2, 7);
	is_str(diag_msg(&d), "prices.csv:2:7: empty model_id", "FILE:LINE:COLUMN: PROBLEM");
	diag_place(&d, "prices.csv", 0, 7);
	is_str(diag_msg(&d), "prices.csv: empty model_id", "a column without a line is not shown");
	diag_place(&d, NULL, 4, 0);
	is_str(diag_msg(&d), "empty model_id", "no file: no place");
	is_int(d.line, 4, "... the line is kept as a field");
	diag_place(&d, d.text, 1, 0);
	is_str(diag_msg(&d), "empty model_id:1: empty model_id", "a place may come from the diag");

	diag_set_at(&d, "a.csv", 3, "bad");
	diag_prefix(&d, "read error");
	is_str(diag_msg(&d), "a.csv:3: read error: bad", "a prefix goes before the problem");
	diag_set(&d, "no place");
	ok(d.file == NULL && d.line == 0 && d.column == 0, "diag_set clears the place");
	is_str(diag_msg(&d), "no place", "PROBLEM alone");

	diag_set_at(&d, "x\ty.csv", UINT64_C(18446744073709551615), "p");
	is_str(d.file, "x\\x09y.csv", "the file is escaped as it is set");
	is_str(diag_msg(&d), "x\\x09y.csv:18446744073709551615: p", "a 64-bit line");

	struct diag e = DIAG_INIT;
	diag_set_at(&e, "old.csv", 9, "old");
	diag_move(&e, &d);
	is_str(diag_msg(&e), "x\\x09y.csv:18446744073709551615: p", "move takes the place");
	ok(!diag_has(&d) && d.file == NULL && d.line == 0, "... and leaves src empty");
	is_str(diag_msg(&d), "", "... with no message");
	diag_clear(&e);
	ok(e.file == NULL && e.text == NULL && e.msg == NULL && e.line == 0, "clear");

	/* a place without a problem is no problem */
	diag_place(&e, "f", 1, 0);
	ok(!diag_has(&e), "a place alone: no problem");
	is_str(diag_msg(&e), "", "... and no message");
	diag_prefix(&e, "now");
	is_str(diag_msg(&e), "f:1: now", "a prefix of nothing is the problem");
	diag_clear(&e);
}

/* What diag_print and diag_warn write on stderr. */
static char *printed(bool warn, const char *place, const char *text)
{
	fflush(stderr);
	int saved = dup(2);
	FILE *tmp = tmpfile();
	if (saved < 0 || !tmp)
		return NULL;
	dup2(fileno(tmp), 2);
	if (warn)
		diag_warn(place, "%s", text);
	else
		diag_print(place, "%s", text);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	static char buf[256];
	rewind(tmp);
	size_t n = fread(buf, 1, sizeof buf - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return buf;
}

static void test_print(void)
{
	is_str(printed(false, NULL, "no PATH given"), "bedrock-ledger: no PATH given\n", "print");
	is_str(printed(false, "nope\n", "no such file"),
	       "bedrock-ledger: nope\\x0a: no such file\n", "print at a place, escaped");
	is_str(printed(true, NULL, "t.csv:2: x\ry"), "bedrock-ledger: warning: t.csv:2: x\\x0dy\n",
	       "warn");
	is_str(printed(true, "t.csv", "x"), "bedrock-ledger: warning: t.csv: x\n",
	       "warn at a place: the place after warning:");
	diag_set_warnings(false);
	is_str(printed(true, NULL, "x"), "", "no warnings with -q");
	diag_set_warnings(true);
}

int main(void)
{
	test_escape();
	test_place();
	test_cut();
	test_print();
	return tap_done();
}
