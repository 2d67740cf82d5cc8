/*
 * test_escape.c - HTML escaping: markup from the inputs stays text.
 */
#include "ledger/support/escape.h"

#include <stdlib.h>

#include "tap.h"

static void escapes(const char *in, size_t n, const char *want, const char *what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	escape_html(fp, in, n);
	fclose(fp);
	is_str(buf, want, "%s", what);
	free(buf);
}

int main(void)
{
	escapes("plain text", 10, "plain text", "plain text is unchanged");
	escapes("<script>alert(1)</script>", 25, "&lt;script&gt;alert(1)&lt;/script&gt;",
		"a script element becomes text");
	escapes("\"><svg onload=alert(1)>", 23, "&quot;&gt;&lt;svg onload=alert(1)&gt;",
		"an attribute cannot be closed with a double quote");
	escapes("' onmouseover='x'", 17, "&#39; onmouseover=&#39;x&#39;",
		"nor with a single quote");
	escapes("a&amp;b", 7, "a&amp;amp;b", "an ampersand is escaped, even before a reference");
	escapes("a\0b\x1b[31m\x7f", 9, "a&#xFFFD;b&#xFFFD;[31m&#xFFFD;",
		"NUL, ESC and DEL become U+FFFD");
	escapes("tab\tand\nnewline", 15, "tab\tand\nnewline", "tab and newline are kept");
	escapes("caf\xc3\xa9", 5, "caf\xc3\xa9", "UTF-8 is passed on");
	escapes("", 0, "", "nothing in, nothing out");
	return tap_done();
}
