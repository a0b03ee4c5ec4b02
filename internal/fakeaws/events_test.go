package fakeaws

import (
	"fmt"
	"testing"
)

// TestEventsRules: bus names and one bus per name, policies and rules only
// on an existing bus, valid patterns, a role for a target bus in another
// account, and an SNS target that exists.
func TestEventsRules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	_, s := newMember(t, o, m, "acme")

	failsCheck(t, m, tEventBus, map[string]any{"name": "default"}, "name", "not an event bus name")
	_, out := mustCreate(t, m, tEventBus, "bus", map[string]any{"name": "tierzone-fintech-operators"})
	busARN := out["arn"].(string)
	_, _, err := create(t, m, tEventBus, "bus2", map[string]any{"name": "tierzone-fintech-operators"})
	wantErr(t, err, "ResourceAlreadyExistsException")

	_, _, err = create(t, m, tEventBusPolicy, "nopol", map[string]any{"eventBusName": "nope", "policy": `{"Version":"2012-10-17","Statement":[]}`})
	wantErr(t, err, "ResourceNotFoundException")
	mustCreate(t, m, tEventBusPolicy, "pol", map[string]any{"eventBusName": "tierzone-fintech-operators", "policy": `{"Version":"2012-10-17","Statement":[]}`})

	failsCheck(t, s, tEventRule, map[string]any{"name": "r", "eventPattern": `{}`}, "eventPattern", "not valid")
	failsCheck(t, s, tEventRule, map[string]any{"name": "r"}, "eventPattern", "needs an event pattern")
	pattern := `{"source":["aws.cloudwatch"]}`
	ruleID, _ := mustCreate(t, s, tEventRule, "fwd", map[string]any{"name": "fwd", "eventPattern": pattern})
	if ruleID != "fwd" {
		t.Fatalf("a default-bus rule's id is its name, got %q", ruleID)
	}
	_, _, err = create(t, s, tEventTarget, "t0", map[string]any{"rule": "missing", "targetId": "x", "arn": busARN, "roleArn": "arn:aws:iam::1:role/r"})
	wantErr(t, err, "Rule missing does not exist")
	_, _, err = create(t, s, tEventTarget, "t1", map[string]any{"rule": "fwd", "targetId": "operators-bus", "arn": busARN})
	wantErr(t, err, "RoleArn is required")
	id, _ := mustCreate(t, s, tEventTarget, "t2", map[string]any{"rule": "fwd", "targetId": "operators-bus", "arn": busARN, "roleArn": "arn:aws:iam::1:role/r"})
	if id != "fwd/operators-bus" {
		t.Fatalf("target id %q", id)
	}

	busRule, _ := mustCreate(t, m, tEventRule, "ops", map[string]any{"name": "ops", "eventBusName": "tierzone-fintech-operators", "eventPattern": pattern})
	if busRule != "tierzone-fintech-operators/ops" {
		t.Fatalf("a custom-bus rule's id is bus/name, got %q", busRule)
	}
	_, _, err = create(t, m, tEventTarget, "t3", map[string]any{"rule": "ops", "eventBusName": "tierzone-fintech-operators", "targetId": "topic", "arn": "arn:aws:sns:us-east-1:" + o.ManagementAccount + ":none"})
	wantErr(t, err, "does not exist")

	failsCheck(t, m, tLogPolicy, map[string]any{"policyName": "p", "policyDocument": "{"}, "policyDocument", "not valid JSON")
	for i := range maxLogPolicies {
		mustCreate(t, m, tLogPolicy, fmt.Sprintf("lp%d", i), map[string]any{"policyName": fmt.Sprintf("p%d", i), "policyDocument": "{}"})
	}
	_, _, err = create(t, m, tLogPolicy, "one-too-many", map[string]any{"policyName": "p-last", "policyDocument": "{}"})
	wantErr(t, err, "LimitExceededException")
}
