package manifests

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/validation"
)

// ParseOutputs reads the organization stack's outputs: the JSON that
// `pulumi stack output --json --stack <stack>` prints, the operator Stack's
// `.status.outputs`, or the whole Stack resource (`kubectl get stack
// <name> -o json`). It returns the "customers" output per customer key.
func ParseOutputs(raw []byte) (map[string]automation.CustomerOutputs, error) {
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("want the JSON of `pulumi stack output --json` or of the organization Stack resource: %w", err)
	}
	if status, ok := doc["status"].(map[string]any); ok && doc["kind"] == "Stack" {
		outs, _ := status["outputs"].(map[string]any)
		if outs == nil {
			return nil, fmt.Errorf("the Stack resource has no status.outputs yet: its first update has not succeeded")
		}
		doc = outs
	}
	m := auto.OutputMap{}
	for k, v := range doc {
		m[k] = auto.OutputValue{Value: v}
	}
	if _, ok := m[automation.CustomersOutput]; !ok {
		return nil, fmt.Errorf("no %q output: not the outputs of a Tierzone stack", automation.CustomersOutput)
	}
	return automation.ParseCustomers(m)
}

// accounts are the customers' account ids as far as they are known: an
// adopted account's from the catalog, a created one's from the
// organization stack's outputs. It checks the outputs against the plan,
// and returns the customers whose account is not known yet, in catalog
// order.
func (f *Fleet) accounts(outputs map[string]automation.CustomerOutputs, source string) (map[string]string, []string, error) {
	var l validation.List
	ids := map[string]string{}
	var pending, vpcs []string
	for _, cs := range f.Plan.Customers {
		key := cs.Customer.Key
		out, exported := outputs[key]
		if exported && out.VPCID != "" {
			vpcs = append(vpcs, key)
		}
		switch {
		case cs.Customer.Adopted():
			ids[key] = cs.Customer.ExistingAccountID
			if exported && out.AccountID != "" && out.AccountID != cs.Customer.ExistingAccountID {
				l.Add(validation.Customer(key), "accountId", "%s says %s, the catalog adopts %s (existingAccountId): outputs of another stack or organization?",
					source, out.AccountID, cs.Customer.ExistingAccountID)
			}
		case exported && out.AccountID != "":
			ids[key] = out.AccountID
		default:
			pending = append(pending, key)
		}
		if want := f.ArchiveDestination(cs); exported && out.ArchiveDestination != "" && out.ArchiveDestination != want {
			l.Add(validation.Customer(key), "archiveDestination", "%s says %s, these settings give %s: outputs of another stack, or the organization stack has not run with these settings yet",
				source, out.ArchiveDestination, want)
		}
	}
	if len(vpcs) > 0 {
		// The fleet refuses such an organization stack for the same reason.
		l.Add(fmt.Sprintf("stack %q", f.Stack), "", "%s holds customer VPCs (%s): the stack is deployed in the %s layout, and the %s layout's organization stack would delete them; migrate it first",
			source, strings.Join(vpcs, ", "), landingzone.LayoutSingle, landingzone.LayoutSharded)
	}
	if err := l.ErrWith(NothingWritten); err != nil {
		return nil, nil, err
	}
	return ids, pending, nil
}
