/*
 * test_manifest.c - tag manifests: the three forms, detection by content,
 * merging, geographic-prefix inference, every error message, and the
 * unchanged-on-error guarantee. Runs in tests/ (fixtures/manifest/).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/price/manifest.h"
#include "ledger/support/xalloc.h"
#include "tap.h"

#define A      "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/"
#define SONNET "anthropic.claude-sonnet-4-5-20250929-v1:0"
#define HAIKU  "anthropic.claude-3-haiku-20240307-v1:0"
#define DIR    "fixtures/manifest/"
#define EXPECTED                                                                                   \
	"expected a CSV with a profile_arn column, or the JSON of aws bedrock "                    \
	"list-inference-profiles, "                                                                \
	"get-inference-profile or aws resourcegroupstaggingapi get-resources"

static const struct manifest_entry *get(const struct manifest *m, const char *arn)
{
	return manifest_lookup(m, str_from(arn));
}

/* The model of arn; "(no entry)" or "(no model)" when there is none. */
static const char *model(const struct manifest *m, const char *arn)
{
	const struct manifest_entry *e = get(m, arn);
	if (!e)
		return "(no entry)";
	return e->model_id ? e->model_id : "(no model)";
}

/* The tag of arn; "(no entry)" or "(no tag)" when there is none. */
static const char *tag(const struct manifest *m, const char *arn, const char *key)
{
	const struct manifest_entry *e = get(m, arn);
	if (!e)
		return "(no entry)";
	const char *v = manifest_tag(m, e, key);
	return v ? v : "(no tag)";
}

/* A new manifest with file loaded, which must hold count profiles. */
static struct manifest *loaded(const char *file, size_t count, const char *what)
{
	struct manifest *m = manifest_create();
	is_int(manifest_load_file(m, file), 0, "%s: loads", what);
	is_str(manifest_error(m), "", "%s: no error", what);
	is_int(manifest_count(m), count, "%s: %zu profiles", what, count);
	return m;
}

/* The manifest gave nwarnings warnings; it is destroyed. */
static void done(struct manifest *m, size_t nwarnings, const char *what)
{
	is_int(manifest_warning_count(m), nwarnings, "%s: %zu warnings", what, nwarnings);
	manifest_destroy(m);
}

static int load(struct manifest *m, const char *name, const char *text)
{
	return manifest_load_buffer(m, name, text, strlen(text));
}

static void test_list(void)
{
	/* 11 application profiles, the system profile ignored */
	struct manifest *m = loaded(DIR "list.json", 11, "list");
	is_str(model(m, A "one000000001"), HAIKU, "list: one model ARN -> its model ID");
	is_str(tag(m, A "one000000001", "name"), "chatbot-prod",
	       "list: inferenceProfileName -> tag name");
	is_str(model(m, A "usa000000001"), "us." SONNET, "geo: us-east-1/2, us-west-2 -> us.");
	is_str(model(m, A "eur000000001"), "eu." SONNET, "geo: four eu regions -> eu.");
	is_str(model(m, A "apa000000001"), "apac." SONNET,
	       "geo: ap-south-1, ap-northeast-1, me-central-1 -> apac.");
	is_str(model(m, A "jpn000000001"), "jp." SONNET,
	       "geo: ap-northeast-1/3 -> jp. before apac.");
	is_str(model(m, A "aus000000001"), "au." SONNET,
	       "geo: ap-southeast-2/4 -> au. before apac.");
	is_str(model(m, A "gov000000001"), "us-gov." SONNET,
	       "geo: us-gov-east-1/west-1 -> us-gov.");
	is_str(model(m, A "can000000001"), "ca." SONNET, "geo: ca-central-1, ca-west-1 -> ca.");
	is_str(model(m, A "glo000000001"), "global." SONNET, "geo: us and eu regions -> global.");
	is_str(model(m, A "mix000000001"), "(no model)", "list: different base models -> no model");
	is_str(tag(m, A "mix000000001", "name"), "mix", "list: ... but the name is kept");
	is_str(model(m, A "nom000000001"), "(no model)", "list: no models -> no model");
	is_str(tag(m, A "nom000000001", "name"), "nomodels", "list: no models, name kept");
	ok(get(m, "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us." HAIKU) == NULL,
	   "list: SYSTEM_DEFINED profile ignored");
	is_str(tag(m, A "one000000001", "app"), "(no tag)", "list: absent tag is NULL");
	if (manifest_warning_count(m) >= 1)
		is_str(manifest_warning(m, 0),
		       DIR "list.json: " A
			   "mix000000001: the models are different base models ('" SONNET
			   "', '" HAIKU "'); no model_id taken from this file",
		       "list: warning on different base models");
	done(m, 1, "list");
}

