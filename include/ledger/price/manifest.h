/*
 * manifest.h - tag manifests (bedrock-ledger-formats(5), TAG MANIFESTS): application-profile ARN ->
 * model, tags.
 *
 * Pipeline: attribute -> [manifest].
 * Forms, detected by content: CSV with a `profile_arn` column (optional
 * `model_id`, every other column a tag); the JSON of `aws bedrock
 * list-inference-profiles` and `aws bedrock get-inference-profile` (model and
 * the tag `name`); the JSON of `aws resourcegroupstaggingapi get-resources`
 * (tags).
 * Files merge by ARN, field by field: a later file's model or tag value wins,
 * and a warning says so when the values differ.
 * The CSV form is read by csvrows.h (LINE is the physical line a row starts
 * on, whatever the line ends); the forms are parsed by manifest_csv.c and
 * manifest_json.c. Problems follow diag.h: the message of the last load is
 * kept in the manifest; it and the warnings are escaped as they are made (a
 * tag value may hold a newline) and quote long values cut.
 * Ownership: the manifest copies everything; entries and strings it returns
 * live as long as it does. A loaded manifest is read-only and may be shared
 * between threads.
 */
#ifndef LEDGER_MANIFEST_H
#define LEDGER_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger/support/csvrows.h"
#include "ledger/support/str.h"

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
 * 0 (manifest_error() is then ""), or -1 with manifest_error() set to
 * "NAME[:LINE]: PROBLEM" (not a form we know, and what was expected; a CSV
 * without profile_arn; a syntax error, worded "malformed CSV: ..." as for a
 * price table, or "invalid JSON: ..."); on -1 the manifest is unchanged.
 */
int manifest_load_buffer(struct manifest *m, const char *name, const char *buf, size_t n);
/* As manifest_load_buffer on a file; a file that cannot be read is -1 too. */
int manifest_load_file(struct manifest *m, const char *path);

/* The problem of the last load; "" if none. Owned by the manifest. */
const char *manifest_error(const struct manifest *m);

/*
 * Warnings from merging ("NAME: ARN: model_id was X, now Y"), in the
 * order they arose; index 0..manifest_warning_count()-1. Owned by the
 * manifest.
 */
size_t manifest_warning_count(const struct manifest *m);
const char *manifest_warning(const struct manifest *m, size_t i);

/* Profiles known. */
size_t manifest_count(const struct manifest *m);

/* Entry i (0 <= i < manifest_count), in order of first appearance; NULL past the end. */
const struct manifest_entry *manifest_entry_at(const struct manifest *m, size_t i);

/* The entry for an exact ARN, or NULL. */
const struct manifest_entry *manifest_lookup(const struct manifest *m, struct str arn);

/* The value of tag `key` on entry e, or NULL when the entry has no such tag. */
const char *manifest_tag(const struct manifest *m, const struct manifest_entry *e, const char *key);

/*
 * A recogniser, for a table given to the wrong option or as a log (headers.h
 * has the CSV ones): does this text, the start of a file, open the JSON of
 * one of the aws commands a manifest is made from (its first top-level key
 * one of theirs)?
 */
bool manifest_json_is(const char *text, size_t n);

/* Does any entry have tag `key`? */
bool manifest_has_tag(const struct manifest *m, const char *key);

/*
 * What to say of a tag key that no entry has (a mistyped -g key): "; did you
 * mean 'team'? The manifests have the tags app, team" (the nearest key when
 * one is near; the keys sorted, the first 12 of them), or "" when no entry
 * has a tag. The caller frees the text.
 */
char *manifest_tag_hint(const struct manifest *m, const char *key);

#endif
