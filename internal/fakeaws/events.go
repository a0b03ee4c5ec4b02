package fakeaws

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// EventBridge kinds (the operators' alarm forwarding): event buses, their
// policies, rules and targets, with the rules of the real APIs that a
// wrong program would break.
const (
	tEventBus       = "aws:cloudwatch/eventBus:EventBus"
	tEventBusPolicy = "aws:cloudwatch/eventBusPolicy:EventBusPolicy"
	tEventRule      = "aws:cloudwatch/eventRule:EventRule"
	tEventTarget    = "aws:cloudwatch/eventTarget:EventTarget"
	tLogPolicy      = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy"
)

// CloudWatch Logs resource policies ("CloudWatch Logs quotas"): 10 per
// account per Region, each document at most 5,120 characters.
const (
	maxLogPolicies    = 10
	maxLogPolicyChars = 5120
)

var (
	// CreateEventBus Name: 1-256 of [/\.\-_A-Za-z0-9], not "default".
	eventBusNameRE = regexp.MustCompile(`^[/\.\-_A-Za-z0-9]{1,256}$`)
	// PutRule Name: 1-64 of [\.\-_A-Za-z0-9].
	eventRuleNameRE = regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,64}$`)
	// PutTargets Id: 1-64 of [\.\-_A-Za-z0-9].
	eventTargetIDRE = regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,64}$`)
	eventBusARNRE   = regexp.MustCompile(`^arn:aws:events:([a-z0-9-]+):(\d{12}):event-bus/(.+)$`)
)

// maxBusPolicyBytes: "The permission policy on the event bus cannot
// exceed 10 KB in size" (PutPermission).
const maxBusPolicyBytes = 10 * 1024

// busName is the bus a rule or target input names ("" and "default": the
// account's default bus).
func busName(in map[string]any) string {
	b, _ := str(in, "eventBusName")
	if b == "" {
		return "default"
	}
	return b
}

// ownBus fails unless the bus is the default one or exists in the
// operation's account and region.
func ownBus(c *opCtx, name string) error {
	if name == "default" {
		return nil
	}
	r, err := c.find(tEventBus, name)
	if err != nil {
		return err
	}
	if r == nil {
		return awsErr("ResourceNotFoundException", "Event bus %s does not exist.", name)
	}
	return nil
}