static void test_get(void)
{
	struct manifest *m = loaded(DIR "get.json", 1, "get");
	const char *arn =
	    "arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/get000000001";
	is_str(model(m, arn), "eu." HAIKU, "get: eu regions -> eu.");
	is_str(tag(m, arn, "name"), "eu-analytics", "get: name");
	done(m, 0, "get");
}

static void test_tags_json(void)
{
	struct manifest *m = loaded(DIR "tags.json", 4, "get-resources");
	is_str(model(m, A "one000000001"), "(no model)", "get-resources: no model");
	is_str(tag(m, A "one000000001", "app"), "chatbot", "get-resources: Key/Value");
	is_str(tag(m, A "one000000001", "team"), "support", "get-resources: second tag");
	is_str(tag(m, A "usa000000001", "cost-center"), "CC-1234",
	       "get-resources: key with a hyphen");
	is_str(tag(m, A "usa000000001", "empty"), "(no tag)",
	       "get-resources: empty Value -> absent");
	is_str(tag(m, A "low000000001", "app"), "lowercase", "get-resources: lowercase key/value");
	ok(get(m, A "not000000001") != NULL, "get-resources: a resource without tags is known");
	is_str(tag(m, A "not000000001", "app"), "(no tag)", "get-resources: ... with no tags");
	done(m, 0, "get-resources");
}

static void test_csv(void)
{
	/* a BOM, a blank line, an empty row */
	struct manifest *m = loaded(DIR "tags.csv", 4, "csv");
	is_str(model(m, A "csv000000001"), HAIKU, "csv: model_id given as ARN -> ID");
	is_str(tag(m, A "csv000000001", "app"), "chatbot", "csv: tag app");
	is_str(tag(m, A "csv000000001", "team"), "platform", "csv: duplicate row, the later wins");
	is_str(tag(m, A "csv000000001", "note"), "a, b", "csv: value with a comma");
	is_str(model(m, A "csv000000002"), "us." SONNET, "csv: model_id as a system profile ID");
	is_str(tag(m, A "csv000000002", "app"), "say \"hi\"", "csv: value with quotes");
	is_str(tag(m, A "csv000000002", "team"), "=SUM(A1:A2)", "csv: formula kept verbatim");
	is_str(tag(m, A "csv000000002", "note"), "line1\nline2", "csv: value with a newline");
	is_str(model(m, A "csv000000003"), "(no model)", "csv: empty model_id -> no model");
	is_str(tag(m, A "csv000000003", "app"), "+cmd", "csv: + kept");
	is_str(tag(m, A "csv000000003", "team"), "-1", "csv: - kept");
	is_str(tag(m, A "csv000000003", "note"), "@x", "csv: @ kept");
	is_str(model(m, A "csv000000004"), "global." SONNET,
	       "csv: system-profile ARN -> profile ID");
	is_str(tag(m, A "csv000000004", "app"), "(no tag)", "csv: empty cell -> absent tag");
	ok(manifest_tag(m, get(m, A "csv000000001"), "profile_arn") == NULL,
	   "csv: profile_arn is not a tag");
	ok(manifest_tag(m, get(m, A "csv000000001"), "model_id") == NULL,
	   "csv: model_id is not a tag");
	/* one warning: the duplicate row */
	if (manifest_warning_count(m) >= 1)
		is_str(manifest_warning(m, 0),
		       DIR "tags.csv: " A "csv000000001: team was 'support', now 'platform'",
		       "csv: duplicate within a file warns like a later file");
	done(m, 1, "csv");
}

static void test_detection(void)
{
	struct manifest *m = manifest_create();
	is_int(manifest_load_file(m, DIR "csv-content.json"), 0,
	       "detect: a .json file holding CSV");
	is_str(tag(m, A "det000000001", "app"), "from-csv", "detect: ... read as CSV");
	is_int(manifest_load_file(m, DIR "json-content.csv"), 0,
	       "detect: a .csv file holding JSON");
	is_str(tag(m, A "det000000002", "app"), "from-json", "detect: ... read as JSON");
	manifest_destroy(m);
}

