/*
 * keynames.h - the words reconcile.csv's keys are made of: kinds of token,
 * routings and context classes. The log side (views/fields.c) and the bill
 * side (bill/usagetype.c) both name a key with these, so that a key of the
 * logs and the same key of the bill are the same bytes
 * (bedrock-ledger-formats(5), RECONCILIATION).
 */
#ifndef LEDGER_KEYNAMES_H
#define LEDGER_KEYNAMES_H

#include <stdbool.h>

/* Kinds of token, in the order of record.h's enum record_token and usagetype.h's enum usage_kind. */
enum key_kind { KEY_INPUT, KEY_OUTPUT, KEY_CACHE_READ, KEY_CACHE_WRITE, KEY_CACHE_WRITE_1H, KEY_KINDS };

/* "input", "output", "cache_read", "cache_write", "cache_write_1h"; "other" for any other k. */
const char *key_kind_name(unsigned k);
/* "global" for a global. profile, else "regional". */
const char *key_routing_name(bool global);
/* "long" for a price row with a context_over, else "standard". */
const char *key_context_name(bool long_context);

#endif
