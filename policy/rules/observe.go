package rules

import (
	"fmt"
	"strings"
)

// Types of a customer's observability (components.CustomerObservability).
const (
	observabilityType = "tierzone:observe:CustomerObservability"
	topicType         = "aws:sns/topic:Topic"
	alarmType         = "aws:cloudwatch/metricAlarm:MetricAlarm"
	eventRuleType     = "aws:cloudwatch/eventRule:EventRule"
)

// CustomerAlarms is the rule's name.
const CustomerAlarms = "customer-alarms"

// flowLogsStoppedSuffix ends the name of a customer's flow-logs alarm
// (landingzone.AlarmFlowLogsStopped).
const flowLogsStoppedSuffix = "-flow-logs-stopped"

// customerAlarms: every customer whose account's resources are in the plan
// (its VPC component is) has, under its CustomerObservability, a
// KMS-encrypted alarm topic, the alarm that says its flow logs stopped
// (the evidence every tier's retention depends on), and the rule that
// forwards its alarms to its tier's operators.
func customerAlarms(p *Plan) []Violation {
	var out []Violation
	for _, cv := range p.customerVPCs() {
		var topic, flowAlarm, forward bool
		for _, r := range p.childrenOf(observabilityType, cv.key) {
			switch r.Type {
			case topicType:
				v := r.Get("kmsMasterKeyId")
				topic = topic || r.Unknown || v.IsComputed() || (v.IsString() && v.AsString() != "")
			case alarmType:
				v := r.Get("name")
				flowAlarm = flowAlarm || r.Unknown || v.IsComputed() || (v.IsString() && strings.HasSuffix(v.AsString(), flowLogsStoppedSuffix))
			case eventRuleType:
				forward = true
			}
		}
		var missing []string
		if !topic {
			missing = append(missing, "a KMS-encrypted alarm topic")
		}
		if !flowAlarm {
			missing = append(missing, "the flow-logs-stopped alarm")
		}
		if !forward {
			missing = append(missing, "the rule forwarding its alarms to its tier's operators")
		}
		if len(missing) > 0 {
			out = append(out, Violation{CustomerAlarms, cv.vpc.URN, fmt.Sprintf("customer %s's account lacks %s", cv.key, strings.Join(missing, ", "))})
		}
	}
	return out
}