static void test_merge(void)
{
	const char *arn = A "mrg000000001";
	struct manifest *m = manifest_create();
	is_int(manifest_load_file(m, DIR "merge-1.csv"), 0, "merge: CSV");
	is_int(manifest_load_file(m, DIR "merge-2.json"), 0, "merge: list-inference-profiles");
	is_int(manifest_load_file(m, DIR "merge-3.json"), 0, "merge: get-resources");
	is_int(manifest_count(m), 1, "merge: one profile");
	is_str(model(m, arn), "us." SONNET, "merge: the later model wins");
	is_str(tag(m, arn, "app"), "beta", "merge: the later tag wins");
	is_str(tag(m, arn, "team"), "red", "merge: same value kept");
	is_str(tag(m, arn, "name"), "alpha-profile", "merge: name from the JSON");
	is_str(tag(m, arn, "env"), "prod", "merge: new tag added");
	is_int(manifest_warning_count(m), 2,
	       "merge: two warnings (model, app), none for an equal team");
	if (manifest_warning_count(m) >= 2) {
		is_str(manifest_warning(m, 0),
		       DIR "merge-2.json: " A "mrg000000001: model_id was '" HAIKU
			   "', now 'us." SONNET "'",
		       "merge: model warning text");
		is_str(manifest_warning(m, 1),
		       DIR "merge-3.json: " A "mrg000000001: app was 'alpha', now 'beta'",
		       "merge: tag warning text");
	}

	/* an empty cell says nothing: no override, no warning */
	is_int(load(m, "empty.csv", "profile_arn,model_id,app,team\n" A "mrg000000001,,,\n"), 0,
	       "merge: empty cells load");
	is_str(model(m, arn), "us." SONNET, "merge: empty model_id does not override");
	is_str(tag(m, arn, "app"), "beta", "merge: empty tag does not override");
	is_int(manifest_warning_count(m), 2, "merge: ... and warns nothing");

	/* a value with a newline is kept verbatim in the entry; the warning escapes it */
	is_int(load(m, "nl.csv", "profile_arn,app\n" A "mrg000000001,\"x\ny\"\n"), 0,
	       "merge: newline value");
	is_str(tag(m, arn, "app"), "x\ny", "merge: newline kept in the value");
	if (manifest_warning_count(m) >= 3)
		is_str(manifest_warning(m, 2),
		       "nl.csv: " A "mrg000000001: app was 'beta', now 'x\\x0ay'",
		       "merge: newline escaped in the warning");
	else
		ok(0, "merge: newline escaped in the warning");
	manifest_destroy(m);
}

/* The model inferred for a get-inference-profile naming SONNET in these regions. */
static char got_model[512];

static const char *geo(const char *const *regions, size_t n)
{
	char buf[4096];
	size_t len = (size_t)snprintf(buf, sizeof buf,
				      "{\"inferenceProfileArn\":\"" A
				      "geo000000001\",\"type\":\"APPLICATION\",\"models\":[");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(
		    buf + len, sizeof buf - len,
		    "%s{\"modelArn\":\"arn:aws:bedrock:%s::foundation-model/" SONNET "\"}",
		    i ? "," : "", regions[i]);
	snprintf(buf + len, sizeof buf - len, "]}");
	struct manifest *m = manifest_create();
	if (load(m, "geo.json", buf) != 0)
		snprintf(got_model, sizeof got_model, "(error: %s)", manifest_error(m));
	else
		snprintf(got_model, sizeof got_model, "%s", model(m, A "geo000000001"));
	manifest_destroy(m);
	return got_model;
}

#define GEO(want, ...)                                                                             \
	do {                                                                                       \
		static const char *const r_[] = { __VA_ARGS__ };                                   \
		is_str(geo(r_, sizeof r_ / sizeof *r_), want, "geo: %s -> %s", #__VA_ARGS__,       \
		       want);                                                                      \
	} while (0)

