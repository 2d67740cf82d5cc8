/*
 * modelid.h - what a logged modelId names: routes, geographic prefixes and
 * the regions behind them, ARNs. The one home of that knowledge.
 *
 * Pipeline: used by attribute (routes), prices (the geographic fallback) and
 * manifest (model ARNs, the prefix of a copied profile). Pure functions over
 * borrowed slices; the slices they return point into their argument, the
 * strings they return are static.
 */
#ifndef LEDGER_MODELID_H
#define LEDGER_MODELID_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger/support/str.h"

/* bedrock-ledger-formats(5), ROUTES. */
enum route {
	ROUTE_APPLICATION_PROFILE,
	ROUTE_SYSTEM_PROFILE,
	ROUTE_FOUNDATION_MODEL,
	ROUTE_OTHER,
	ROUTE_COUNT
};

/* "application-profile", "system-profile", "foundation-model", "other". */
const char *route_name(enum route r);

/*
 * Classifies a logged modelId and sets *model to the model as priced and
 * reported: P for a system profile (bare or ARN), M for a foundation model
 * (bare or ARN), the whole id for an application profile and for other.
 *   route_classify("arn:aws:bedrock:us-east-1:1:inference-profile/us.a.b", &m)
 *     == ROUTE_SYSTEM_PROFILE, m == "us.a.b"
 */
enum route route_classify(struct str model_id, struct str *model);

/*
 * Length of the geographic prefix of a model ID, dot included ("us." -> 3,
 * "us-gov." -> 7, "global." -> 7), when its first dot-separated part is one of
 * us, us-gov, eu, apac, jp, au, ca, sa, global and two or more parts follow;
 * else 0.
 */
size_t modelid_geo_prefix_len(struct str id);

/*
 * An ARN reduced to the ID after its last '/' (bedrock-ledger-formats(5), ROUTES:
 * "arn:...:foundation-model/M" -> "M"); anything that is not an ARN is
 * returned unchanged.
 */
struct str modelid_strip_arn(struct str id);

/*
 * The principal of a caller (bedrock-ledger-formats(5), GROUPING): for
 * arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION, writes
 * arn:PARTITION:iam::ACCOUNT:role/ROLE into out and returns its length; 0
 * for any other caller (whose principal is itself) or when cap is too small.
 * A cap of the caller's length always suffices.
 */
size_t modelid_principal(struct str caller, char *out, size_t cap);

/*
 * Field k of "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE": 0 is "arn",
 * 3 the region, 5 the resource (which may hold ':'). An empty slice when s
 * does not start with "arn:" or ends before the ':' that closes field k
 * (for k = 5, before the fifth ':').
 *   modelid_arn_field("arn:aws:bedrock:us-east-1::foundation-model/m", 3) == "us-east-1"
 */
struct str modelid_arn_field(struct str arn, unsigned k);

/*
 * The geographic prefix of bedrock-ledger-formats(5), TAG MANIFESTS for a profile whose models lie
 * in regions[0..n): the first of "jp.", "au.", "ca.", "us-gov.", "us.", "eu.", "apac." (in this
 * order) whose regions (log-format.md §4.1) include all of them; "global." when none does (n >= 1).
 * A static string, dot included.
 */
const char *modelid_geo_prefix_covering(const struct str *regions, size_t n);

/*
 * The resource type of a Bedrock ARN that has route r
 * ("application-inference-profile", "inference-profile", "foundation-model"),
 * or NULL when no ARN has it (ROUTE_OTHER). Static.
 */
const char *route_arn_type(enum route r);

/* One row of the geography table (log-format.md §4.1), for generated SQL. */
struct modelid_geo {
	const char *prefix;  /* "us.", "us-gov.", ..., "global.": dot included */
	const char *pool;    /* the pool's name in reports ("apac" for ap.) */
	bool strip_to_price; /* bedrock-ledger-formats(5), PRICING: priced without the prefix when
				it has no row (all but global.) */
	const char *const *regions; /* NULL-terminated; empty for global. (any region) */
};

/*
 * The i-th row of the table, i = 0, 1, ...: true and *g filled, false past
 * the end. Static data.
 */
bool modelid_geo_at(size_t i, struct modelid_geo *g);

/* Is region one of the geography table's regions (of any pool)? */
bool modelid_region_known(struct str region);

/*
 * Is region shaped like an AWS Region code: a two-letter area, one or two
 * lower-case words and a number, dash-separated ("us-east-1", "us-gov-west-1",
 * "il-central-1")? A new AWS Region is; "us-east1" or "US-EAST-1" is not.
 */
bool modelid_region_well_formed(struct str region);

/*
 * The region of the geography table nearest to a mistyped one (one edit
 * away, see nearest.h, or the same letters in another case), or NULL. Static.
 */
const char *modelid_region_nearest(struct str region);

/* Is id an application-inference-profile ARN (bedrock-ledger-formats(5), ROUTES)? */
bool modelid_is_app_profile_arn(struct str id);

/*
 * bedrock-ledger-formats(5), POOLS: the pool of a model ID as priced and reported: "in-region"
 * without a geographic prefix, else the prefix's pool ("us", "eu", "apac"
 * for apac. and ap., "global", ...). A static string.
 */
const char *modelid_pool(struct str model);

enum pool_verdict { POOL_IN, POOL_OUT, POOL_UNKNOWN };

/* A model's geographic prefix (-1: none), found once per model (an attribution keeps it). */
int modelid_geo_of(struct str model);
/*
 * Did a record of a model of geographic prefix geo, called from `source`,
 * run in its pool? IN when `inference` is one of the pool's regions (any
 * region for global., the source region for in-region), OUT when not,
 * UNKNOWN when inference is empty.
 */
enum pool_verdict modelid_in_geo(int geo, struct str source, struct str inference);

/*
 * A region's geography (bedrock-ledger-formats(5), POOLS): its first
 * dash-separated part ("eu-west-1" -> "eu"), except that us-gov-* is
 * "us-gov". A slice of region; empty when region is.
 */
struct str modelid_region_geography(struct str region);

/* Did the call run in its source region's geography? IN, OUT, or UNKNOWN when either is empty. */
enum pool_verdict modelid_same_geography(struct str source, struct str inference);

#endif
