/*
 * focus.h - focus.csv (--focus, bedrock-ledger(1), RECONCILIATION): the
 * ledger's estimated cost per app_day.csv row as FinOps FOCUS 1.2 rows, so
 * that FinOps tools can put Bedrock usage by application beside the invoice.
 *
 * Pipeline: tally (LAYOUT_APP_DAY) -> [focus] -> focus.csv.
 * One row per app_day.csv row with a cost (some of its records priced):
 * every column FOCUS 1.2 makes mandatory, then ChargeFrequency,
 * ConsumedQuantity, ConsumedUnit, ServiceSubcategory and Tags, then the
 * custom columns x_Model, x_Invocations and x_Source. The costs
 * (BilledCost, EffectiveCost, ListCost, ContractedCost) are the row's priced
 * cost; the quantities its input + output + cache-read + cache-write tokens;
 * the periods UTC (the charge period the day, the billing period its month);
 * Tags a JSON object of the row's non-empty -g values keyed by their
 * headers. Rows come in app_day.csv's order.
 * Ownership: borrows the plan and the table for the call.
 */
#ifndef LEDGER_FOCUS_H
#define LEDGER_FOCUS_H

#include "ledger/facts/rollup.h"
#include "ledger/views/layout.h"
#include "ledger/views/report.h"

/* The header of focus.csv. */
#define FOCUS_HEADER                                                                               \
	"BilledCost,BillingAccountId,BillingAccountName,BillingCurrency,BillingPeriodEnd,"         \
	"BillingPeriodStart,ChargeCategory,ChargeClass,ChargeDescription,ChargeFrequency,"         \
	"ChargePeriodEnd,ChargePeriodStart,ConsumedQuantity,ConsumedUnit,ContractedCost,"          \
	"EffectiveCost,InvoiceIssuerName,ListCost,PricingQuantity,PricingUnit,ProviderName,"       \
	"PublisherName,ServiceCategory,ServiceName,ServiceSubcategory,Tags,x_Model,x_Invocations," \
	"x_Source"

/*
 * Writes focus.csv's rows (after its header) from app_day, the tally's
 * LAYOUT_APP_DAY table resolved by plan. `account` is the BillingAccountId
 * (--focus-account), or NULL for "unknown".
 */
void focus_write(struct report_file *f, const struct layout_plan *plan,
		 const struct rollup *app_day, const char *account);

#endif
