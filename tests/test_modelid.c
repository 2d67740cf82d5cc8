/*
 * test_modelid.c - routes of bedrock-ledger-formats(5), ROUTES, geographic prefixes, ARN stripping.
 */
#include "ledger/price/modelid.h"

#include <stdio.h>
#include <string.h>

#include "tap.h"

static void route(const char *id, enum route want, const char *want_model)
{
	struct str model = { "unset", 5 };
	enum route got = route_classify(str_from(id), &model);
	is_str(route_name(got), route_name(want), "route of %s", id);
	ok(str_eq(model, str_from(want_model)), "model of %s is %s (got %.*s)", id, want_model,
	   (int)model.n, model.p);
}

static void geo(const char *id, size_t want)
{
	is_int(modelid_geo_prefix_len(str_from(id)), want, "geo prefix of \"%s\" is %zu", id, want);
}

static void strip(const char *id, const char *want)
{
	struct str got = modelid_strip_arn(str_from(id));
	ok(str_eq(got, str_from(want)), "strip_arn(%s) = %s (got %.*s)", id, want, (int)got.n,
	   got.p);
}

/* Each id of the NULL-terminated list has route want, and is its own model. */
static void routes_of(enum route want, const char *const *ids)
{
	for (; *ids; ids++)
		route(*ids, want, *ids);
}

static void test_route_names(void)
{
	char all[128] = "";
	for (enum route r = 0; r < ROUTE_COUNT; r++)
		snprintf(all + strlen(all), sizeof all - strlen(all), "%s ", route_name(r));
	is_str(all, "application-profile system-profile foundation-model other ",
	       "route names, in enum order");
	is_str(route_name(ROUTE_COUNT), "other", "out of range");
	is_str(route_name((enum route) - 1), "other", "negative");
}

static void test_application_profiles(void)
{
	routes_of(
	    ROUTE_APPLICATION_PROFILE,
	    (const char *const[]){
		"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
		"arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/"
		"x9",
		"arn:aws-cn:bedrock:cn-north-1:123456789012:application-inference-profile/p",
		NULL });
}

static void test_system_profiles(void)
{
	route("arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
	      "us.anthropic.claude-3-haiku-20240307-v1:0",
	      ROUTE_SYSTEM_PROFILE, "us.anthropic.claude-3-haiku-20240307-v1:0");
	route("arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/"
	      "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0",
	      ROUTE_SYSTEM_PROFILE, "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0");
	route("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/"
	      "global.anthropic.claude-opus-4-7",
	      ROUTE_SYSTEM_PROFILE, "global.anthropic.claude-opus-4-7");
	/* the ARN form is a system profile whatever P looks like */
	route("arn:aws:bedrock:us-east-1:1:inference-profile/us.a.b", ROUTE_SYSTEM_PROFILE,
	      "us.a.b");
	route("arn:aws:bedrock:us-east-1:1:inference-profile/plain", ROUTE_SYSTEM_PROFILE, "plain");

	static const char *const prefixes[] = { "us", "us-gov", "eu", "apac",  "jp",
						"au", "ca",	"sa", "global" };
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
		char id[96];
		snprintf(id, sizeof id, "%s.anthropic.claude-sonnet-4-6", prefixes[i]);
		route(id, ROUTE_SYSTEM_PROFILE, id);
		snprintf(id, sizeof id, "%s.a.b", prefixes[i]);
		route(id, ROUTE_SYSTEM_PROFILE, id);
		snprintf(id, sizeof id, "%s.a.b.c", prefixes[i]);
		route(id, ROUTE_SYSTEM_PROFILE, id);
	}
}

