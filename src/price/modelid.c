/*
 * modelid.c - routes, geographic prefixes and ARNs of logged model IDs.
 */
#include "ledger/price/modelid.h"

#include <stdio.h>
#include <strings.h>

#include "ledger/support/nearest.h"

/*
 * bedrock-ledger-formats(5), ROUTES: a route is named in the reports, and a Bedrock ARN says it by
 * its resource type.
 */
static const struct {
	const char *name;
	const char *arn_type; /* NULL: no ARN has this route */
} routes[ROUTE_COUNT] = {
	[ROUTE_APPLICATION_PROFILE] = { "application-profile", "application-inference-profile" },
	[ROUTE_SYSTEM_PROFILE] = { "system-profile", "inference-profile" },
	[ROUTE_FOUNDATION_MODEL] = { "foundation-model", "foundation-model" },
	[ROUTE_OTHER] = { "other", NULL },
};

const char *route_name(enum route r)
{
	return (unsigned)r < ROUTE_COUNT ? routes[r].name : routes[ROUTE_OTHER].name;
}

/*
 * The one table of geography (log-format.md §4.1): the geographic prefixes
 * of system profiles with their pools' regions (bedrock-ledger-formats(5), POOLS), in the order
 * bedrock-ledger-formats(5), TAG MANIFESTS tries them for a profile copied from a system profile
 * (`covers`: sa., ap. and global. never cover a profile's regions). AWS adds regions: this is the
 * place to add them.
 */
static const struct geo {
	const char *prefix;
	const char *pool; /* the pool's name in reports */
	bool covers;
	const char *const regions[14];
} geos[] = {
	{ "jp.", "jp", true, { "ap-northeast-1", "ap-northeast-3" } },
	{ "au.", "au", true, { "ap-southeast-2", "ap-southeast-4", "ap-southeast-6" } },
	{ "ca.", "ca", true, { "ca-central-1", "ca-west-1" } },
	{ "us-gov.", "us-gov", true, { "us-gov-east-1", "us-gov-west-1" } },
	{ "us.", "us", true, { "us-east-1", "us-east-2", "us-west-1", "us-west-2" } },
	{ "eu.",
	  "eu",
	  true,
	  { "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1",
	    "eu-south-1", "eu-south-2" } },
	{ "apac.",
	  "apac",
	  true,
	  { "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
	    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	    "ap-southeast-5", "ap-southeast-7", "ap-east-2", "me-central-1" } },
	/* bedrock-ledger-formats(5), ROUTES: an alias of apac. */
	{ "ap.",
	  "apac",
	  false,
	  { "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
	    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	    "ap-southeast-5", "ap-southeast-7", "ap-east-2", "me-central-1" } },
	{ "sa.", "sa", false, { "sa-east-1" } },
	{ "global.", "global", false, { NULL } }, /* any region */
};

#define NGEOS (sizeof geos / sizeof *geos)

const char *route_arn_type(enum route r)
{
	return (unsigned)r < ROUTE_COUNT ? routes[r].arn_type : NULL;
}

bool modelid_geo_at(size_t i, struct modelid_geo *g)
{
	if (i >= NGEOS)
		return false;
	/* global. is the one pool of any region: its profiles have prices of their own */
	*g = (struct modelid_geo){ geos[i].prefix, geos[i].pool, geos[i].regions[0] != NULL,
				   geos[i].regions };
	return true;
}

size_t modelid_geo_prefix_len(struct str id)
{
	/* an absent field is {NULL, 0}, and memchr(NULL, ...) is undefined even for 0 bytes */
	const char *dot = id.n ? memchr(id.p, '.', id.n) : NULL;
	if (!dot)
		return 0;
	size_t head = (size_t)(dot - id.p) + 1;
	/* two or more parts must follow: at least one more dot, text around it */
	struct str rest = { dot + 1, id.n - head };
	const char *dot2 = memchr(rest.p, '.', rest.n);
	if (!dot2 || dot2 == rest.p || dot2 == rest.p + rest.n - 1)
		return 0;
	for (size_t i = 0; i < NGEOS; i++) {
		if (strlen(geos[i].prefix) == head && memcmp(id.p, geos[i].prefix, head) == 0)
			return head;
	}
	return 0;
}

