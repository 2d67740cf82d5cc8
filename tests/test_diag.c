/*
 * test_diag.c - diag.h: a message is escaped when it is made, cells are cut.
 */
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
	test_escape();
	test_cut();
	return tap_done();
}