static void test_foundation_models(void)
{
	route("anthropic.claude-3-haiku-20240307-v1:0", ROUTE_FOUNDATION_MODEL,
	      "anthropic.claude-3-haiku-20240307-v1:0");
	route("deepseek.v3.2", ROUTE_FOUNDATION_MODEL, "deepseek.v3.2");
	route("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1",
	      ROUTE_FOUNDATION_MODEL, "anthropic.claude-v2:1");
	route("arn:aws-us-gov:bedrock:us-gov-east-1::foundation-model/"
	      "anthropic.claude-3-5-sonnet-20240620-v1:0",
	      ROUTE_FOUNDATION_MODEL, "anthropic.claude-3-5-sonnet-20240620-v1:0");
	route("arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.nova-lite-v1:0",
	      ROUTE_FOUNDATION_MODEL, "amazon.nova-lite-v1:0");

	/* a geographic first part needs two or more parts after it */
	routes_of(ROUTE_FOUNDATION_MODEL,
		  (const char *const[]){ "us.foo", "global.foo", "us", "us.", "us.a.", "us..a",
					 "xx.a.b", "US.a.b", "usa.a.b", "us-east-1.a.b", ".a.b", "",
					 NULL });

	struct str model;
	ok(route_classify((struct str){ NULL, 0 }, &model) == ROUTE_FOUNDATION_MODEL &&
	       model.n == 0,
	   "an empty NULL slice");
	ok(route_classify((struct str){ "us.a.b.extra", 5 }, &model) == ROUTE_FOUNDATION_MODEL &&
	       model.n == 5,
	   "only n bytes are read: \"us.a.\"");
}

static void test_other(void)
{
	routes_of(
	    ROUTE_OTHER,
	    (const char *const[]){
		"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456",
		"arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:provisioned-model/abcdef",
		"arn:aws:bedrock:us-east-1:123456789012:custom-model/"
		"amazon.titan-text-express-v1:0:8k/abc123",
		"arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:custom-model/m/x",
		"arn:aws:bedrock:us-east-1:123456789012:imported-model/abc123",
		"arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1",
		"arn:aws:bedrock:us-east-1:123456789012:prompt-router/abc",
		"arn:aws:bedrock:us-east-1:123456789012:inference-profile/",
		"arn:aws:bedrock:us-east-1::foundation-model",
		"arn:aws:sagemaker:us-east-1:123456789012:endpoint/foundation-model/x",
		"arn:aws:bedrock:foundation-model/x",
		"arn:foo:bedrock:us-east-1::foundation-model/x", "arn:", "arn:aws",
		"arn:aws:bedrock:us-east-1:1:inference-profile", NULL });
}

static void test_geo_prefix(void)
{
	geo("us.a.b", 3);
	geo("us-gov.a.b", 7);
	geo("eu.a.b", 3);
	geo("apac.a.b", 5);
	geo("jp.a.b", 3);
	geo("au.a.b", 3);
	geo("ca.a.b", 3);
	geo("sa.a.b", 3);
	geo("global.a.b", 7);
	geo("us.anthropic.claude-sonnet-4-5-20250929-v1:0", 3);
	geo("us.eu.a.b", 3);
	geo("us.foo", 0);
	geo("us.a.", 0);
	geo("us..b", 0);
	geo("us", 0);
	geo("", 0);
	geo("anthropic.claude-3-haiku-20240307-v1:0", 0);
	geo("deepseek.v3.2", 0);
	geo("gov.a.b", 0);
	geo("us-gov-west-1.a.b", 0);
	is_int(modelid_geo_prefix_len((struct str){ NULL, 0 }), 0, "NULL slice");
	is_int(modelid_geo_prefix_len((struct str){ "jp.a.b", 4 }), 0, "only n bytes: \"jp.a\"");
}

static void test_strip_arn(void)
{
	strip("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1",
	      "anthropic.claude-v2:1");
	strip("arn:aws-us-gov:bedrock:us-gov-west-1:1:inference-profile/us-gov.a.b", "us-gov.a.b");
	strip("arn:aws:bedrock:us-east-1:1:application-inference-profile/abc", "abc");
	strip("arn:aws:bedrock:us-east-1:1:custom-model/m:0/x",
	      "x"); /* bedrock-ledger-formats(5), ROUTES: after the last / */
	strip("arn:aws:bedrock:us-east-1:1:no-slash", "arn:aws:bedrock:us-east-1:1:no-slash");
	strip("anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0");
	strip("us.a/b", "us.a/b");
	strip("", "");
}

static void field(const char *arn, unsigned k, const char *want)
{
	struct str got = modelid_arn_field(str_from(arn), k);
	ok(str_eq(got, str_from(want)), "field %u of %s is '%s' (got '%.*s')", k, arn, want,
	   (int)got.n, got.p);
}