static void test_geo(void)
{
	GEO(SONNET, "eu-west-1");
	GEO("us." SONNET, "us-west-1", "us-east-1");
	GEO("us." SONNET, "us-east-1", "us-east-1");
	GEO("eu." SONNET, "eu-south-2", "eu-central-2");
	GEO("jp." SONNET, "ap-northeast-3", "ap-northeast-1");
	GEO("apac." SONNET, "ap-northeast-1", "ap-northeast-2");
	GEO("au." SONNET, "ap-southeast-6", "ap-southeast-2");
	GEO("apac." SONNET, "ap-southeast-2", "ap-south-1");
	GEO("apac." SONNET, "ap-east-2", "me-central-1", "ap-southeast-7");
	GEO("us-gov." SONNET, "us-gov-west-1", "us-gov-east-1");
	GEO("global." SONNET, "us-east-1", "eu-west-1");
	GEO("global." SONNET, "us-east-1", "us-gov-west-1");
	GEO("global." SONNET, "sa-east-1", "us-east-1");
	GEO("global." SONNET, "ap-northeast-1", "eu-west-1", "us-east-2");

	struct manifest *m = manifest_create();
	is_int(load(m, "x.json",
		    "{\"inferenceProfileArn\":\"" A
		    "geo000000002\",\"models\":[{\"modelArn\":\"arn:aws:bedrock:us-east-1::"
		    "foundation-model/" SONNET "\"},{\"modelArn\":\"" SONNET "\"}]}"),
	       0, "geo: a model without region among several loads");
	is_str(model(m, A "geo000000002"), "(no model)", "geo: ... without a model");
	if (manifest_warning_count(m) == 1)
		is_str(manifest_warning(m, 0),
		       "x.json: " A "geo000000002: model ARN '" SONNET
		       "' names no region; no model_id taken from this file",
		       "geo: ... and says why");
	else
		ok(0, "geo: ... and says why");
	manifest_destroy(m);
}

struct error_case {
	const char *name, *text, *want;
};

