package automation

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/validation"
)

// NothingDeleted is the outcome a refused destroy reports.
const NothingDeleted = "nothing was deleted"

// protectedInState lists the protected resources in the stack's current
// state, as "type name" counts per type, and how many there are.
func protectedInState(raw json.RawMessage) (int, []string, error) {
	if len(raw) == 0 {
		return 0, nil, nil
	}
	var dep apitype.DeploymentV3
	if err := json.Unmarshal(raw, &dep); err != nil {
		return 0, nil, fmt.Errorf("tierzone automation: read the stack's state: %w", err)
	}
	perType := map[string]int{}
	n := 0
	for _, r := range dep.Resources {
		if r.Protect {
			perType[string(r.Type)]++
			n++
		}
	}
	var kinds []string
	for _, t := range slices.Sorted(maps.Keys(perType)) {
		kinds = append(kinds, fmt.Sprintf("%d %s", perType[t], t))
	}
	return n, kinds, nil
}

// CheckDestroy fails, before the engine runs, a destroy of a
// stack whose state holds protected resources (Destroy calls it first). The engine checks
// protection only when it reaches each protected resource, after deleting
// everything that does not depend on one (VPCs, SCPs, the archive buckets'
// settings), and the Automation API's destroy always skips the preview that
// would have shown it. So look at the state first.
func (r *Runner) CheckDestroy(ctx context.Context) error {
	dep, err := r.stack.Export(ctx)
	if err != nil {
		return fmt.Errorf("tierzone automation: export stack %q before destroy: %w", r.stack.Name(), err)
	}
	n, kinds, err := protectedInState(dep.Deployment)
	if err != nil || n == 0 {
		return err
	}
	var l validation.List
	l.Add(fmt.Sprintf("stack %q", r.stack.Name()), "", "destroy refused: %d resources are protected (%s). "+
		"To tear the stack down on purpose, set %s:%s to false and run up (protection and retain-on-delete are "+
		"lifted), then destroy; AWS still keeps what it must: log objects under COMPLIANCE-mode Object Lock cannot "+
		"be deleted until their retention ends (so neither can their buckets), and an account created through "+
		"Organizations leaves the organization only once it has the details to stand alone (otherwise close it "+
		"yourself)", n, strings.Join(kinds, ", "), landingzone.ConfigNamespace, landingzone.KeyProtect)
	return l.ErrWith(NothingDeleted)
}

// CheckRemovals fails, before the engine runs, an update that
// drops a customer the stack left protected (Preview and Up call it first). The program checks the same
// (landingzone.RemovalProblems through a stack reference to itself, for
// `pulumi up` users), but only once the engine is running and only from the
// stack's outputs; here the refusal is a validation error like any other
// bad input, and the state counts too: an update that failed before it
// wrote outputs (a first up stopped by an account creation) has protected
// accounts in the state and no customers output.
func (r *Runner) CheckRemovals(ctx context.Context) error {
	outs, err := r.stack.Outputs(ctx)
	if err != nil {
		return fmt.Errorf("tierzone automation: read outputs of stack %q: %w", r.stack.Name(), err)
	}
	prev := map[string]any{}
	if v, ok := outs["customers"].Value.(map[string]any); ok {
		maps.Copy(prev, v)
	}
	dep, err := r.stack.Export(ctx)
	if err != nil {
		return fmt.Errorf("tierzone automation: export stack %q: %w", r.stack.Name(), err)
	}
	accounts, err := protectedAccounts(dep.Deployment)
	if err != nil {
		return err
	}
	for key, id := range accounts {
		if _, known := prev[key]; !known {
			prev[key] = map[string]any{"accountId": id, "protected": true}
		}
	}
	return landingzone.RemovalProblems(r.stack.Name(), prev, r.plan)
}

// protectedAccounts are the customers whose Organizations account is
// protected in a state, with the account ids: accounts are the children of
// the CustomerAccount component named after the customer.
func protectedAccounts(raw json.RawMessage) (map[string]string, error) {
	out := map[string]string{}
	if len(raw) == 0 {
		return out, nil
	}
	var dep apitype.DeploymentV3
	if err := json.Unmarshal(raw, &dep); err != nil {
		return nil, fmt.Errorf("tierzone automation: read the stack's state: %w", err)
	}
	const parentType = "$" + components.CustomerAccountType + "::"
	for _, res := range dep.Resources {
		if !res.Protect || string(res.Type) != accountType {
			continue
		}
		if i := strings.LastIndex(string(res.Parent), parentType); i >= 0 {
			out[string(res.Parent)[i+len(parentType):]] = string(res.ID)
		}
	}
	return out, nil
}

// accountType is the Organizations account's type token.
const accountType = "aws:organizations/account:Account"
