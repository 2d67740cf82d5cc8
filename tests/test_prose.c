/*
 * test_prose.c - the summary's text: wrapping at word boundaries, commands
 * that still run as pasted, thousands separators, the width to use.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/support/prose.h"
#include "tap.h"

/* What a prose of this width writes for f(p). */
static char *written(size_t width, void (*f)(struct prose *p))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct prose p;
	prose_init(&p, m, width);
	f(&p);
	prose_finish(&p);
	fclose(m);
	return buf;
}

static void one_paragraph(struct prose *p)
{
	prose_printf(p, "residency",
		     "30 invocations ran outside their pool, 1 had no inferenceRegion (see"
		     " residency.csv)");
}

static void long_word(struct prose *p)
{
	prose_printf(p, "", "a arn:aws:sts::111122223333:assumed-role/a-very-long-role-name/x b");
}

static void command(struct prose *p)
{
	prose_command(p, "",
		      "aws bedrock list-inference-profiles --type-equals APPLICATION"
		      " --region us-east-1 > profiles-111122223333-us-east-1.json");
}

static void long_label(struct prose *p)
{
	prose_raw(p, "top inference_region", "by cost");
	prose_printf(p, "top inference_region", "one two three four five six");
}

static void spikes_item(struct prose *p)
{
	fputs("2026-10-01T02:00Z $30.000000, 10.00x its usual hour, principal"
	      " arn:aws:iam::111122223333:user/bob, model m.s",
	      prose_begin(p));
	prose_end(p, "", 2);
}

static void test_wrap(void)
{
	char *s = written(80, one_paragraph);
	is_str(s,
	       "residency    30 invocations ran outside their pool, 1 had no inferenceRegion\n"
	       "             (see residency.csv)\n",
	       "a paragraph wraps before the word that would pass 80 columns");
	free(s);
	s = written(200, one_paragraph);
	is_str(s,
	       "residency    30 invocations ran outside their pool, 1 had no inferenceRegion (see"
	       " residency.csv)\n",
	       "and stays on one line when it fits");
	free(s);
	s = written(10, one_paragraph);
	ok(strstr(s, "\n             ") && strlen(strchr(s, '\n') + 1) > 0,
	   "a width under %d is taken as %d", PROSE_MIN_WIDTH, PROSE_MIN_WIDTH);
	for (char *line = s, *nl; (nl = strchr(line, '\n')); line = nl + 1)
		ok(nl - line <= PROSE_MIN_WIDTH, "line '%.*s' fits in %d", (int)(nl - line), line,
		   PROSE_MIN_WIDTH);
	free(s);
	s = written(40, long_word);
	is_str(s,
	       "             a\n"
	       "             arn:aws:sts::111122223333:assumed-role/a-very-long-role-name/x\n"
	       "             b\n",
	       "a word wider than the line is not broken");
	free(s);
	s = written(80, long_label);
	is_str(s,
	       "top inference_region by cost\n"
	       "top inference_region one two three four five six\n",
	       "a label longer than its column pushes the text right");
	free(s);
	s = written(60, spikes_item);
	is_str(s,
	       "             2026-10-01T02:00Z $30.000000, 10.00x its usual\n"
	       "               hour, principal\n"
	       "               arn:aws:iam::111122223333:user/bob, model m.s\n",
	       "continuation lines of a list item are indented two more");
	free(s);
}

static void test_command(void)
{
	char *s = written(80, command);
	is_str(s,
	       "               aws bedrock list-inference-profiles --type-equals APPLICATION \\\n"
	       "                 --region us-east-1 > profiles-111122223333-us-east-1.json\n",
	       "a command breaks between words with a backslash");
	free(s);
	s = written(300, command);
	is_str(s,
	       "               aws bedrock list-inference-profiles --type-equals APPLICATION"
	       " --region us-east-1 > profiles-111122223333-us-east-1.json\n",
	       "and is one line when it fits");
	free(s);
}

static void test_numbers(void)
{
	struct prose p;
	prose_init(&p, stdout, 80);
	is_str(prose_count(&p, 0), "0", "0");
	is_str(prose_count(&p, 999), "999", "999");
	is_str(prose_count(&p, 1000), "1,000", "1,000");
	is_str(prose_count(&p, 26110072), "26,110,072", "26,110,072");
	is_str(prose_count(&p, UINT64_MAX), "18,446,744,073,709,551,615", "2^64-1");
	/* money: 1e-15 USD */
	is_str(prose_usd(&p, (money_t)25118 * 1000000000), "0.025118", "under $1,000: as is");
	is_str(prose_usd(&p, (money_t)999999999 * 1000000000), "999.999999", "$999.999999");
	is_str(prose_usd(&p, (money_t)2251799813685257 * 1000000000), "2,251,799,813.685257",
	       "over $1,000: separators in the dollars only");
	struct decimal d;
	decimal_parse("-1234.5", 7, &d);
	is_str(prose_decimal(&p, d), "-1,234.500000", "a negative amount");
	char text[16] = "123456789012345";
	prose_group_digits(text, sizeof text);
	is_str(text, "123456789012345", "no room for the separators: left as is");
	prose_finish(&p);
}

static void test_width(void)
{
	setenv("COLUMNS", "132", 1);
	is_int(prose_terminal_width(-1), 132, "COLUMNS wins");
	setenv("COLUMNS", "wide", 1);
	is_int(prose_terminal_width(-1), 80, "a COLUMNS that is no number is ignored");
	unsetenv("COLUMNS");
	is_int(prose_terminal_width(-1), 80, "not a terminal: 80");
}

int main(void)
{
	test_wrap();
	test_command();
	test_numbers();
	test_width();
	return tap_done();
}