static const struct error_case error_cases[] = {
	{ "e.csv", "", "e.csv: not a tag manifest (the file is empty): " EXPECTED },
	{ "e.json", " \r\n\t\n", "e.json: not a tag manifest (the file is empty): " EXPECTED },
	{ "bom.csv", "\xef\xbb\xbf", "bom.csv: not a tag manifest (the file is empty): " EXPECTED },
	{ "h.csv", "arn,model_id,app\n" A "x,m,a\n", "h.csv: not a tag manifest: " EXPECTED },
	{ "t.txt", "hello world\n", "t.txt: not a tag manifest: " EXPECTED },
	{ "u.csv", "Profile_ARN,app\n", "u.csv: not a tag manifest: " EXPECTED },
	{ "o.json", "{\"foo\": 1}", "o.json: not a tag manifest: " EXPECTED },
	{ "a.json", "[1, 2]", "a.json: not a tag manifest: " EXPECTED },
	{ "lt.json", "{\"tags\":[{\"key\":\"app\",\"value\":\"x\"}]}",
	  "lt.json: not a tag manifest: the JSON of aws bedrock list-tags-for-resource names no "
	  "profile "
	  "ARN; use "
	  "aws resourcegroupstaggingapi get-resources" },
	/* JSON syntax */
	{ "s.json", "{\n \"a\": 1,\n}",
	  "s.json:3: invalid JSON: parse error: invalid object key (must be a string)" },
	{ "s.json", "{\"inferenceProfileSummaries\": [\n\n",
	  "s.json:1: invalid JSON: parse error: premature EOF" },
	{ "s.json", "{}\n{}\n", "s.json:2: invalid JSON: parse error: trailing garbage" },
	{ "s.json", "{\"ResourceTagMappingList\": [tru]}",
	  "s.json:1: invalid JSON: lexical error: invalid string in json text." },
	{ "s.json", "{\"a\":\"\xff\"}",
	  "s.json:1: invalid JSON: lexical error: invalid bytes in UTF8 string." },
	/* list-inference-profiles / get-inference-profile shapes */
	{ "l.json", "{\"inferenceProfileSummaries\": {}}",
	  "l.json: inferenceProfileSummaries: expected an array" },
	{ "l.json", "{\"inferenceProfileSummaries\": [{\"inferenceProfileArn\":\"" A "a\"}, 3]}",
	  "l.json: inferenceProfileSummaries[1]: expected an object" },
	{ "l.json", "{\"inferenceProfileSummaries\": [{\"inferenceProfileName\":\"n\"}]}",
	  "l.json: inferenceProfileSummaries[0]: no inferenceProfileArn" },
	{ "l.json", "{\"inferenceProfileSummaries\": [{\"inferenceProfileArn\":7}]}",
	  "l.json: inferenceProfileSummaries[0].inferenceProfileArn: expected a string" },
	{ "l.json", "{\"inferenceProfileSummaries\": [{\"inferenceProfileArn\":\"\"}]}",
	  "l.json: inferenceProfileSummaries[0].inferenceProfileArn: empty" },
	{ "l.json",
	  "{\"inferenceProfileSummaries\": [{\"inferenceProfileArn\":\"" A
	  "a\",\"inferenceProfileName\":null}]}",
	  "l.json: inferenceProfileSummaries[0].inferenceProfileName: expected a string" },
	{ "l.json",
	  "{\"inferenceProfileSummaries\": [{\"inferenceProfileArn\":\"" A "a\",\"type\":1}]}",
	  "l.json: inferenceProfileSummaries[0].type: expected a string" },
	{ "l.json",
	  "{\"inferenceProfileSummaries\": [{\"inferenceProfileArn\":\"" A
	  "a\",\"models\":\"m\"}]}",
	  "l.json: inferenceProfileSummaries[0].models: expected an array" },
	{ "l.json",
	  "{\"inferenceProfileSummaries\": [{\"inferenceProfileArn\":\"" A
	  "a\",\"models\":[\"m\"]}]}",
	  "l.json: inferenceProfileSummaries[0].models[0]: expected an object" },
	{ "l.json",
	  "{\"inferenceProfileSummaries\": [{\"inferenceProfileArn\":\"" A "a\",\"models\":[{}]}]}",
	  "l.json: inferenceProfileSummaries[0].models[0]: no modelArn" },
	{ "l.json",
	  "{\"inferenceProfileSummaries\": [{\"inferenceProfileArn\":\"" A
	  "a\",\"models\":[{\"modelArn\":\"x\"},"
	  "{\"modelArn\":[]}]}]}",
	  "l.json: inferenceProfileSummaries[0].models[1].modelArn: expected a string" },
	{ "g.json", "{\"inferenceProfileArn\": 5}",
	  "g.json: inferenceProfileArn: expected a string" },
	{ "g.json", "{\"inferenceProfileArn\": \"" A "a\", \"models\": [{\"modelArn\": false}]}",
	  "g.json: models[0].modelArn: expected a string" },
	/* get-resources shapes */
	{ "r.json", "{\"ResourceTagMappingList\": null}",
	  "r.json: ResourceTagMappingList: expected an array" },
	{ "r.json", "{\"ResourceTagMappingList\": [[]]}",
	  "r.json: ResourceTagMappingList[0]: expected an object" },
	{ "r.json", "{\"ResourceTagMappingList\": [{\"Tags\": []}]}",
	  "r.json: ResourceTagMappingList[0]: no ResourceARN" },
	{ "r.json", "{\"ResourceTagMappingList\": [{\"ResourceARN\": 1}]}",
	  "r.json: ResourceTagMappingList[0].ResourceARN: expected a string" },
	{ "r.json", "{\"ResourceTagMappingList\": [{\"ResourceARN\": \"" A "a\", \"Tags\": {}}]}",
	  "r.json: ResourceTagMappingList[0].Tags: expected an array" },
	{ "r.json",
	  "{\"ResourceTagMappingList\": [{\"ResourceARN\": \"" A "a\", \"Tags\": [\"app\"]}]}",
	  "r.json: ResourceTagMappingList[0].Tags[0]: expected an object" },
	{ "r.json",
	  "{\"ResourceTagMappingList\": [{\"ResourceARN\": \"" A
	  "a\", \"Tags\": [{\"Value\": \"v\"}]}]}",
	  "r.json: ResourceTagMappingList[0].Tags[0]: no Key" },
	{ "r.json",
	  "{\"ResourceTagMappingList\": [{\"ResourceARN\": \"" A
	  "a\", \"Tags\": [{\"Key\": \"\", \"Value\": \"v\"}]}]}",
	  "r.json: ResourceTagMappingList[0].Tags[0].Key: empty" },
	{ "r.json",
	  "{\"ResourceTagMappingList\": [{\"ResourceARN\": \"" A
	  "a\", \"Tags\": [{\"Key\": \"app\"}]}]}",
	  "r.json: ResourceTagMappingList[0].Tags[0]: no Value" },
	{ "r.json",
	  "{\"ResourceTagMappingList\": [{\"ResourceARN\": \"" A
	  "a\", \"tags\": [{\"key\": \"app\"}]}]}",
	  "r.json: ResourceTagMappingList[0].tags[0]: no value" },
	{ "r.json",
	  "{\"ResourceTagMappingList\": [{\"ResourceARN\": \"" A
	  "a\", \"Tags\": [{\"Key\": \"app\", \"Value\": null}]}]}",
	  "r.json: ResourceTagMappingList[0].Tags[0].Value: expected a string" },
	/* CSV */
	{ "c.csv", "profile_arn,app\n" A "a,x\n" A "b,ab\"c\n",
	  "c.csv:3: malformed CSV: a quote inside an unquoted field, or text after a closing "
	  "quote" },
	{ "c.csv", "profile_arn,app\n" A "a,\"x\"y\n",
	  "c.csv:2: malformed CSV: a quote inside an unquoted field, or text after a closing "
	  "quote" },
	{ "c.csv", "profile_arn,app\n" A "a,\"multi\nline\"\n\n" A "b,\"open\nstill open\n",
	  "c.csv:5: malformed CSV: a quoted field is not closed" },
	{ "c.csv", "profile_arn,app\n,x\n", "c.csv:2: empty profile_arn" },
	{ "c.csv", "profile_arn,app,\n" A "a,x,\n" A "b,x,y\n",
	  "c.csv:3: a value in column 3, which has no name in the header" },
	{ "c.csv", "profile_arn,app\n" A "a,x,y\n",
	  "c.csv:2: a value in column 3, which has no name in the header" },
	{ "c.csv", "\n\nprofile_arn,app,team,app\n",
	  "c.csv:3: column 'app' appears twice in the header" },
	{ "c.csv", "profile_arn,\"a\nb\",\"a\nb\"\n",
	  "c.csv:1: column 'a\\x0ab' appears twice in the header" },
};

