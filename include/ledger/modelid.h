/*
 * modelid.h - what a logged modelId names: routes, geographic prefixes, ARNs.
 *
 * Pipeline: used by attribute (routes), prices (the geographic fallback) and
 * manifest (model ARNs). Pure functions over borrowed slices; the slices they
 * return point into their argument.
 */
#ifndef LEDGER_MODELID_H
#define LEDGER_MODELID_H

#include <stddef.h>

#include "ledger/str.h"

/* SPEC §3. */
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
 * An ARN reduced to the ID after its first '/' ("arn:...:foundation-model/M"
 * -> "M"); anything that is not an ARN is returned unchanged.
 */
struct str modelid_strip_arn(struct str id);

/*
 * The principal of a caller (SPEC §3.3): for
 * arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION, writes
 * arn:PARTITION:iam::ACCOUNT:role/ROLE into out and returns its length; 0
 * for any other caller (whose principal is itself) or when cap is too small.
 * A cap of the caller's length always suffices.
 */
size_t modelid_principal(struct str caller, char *out, size_t cap);

#endif
