/*
 * test_fields.c - -g items (bedrock-ledger-formats(5), GROUPING), principals, field values, and the
 * report layouts resolved against them.
 */
#include "ledger/views/fields.h"
#include "ledger/views/layout.h"
#include "ledger/price/modelid.h"

#include "tap.h"

static void parses(const char *arg, const char *headers, const char *kinds)
{
	struct group_by g;
	struct diag d = DIAG_INIT;
	int rc = group_by_parse(&g, arg, &d);
	if (!ok(rc == 0, "'%s' parses", arg)) {
		printf("#   %s\n", diag_msg(&d));
		diag_clear(&d);
		return;
	}
	char got[256] = "", gk[64] = "";
	for (size_t i = 0; i < g.n; i++) {
		strcat(got, i ? "|" : "");
		strcat(got, g.items[i].header);
		enum field_id id = g.items[i].ref.id;
		strcat(gk, id == FIELD_TAG ? "t" : id == FIELD_META ? "m" : "f");
	}
	is_str(got, headers, "headers of '%s'", arg);
	is_str(gk, kinds, "kinds of '%s'", arg);
	group_by_finish(&g);
}

static void refused(const char *arg, const char *want)
{
	struct group_by g;
	struct diag d = DIAG_INIT;
	ok(group_by_parse(&g, arg, &d) == -1, "'%s' is refused", arg);
	ok(strstr(diag_msg(&d), want) != NULL, "'%s': message has '%s' (%s)", arg, want,
	   diag_msg(&d));
	diag_clear(&d);
	ok(g.items == NULL && g.n == 0, "'%s': nothing kept", arg);
}

static void test_group_by(void)
{
	parses("app,team", "app|team", "tt");
	parses("tag:app,meta:tenant,field:account_id", "app|tenant|account_id", "tmf");
	parses("tag:meta:x,tag:field:y,tag:tag:z", "meta:x|field:y|tag:z", "ttt");
	parses("field:pool,field:tier,field:principal", "pool|tier|principal", "fff");
	parses("account_id", "account_id", "t"); /* a tag of that name: warned about later */
	refused("app,,team", "empty item");
	refused(",app", "empty item");
	refused("app,", "empty item");
	refused("", "empty item");
	refused("field:nope", "is not a field");
	refused("field:", "is not a field");
	refused("meta:", "names no key");
	refused("tag:", "names no key");
	refused("app,tag:app", "twice");
	refused("meta:app,app", "twice");
	refused("field:region,meta:region", "twice");
	refused("day", "column of app_day.csv");
	refused("model", "column of app_day.csv");
	refused("meta:cost_usd", "column of app_day.csv");
	refused("tag:cache_write_1h_tokens", "column of app_day.csv");
	is_str(field_name(FIELD_ACCOUNT_ID), "account_id", "field name");
	ok(field_name(FIELD_TAG) == NULL, "a tag has no field name");
}

static void principal(const char *caller, const char *want)
{
	char buf[256];
	size_t n = modelid_principal(str_from(caller), buf, strlen(caller));
	struct str got = n ? (struct str){ buf, n } : str_from(caller);
	ok(str_eq(got, str_from(want)), "principal of %s is %s (got %.*s)", caller, want,
	   (int)got.n, got.p);
}

static void test_principal(void)
{
	principal("arn:aws:sts::111122223333:assumed-role/support-bot/alice",
		  "arn:aws:iam::111122223333:role/support-bot");
	principal(
	    "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com",
	    "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123");
	principal("arn:aws-us-gov:sts::111122223333:assumed-role/r/s",
		  "arn:aws-us-gov:iam::111122223333:role/r");
	principal("arn:aws-cn:sts::111122223333:assumed-role/r/s/t",
		  "arn:aws-cn:iam::111122223333:role/r");
	principal("arn:aws:iam::111122223333:user/bob", "arn:aws:iam::111122223333:user/bob");
	principal("arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:root");
	principal("arn:aws:sts::111122223333:assumed-role/no-session",
		  "arn:aws:sts::111122223333:assumed-role/no-session");
	principal("arn:aws:sts::111122223333:assumed-role//s",
		  "arn:aws:sts::111122223333:assumed-role//s");
	principal("arn:aws:sts::111122223333:federated-user/x",
		  "arn:aws:sts::111122223333:federated-user/x");
	principal("", "");
	principal("arn:", "arn:");
	char small[8];
	ok(modelid_principal(str_from("arn:aws:sts::1:assumed-role/r/s"), small, sizeof small) == 0,
	   "a buffer too small gives 0");
}

