/*
 * fuzz_manifest.c - libFuzzer harness for tag manifests (manifest.h).
 *
 * The input is one manifest file, loaded twice into the same manifest (the
 * second load merges every ARN into an entry that exists), then every ARN
 * in the text ("arn:" up to a quote, comma, blank or control byte) is looked
 * up.
 *
 * Checked, abort() on failure: both loads give the same status; a failed
 * load leaves the manifest as it was and sets an error, a good one clears
 * it; the second load adds no profile; an error or warning holds no control
 * byte and is not endless (fuzz_message_ok); an entry found by lookup has
 * that ARN, and its strings and tags are readable.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/price/manifest.h"
#include "fuzz_common.h"

static const char *const tag_keys[] = { "name", "app", "team", "profile_arn", "model_id", "" };

static void touch(const char *s)
{
	volatile size_t n = strlen(s);
	(void)n;
}

static void check_warnings(const struct manifest *m)
{
	for (size_t i = 0; i < manifest_warning_count(m); i++) {
		const char *w = manifest_warning(m, i);
		CHECK(fuzz_message_ok(w));
	}
}

static bool arn_end(unsigned char c)
{
	return c == '"' || c == ',' || c == ' ' || c == '\\' || c < 0x20 || c == 0x7f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct manifest *m = manifest_create();

	int rc1 = manifest_load_buffer(m, "fuzz-1", buf, size);
	CHECK(rc1 == 0 || rc1 == -1);
	const char *err = manifest_error(m);
	CHECK(err != NULL);
	if (rc1 == 0) {
		CHECK(err[0] == '\0');
	} else {
		CHECK(strncmp(err, "fuzz-1", 6) == 0);
		CHECK(fuzz_message_ok(err));
		CHECK(manifest_count(m) == 0);
		CHECK(manifest_warning_count(m) == 0);
	}
	check_warnings(m);

	size_t count = manifest_count(m), warnings = manifest_warning_count(m);
	int rc2 = manifest_load_buffer(m, "fuzz-2", buf, size);
	CHECK(rc2 == rc1);
	CHECK(manifest_count(m) == count);
	if (rc2 != 0)
		CHECK(manifest_warning_count(m) == warnings);
	check_warnings(m);

	size_t found = 0;
	for (size_t i = 0; i + 4 <= size; i++) {
		if (memcmp(buf + i, "arn:", 4) != 0)
			continue;
		size_t j = i + 4;
		while (j < size && !arn_end(data[j]))
			j++;
		struct str arn = { buf + i, j - i };
		const struct manifest_entry *e = manifest_lookup(m, arn);
		if (!e)
			continue;
		found++;
		CHECK(e->arn != NULL);
		CHECK(strlen(e->arn) == arn.n && memcmp(e->arn, arn.p, arn.n) == 0);
		if (e->model_id) {
			CHECK(e->model_id[0] != '\0');
			touch(e->model_id);
		}
		for (size_t k = 0; k < sizeof tag_keys / sizeof *tag_keys; k++) {
			const char *v = manifest_tag(m, e, tag_keys[k]);
			if (v)
				touch(v);
		}
	}
	CHECK(found <= size);
	manifest_destroy(m);
	return 0;
}
