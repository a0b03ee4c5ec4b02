package fleet

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/components"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/validation"
)

// Migration is what Migrate did.
type Migration struct {
	// Backup is the file holding the single stack's state as it was before
	// the migration (it can be re-imported with `pulumi stack import`).
	// Empty when there was nothing to migrate.
	Backup string
	// Organization is how many resources the organization stack kept;
	// Customers how many each customer stack received.
	Organization int
	Customers    map[string]int
	// Verify is the fleet preview run after the move: every stack should
	// report no change.
	Verify *Report
}

// Migrate moves a stack deployed in the single layout to the sharded
// layout without touching the cloud: the state of opts.Stack is split into
// the organization stack (same name) and one stack per customer, each
// resource keeping its id, inputs, outputs and protection, so that the
// next up on every stack has nothing to do. opts.Settings must already say
// layout sharded and list the customers the single stack deploys.
//
// What goes where is the program's own answer: the organization scope and
// each customer scope run offline under the mocks, and every resource of
// the state must belong to exactly the scopes that register it (the
// landing-zone and customer-account components are in both). A state that
// is not what the program registers (customers added or removed since the
// last up, a resource the program no longer has, an interrupted update) is
// refused, nothing changed. Customer stacks are written first and the
// organization stack last: until then the single stack's state is the
// record and a rerun starts over. Afterwards Migrate previews the fleet and
// reports it in Verify; a stack with changes there makes the error wrap
// ErrFailed.
func Migrate(ctx context.Context, opts Options) (*Migration, error) {
	if len(opts.Only) > 0 {
		var l validation.List
		l.Add("--customers", "", "a migration moves every customer of stack %s; drop --customers", opts.Stack)
		return nil, l.ErrWith(landingzone.NothingChanged)
	}
	f, err := newFleet("", opts)
	if err != nil {
		return nil, err
	}
	org, exported, state, err := f.organizationState(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(state.Resources, func(r apitype.ResourceV3) bool { return string(r.Type) == components.CustomerVPCType }) {
		// Already sharded (or never deployed): nothing to move.
		return &Migration{}, nil
	}
	split, err := f.split(&state)
	if err != nil {
		return nil, err
	}

	backup, err := writeBackup(f.opts.WorkDir, f.opts.Stack, exported)
	if err != nil {
		return nil, err
	}
	m := &Migration{Backup: backup, Organization: len(split.org.Resources), Customers: map[string]int{}}
	for _, key := range split.keys {
		stack := CustomerStackName(f.opts.Stack, key)
		r, err := f.runner(ctx, stack, filepath.Join("customers", key), f.customerSettings(key, split.outputs[key]))
		if err != nil {
			return nil, err
		}
		if err := importState(ctx, r, exported, split.customers[key]); err != nil {
			return nil, err
		}
		m.Customers[key] = len(split.customers[key].Resources)
	}
	if err := importState(ctx, org, exported, split.org); err != nil {
		return nil, err
	}
	m.Verify, err = f.preview(ctx)
	if err != nil {
		return m, err
	}
	var changed []string
	for _, r := range append([]Result{m.Verify.Organization}, m.Verify.Customers...) {
		if n := Changes(r.Changes); n > 0 || !r.OK() {
			changed = append(changed, fmt.Sprintf("%s (%d changes%s)", r.Stack, n, r.Skipped))
		}
	}
	if len(changed) > 0 {
		return m, fmt.Errorf("%w: after the migration these stacks are not up to date: %s (the state before it is in %s)", ErrFailed, strings.Join(changed, "; "), backup)
	}
	return m, nil
}

// Changes counts the steps of a result's changes that change something
// (neither "same" nor "read": the stack reference to itself is read on
// every run).
func Changes(changes map[string]int) int {
	n := 0
	for k, v := range changes {
		if k != "same" && k != "read" {
			n += v
		}
	}
	return n
}

// split is a single stack's state cut along the sharded layout.
type split struct {
	org       apitype.DeploymentV3
	keys      []string
	customers map[string]apitype.DeploymentV3
	outputs   map[string]automation.CustomerOutputs
}

// stackPart is the stack's name as URNs carry it: the last segment of
// "org/project/stack".
func stackPart(stack string) string {
	if i := strings.LastIndex(stack, "/"); i >= 0 {
		return stack[i+1:]
	}
	return stack
}

// urnTail is a URN without its stack: "project::type::name". Resources of
// the same program keep their tail from one stack to another.
func urnTail(urn resource.URN) string {
	s := string(urn)
	if _, rest, ok := strings.Cut(strings.TrimPrefix(s, "urn:pulumi:"), "::"); ok {
		return rest
	}
	return s
}

func (f *fleet) split(state *apitype.DeploymentV3) (*split, error) {
	var l validation.List
	stack := f.opts.Stack
	where := fmt.Sprintf("stack %q", stack)
	if len(state.PendingOperations) > 0 {
		l.Add(where, "", "its state has %d pending operations from an interrupted update; run `pulumi refresh` and `tierzone up` on the single layout first", len(state.PendingOperations))
		return nil, l.ErrWith(landingzone.NothingChanged)
	}
	var root *apitype.ResourceV3
	for i := range state.Resources {
		if state.Resources[i].Type == resource.RootStackType {
			root = &state.Resources[i]
		}
	}
	if root == nil {
		l.Add(where, "", "its state has no %s resource", resource.RootStackType)
		return nil, l.ErrWith(landingzone.NothingChanged)
	}
	prev, _ := root.Outputs["customers"].(map[string]any)
	deployed := map[string]bool{}
	for _, c := range f.plan.Customers {
		deployed[c.Customer.Key] = true
		if _, ok := prev[c.Customer.Key]; !ok {
			l.Add(validation.Customer(c.Customer.Key), "", "is in the settings of stack %s but not in its state: migrate the stack as it was last deployed (drop the customer, migrate, then add it back)", stack)
		}
	}
	for key := range prev {
		if !deployed[key] {
			l.Add(validation.Customer(key), "", "is in the state of stack %s but not in its settings: migrate the stack as it was last deployed", stack)
		}
	}
	if err := l.Err(); err != nil {
		return nil, l.ErrWith(landingzone.NothingChanged)
	}

	// Where each customer's stack gets its account and archive destination
	// from: the single stack's outputs and its archive buckets.
	bucketArn := map[string]string{}
	sinkArn := "" // the OAM sink customer stacks link to
	for _, r := range state.Resources {
		if string(r.Type) == "aws:s3/bucketV2:BucketV2" {
			name, _ := r.Inputs["bucket"].(string)
			arn, _ := r.Outputs["arn"].(string)
			bucketArn[name] = arn
		}
		if r.Type == "aws:oam/sink:Sink" {
			sinkArn, _ = r.Outputs["arn"].(string)
		}
	}
	sp := split{keys: f.selected(), customers: map[string]apitype.DeploymentV3{}, outputs: map[string]automation.CustomerOutputs{}}
	expected := map[string][]string{} // urn tail -> scopes ("" is the organization)
	org, err := scopeTails(stack, f.opts.Settings, f)
	if err != nil {
		return nil, err
	}
	for _, t := range org {
		expected[t] = append(expected[t], "")
	}
	for _, cs := range f.plan.Customers {
		key := cs.Customer.Key
		out, _ := prev[key].(map[string]any)
		id, _ := out["accountId"].(string)
		arn := bucketArn[f.opts.Settings.ArchiveBucketName(cs.Tier.ArchiveBoundary)]
		if id == "" || arn == "" {
			l.Add(validation.Customer(key), "", "stack %s has no account id or archive bucket for it in its state; run `tierzone up` on the single layout first", stack)
			continue
		}
		sp.outputs[key] = automation.CustomerOutputs{AccountID: id, ArchiveDestination: landingzone.ArchiveDestination(arn, cs), SinkARN: sinkArn}
		tails, err := scopeTails(CustomerStackName(stack, key), f.customerSettings(key, sp.outputs[key]), f)
		if err != nil {
			return nil, err
		}
		for _, t := range tails {
			expected[t] = append(expected[t], key)
		}
	}
	if err := l.Err(); err != nil {
		return nil, l.ErrWith(landingzone.NothingChanged)
	}

	// Every resource goes to the scopes that register it; the state must
	// hold exactly what they register.
	// The engine's default providers (the one reading the stack reference)
	// are not registered by the program: they go wherever a resource uses
	// them.
	in := map[string]map[resource.URN]bool{}
	inState := map[string]bool{}
	var defaults []resource.URN
	for _, r := range state.Resources {
		if r.Type == resource.RootStackType {
			continue
		}
		tail := urnTail(r.URN)
		inState[tail] = true
		scopes, ok := expected[tail]
		switch {
		case ok:
			for _, s := range scopes {
				if in[s] == nil {
					in[s] = map[resource.URN]bool{}
				}
				in[s][r.URN] = true
			}
		case strings.HasPrefix(string(r.Type), "pulumi:providers:") && strings.HasPrefix(r.URN.Name(), "default"):
			defaults = append(defaults, r.URN)
		default:
			l.Add(where, "", "its state holds %s, which neither the organization stack nor a customer stack registers; run `tierzone up` on the single layout first", r.URN)
		}
	}
	for _, r := range state.Resources {
		for _, p := range defaults {
			if !strings.HasPrefix(r.Provider, string(p)+"::") {
				continue
			}
			for _, set := range in {
				if set[r.URN] {
					set[p] = true
				}
			}
		}
	}
	members := map[string][]apitype.ResourceV3{}
	for _, r := range state.Resources {
		for s, set := range in {
			if set[r.URN] {
				members[s] = append(members[s], r)
			}
		}
	}
	var missing []string
	for tail := range expected {
		if !inState[tail] {
			missing = append(missing, tail)
		}
	}
	slices.Sort(missing)
	for _, tail := range missing {
		l.Add(where, "", "its state lacks %s, which the sharded layout registers; run `tierzone up` on the single layout first", tail)
	}
	if err := l.Err(); err != nil {
		return nil, l.ErrWith(landingzone.NothingChanged)
	}

	orgRoot := *root
	if outs, ok := orgRoot.Outputs["customers"].(map[string]any); ok {
		// What the organization stack exports: accounts and archive
		// destinations; the VPCs are now the customer stacks'.
		custs := map[string]any{}
		for key, v := range outs {
			m, _ := v.(map[string]any)
			c := map[string]any{}
			for k, x := range m {
				switch k {
				case "vpcId", "publicSubnetIds", "privateSubnetIds":
				default:
					c[k] = x
				}
			}
			c["archiveDestination"] = sp.outputs[key].ArchiveDestination
			if a := sp.outputs[key].SinkARN; a != "" {
				c["sinkArn"] = a
			}
			custs[key] = c
		}
		orgRoot.Outputs = maps.Clone(orgRoot.Outputs)
		orgRoot.Outputs["customers"] = custs
	}
	sp.org = rebase(state, orgRoot, members[""], stack, stack)
	for _, key := range sp.keys {
		cust := stackPart(CustomerStackName(stack, key))
		croot := apitype.ResourceV3{
			URN:     resource.URN("urn:pulumi:" + cust + "::" + automation.ProjectName + "::" + string(resource.RootStackType) + "::" + automation.ProjectName + "-" + cust),
			Type:    resource.RootStackType,
			Outputs: map[string]any{"customers": map[string]any{key: prev[key]}, "tiers": map[string]any{}},
		}
		sp.customers[key] = rebase(state, croot, members[key], stack, cust)
	}
	return &sp, nil
}

// scopeTails runs the program offline under the mocks with one stack's
// settings and returns the URN tails of what it registers.
func scopeTails(stack string, s landingzone.Settings, f *fleet) ([]string, error) {
	cfg, err := automation.ConfigMap(s)
	if err != nil {
		return nil, err
	}
	rec, err := recorder.Run(stackPart(stack), cfg, landingzone.Program(f.opts.Catalog))
	if err != nil {
		return nil, fmt.Errorf("tierzone fleet: run the program for stack %s offline: %w", stack, err)
	}
	var out []string
	for _, r := range rec.Resources() {
		out = append(out, urnTail(resource.URN(r.URN)))
	}
	return out, nil
}

// rebase builds one stack's deployment from resources of the single stack:
// the root resource first, then the resources in their order (parents,
// providers and dependencies before what uses them), each URN moved from
// stack from to stack to, references to resources the stack does not hold
// dropped (a customer stack's provider no longer depends on the account
// the organization stack creates; its inputs come from config).
func rebase(state *apitype.DeploymentV3, root apitype.ResourceV3, rs []apitype.ResourceV3, from, to string) apitype.DeploymentV3 {
	oldPrefix := "urn:pulumi:" + stackPart(from) + "::"
	newPrefix := "urn:pulumi:" + stackPart(to) + "::"
	move := func(u resource.URN) resource.URN {
		if s, ok := strings.CutPrefix(string(u), oldPrefix); ok {
			return resource.URN(newPrefix + s)
		}
		return u
	}
	held := map[resource.URN]bool{root.URN: true}
	for _, r := range rs {
		held[move(r.URN)] = true
	}
	keep := func(us []resource.URN) []resource.URN {
		var out []resource.URN
		for _, u := range us {
			if m := move(u); held[m] {
				out = append(out, m)
			}
		}
		return out
	}
	out := apitype.DeploymentV3{Manifest: state.Manifest, SecretsProviders: state.SecretsProviders, Metadata: state.Metadata}
	out.Resources = append(out.Resources, root)
	for _, r := range rs {
		r.URN = move(r.URN)
		if r.Parent != "" {
			if p := move(r.Parent); held[p] {
				r.Parent = p
			} else {
				r.Parent = root.URN
			}
		}
		if i := strings.LastIndex(r.Provider, "::"); i > 0 {
			// "urn::id": the provider's URN moves, its id stays.
			r.Provider = string(move(resource.URN(r.Provider[:i]))) + r.Provider[i:]
		}
		r.Dependencies = keep(r.Dependencies)
		if len(r.PropertyDependencies) > 0 {
			pd := map[resource.PropertyKey][]resource.URN{}
			for k, us := range r.PropertyDependencies {
				if kept := keep(us); len(kept) > 0 {
					pd[k] = kept
				}
			}
			r.PropertyDependencies = pd
		}
		r.Aliases = nil
		r.ReplaceWith = keep(r.ReplaceWith)
		if r.DeletedWith != "" {
			if d := move(r.DeletedWith); held[d] {
				r.DeletedWith = d
			} else {
				r.DeletedWith = ""
			}
		}
		if r.ViewOf != "" {
			r.ViewOf = move(r.ViewOf)
		}
		out.Resources = append(out.Resources, r)
	}
	return out
}

// importState replaces a stack's state with dep.
func importState(ctx context.Context, r *automation.Runner, like apitype.UntypedDeployment, dep apitype.DeploymentV3) error {
	raw, err := json.Marshal(dep)
	if err != nil {
		return fmt.Errorf("tierzone fleet: encode the state of %s: %w", r.Stack().Name(), err)
	}
	if err := r.Stack().Import(ctx, apitype.UntypedDeployment{Version: like.Version, Features: like.Features, Deployment: raw}); err != nil {
		return fmt.Errorf("tierzone fleet: import the state of %s: %w", r.Stack().Name(), err)
	}
	return nil
}

// writeBackup keeps the single stack's state before the migration. It is
// the export the Automation API makes (secrets in plain text): owner-only.
func writeBackup(workDir, stack string, dep apitype.UntypedDeployment) (string, error) {
	dir := filepath.Join(workDir, "migrations")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("tierzone fleet: backup directory: %w", err)
	}
	raw, err := json.MarshalIndent(dep, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-single-%s.json", strings.ReplaceAll(stack, "/", "_"), time.Now().UTC().Format("20060102T150405Z")))
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		return "", fmt.Errorf("tierzone fleet: write the backup of %s: %w", stack, err)
	}
	return path, nil
}