static void test_errors(void)
{
	struct manifest *m = manifest_create();
	is_int(manifest_load_file(m, DIR "merge-1.csv"), 0, "errors: a first manifest loads");
	is_int(load(m, "w.csv", "profile_arn,app\n" A "mrg000000001,gamma\n"), 0,
	       "errors: and a second");
	is_int(manifest_warning_count(m), 1, "errors: one warning before");
	const char *arn = A "mrg000000001";

	for (size_t i = 0; i < sizeof error_cases / sizeof *error_cases; i++) {
		const struct error_case *c = &error_cases[i];
		is_int(load(m, c->name, c->text), -1, "error %zu: -1", i);
		is_str(manifest_error(m), c->want, "error %zu: message", i);
	}
	/*
	 * The CSV cases again with CR-only and with CRLF line ends: the same
	 * lines, in the same words (a CR-only file was once all line 1).
	 */
	for (size_t i = 0; i < sizeof error_cases / sizeof *error_cases; i++) {
		const struct error_case *c = &error_cases[i];
		if (strcmp(c->name, "c.csv") != 0 || strstr(c->want, "\\x0a"))
			continue;
		for (int crlf = 0; crlf < 2; crlf++) {
			char text[1024], *t = text;
			for (const char *p = c->text; *p; p++) {
				if (*p == '\n' && crlf)
					*t++ = '\r';
				*t++ = *p == '\n' && !crlf ? '\r' : *p;
			}
			*t = '\0';
			is_int(load(m, c->name, text), -1, "error %zu with %s: -1", i,
			       crlf ? "CRLF" : "CR");
			is_str(manifest_error(m), c->want, "error %zu with %s: message", i,
			       crlf ? "CRLF" : "CR");
		}
	}
	/* a NUL byte: in CSV a field, in JSON a lexical error */
	static const char nul_csv[] = "profile_arn,app\n" A "a,x\0y\n";
	is_int(manifest_load_buffer(m, "z.csv", nul_csv, sizeof nul_csv - 1), -1,
	       "error NUL csv: -1");
	is_str(manifest_error(m),
	       "z.csv:2: malformed CSV: a NUL byte (not UTF-8 text: a binary file?)",
	       "error NUL csv: message");
	is_int(manifest_load_buffer(m, "z.json", "{\"a\":1}\0", 8), -1, "error NUL json: -1");
	is_str(manifest_error(m), "z.json:1: invalid JSON: parse error: trailing garbage",
	       "error NUL json: message");

	is_int(manifest_load_file(m, DIR "does-not-exist.csv"), -1, "error: missing file");
	is_str(manifest_error(m), DIR "does-not-exist.csv: cannot read: No such file or directory",
	       "error: missing file message");
	is_int(manifest_load_file(m, "fixtures/manifest"), -1, "error: a directory");
	is_str(manifest_error(m), "fixtures/manifest: cannot read: Is a directory",
	       "error: directory message");

	/* partly good files: the good part must not be merged */
	is_int(
	    load(m, "p.json",
		 "{\"inferenceProfileSummaries\": [{\"inferenceProfileArn\":\"" A "new000000001\"},"
		 "{\"inferenceProfileArn\":\"" A
		 "mrg000000001\",\"inferenceProfileName\":\"n\",\"models\":[{\"modelArn\":\"m\"}]},"
		 "{\"inferenceProfileArn\":9}]}"),
	    -1, "unchanged: partly good JSON fails");
	is_int(load(m, "p.csv",
		    "profile_arn,model_id,app,team\n" A "new000000002,m,x,y\n" A
		    "mrg000000001,m2,delta,blue\n" A "x,\"\n"),
	       -1, "unchanged: partly good CSV fails");
	is_int(load(m, "p2.json",
		    "{\"ResourceTagMappingList\": [{\"ResourceARN\": \"" A
		    "mrg000000001\", \"Tags\": [{\"Key\": \"app\", \"Value\": \"z\"}]},"
		    "{\"ResourceARN\": \"" A
		    "new000000003\", \"Tags\": [{\"Key\": 1, \"Value\": \"v\"}]}]}"),
	       -1, "unchanged: partly good get-resources fails");

	is_int(manifest_count(m), 1, "unchanged: still one profile");
	ok(get(m, A "new000000001") == NULL && get(m, A "new000000002") == NULL &&
	       get(m, A "new000000003") == NULL && get(m, A "a") == NULL,
	   "unchanged: no profile from a failed file");
	is_str(model(m, arn), HAIKU, "unchanged: model");
	is_str(tag(m, arn, "app"), "gamma", "unchanged: app");
	is_str(tag(m, arn, "team"), "red", "unchanged: team");
	is_str(tag(m, arn, "name"), "(no tag)", "unchanged: no name added");
	is_int(manifest_warning_count(m), 1, "unchanged: no warnings added");

	is_int(load(m, "ok.csv", "profile_arn\n"), 0, "error cleared: a header-only CSV loads");
	is_str(manifest_error(m), "", "error cleared: manifest_error is \"\" after a success");
	manifest_destroy(m);
}