static void test_arn_field(void)
{
	const char *fm = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1";
	const char *const want[] = { "arn",	  "aws", "bedrock",
				     "us-east-1", "",	 "foundation-model/anthropic.claude-v2:1" };
	for (unsigned k = 0; k < 6; k++)
		field(fm, k, want[k]);
	field(fm, 6, "");
	field("arn:aws:bedrock:::foundation-model/m", 3, "");
	field("arn:aws:bedrock:eu-west-1", 3, ""); /* no ':' closes the region */
	field("arn:aws:bedrock:eu-west-1:", 3, "eu-west-1");
	field("arn:aws:bedrock:eu-west-1:1", 5, ""); /* no fifth ':' */
	field("arn:aws:bedrock:eu-west-1:1:", 5, "");
	field("us.a.b", 0, "");
	field("", 3, "");
	ok(modelid_arn_field((struct str){ "arn:a:b:c:d:e", 9 }, 3).n == 0,
	   "only n bytes: \"arn:a:b:c\"");
}

/* The prefix covering a comma-separated list of regions. */
static void covers(const char *regions, const char *want)
{
	struct str r[16];
	size_t n = 0;
	for (const char *p = regions; n < 16;) {
		const char *comma = strchr(p, ',');
		r[n++] = (struct str){ p, comma ? (size_t)(comma - p) : strlen(p) };
		if (!comma)
			break;
		p = comma + 1;
	}
	is_str(modelid_geo_prefix_covering(r, n), want, "%s -> %s", regions, want);
}

static void test_geo_covering(void)
{
	covers("us-east-1", "us.");
	covers("ap-northeast-1", "jp.");
	covers("us-east-1,us-west-2", "us.");
	covers("ap-northeast-1,ap-northeast-3", "jp.");
	covers("ap-northeast-1,ap-northeast-2", "apac.");
	covers("ap-southeast-2,ap-southeast-4", "au.");
	covers("ca-central-1,ca-west-1", "ca.");
	covers("us-gov-west-1,us-gov-east-1", "us-gov.");
	covers("eu-west-1,eu-north-1,eu-south-2", "eu.");
	covers("ap-east-2,me-central-1", "apac.");
	covers("us-east-1,eu-west-1", "global.");
	covers("sa-east-1,us-east-1", "global.");
	covers("us-east-1,", "global.");
}

/* The table the SQL generator reads: every prefix is one modelid_geo_prefix_len knows. */
static void test_geo_table(void)
{
	struct modelid_geo g;
	size_t n = 0, strip = 0;
	char all[256] = "";
	for (; modelid_geo_at(n, &g); n++) {
		char id[64];
		snprintf(id, sizeof id, "%sa.b", g.prefix);
		is_int(modelid_geo_prefix_len(str_from(id)), strlen(g.prefix),
		       "%s is a geographic prefix", g.prefix);
		is_str(modelid_pool(str_from(id)), g.pool, "pool of %s", id);
		strip += g.strip_to_price;
		snprintf(all + strlen(all), sizeof all - strlen(all), "%s", g.prefix);
	}
	is_str(all, "jp.au.ca.us-gov.us.eu.apac.ap.sa.global.", "the prefixes, in table order");
	is_int(strip, n - 1, "all but global. are stripped for pricing");
	ok(!modelid_geo_at(n, &g), "past the end");
	is_str(route_arn_type(ROUTE_APPLICATION_PROFILE), "application-inference-profile",
	       "ARN type");
	is_str(route_arn_type(ROUTE_SYSTEM_PROFILE), "inference-profile", "ARN type");
	is_str(route_arn_type(ROUTE_FOUNDATION_MODEL), "foundation-model", "ARN type");
	ok(route_arn_type(ROUTE_OTHER) == NULL, "other has no ARN type");
}

