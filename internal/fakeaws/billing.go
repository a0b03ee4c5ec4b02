package fakeaws

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
)

// AWS Budgets and Cost Explorer: budgets in any account (a LinkedAccount
// filter only from the payer), cost allocation tags, cost categories and
// anomaly monitors only in the management account.
const (
	tBudget            = "aws:budgets/budget:Budget"
	tCostAllocationTag = "aws:costexplorer/costAllocationTag:CostAllocationTag"
	tCostCategory      = "aws:costexplorer/costCategory:CostCategory"
	tAnomalyMonitor    = "aws:costexplorer/anomalyMonitor:AnomalyMonitor"
	tAnomalySub        = "aws:costexplorer/anomalySubscription:AnomalySubscription"
)

// budgetNamePattern: CreateBudget BudgetName, 1-100 characters without ':'
// or '\'.
var budgetNamePattern = regexp.MustCompile(`^[^:\\]{1,100}$`)

// listOfMaps returns v as a list of maps (nested inputs).
func listOfMaps(v any) []map[string]any {
	arr, _ := v.([]any)
	var out []map[string]any
	for _, e := range arr {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// activeTag checks that key is an active cost allocation tag of the
// management account (Cost Explorer rejects categories and monitors on
// other tags).
func activeTag(c *opCtx, key string) error {
	tags, err := c.findWhere(tCostAllocationTag, "", func(r *Record) bool { return r.Inputs["tagKey"] == key && r.Inputs["status"] == "Active" })
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return awsErr("ValidationException", "Tag key %s is not an active cost allocation tag", key)
	}
	return nil
}

// nameFree fails with code when another record of typ in the account has
// the same name.
func nameFree(c *opCtx, typ, selfID string, in map[string]any, code, what string) error {
	name, _ := str(in, "name")
	dup, err := c.findWhere(typ, selfID, func(r *Record) bool { return r.Inputs["name"] == name })
	if err != nil {
		return err
	}
	if len(dup) > 0 {
		return awsErr(code, "%s %s already exists", what, name)
	}
	return nil
}

func billingKinds() []*kind {
	return []*kind{
		{
			token: tBudget, label: "Budget", tagsAll: true,
			replaces: []string{"accountId", "name"},
			outputs:  []string{"arn", "accountId"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if n, ok := str(in, "name"); ok && !budgetNamePattern.MatchString(n) {
					fs = append(fs, failf("name", "InvalidParameterException: %q must be 1 to 100 characters without ':' or '\\'", n))
				}
				if t, ok := str(in, "budgetType"); ok && !slices.Contains([]string{"COST", "USAGE", "RI_UTILIZATION", "RI_COVERAGE", "SAVINGS_PLANS_UTILIZATION", "SAVINGS_PLANS_COVERAGE"}, t) {
					fs = append(fs, failf("budgetType", "InvalidParameterException: %q is not a budget type", t))
				}
				if t, ok := str(in, "timeUnit"); ok && !slices.Contains([]string{"DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY"}, t) {
					fs = append(fs, failf("timeUnit", "InvalidParameterException: %q is not a time unit", t))
				}
				if a, ok := str(in, "limitAmount"); ok {
					if f, err := strconv.ParseFloat(a, 64); err != nil || f <= 0 {
						fs = append(fs, failf("limitAmount", "InvalidParameterException: %q is not a positive amount", a))
					}
				}
				notes := listOfMaps(in["notifications"])
				if len(notes) > 5 {
					// Quotas: 5 notifications per budget.
					fs = append(fs, failf("notifications", "InvalidParameterException: %d notifications; at most 5 per budget", len(notes)))
				}
				for i, n := range notes {
					emails, topics := stringList(n["subscriberEmailAddresses"]), stringList(n["subscriberSnsTopicArns"])
					if len(emails) > 10 {
						// Quotas: 10 e-mail subscribers per notification.
						fs = append(fs, failf(fmt.Sprintf("notifications[%d]", i), "InvalidParameterException: %d e-mail subscribers; at most 10", len(emails)))
					}
					if !hasUnknown(n["subscriberEmailAddresses"]) && len(emails)+len(topics) == 0 {
						fs = append(fs, failf(fmt.Sprintf("notifications[%d]", i), "InvalidParameterException: a notification needs a subscriber"))
					}
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				if err := nameFree(c, tBudget, selfID, in, "DuplicateRecordException", "the budget"); err != nil {
					return err
				}
				if c.account == c.mgmt() {
					return nil
				}
				for _, f := range listOfMaps(in["costFilters"]) {
					if f["name"] != "LinkedAccount" {
						continue
					}
					for _, v := range stringList(f["values"]) {
						if v != c.account {
							// Only the payer sees linked accounts' spend.
							return awsErr("InvalidParameterException", "account %s is not the payer; it cannot filter on linked account %s", c.account, v)
						}
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				// pulumi-aws: the id is "<account id>:<budget name>".
				return c.account + ":" + name, map[string]any{"arn": "arn:aws:budgets::" + c.account + ":budget/" + name, "accountId": c.account}, nil
			},
		},
		{
			token: tCostAllocationTag, label: "Cost Explorer Cost Allocation Tag", org: true,
			replaces: []string{"tagKey"},
			outputs:  []string{"type"},
			static: func(in map[string]any) []failure {
				if s, ok := str(in, "status"); ok && s != "Active" && s != "Inactive" {
					return []failure{failf("status", "ValidationException: must be Active or Inactive, got %q", s)}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				key, _ := str(in, "tagKey")
				return key, map[string]any{"type": "UserDefined"}, nil
			},
		},
		{
			token: tCostCategory, label: "Cost Explorer Cost Category", org: true, tagsAll: true,
			replaces: []string{"name"},
			outputs:  []string{"arn", "effectiveStart", "effectiveEnd"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if n, ok := str(in, "name"); ok && (len(n) < 1 || len(n) > 50) {
					fs = append(fs, failf("name", "ValidationException: must be 1 to 50 characters"))
				}
				if v, ok := str(in, "ruleVersion"); ok && v != "CostCategoryExpression.v1" {
					fs = append(fs, failf("ruleVersion", "ValidationException: must be CostCategoryExpression.v1"))
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				if err := nameFree(c, tCostCategory, selfID, in, "ServiceQuotaExceededException", "cost category"); err != nil {
					return err
				}
				for _, r := range listOfMaps(in["rules"]) {
					iv, _ := r["inheritedValue"].(map[string]any)
					if iv == nil || iv["dimensionName"] != "TAG" {
						continue
					}
					if err := activeTag(c, fmt.Sprint(iv["dimensionKey"])); err != nil {
						return err
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				arn := "arn:aws:ce::" + c.account + ":costcategory/" + uuid()
				return arn, map[string]any{"arn": arn, "effectiveStart": "2026-12-01T00:00:00Z"}, nil
			},
		},
		{
			token: tAnomalyMonitor, label: "Cost Explorer Anomaly Monitor", org: true, tagsAll: true,
			replaces: []string{"monitorType", "monitorDimension", "monitorSpecification"},
			outputs:  []string{"arn"},
			static: func(in map[string]any) []failure {
				t, _ := str(in, "monitorType")
				spec, hasSpec := str(in, "monitorSpecification")
				switch {
				case known(in, "monitorType") && t != "CUSTOM" && t != "DIMENSIONAL":
					return []failure{failf("monitorType", "ValidationException: must be CUSTOM or DIMENSIONAL")}
				case t == "CUSTOM" && hasSpec && !validJSON(spec):
					return []failure{failf("monitorSpecification", "ValidationException: not a valid JSON expression")}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				spec, _ := str(in, "monitorSpecification")
				var expr struct {
					Tags *struct{ Key string }
				}
				if json.Unmarshal([]byte(spec), &expr) == nil && expr.Tags != nil {
					return activeTag(c, expr.Tags.Key)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				arn := "arn:aws:ce::" + c.account + ":anomalymonitor/" + uuid()
				return arn, map[string]any{"arn": arn}, nil
			},
		},
		{
			token: tAnomalySub, label: "Cost Explorer Anomaly Subscription", org: true, tagsAll: true,
			replaces: []string{"accountId"},
			outputs:  []string{"arn", "accountId"},
			static: func(in map[string]any) []failure {
				var fs []failure
				f, _ := str(in, "frequency")
				if known(in, "frequency") && !slices.Contains([]string{"DAILY", "IMMEDIATE", "WEEKLY"}, f) {
					fs = append(fs, failf("frequency", "ValidationException: must be DAILY, IMMEDIATE or WEEKLY"))
				}
				subs := listOfMaps(in["subscribers"])
				if known(in, "subscribers") && (len(subs) < 1 || len(subs) > 10) {
					fs = append(fs, failf("subscribers", "ValidationException: 1 to 10 subscribers, got %d", len(subs)))
				}
				for _, s := range subs {
					if f != "IMMEDIATE" && s["type"] == "SNS" || f == "IMMEDIATE" && s["type"] == "EMAIL" {
						fs = append(fs, failf("subscribers", "ValidationException: IMMEDIATE alerts go to SNS topics only, digests to e-mail only"))
					}
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				for _, arn := range stringList(in["monitorArnLists"]) {
					m, err := byOutput(c, tAnomalyMonitor, "", "arn", arn)
					if err != nil {
						return err
					}
					if len(m) == 0 {
						return awsErr("UnknownMonitorException", "monitor %s does not exist", arn)
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				arn := "arn:aws:ce::" + c.account + ":anomalysubscription/" + uuid()
				return arn, map[string]any{"arn": arn, "accountId": c.account}, nil
			},
		},
	}
}
