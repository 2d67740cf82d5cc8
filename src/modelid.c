/*
 * modelid.c - routes, geographic prefixes and ARNs of logged model IDs.
 */
#include "ledger/modelid.h"

static const char *const route_names[ROUTE_COUNT] = {
	[ROUTE_APPLICATION_PROFILE] = "application-profile",
	[ROUTE_SYSTEM_PROFILE] = "system-profile",
	[ROUTE_FOUNDATION_MODEL] = "foundation-model",
	[ROUTE_OTHER] = "other",
};

const char *route_name(enum route r)
{
	return (unsigned)r < ROUTE_COUNT ? route_names[r] : "other";
}

/* SPEC §3: the geographic prefixes of system profiles. */
static const char *const geo_prefixes[] = {
	"us", "us-gov", "eu", "apac", "jp", "au", "ca", "sa", "global",
};

size_t modelid_geo_prefix_len(struct str id)
{
	/* an absent field is {NULL, 0}, and memchr(NULL, ...) is undefined even for 0 bytes */
	const char *dot = id.n ? memchr(id.p, '.', id.n) : NULL;
	if (!dot)
		return 0;
	size_t head = (size_t)(dot - id.p);
	/* two or more parts must follow: at least one more dot, text around it */
	struct str rest = { dot + 1, id.n - head - 1 };
	const char *dot2 = memchr(rest.p, '.', rest.n);
	if (!dot2 || dot2 == rest.p || dot2 == rest.p + rest.n - 1)
		return 0;
	for (size_t i = 0; i < sizeof geo_prefixes / sizeof *geo_prefixes; i++) {
		if (strlen(geo_prefixes[i]) == head && memcmp(id.p, geo_prefixes[i], head) == 0)
			return head + 1;
	}
	return 0;
}

struct str modelid_strip_arn(struct str id)
{
	if (!str_starts(id, "arn:"))
		return id;
	const char *slash = memchr(id.p, '/', id.n);
	if (!slash)
		return id;
	return (struct str){ slash + 1, id.n - (size_t)(slash + 1 - id.p) };
}

/* The resource type of a Bedrock ARN (`arn:aws*:bedrock:R:A:TYPE/ID`), or an empty slice. */
static struct str bedrock_arn_type(struct str id, struct str *rest)
{
	struct str none = { id.p, 0 };
	if (!str_starts(id, "arn:aws"))
		return none;
	/* skip five ':'-separated fields: arn, partition, service, region, account */
	const char *p = id.p, *end = id.p + id.n;
	const char *field[5];
	for (int i = 0; i < 5; i++) {
		field[i] = p;
		const char *c = memchr(p, ':', (size_t)(end - p));
		if (!c)
			return none;
		p = c + 1;
	}
	struct str service = { field[2], (size_t)(field[3] - 1 - field[2]) };
	if (!str_eq(service, STR_LIT("bedrock")))
		return none;
	const char *slash = memchr(p, '/', (size_t)(end - p));
	if (!slash)
		return none;
	*rest = (struct str){ slash + 1, (size_t)(end - slash - 1) };
	return (struct str){ p, (size_t)(slash - p) };
}

enum route route_classify(struct str model_id, struct str *model)
{
	*model = model_id;
	if (str_starts(model_id, "arn:")) {
		struct str rest = { 0 };
		struct str type = bedrock_arn_type(model_id, &rest);
		if (rest.n == 0)
			return ROUTE_OTHER;
		if (str_eq(type, STR_LIT("application-inference-profile")))
			return ROUTE_APPLICATION_PROFILE;
		if (str_eq(type, STR_LIT("inference-profile"))) {
			*model = rest;
			return ROUTE_SYSTEM_PROFILE;
		}
		if (str_eq(type, STR_LIT("foundation-model"))) {
			*model = rest;
			return ROUTE_FOUNDATION_MODEL;
		}
		return ROUTE_OTHER;
	}
	return modelid_geo_prefix_len(model_id) ? ROUTE_SYSTEM_PROFILE : ROUTE_FOUNDATION_MODEL;
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
