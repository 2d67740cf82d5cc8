/*
 * manifest.h - tag manifests (SPEC §4): application-profile ARN -> model, tags.
 *
 * Pipeline: attribute -> [manifest].
 * Forms, detected by content: CSV with a `profile_arn` column (optional
 * `model_id`, every other column a tag); the JSON of `aws bedrock
 * list-inference-profiles` and `aws bedrock get-inference-profile` (model and
 * the tag `name`); the JSON of `aws resourcegroupstaggingapi get-resources`
 * (tags).
 * Files merge by ARN, field by field: a later file's model or tag value wins,
 * and a warning says so when the values differ.
 * Ownership: the manifest copies everything; entries and strings it returns
 * live as long as it does. A loaded manifest is read-only and may be shared
 * between threads.
 */
#ifndef LEDGER_MANIFEST_H
#define LEDGER_MANIFEST_H

#include <stddef.h>

#include "ledger/str.h"

struct manifest;

struct manifest_entry {
	const char *arn;      /* the profile ARN, as in the manifest */
	const char *model_id; /* the model behind it (an ID, never an ARN); NULL if unknown */
};

/* Never NULL: OOM aborts. */
struct manifest *manifest_create(void);
void manifest_destroy(struct manifest *m); /* NULL is a no-op */

/*
 * Parses one manifest and merges it in. `name` is used in messages. Returns
 * 0, or -1 with manifest_error() set to "NAME[:LINE]: PROBLEM" (not a form we
 * know, and what was expected; a CSV without profile_arn; a syntax error); on
 * -1 the manifest is unchanged.
 */
int manifest_load_buffer(struct manifest *m, const char *name, const char *buf, size_t n);
/* As manifest_load_buffer on a file; a file that cannot be read is -1 too. */
int manifest_load_file(struct manifest *m, const char *path);

const char *manifest_error(const struct manifest *m); /* "" if none */

/*
 * Warnings from merging ("NAME: ARN: model_id was X, now Y"), in the order
 * they arose; index 0..manifest_warning_count()-1.
 */
size_t manifest_warning_count(const struct manifest *m);
const char *manifest_warning(const struct manifest *m, size_t i);

/* Profiles known. */
size_t manifest_count(const struct manifest *m);

/* The entry for an exact ARN, or NULL. */
const struct manifest_entry *manifest_lookup(const struct manifest *m, struct str arn);

/* The value of tag `key` on entry e, or NULL when the entry has no such tag. */
const char *manifest_tag(const struct manifest *m, const struct manifest_entry *e, const char *key);

#endif
