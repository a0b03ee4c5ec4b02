package fakeaws

import "testing"

// TestBillingRules: a member account cannot budget another account's spend;
// budget names are unique; cost categories and tag monitors need an active
// cost allocation tag; Cost Explorer setup is the payer's alone.
func TestBillingRules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	acct, member := newMember(t, o, m, "acme")
	budget := func(name, account string) map[string]any {
		return map[string]any{"name": name, "budgetType": "COST", "timeUnit": "MONTHLY", "limitAmount": "2000", "limitUnit": "USD",
			"costFilters": []any{map[string]any{"name": "LinkedAccount", "values": []any{account}}}}
	}
	failsCheck(t, m, tBudget, map[string]any{"name": "a:b", "budgetType": "COST", "timeUnit": "MONTHLY"}, "name", "InvalidParameterException")
	failsCheck(t, m, tBudget, map[string]any{"name": "b", "budgetType": "COST", "timeUnit": "MONTHLY",
		"notifications": []any{map[string]any{"subscriberEmailAddresses": []any{}}}}, "notifications[0]", "needs a subscriber")
	mustCreate(t, m, tBudget, "b", budget("tz-acme", acct))
	_, _, err := create(t, m, tBudget, "b2", budget("tz-acme", acct))
	wantErr(t, err, "DuplicateRecordException")
	_, _, err = create(t, member, tBudget, "b3", budget("other", "222222222222"))
	wantErr(t, err, "not the payer")

	category := map[string]any{"name": "tz-customer", "ruleVersion": "CostCategoryExpression.v1",
		"rules": []any{map[string]any{"type": "INHERITED_VALUE", "inheritedValue": map[string]any{"dimensionName": "TAG", "dimensionKey": "customer"}}}}
	_, _, err = create(t, m, tCostCategory, "cc", category)
	wantErr(t, err, "ValidationException", "not an active cost allocation tag")
	_, _, err = create(t, member, tCostAllocationTag, "tag", map[string]any{"tagKey": "customer", "status": "Active"})
	wantErr(t, err, "AccessDeniedException")
	mustCreate(t, m, tCostAllocationTag, "tag", map[string]any{"tagKey": "customer", "status": "Active"})
	mustCreate(t, m, tCostCategory, "cc", category)
	_, _, err = create(t, m, tAnomalyMonitor, "mon", map[string]any{"name": "tz-fintech", "monitorType": "CUSTOM",
		"monitorSpecification": `{"Tags":{"Key":"tier","Values":["fintech"],"MatchOptions":["EQUALS"]}}`})
	wantErr(t, err, "tier is not an active cost allocation tag")
	_, _, err = create(t, m, tAnomalySub, "sub", map[string]any{"name": "s", "frequency": "DAILY",
		"monitorArnLists": []any{"arn:aws:ce::111111111111:anomalymonitor/nope"}, "subscribers": []any{map[string]any{"type": "EMAIL", "address": "a@b.co"}}})
	wantErr(t, err, "UnknownMonitorException")
}