/* bedrock-ledger-formats(5), POOLS: a region's geography, and same_geography. */
static void test_geography(void)
{
	static const struct {
		const char *region, *geo;
	} g[] = {
		{ "eu-west-1", "eu" },
		{ "ap-south-1", "ap" },
		{ "us-gov-west-1", "us-gov" },
		{ "us-east-1", "us" },
		{ "us-gov", "us" },
		{ "me-central-1", "me" },
		{ "local", "local" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof g / sizeof *g; i++) {
		struct str got = modelid_region_geography(str_from(g[i].region));
		ok(str_eq(got, str_from(g[i].geo)), "geography of '%s' is '%s'", g[i].region,
		   g[i].geo);
	}
	ok(modelid_same_geography(STR_LIT("eu-west-1"), STR_LIT("eu-central-1")) == POOL_IN,
	   "eu-west-1 and eu-central-1: same geography");
	ok(modelid_same_geography(STR_LIT("eu-west-1"), STR_LIT("us-east-2")) == POOL_OUT,
	   "eu-west-1 and us-east-2: not");
	ok(modelid_same_geography(STR_LIT("us-gov-west-1"), STR_LIT("us-east-1")) == POOL_OUT,
	   "us-gov is not us");
	ok(modelid_same_geography(STR_LIT("eu-west-1"), STR_LIT("")) == POOL_UNKNOWN,
	   "no inference region: unknown");
	ok(modelid_same_geography(STR_LIT(""), STR_LIT("eu-west-1")) == POOL_UNKNOWN,
	   "no source region: unknown");
}

static void test_regions(void)
{
	static const char *const formed[] = { "us-east-1", "us-gov-west-1", "il-central-1",
					      "ap-southeast-7", "xx-newplace-12" };
	static const char *const unformed[] = { "us-east1", "useast-1", "US-EAST-1",  "us_east_1",
						"eu",	    "*",	"us-east-01", "us-a-b-c-1",
						"us-east-", "u-east-1", "us-east-1a", "" };
	for (size_t i = 0; i < sizeof formed / sizeof *formed; i++)
		ok(modelid_region_well_formed(str_from(formed[i])), "well formed: %s", formed[i]);
	for (size_t i = 0; i < sizeof unformed / sizeof *unformed; i++)
		ok(!modelid_region_well_formed(str_from(unformed[i])), "not well formed: '%s'",
		   unformed[i]);
	ok(modelid_region_known(STR_LIT("eu-south-2")), "known: a region of a pool");
	ok(modelid_region_known(STR_LIT("sa-east-1")), "known: sa-east-1");
	ok(!modelid_region_known(STR_LIT("il-central-1")), "not known: il-central-1");
	ok(!modelid_region_known(STR_LIT("*")), "not known: *");
	is_str(modelid_region_nearest(STR_LIT("us-east1")), "us-east-1", "nearest: a dash");
	is_str(modelid_region_nearest(STR_LIT("EU-CENTRAL-1")), "eu-central-1", "nearest: case");
	is_str(modelid_region_nearest(STR_LIT("ap-sotuh-1")), "ap-south-1", "nearest: a swap");
	ok(modelid_region_nearest(STR_LIT("il-central-1")) == NULL, "nearest: two edits are none");
	ok(modelid_region_nearest(STR_LIT("europe")) == NULL, "nearest: none");
}

/* bedrock-ledger-formats(5), POOLS: in the pool or not, from the model's prefix. */
static void test_in_pool(void)
{
	static const struct {
		const char *model, *source, *inference;
		enum pool_verdict want;
	} cases[] = {
		{ "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1", "us-west-2", POOL_IN },
		{ "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1", "eu-west-1", POOL_OUT },
		{ "eu.amazon.nova-lite-v1:0", "eu-west-1", "eu-north-1", POOL_IN },
		{ "apac.amazon.nova-lite-v1:0", "ap-south-1", "me-central-1", POOL_IN },
		{ "ap.amazon.nova-lite-v1:0", "ap-south-1", "us-east-1", POOL_OUT },
		{ "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1", "sa-east-1",
		  POOL_IN },
		{ "anthropic.claude-3-haiku-20240307-v1:0", "us-east-1", "us-east-1", POOL_IN },
		{ "anthropic.claude-3-haiku-20240307-v1:0", "us-east-1", "us-east-2", POOL_OUT },
		{ "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1", "", POOL_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct str m = str_from(cases[i].model), src = str_from(cases[i].source),
			   inf = str_from(cases[i].inference);
		is_int(modelid_in_geo(modelid_geo_of(m), src, inf), cases[i].want,
		       "%s from %s run in %s", cases[i].model, cases[i].source, cases[i].inference);
	}
	is_int(modelid_geo_of(STR_LIT("anthropic.claude-3-haiku-20240307-v1:0")), -1,
	       "no prefix: no geography");
}

int main(void)
{
	test_in_pool();
	test_geography();
	test_regions();
	test_route_names();
	test_application_profiles();
	test_system_profiles();
	test_foundation_models();
	test_other();
	test_geo_prefix();
	test_strip_arn();
	test_arn_field();
	test_geo_covering();
	test_geo_table();
	return tap_done();
}
