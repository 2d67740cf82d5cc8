/*
 * test_modelid.c - routes of SPEC §3, geographic prefixes, ARN stripping.
 */
#include "ledger/modelid.h"

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
	ok(str_eq(got, str_from(want)), "strip_arn(%s) = %s (got %.*s)", id, want, (int)got.n, got.p);
}

static void test_route_names(void)
{
	static const struct {
		enum route route;
		const char *name;
	} names[] = {
		{ ROUTE_APPLICATION_PROFILE, "application-profile" },
		{ ROUTE_SYSTEM_PROFILE, "system-profile" },
		{ ROUTE_FOUNDATION_MODEL, "foundation-model" },
		{ ROUTE_OTHER, "other" },
		{ ROUTE_COUNT, "other" },        /* out of range */
		{ (enum route)-1, "other" },     /* negative */
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		is_str(route_name(names[i].route), names[i].name, "name of route %d", (int)names[i].route);
}

/* Every id of ids has route want, and is its own model. */
static void routes_as_logged(const char *const *ids, size_t n, enum route want)
{
	for (size_t i = 0; i < n; i++)
		route(ids[i], want, ids[i]);
}

/* A modelId and the model it is priced as. */
struct id_model {
	const char *id, *model;
};

/* Every id of cases has route want and its model. */
static void routes(const struct id_model *cases, size_t n, enum route want)
{
	for (size_t i = 0; i < n; i++)
		route(cases[i].id, want, cases[i].model);
}

static void test_application_profiles(void)
{
	static const char *const ids[] = {
		"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
		"arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/x9",
		"arn:aws-cn:bedrock:cn-north-1:123456789012:application-inference-profile/p",
	};
	routes_as_logged(ids, sizeof ids / sizeof *ids, ROUTE_APPLICATION_PROFILE);
}

static void test_system_profiles(void)
{
	static const struct id_model arns[] = {
		{ "arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
		  "us.anthropic.claude-3-haiku-20240307-v1:0",
		  "us.anthropic.claude-3-haiku-20240307-v1:0" },
		{ "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/"
		  "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0",
		  "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0" },
		{ "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/"
		  "global.anthropic.claude-opus-4-7",
		  "global.anthropic.claude-opus-4-7" },
		/* the ARN form is a system profile whatever P looks like */
		{ "arn:aws:bedrock:us-east-1:1:inference-profile/us.a.b", "us.a.b" },
		{ "arn:aws:bedrock:us-east-1:1:inference-profile/plain", "plain" },
	};
	routes(arns, sizeof arns / sizeof *arns, ROUTE_SYSTEM_PROFILE);

	static const char *const prefixes[] = { "us", "us-gov", "eu", "apac", "jp",
						"au", "ca", "sa", "global" };
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
	static const struct id_model models[] = {
		{ "anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0" },
		{ "deepseek.v3.2", "deepseek.v3.2" },
		{ "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1",
		  "anthropic.claude-v2:1" },
		{ "arn:aws-us-gov:bedrock:us-gov-east-1::foundation-model/"
		  "anthropic.claude-3-5-sonnet-20240620-v1:0",
		  "anthropic.claude-3-5-sonnet-20240620-v1:0" },
		{ "arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.nova-lite-v1:0",
		  "amazon.nova-lite-v1:0" },
	};
	routes(models, sizeof models / sizeof *models, ROUTE_FOUNDATION_MODEL);

	/* a geographic first part needs two or more parts after it */
	static const char *const not_geo[] = {
		"us.foo", "global.foo", "us", "us.", "us.a.", "us..a", "xx.a.b", "US.a.b", "usa.a.b",
		"us-east-1.a.b", ".a.b", "",
	};
	routes_as_logged(not_geo, sizeof not_geo / sizeof *not_geo, ROUTE_FOUNDATION_MODEL);

	struct str model;
	ok(route_classify((struct str){ NULL, 0 }, &model) == ROUTE_FOUNDATION_MODEL && model.n == 0,
	   "an empty NULL slice");
	ok(route_classify((struct str){ "us.a.b.extra", 5 }, &model) == ROUTE_FOUNDATION_MODEL &&
		   model.n == 5,
	   "only n bytes are read: \"us.a.\"");
}

static void test_other(void)
{
	static const char *const ids[] = {
		"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456",
		"arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:provisioned-model/abcdef",
		"arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abc123",
		"arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:custom-model/m/x",
		"arn:aws:bedrock:us-east-1:123456789012:imported-model/abc123",
		"arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1",
		"arn:aws:bedrock:us-east-1:123456789012:prompt-router/abc",
		"arn:aws:bedrock:us-east-1:123456789012:inference-profile/",
		"arn:aws:bedrock:us-east-1::foundation-model",
		"arn:aws:sagemaker:us-east-1:123456789012:endpoint/foundation-model/x",
		"arn:aws:bedrock:foundation-model/x",
		"arn:foo:bedrock:us-east-1::foundation-model/x",
		"arn:",
		"arn:aws",
	};
	routes_as_logged(ids, sizeof ids / sizeof *ids, ROUTE_OTHER);
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
	strip("arn:aws:bedrock:us-east-1:1:custom-model/m:0/x", "m:0/x");
	strip("arn:aws:bedrock:us-east-1:1:no-slash", "arn:aws:bedrock:us-east-1:1:no-slash");
	strip("anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0");
	strip("us.a/b", "us.a/b");
	strip("", "");
}

int main(void)
{
	test_route_names();
	test_application_profiles();
	test_system_profiles();
	test_foundation_models();
	test_other();
	test_geo_prefix();
	test_strip_arn();
	return tap_done();
}
