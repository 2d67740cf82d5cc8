/*
 * test_attribute.c - (modelId, region) -> route, model, tags, price and
 * problem, with a small manifest and price table; and the cache.
 */
#include "ledger/price/attribute.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define NANO   1000000000ull
#define APP    "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/"
#define HAIKU  "anthropic.claude-3-haiku-20240307-v1:0"
#define SONNET "anthropic.claude-3-5-sonnet-20240620-v1:0"
#define NOVA   "amazon.nova-pro-v1:0"

static const char manifest_csv[] =
    "profile_arn,model_id,app,team,env\n" APP "app1," HAIKU ",chat,core,prod\n" APP
    "app2,,search,data,\n" APP "app3,arn:aws:bedrock:us-east-1::foundation-model/" NOVA
    ",ops,,dev\n" APP "app4,us." SONNET ",bot,core,\n" APP "app5,unknown.model-v1,x,y,z\n";

static const char prices_csv[] =
    "model_id,region,input_per_mtok,output_per_mtok,cache_read_per_mtok,cache_write_per_"
    "mtok\n" HAIKU ",*,0.25,1.25,0.03,0.3\n" HAIKU ",eu-west-1,0.5,2.5,,\n" NOVA
    ",us-east-1,0.8,3.2,,\n" SONNET ",*,3,15,0.3,3.75\n"
    "global.anthropic.claude-sonnet-4-v1:0,*,3.3,16.5,,\n";

static const char *const group_by[] = { "team", "app", "missing" };

static struct manifest *man;
static struct price_table *prices;

/* The slice as a C string (static rotating buffers); "(null)" for a NULL pointer. */
static const char *cs(struct str s)
{
	static char bufs[4][512];
	static int k;
	char *b = bufs[k++ & 3];
	if (!s.p && s.n == 0)
		return "";
	snprintf(b, sizeof bufs[0], "%.*s", (int)s.n, s.p);
	return b;
}

static const struct attribution *attr(struct attributor *a, const char *model_id,
				      const char *region)
{
	return attribute(a, str_from(model_id), str_from(region), STR_LIT(""));
}

/* The standard row for every request at no particular time (NULL: none). */
static const struct price *price_of(const struct attribution *at)
{
	enum price_miss miss;
	const struct price_row *r =
	    at->priced ? prices_pick(&at->steps, 0, (struct ts){ 0, 0 }, &miss) : NULL;
	return r ? &r->price : NULL;
}

static long long input_price(const struct attribution *at)
{
	const struct price *p = price_of(at);
	return p && p->has[TOKEN_INPUT] ? (long long)p->nanos[TOKEN_INPUT] : -1;
}

/* One expected attribution. */
struct want {
	const char *model_id, *region;
	enum route route;
	const char *model;
	enum problem problem;
	const char *problem_model;
	long long input_nanos; /* -1: no price */
	const char *tags[3];   /* team, app, missing */
};

static void check(struct attributor *a, const struct want *w)
{
	const struct attribution *at = attr(a, w->model_id, w->region);
	const char *id = w->model_id;
	is_str(route_name(at->route), route_name(w->route), "%s @%s: route", id, w->region);
	is_str(cs(at->model), w->model, "%s @%s: model", id, w->region);
	/* no-price is a record's problem: its attribution has candidate rows, and none fits */
	enum problem want = w->problem == PROBLEM_NO_PRICE ? PROBLEM_NONE : w->problem;
	is_str(problem_name(at->problem), problem_name(want), "%s @%s: problem", id, w->region);
	ok(at->priced == (want == PROBLEM_NONE), "%s @%s: candidate rows gathered", id, w->region);
	is_str(cs(at->problem_model), w->problem_model, "%s @%s: problem_model", id, w->region);
	is_int(input_price(at), w->input_nanos, "%s @%s: input price", id, w->region);
	ok(at->tags != NULL, "%s @%s: tags", id, w->region);
	for (int g = 0; g < 3 && at->tags; g++)
		is_str(cs(at->tags[g]), w->tags[g], "%s @%s: tag %s", id, w->region, group_by[g]);
	ok((w->problem == PROBLEM_NONE) == (price_of(at) != NULL),
	   "%s @%s: a price exactly when there is no problem", id, w->region);
}