static void test_misc(void)
{
	struct manifest *m = manifest_create();
	is_str(manifest_error(m), "", "misc: no error on a new manifest");
	is_int(manifest_count(m), 0, "misc: empty");
	ok(manifest_tag(m, NULL, "app") == NULL, "misc: manifest_tag on NULL entry");

	is_int(load(m, "crlf.csv",
		    "profile_arn,model_id,app\r\n" A "crl000000001," HAIKU " ,\"  spaced \"\r\n" A
		    "crl000000002\r\n"),
	       0, "misc: CRLF, spaces, a short row");
	is_str(model(m, A "crl000000001"), HAIKU " ",
	       "misc: unquoted cells are kept byte for byte (RFC 4180)");
	is_str(tag(m, A "crl000000001", "app"), "  spaced ", "misc: quoted cells are verbatim");
	is_str(model(m, A "crl000000002"), "(no model)", "misc: missing cells are empty");

	/* a lookup key need not be NUL-terminated */
	char buf[200];
	snprintf(buf, sizeof buf, "%scrl000000001XYZ", A);
	const struct manifest_entry *e = manifest_lookup(m, (struct str){ buf, strlen(buf) - 3 });
	ok(e != NULL, "misc: lookup by a slice");
	is_str(e ? e->arn : NULL, A "crl000000001", "misc: entry arn");
	ok(manifest_lookup(m, (struct str){ buf, strlen(buf) - 4 }) == NULL,
	   "misc: a prefix of an ARN is not it");

	size_t w = manifest_warning_count(m);
	is_int(load(m, "page.json", "{\"inferenceProfileSummaries\": [], \"nextToken\": \"abc\"}"),
	       0, "misc: nextToken page");
	is_int(
	    load(m, "page2.json", "{\"ResourceTagMappingList\": [], \"PaginationToken\": \"abc\"}"),
	    0, "misc: PaginationToken page");
	is_int(load(m, "last.json", "{\"ResourceTagMappingList\": [], \"PaginationToken\": \"\"}"),
	       0, "misc: last page");
	is_int(manifest_warning_count(m), w + 2, "misc: two page warnings");
	if (manifest_warning_count(m) == w + 2) {
		is_str(manifest_warning(m, w),
		       "page.json: nextToken is set: the file is one page of several; profiles on "
		       "later pages are not in it",
		       "misc: nextToken warning");
		is_str(manifest_warning(m, w + 1),
		       "page2.json: PaginationToken is set: the file is one page of several; "
		       "profiles on later pages are "
		       "not in it",
		       "misc: PaginationToken warning");
	}
	is_int(load(m, "sys.json",
		    "{\"inferenceProfileArn\": "
		    "\"arn:aws:bedrock:us-east-1:1:inference-profile/us.x.y\", "
		    "\"type\": \"SYSTEM_DEFINED\", \"models\": [{\"modelArn\": 1}]}"),
	       0, "misc: a SYSTEM_DEFINED get-inference-profile is ignored, unchecked");
	is_int(manifest_count(m), 2, "misc: ... adds nothing");
	manifest_destroy(m);
	manifest_destroy(NULL);
}

