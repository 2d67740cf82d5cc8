/*
 * keynames.c - the words of reconcile.csv's keys, one home for both sides.
 */
#include "ledger/support/keynames.h"

static const char *const kind_names[KEY_KINDS] = {
	[KEY_INPUT] = "input",
	[KEY_OUTPUT] = "output",
	[KEY_CACHE_READ] = "cache_read",
	[KEY_CACHE_WRITE] = "cache_write",
	[KEY_CACHE_WRITE_1H] = "cache_write_1h",
};

const char *key_kind_name(unsigned k)
{
	return k < KEY_KINDS ? kind_names[k] : "other";
}

const char *key_routing_name(bool global)
{
	return global ? "global" : "regional";
}

const char *key_context_name(bool long_context)
{
	return long_context ? "long" : "standard";
}