func eventsKinds() []*kind {
	return []*kind{
		{
			// A CloudWatch Logs resource policy: how EventBridge gets to
			// write to a log group target.
			token: tLogPolicy, label: "CloudWatch Logs Resource Policy",
			replaces: []string{"policyName"},
			static: func(in map[string]any) []failure {
				p, ok := str(in, "policyDocument")
				if !ok {
					return nil
				}
				if !validJSON(p) {
					return []failure{failf("policyDocument", "InvalidParameterException: the policy document is not valid JSON")}
				}
				if len(p) > maxLogPolicyChars {
					return []failure{failf("policyDocument", "InvalidParameterException: the policy document is %d characters; at most %d", len(p), maxLogPolicyChars)}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				others, err := c.findWhere(tLogPolicy, selfID, c.regional)
				if err != nil {
					return err
				}
				if selfID == "" && len(others) >= maxLogPolicies {
					return awsErr("LimitExceededException", "account %s has %d resource policies in %s; at most %d", c.account, len(others), c.region, maxLogPolicies)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "policyName")
				return name, nil, nil
			},
		},
		{
			token: tEventBus, label: "EventBridge Event Bus", tagsAll: true,
			replaces: []string{"name", "eventSourceName"},
			outputs:  []string{"arn"},
			static: func(in map[string]any) []failure {
				if n, ok := str(in, "name"); ok && (!eventBusNameRE.MatchString(n) || n == "default") {
					return []failure{failf("name", "ValidationException: %q is not an event bus name (1-256 of letters, digits and /._-, not default)", n)}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				name, _ := str(in, "name")
				if selfID == "" {
					if r, err := c.find(tEventBus, name); err != nil {
						return err
					} else if r != nil {
						return awsErr("ResourceAlreadyExistsException", "Event bus %s already exists.", name)
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				return name, map[string]any{"arn": fmt.Sprintf("arn:aws:events:%s:%s:event-bus/%s", c.region, c.account, name)}, nil
			},
		},
		{
			token: tEventBusPolicy, label: "EventBridge Event Bus Policy",
			replaces: []string{"eventBusName"},
			static: func(in map[string]any) []failure {
				p, ok := str(in, "policy")
				if !ok {
					return nil
				}
				if !validJSON(p) {
					return []failure{failf("policy", "ValidationException: the policy is not valid JSON")}
				}
				if len(p) > maxBusPolicyBytes {
					return []failure{failf("policy", "PolicyLengthExceededException: the policy is %d bytes; at most %d", len(p), maxBusPolicyBytes)}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				return ownBus(c, busName(in))
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				return busName(in), nil, nil
			},
		},
		{
			token: tEventRule, label: "EventBridge Rule", tagsAll: true, autoName: "name",
			replaces: []string{"name", "namePrefix", "eventBusName"},
			outputs:  []string{"arn"},
			static: func(in map[string]any) []failure {
				var out []failure
				if n, ok := str(in, "name"); ok && !eventRuleNameRE.MatchString(n) {
					out = append(out, failf("name", "ValidationException: %q is not a rule name (1-64 of letters, digits and ._-)", n))
				}
				p, hasPattern := str(in, "eventPattern")
				_, hasSchedule := str(in, "scheduleExpression")
				if !hasPattern && !hasSchedule {
					out = append(out, failf("eventPattern", "ValidationException: a rule needs an event pattern or a schedule expression"))
				}
				if hasPattern {
					var m map[string]any
					if err := json.Unmarshal([]byte(p), &m); err != nil || len(m) == 0 {
						out = append(out, failf("eventPattern", "InvalidEventPatternException: Event pattern is not valid"))
					}
				}
				return out
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				return ownBus(c, busName(in))
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				name, _ := str(in, "name")
				bus := busName(in)
				if bus == "default" {
					return name, map[string]any{"arn": fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", c.region, c.account, name)}, nil
				}
				return bus + "/" + name, map[string]any{"arn": fmt.Sprintf("arn:aws:events:%s:%s:rule/%s/%s", c.region, c.account, bus, name)}, nil
			},
		},
		{
			token: tEventTarget, label: "EventBridge Target",
			replaces: []string{"rule", "eventBusName", "targetId"},
			static: func(in map[string]any) []failure {
				if id, ok := str(in, "targetId"); ok && !eventTargetIDRE.MatchString(id) {
					return []failure{failf("targetId", "ValidationException: %q is not a target id", id)}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				bus := busName(in)
				if err := ownBus(c, bus); err != nil {
					return err
				}
				rule, _ := str(in, "rule")
				id := rule
				if bus != "default" {
					id = bus + "/" + rule
				}
				r, err := c.find(tEventRule, id)
				if err != nil {
					return err
				}
				if r == nil {
					return awsErr("ResourceNotFoundException", "Rule %s does not exist on EventBus %s.", rule, bus)
				}
				arn, _ := str(in, "arn")
				if m := eventBusARNRE.FindStringSubmatch(arn); m != nil && m[2] != c.account {
					// PutTargets: a bus in another account that admits an
					// organization takes events only with a role.
					if role, _ := str(in, "roleArn"); role == "" {
						return awsErr("ValidationException", "RoleArn is required for target %s: an event bus in another account", arn)
					}
				}
				if strings.HasPrefix(arn, "arn:aws:sns:") {
					if t, err := c.find(tTopic, arn); err != nil {
						return err
					} else if t == nil {
						return awsErr("ValidationException", "target topic %s does not exist in account %s", arn, c.account)
					}
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				rule, _ := str(in, "rule")
				id, _ := str(in, "targetId")
				if bus := busName(in); bus != "default" {
					return bus + "/" + rule + "/" + id, nil, nil
				}
				return rule + "/" + id, nil, nil
			},
		},
	}
}