static const char *header_of(const struct layout_plan *p, enum layout_id id, char *buf)
{
	buf[0] = '\0';
	const struct plan_report *pr = &p->reports[id];
	for (size_t i = 0; i < pr->ncols; i++) {
		strcat(buf, i ? "," : "");
		strcat(buf, pr->cols[i].header);
	}
	return buf;
}

static void test_layouts(void)
{
	struct group_by g;
	struct diag d = DIAG_INIT;
	group_by_parse(&g, "app,field:account_id,meta:t", &d);
	struct layout_plan *p = layout_plan_create(&g, false);
	char buf[512];
	is_str(header_of(p, LAYOUT_APP_DAY, buf), "day,app,account_id,t,model", "app_day keys");
	is_str(header_of(p, LAYOUT_CALLER, buf), "caller,account_id,route,model", "caller keys");
	is_str(header_of(p, LAYOUT_UNRESOLVED, buf), "model_id,problem,detail", "unresolved keys");
	is_int(layout_group_column(p, LAYOUT_APP_DAY, 0), 1, "first -g column of app_day");
	is_int(layout_group_column(p, LAYOUT_APP_DAY, 2), 3, "third -g column of app_day");
	is_int(layout_group_column(p, LAYOUT_CALLER, 0), -1, "caller.csv has no -g column");
	is_int(layout_column_of(p, LAYOUT_CALLER, FIELD_CALLER_KEY), 0, "caller column");
	is_int(layout_column_of(p, LAYOUT_UNRESOLVED, FIELD_PROBLEM), 1, "problem column");
	is_int(layout_column_of(p, LAYOUT_APP_DAY, FIELD_PROBLEM), -1,
	       "no problem column in app_day");
	layout_plan_destroy(p);
	group_by_finish(&g);
	layout_plan_destroy(NULL);

	group_by_parse(&g, "", &d);
	diag_clear(&d);
	struct group_by none = { 0 };
	p = layout_plan_create(&none, false);
	is_str(header_of(p, LAYOUT_APP_DAY, buf), "day,model", "no -g column");
	is_int(layout_group_column(p, LAYOUT_APP_DAY, 0), -1, "no first -g column");
	layout_plan_destroy(p);
}

/* app_day.csv is made from residency.csv's rows when residency.csv has every column of it. */
static void test_derived(void)
{
	static const struct {
		const char *g;
		int from;
		const char *why;
	} cases[] = {
		{ "app,team", LAYOUT_RESIDENCY, "the -g tags are residency's columns too" },
		{ "field:region,field:pool", LAYOUT_RESIDENCY, "its own region and pool stand in" },
		{ "field:caller,meta:t", LAYOUT_RESIDENCY, "a field and a meta key" },
		{ "region,app", -1, "a tag named region: residency.csv leaves it out" },
		{ "pool", -1, "a tag named pool, likewise" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct group_by g;
		struct diag d = DIAG_INIT;
		group_by_parse(&g, cases[i].g, &d);
		struct layout_plan *p = layout_plan_create(&g, false);
		const struct plan_report *ad = &p->reports[LAYOUT_APP_DAY];
		is_int(ad->from, cases[i].from, cases[i].why);
		for (size_t c = 0; ad->from >= 0 && c < ad->ncols; c++) {
			const struct plan_column *src = &p->reports[ad->from].cols[ad->from_cols[c]];
			ok(src->ref.id == ad->cols[c].ref.id && src->ref.arg == ad->cols[c].ref.arg,
			   "%s: app_day's column %s is residency's %s", cases[i].g, ad->cols[c].header,
			   src->header);
		}
		for (int id = 0; id < LAYOUT_COUNT; id++)
			if (id != LAYOUT_APP_DAY)
				is_int(p->reports[id].from, -1, "%s: report %d is counted per cell",
				       cases[i].g, id);
		layout_plan_destroy(p);
		group_by_finish(&g);
	}
}

int main(void)
{
	test_group_by();
	test_principal();
	test_layouts();
	test_derived();
	return tap_done();
}