static bool geo_has(const struct geo *g, struct str region)
{
	for (size_t i = 0; i < sizeof g->regions / sizeof *g->regions && g->regions[i]; i++) {
		if (str_eq(str_from(g->regions[i]), region))
			return true;
	}
	return false;
}

const char *modelid_geo_prefix_covering(const struct str *regions, size_t n)
{
	for (size_t g = 0; g < NGEOS; g++) {
		size_t i = 0;
		while (i < n && geo_has(&geos[g], regions[i]))
			i++;
		if (i == n && geos[g].covers)
			return geos[g].prefix;
	}
	return "global.";
}

static const struct geo *geo_of(struct str model)
{
	size_t n = modelid_geo_prefix_len(model);
	for (size_t i = 0; n && i < NGEOS; i++)
		if (strlen(geos[i].prefix) == n && memcmp(model.p, geos[i].prefix, n) == 0)
			return &geos[i];
	return NULL;
}

const char *modelid_pool(struct str model)
{
	const struct geo *g = geo_of(model);
	return g ? g->pool : "in-region";
}

int modelid_geo_of(struct str model)
{
	const struct geo *g = geo_of(model);
	return g ? (int)(g - geos) : -1;
}

enum pool_verdict modelid_in_geo(int geo, struct str source, struct str inference)
{
	if (!inference.n)
		return POOL_UNKNOWN;
	const struct geo *g = geo >= 0 && (size_t)geo < NGEOS ? &geos[geo] : NULL;
	if (!g)
		return str_eq(inference, source) ? POOL_IN : POOL_OUT;
	if (!g->regions[0])
		return POOL_IN; /* global.: any region */
	return geo_has(g, inference) ? POOL_IN : POOL_OUT;
}

struct str modelid_region_geography(struct str region)
{
	size_t n = str_starts(region, "us-gov-") ? 6 : 0;
	while (n < region.n && region.p[n] != '-')
		n++;
	return (struct str){ region.p, n };
}

enum pool_verdict modelid_same_geography(struct str source, struct str inference)
{
	if (!source.n || !inference.n)
		return POOL_UNKNOWN;
	return str_eq(modelid_region_geography(source), modelid_region_geography(inference))
		   ? POOL_IN
		   : POOL_OUT;
}

struct str modelid_strip_arn(struct str id)
{
	if (!str_starts(id, "arn:"))
		return id;
	const char *slash = memrchr(id.p, '/', id.n);
	if (!slash)
		return id;
	return (struct str){ slash + 1, id.n - (size_t)(slash + 1 - id.p) };
}

struct str modelid_arn_field(struct str arn, unsigned k)
{
	struct str none = { arn.p, 0 };
	if (k > 5 || !str_starts(arn, "arn:"))
		return none;
	const char *p = arn.p, *end = arn.p + arn.n;
	for (unsigned i = 0; i < k; i++) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		if (!c)
			return none;
		p = c + 1;
	}
	if (k == 5)
		return (struct str){ p, (size_t)(end - p) };
	const char *c = memchr(p, ':', (size_t)(end - p));
	return c ? (struct str){ p, (size_t)(c - p) } : none;
}

enum route route_classify(struct str model_id, struct str *model)
{
	*model = model_id;
	if (!str_starts(model_id, "arn:"))
		return modelid_geo_prefix_len(model_id) ? ROUTE_SYSTEM_PROFILE
							: ROUTE_FOUNDATION_MODEL;
	/* a Bedrock ARN: arn:aws*:bedrock:R:A:TYPE/ID */
	struct str resource = modelid_arn_field(model_id, 5);
	const char *slash = resource.n ? memchr(resource.p, '/', resource.n) : NULL;
	if (!str_starts(model_id, "arn:aws") ||
	    !str_eq(modelid_arn_field(model_id, 2), STR_LIT("bedrock")) || !slash ||
	    slash + 1 == resource.p + resource.n)
		return ROUTE_OTHER;
	struct str type = { resource.p, (size_t)(slash - resource.p) };
	for (enum route r = 0; r < ROUTE_COUNT; r++) {
		if (routes[r].arn_type && str_eq(type, str_from(routes[r].arn_type))) {
			/* an application profile is looked up by its whole ARN */
			if (r != ROUTE_APPLICATION_PROFILE)
				*model = (struct str){ slash + 1, (size_t)(resource.p + resource.n -
									   slash - 1) };
			return r;
		}
	}
	return ROUTE_OTHER;
}

