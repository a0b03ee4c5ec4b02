package automation

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// CustomersOutput is the stack output with per-customer ids
// (landingzone.LandingZone.Export).
const CustomersOutput = "customers"

// CustomerOutputs are one deployed customer's ids, from the stack's
// "customers" output.
type CustomerOutputs struct {
	AccountID        string   `json:"accountId"`
	OUID             string   `json:"ouId"`
	Tier             string   `json:"tier"`
	VPCID            string   `json:"vpcId"`
	VPCCIDR          string   `json:"vpcCidr"`
	PublicSubnetIDs  []string `json:"publicSubnetIds"`
	PrivateSubnetIDs []string `json:"privateSubnetIds"`
	// Protected is whether the customer's resources are protected.
	Protected bool `json:"protected"`
	// ArchiveDestination is set by an organization stack of the sharded
	// layout: where the customer stack's archive flow log writes.
	ArchiveDestination string `json:"archiveDestination,omitempty"`
	// SinkARN is set with it: the OAM sink the customer stack links to.
	SinkARN string `json:"sinkArn,omitempty"`
	// LoginLinks are the access-portal links into the account by
	// permission-set role (with tierzone:identityCenter).
	LoginLinks map[string]string `json:"loginLinks,omitempty"`
}

// ParseCustomers reads the per-customer outputs, keyed by customer key. A
// stack without the output (never deployed, or destroyed) yields an empty
// map; an output of the wrong shape is an error naming the customer.
func ParseCustomers(outputs auto.OutputMap) (map[string]CustomerOutputs, error) {
	out := map[string]CustomerOutputs{}
	ov, ok := outputs[CustomersOutput]
	if !ok || ov.Value == nil {
		return out, nil
	}
	byKey, ok := ov.Value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("stack output %q: want a map of customer key to ids, got %T", CustomersOutput, ov.Value)
	}
	for key, v := range byKey {
		// The CLI returns the output as decoded JSON; re-encode it to decode
		// into the typed struct with the same field names.
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("stack output %q, customer %q: %w", CustomersOutput, key, err)
		}
		var c CustomerOutputs
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("stack output %q, customer %q: %w", CustomersOutput, key, err)
		}
		out[key] = c
	}
	return out, nil
}