static void test_big(void)
{
	enum { N = 5000 };
	size_t cap = (size_t)N * 200 + 64, len = 0;
	char *buf = xmalloc(cap);
	len += (size_t)snprintf(buf + len, cap - len, "profile_arn,model_id,app\n");
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(buf + len, cap - len, A "big%09d,model-%d,app-%d\n", i,
					i % 7, i);
	struct manifest *m = manifest_create();
	is_int(manifest_load_buffer(m, "big.csv", buf, len), 0, "big: 5000 rows load");
	is_int(manifest_count(m), N, "big: 5000 profiles");
	int bad = 0;
	for (int i = 0; i < N; i++) {
		char arn[128], want[32];
		snprintf(arn, sizeof arn, A "big%09d", i);
		snprintf(want, sizeof want, "app-%d", i);
		const struct manifest_entry *e = get(m, arn);
		if (!e || strcmp(e->arn, arn) != 0 || !manifest_tag(m, e, "app") ||
		    strcmp(manifest_tag(m, e, "app"), want) != 0)
			bad++;
	}
	is_int(bad, 0, "big: every profile found with its tag");
	ok(get(m, A "big000005000") == NULL, "big: an absent ARN is not found");
	manifest_destroy(m);
	free(buf);
}

/* The entries in order of first appearance, as the SQL generator inlines them. */
static void test_entry_at(void)
{
	struct manifest *m = manifest_create();
	ok(load(m, "a.csv",
		"profile_arn,model_id,app\n"
		"arn:aws:bedrock:us-east-1:1:application-inference-profile/b,m.b,x\n"
		"arn:aws:bedrock:us-east-1:1:application-inference-profile/a,,y\n") == 0,
	   "two profiles");
	const struct manifest_entry *e0 = manifest_entry_at(m, 0), *e1 = manifest_entry_at(m, 1);
	ok(e0 &&
	       strcmp(e0->arn, "arn:aws:bedrock:us-east-1:1:application-inference-profile/b") == 0,
	   "entry 0");
	ok(e0 && e0->model_id && strcmp(e0->model_id, "m.b") == 0, "its model");
	ok(e1 && strcmp(manifest_tag(m, e1, "app"), "y") == 0, "entry 1's tag");
	ok(manifest_entry_at(m, 2) == NULL, "past the end");
	done(m, 0, "entry_at");
}

int main(void)
{
	test_entry_at();
	test_list();
	test_get();
	test_tags_json();
	test_csv();
	test_detection();
	test_merge();
	test_geo();
	test_errors();
	test_misc();
	test_big();
	return tap_done();
}