size_t modelid_principal(struct str caller, char *out, size_t cap)
{
	/* arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION */
	if (!str_starts(caller, "arn:"))
		return 0;
	const char *p = caller.p + 4, *end = caller.p + caller.n;
	const char *c1 = memchr(p, ':', (size_t)(end - p));
	if (!c1)
		return 0;
	struct str partition = { p, (size_t)(c1 - p) };
	struct str rest = { c1 + 1, (size_t)(end - c1 - 1) };
	if (!str_starts(rest, "sts::"))
		return 0;
	const char *acct = rest.p + 5;
	const char *c2 = memchr(acct, ':', (size_t)(end - acct));
	if (!c2)
		return 0;
	struct str account = { acct, (size_t)(c2 - acct) };
	struct str res = { c2 + 1, (size_t)(end - c2 - 1) };
	if (!str_starts(res, "assumed-role/"))
		return 0;
	const char *role = res.p + 13;
	const char *slash = memchr(role, '/', (size_t)(end - role));
	if (!slash || slash == role)
		return 0;
	size_t role_n = (size_t)(slash - role);
	size_t need = 4 + partition.n + 6 + account.n + 6 + role_n;
	if (need > cap)
		return 0;
	char *o = out;
	memcpy(o, "arn:", 4), o += 4;
	memcpy(o, partition.p, partition.n), o += partition.n;
	memcpy(o, ":iam::", 6), o += 6;
	memcpy(o, account.p, account.n), o += account.n;
	memcpy(o, ":role/", 6), o += 6;
	memcpy(o, role, role_n), o += role_n;
	return (size_t)(o - out);
}

bool modelid_is_app_profile_arn(struct str id)
{
	struct str model;
	return route_classify(id, &model) == ROUTE_APPLICATION_PROFILE;
}

bool modelid_region_known(struct str region)
{
	for (size_t g = 0; g < NGEOS; g++)
		if (geo_has(&geos[g], region))
			return true;
	return false;
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

bool modelid_region_well_formed(struct str region)
{
	/* AREA-WORD[-WORD]-NUMBER */
	size_t i = 0, words = 0;
	const char *p = region.p;
	if (region.n < 6 || !is_lower(p[0]) || !is_lower(p[1]) || p[2] != '-')
		return false;
	for (i = 3; i < region.n && is_lower(p[i]);) {
		while (i < region.n && is_lower(p[i]))
			i++;
		if (i == region.n || p[i] != '-')
			return false;
		i++;
		words++;
	}
	if (words < 1 || words > 2 || i == region.n || p[i] == '0')
		return false;
	for (; i < region.n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

const char *modelid_region_nearest(struct str region)
{
	char word[64];
	if (region.n >= sizeof word)
		return NULL;
	snprintf(word, sizeof word, "%.*s", (int)region.n, region.p);
	struct nearest near;
	nearest_init(&near, word);
	near.limit =
	    1; /* codes differ by a letter or two (ca-central-1, il-central-1): one is a typo */
	for (size_t g = 0; g < NGEOS; g++) {
		for (size_t i = 0;
		     i < sizeof geos[g].regions / sizeof *geos[g].regions && geos[g].regions[i];
		     i++) {
			if (strcasecmp(word, geos[g].regions[i]) == 0)
				return geos[g].regions[i];
			nearest_offer(&near, geos[g].regions[i]);
		}
	}
	return near.best;
}
