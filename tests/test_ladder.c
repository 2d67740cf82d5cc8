/*
 * test_ladder.c - the model ladder: the built-in one, --ladder files, errors.
 */
#include "ledger/price/ladder.h"

#include <stdlib.h>

#include "tap.h"

/* The cheaper models of m, comma-separated. */
static void cheaper(const struct ladder *l, const char *m, const char *want)
{
	const struct str *v;
	size_t n = ladder_cheaper(l, str_from(m), &v);
	char got[1024] = "";
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof got - 200; i++)
		k += (size_t)snprintf(got + k, sizeof got - k, "%s%.*s", i ? "," : "", (int)v[i].n,
				      v[i].p);
	is_str(got, want, "cheaper than %s", m);
}

static void refuses(const char *csv, const char *want)
{
	struct ladder *l = ladder_create();
	ladder_load_builtin(l);
	ok(ladder_load_buffer(l, "f.csv", csv, strlen(csv)) == -1, "refused: %s", want);
	is_str(ladder_error(l), want, "message");
	cheaper(l, "amazon.nova-pro-v1:0", "amazon.nova-lite-v1:0,amazon.nova-micro-v1:0");
	ladder_destroy(l);
}

int main(void)
{
	struct ladder *l = ladder_create();
	ok(ladder_load_builtin(l) == 0, "the built-in ladder loads: %s", ladder_error(l));
	cheaper(l, "anthropic.claude-opus-4-5-20251101-v1:0",
		"anthropic.claude-haiku-4-5-20251001-v1:0,anthropic.claude-sonnet-4-5-20250929-v1:0");
	cheaper(l, "anthropic.claude-haiku-4-5-20251001-v1:0", "");
	cheaper(l, "amazon.nova-premier-v1:0",
		"amazon.nova-lite-v1:0,amazon.nova-micro-v1:0,amazon.nova-pro-v1:0");
	cheaper(l, "anthropic.claude-3-5-sonnet-20241022-v2:0",
		"anthropic.claude-3-5-haiku-20241022-v1:0");
	cheaper(l, "no.such-model", "");
	/* a model of two families: the union, once */
	cheaper(l, "anthropic.claude-sonnet-4-6", "anthropic.claude-haiku-4-5-20251001-v1:0");
	/* a file: its family replaces the built-in one; a new family is added */
	const char *file = "family,rank,model_id\n"
			   "nova,1,amazon.nova-pro-v1:0\n"
			   "nova,2,amazon.nova-micro-v1:0\n"
			   "acme,1,acme.big\nacme,2,acme.small\nacme,2,acme.tiny\n";
	ok(ladder_load_buffer(l, "f.csv", file, strlen(file)) == 0, "a file loads");
	cheaper(l, "amazon.nova-pro-v1:0", "amazon.nova-micro-v1:0");
	cheaper(l, "amazon.nova-premier-v1:0", "");
	cheaper(l, "acme.big", "acme.small,acme.tiny");
	cheaper(l, "acme.small", "");
	ladder_destroy(l);

	refuses("family,model_id\nx,a.b\n",
		"f.csv:1: missing required column \"rank\" (a model ladder has the columns"
		" family,rank,model_id)");
	refuses("family,rank,model_id\nx,0,a.b\n",
		"f.csv:2: rank \"0\" is not a whole number from 1 (1: the most capable of the"
		" family)");
	refuses("family,rank,model_id\nx,1,eu.a.b\n",
		"f.csv:2: model_id \"eu.a.b\" has a geographic prefix: name the model without it"
		" (an alternative keeps the prefix of the model it stands in for)");
	refuses("family,rank,model_id\nx,1,arn:aws:bedrock:us-east-1::foundation-model/a.b\n",
		"f.csv:2: model_id \"arn:aws:bedrock:us-east-1::foundation-model/a.b\" is an ARN:"
		" give the model ID (the part after the last /)");
	refuses("family,rank,model_id\nx,1,a.b\nx,2,a.b\n",
		"f.csv:3: model_id \"a.b\" is twice in family \"x\"");
	refuses("family,rank,model_id\n,1,a.b\n", "f.csv:2: empty family name");
	refuses("", "f.csv:1: missing header row");
	return tap_done();
}