static void test_routes(void)
{
	struct attributor *a = attributor_create(man, prices, group_by, 3);
	static const struct want cases[] = {
		/* foundation models, bare and as ARNs; the region row before the '*' row */
		{ HAIKU,
		  "us-east-1",
		  ROUTE_FOUNDATION_MODEL,
		  HAIKU,
		  PROBLEM_NONE,
		  HAIKU,
		  250000000,
		  { "", "", "" } },
		{ HAIKU,
		  "eu-west-1",
		  ROUTE_FOUNDATION_MODEL,
		  HAIKU,
		  PROBLEM_NONE,
		  HAIKU,
		  500000000,
		  { "", "", "" } },
		{ "arn:aws:bedrock:eu-west-1::foundation-model/" HAIKU,
		  "eu-west-1",
		  ROUTE_FOUNDATION_MODEL,
		  HAIKU,
		  PROBLEM_NONE,
		  HAIKU,
		  500000000,
		  { "", "", "" } },
		{ "meta.llama3-8b-instruct-v1:0",
		  "us-east-1",
		  ROUTE_FOUNDATION_MODEL,
		  "meta.llama3-8b-instruct-v1:0",
		  PROBLEM_NO_PRICE,
		  "meta.llama3-8b-instruct-v1:0",
		  -1,
		  { "", "", "" } },
		{ NOVA,
		  "us-west-2",
		  ROUTE_FOUNDATION_MODEL,
		  NOVA,
		  PROBLEM_NO_PRICE,
		  NOVA,
		  -1,
		  { "", "", "" } },
		/* system profiles: the prefix dropped for the price, kept as the model */
		{ "us." SONNET,
		  "us-west-2",
		  ROUTE_SYSTEM_PROFILE,
		  "us." SONNET,
		  PROBLEM_NONE,
		  "us." SONNET,
		  3 * NANO,
		  { "", "", "" } },
		{ "arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu." HAIKU,
		  "eu-west-1",
		  ROUTE_SYSTEM_PROFILE,
		  "eu." HAIKU,
		  PROBLEM_NONE,
		  "eu." HAIKU,
		  500000000,
		  { "", "", "" } },
		{ "apac." HAIKU,
		  "ap-south-1",
		  ROUTE_SYSTEM_PROFILE,
		  "apac." HAIKU,
		  PROBLEM_NONE,
		  "apac." HAIKU,
		  250000000,
		  { "", "", "" } },
		{ "global.anthropic.claude-sonnet-4-v1:0",
		  "us-east-1",
		  ROUTE_SYSTEM_PROFILE,
		  "global.anthropic.claude-sonnet-4-v1:0",
		  PROBLEM_NONE,
		  "global.anthropic.claude-sonnet-4-v1:0",
		  3300000000,
		  { "", "", "" } },
		{ "global." HAIKU,
		  "us-east-1",
		  ROUTE_SYSTEM_PROFILE,
		  "global." HAIKU,
		  PROBLEM_NO_PRICE,
		  "global." HAIKU,
		  -1,
		  { "", "", "" } },
		/* application profiles: model and tags from the manifest, tags in group-by order */
		{ APP "app1",
		  "us-east-1",
		  ROUTE_APPLICATION_PROFILE,
		  HAIKU,
		  PROBLEM_NONE,
		  HAIKU,
		  250000000,
		  { "core", "chat", "" } },
		{ APP "app1",
		  "eu-west-1",
		  ROUTE_APPLICATION_PROFILE,
		  HAIKU,
		  PROBLEM_NONE,
		  HAIKU,
		  500000000,
		  { "core", "chat", "" } },
		{ APP "app2",
		  "us-east-1",
		  ROUTE_APPLICATION_PROFILE,
		  APP "app2",
		  PROBLEM_NO_MODEL,
		  APP "app2",
		  -1,
		  { "data", "search", "" } },
		{ APP "app3",
		  "us-east-1",
		  ROUTE_APPLICATION_PROFILE,
		  NOVA,
		  PROBLEM_NONE,
		  NOVA,
		  800000000,
		  { "", "ops", "" } },
		{ APP "app3",
		  "us-west-2",
		  ROUTE_APPLICATION_PROFILE,
		  NOVA,
		  PROBLEM_NO_PRICE,
		  NOVA,
		  -1,
		  { "", "ops", "" } },
		{ APP "app4",
		  "us-east-2",
		  ROUTE_APPLICATION_PROFILE,
		  "us." SONNET,
		  PROBLEM_NONE,
		  "us." SONNET,
		  3 * NANO,
		  { "core", "bot", "" } },
		{ APP "app5",
		  "us-east-1",
		  ROUTE_APPLICATION_PROFILE,
		  "unknown.model-v1",
		  PROBLEM_NO_PRICE,
		  "unknown.model-v1",
		  -1,
		  { "y", "x", "" } },
		{ APP "nope",
		  "us-east-1",
		  ROUTE_APPLICATION_PROFILE,
		  APP "nope",
		  PROBLEM_NOT_IN_MANIFEST,
		  APP "nope",
		  -1,
		  { "", "", "" } },
		{ APP "app1x",
		  "us-east-1",
		  ROUTE_APPLICATION_PROFILE,
		  APP "app1x",
		  PROBLEM_NOT_IN_MANIFEST,
		  APP "app1x",
		  -1,
		  { "", "", "" } },
		/* anything else: not token-priced, the modelId as logged */
		{ "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abc123",
		  "us-east-1",
		  ROUTE_OTHER,
		  "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abc123",
		  PROBLEM_NOT_TOKEN_PRICED,
		  "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abc123",
		  -1,
		  { "", "", "" } },
		{ "arn:aws:bedrock:us-east-1:111122223333:custom-model/" HAIKU "/x",
		  "us-east-1",
		  ROUTE_OTHER,
		  "arn:aws:bedrock:us-east-1:111122223333:custom-model/" HAIKU "/x",
		  PROBLEM_NOT_TOKEN_PRICED,
		  "arn:aws:bedrock:us-east-1:111122223333:custom-model/" HAIKU "/x",
		  -1,
		  { "", "", "" } },
		{ "arn:aws:bedrock:us-east-1:111122223333:default-prompt-router/r1",
		  "us-east-1",
		  ROUTE_OTHER,
		  "arn:aws:bedrock:us-east-1:111122223333:default-prompt-router/r1",
		  PROBLEM_NOT_TOKEN_PRICED,
		  "arn:aws:bedrock:us-east-1:111122223333:default-prompt-router/r1",
		  -1,
		  { "", "", "" } },
		{ "arn:aws:sagemaker:us-east-1:111122223333:foundation-model/" HAIKU,
		  "us-east-1",
		  ROUTE_OTHER,
		  "arn:aws:sagemaker:us-east-1:111122223333:foundation-model/" HAIKU,
		  PROBLEM_NOT_TOKEN_PRICED,
		  "arn:aws:sagemaker:us-east-1:111122223333:foundation-model/" HAIKU,
		  -1,
		  { "", "", "" } },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		check(a, &cases[i]);

	/* the cached answers are the same the second time, in reverse order */
	for (size_t i = sizeof cases / sizeof *cases; i-- > 0;)
		check(a, &cases[i]);

	const struct attribution *at = attr(a, HAIKU, "us-east-1");
	ok(price_of(at) && price_of(at)->has[TOKEN_CACHE_READ] &&
	       price_of(at)->nanos[TOKEN_CACHE_READ] == 30000000 &&
	       price_of(at)->nanos[TOKEN_CACHE_WRITE] == 300000000 &&
	       price_of(at)->nanos[TOKEN_OUTPUT] == 1250000000,
	   "the whole '*' row");
	at = attr(a, HAIKU, "eu-west-1");
	ok(price_of(at) && !price_of(at)->has[TOKEN_CACHE_READ] &&
	       !price_of(at)->has[TOKEN_CACHE_WRITE],
	   "empty cells of the region row: no price for those kinds (no mix with '*')");
	attributor_destroy(a);
}

static void test_cache(void)
{
	struct attributor *a = attributor_create(man, prices, group_by, 3);
	char id1[] = HAIKU, id2[] = HAIKU, r1[] = "us-east-1", r2[] = "us-east-1";
	const struct attribution *x = attribute(a, str_from(id1), str_from(r1), STR_LIT(""));
	const struct attribution *y = attribute(a, str_from(id2), str_from(r2), STR_LIT(""));
	ok(x == y, "the same (modelId, region) from other buffers: the same attribution");
	id1[0] = 'X';
	r1[0] = 'X';
	is_str(cs(x->model), HAIKU, "the attributor keeps its own copy of the key");
	const struct attribution *eu = attr(a, HAIKU, "eu-west-1");
	ok(eu != x, "another region: another attribution");
	ok(price_of(eu) != price_of(x) && input_price(eu) == 500000000 &&
	       input_price(x) == 250000000,
	   "... with that region's price");
	const struct attribution *w2 = attr(a, HAIKU, "us-west-2");
	ok(w2 != x && price_of(w2) == price_of(x),
	   "two regions on the '*' row share the price row");
	const struct attribution *empty =
	    attribute(a, str_from(HAIKU), (struct str){ NULL, 0 }, STR_LIT(""));
	ok(empty != x && input_price(empty) == 250000000, "no region: the '*' row");
	ok(attribute(a, str_from(HAIKU), STR_LIT(""), STR_LIT("")) == empty,
	   "an empty region is no region");

	/* the key is the pair, not the concatenation */
	const struct attribution *p = attribute(a, STR_LIT("us.a.b"), STR_LIT("cd"), STR_LIT(""));
	const struct attribution *q = attribute(a, STR_LIT("us.a.bc"), STR_LIT("d"), STR_LIT(""));
	ok(p != q && strcmp(cs(p->model), "us.a.b") == 0 && strcmp(cs(q->model), "us.a.bc") == 0,
	   "(\"us.a.b\", \"cd\") and (\"us.a.bc\", \"d\") are two keys");
	const struct attribution *n1 = attribute(a, STR_LIT("m\0x"), STR_LIT("r"), STR_LIT(""));
	const struct attribution *n2 = attribute(a, STR_LIT("m"), STR_LIT("\0xr"), STR_LIT(""));
	ok(n1 != n2 && n1->model.n == 3 && n2->model.n == 1, "NUL bytes kept in the key");

	/* many distinct pairs: the table grows, earlier answers stay where they were */
	const struct attribution *ptr[500];
	char id[128];
	for (int i = 0; i < 500; i++) {
		snprintf(id, sizeof id, "%s%d", i % 2 ? "us.model." : APP, i);
		ptr[i] = attr(a, id, i % 3 ? "us-east-1" : "eu-west-1");
	}
	int moved = 0;
	for (int i = 0; i < 500; i++) {
		snprintf(id, sizeof id, "%s%d", i % 2 ? "us.model." : APP, i);
		if (attr(a, id, i % 3 ? "us-east-1" : "eu-west-1") != ptr[i])
			moved++;
	}
	is_int(moved, 0, "500 pairs found again at the same addresses");
	ok(attr(a, HAIKU, "us-east-1") == x && attr(a, HAIKU, "eu-west-1") == eu,
	   "the first answers survive the growth");
	is_str(cs(x->model), HAIKU, "... unchanged");
	ok(ptr[0]->problem == PROBLEM_NOT_IN_MANIFEST && ptr[1]->problem == PROBLEM_NONE &&
	       price_of(ptr[1]) == NULL,
	   "problems of the generated pairs");
	attributor_destroy(a);
	attributor_destroy(NULL);
}

static void test_no_manifest_no_groups(void)
{
	struct attributor *a = attributor_create(NULL, prices, NULL, 0);
	const struct attribution *at = attr(a, APP "app1", "us-east-1");
	is_str(problem_name(at->problem), "not-in-manifest", "no manifest: not-in-manifest");
	is_str(cs(at->model), APP "app1", "no manifest: the modelId as logged");
	ok(price_of(at) == NULL && at->tags != NULL, "no manifest: no price, a tags array");
	at = attr(a, HAIKU, "us-east-1");
	ok(at->problem == PROBLEM_NONE && input_price(at) == 250000000,
	   "no manifest: foundation models still priced");
	attributor_destroy(a);

	/* a group-by of one key the manifest lacks */
	static const char *const only[] = { "owner" };
	a = attributor_create(man, prices, only, 1);
	at = attr(a, APP "app1", "us-east-1");
	ok(at->problem == PROBLEM_NONE && at->tags[0].n == 0, "a group-by key no entry has: empty");
	attributor_destroy(a);
}

static void test_problem_names(void)
{
	is_str(problem_name(PROBLEM_NONE), "", "none");
	is_str(problem_name(PROBLEM_NOT_IN_MANIFEST), "not-in-manifest", "not-in-manifest");
	is_str(problem_name(PROBLEM_NO_MODEL), "no-model", "no-model");
	is_str(problem_name(PROBLEM_NO_PRICE), "no-price", "no-price");
	is_str(problem_name(PROBLEM_NOT_TOKEN_PRICED), "not-token-priced", "not-token-priced");
	is_str(problem_name(PROBLEM_COUNT), "", "out of range");
	is_str(problem_name((enum problem) - 1), "", "negative");
}

int main(void)
{
	man = manifest_create();
	prices = prices_create();
	ok(manifest_load_buffer(man, "manifest.csv", manifest_csv, strlen(manifest_csv)) == 0,
	   "manifest loads %s", manifest_error(man));
	is_int(manifest_count(man), 5, "five profiles");
	ok(prices_load_buffer(prices, "prices.csv", prices_csv, strlen(prices_csv)) == 0,
	   "prices load %s", prices_error(prices));
	is_int(prices_count(prices), 5, "five price rows");

	test_routes();
	test_cache();
	test_no_manifest_no_groups();
	test_problem_names();

	manifest_destroy(man);
	prices_destroy(prices);
	return tap_done();
}
