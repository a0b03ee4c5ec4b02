//go:build engine

package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/automation"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/internal/fakeaws"
)

const (
	typeAccount = "aws:organizations/account:Account"
	typeOU      = "aws:organizations/organizationalUnit:OrganizationalUnit"
	typeVPC     = "aws:ec2/vpc:Vpc"
	typeSubnet  = "aws:ec2/subnet:Subnet"
)

// TestUpMatchesTheCloud: dev and prod, preview then up under the engine;
// every AWS resource in the state exists in the fake cloud, in the account
// it belongs to, and nothing else does; the stack outputs are the cloud's
// ids; a second up and a preview after it change nothing.
func TestUpMatchesTheCloud(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, nil)
			s := e.stackSettings(stack)
			r := e.runner(stack, s, nil)

			pre, err := r.Preview(ctx)
			require.NoError(t, err)
			onlyCreates(t, pre)
			up, err := r.Up(ctx)
			require.NoError(t, err)
			onlyCreates(t, up)
			assert.Equal(t, pre.Changes["create"], up.Changes["create"], "preview planned what up did")
			assert.Len(t, up.Customers, len(s.Customers))
			e.assertCloudMatchesState(r, up)

			again, err := r.Up(ctx)
			require.NoError(t, err)
			assert.Zero(t, changed(again), "second up: %v", again.Changes)
			after, err := r.Preview(ctx)
			require.NoError(t, err)
			assert.Zero(t, changed(after), "preview after up: %v", after.Changes)
		})
	}
}

// assertCloudMatchesState checks the fake cloud against the stack's state
// and outputs.
func (e *env) assertCloudMatchesState(r *automation.Runner, up *automation.Result) {
	t := e.t
	t.Helper()
	recs := recordsByKey(t, e.cloud)
	st := cloudResources(state(t, r))
	seen := map[string]bool{}
	for _, sr := range st {
		want := accountOf(sr, func(c string) string { return up.Customers[c].AccountID })
		rec, key, ok := lookupRecord(recs, sr.Type, sr.ID, want)
		if !ok {
			t.Errorf("%s (%s) is in the state but not in the cloud (account %s)", sr.URN, sr.ID, want)
			continue
		}
		seen[key] = true
		if rec.Account != want {
			t.Errorf("%s is in account %s, want %s", sr.URN, rec.Account, want)
		}
	}
	for key, rec := range recs {
		if !seen[key] {
			t.Errorf("the cloud has %s %s (account %s) that no state knows", rec.Type, rec.ID, rec.Account)
		}
	}
	e.assertAccessIsolated(recs, up.Customers)
	for key, c := range up.Customers {
		acct, ok := recs[typeAccount+" "+c.AccountID]
		if assert.True(t, ok, "%s: account %s not in the cloud", key, c.AccountID) {
			assert.Equal(t, c.OUID, acct.Outputs["parentId"], "%s: account's OU", key)
		}
		_, ok = recs[typeOU+" "+c.OUID]
		assert.True(t, ok, "%s: OU %s not in the cloud", key, c.OUID)
		vpc, ok := recs[typeVPC+" "+c.VPCID]
		if assert.True(t, ok, "%s: VPC %s not in the cloud", key, c.VPCID) {
			assert.Equal(t, c.AccountID, vpc.Account, "%s: VPC's account", key)
			assert.Equal(t, c.VPCCIDR, vpc.Outputs["cidrBlock"], "%s: VPC CIDR", key)
		}
		for _, id := range slices.Concat(c.PublicSubnetIDs, c.PrivateSubnetIDs) {
			sn, ok := recs[typeSubnet+" "+id]
			if assert.True(t, ok, "%s: subnet %s not in the cloud", key, id) {
				assert.Equal(t, c.AccountID, sn.Account, "%s: subnet's account", key)
				assert.Equal(t, c.VPCID, sn.Outputs["vpcId"], "%s: subnet's VPC", key)
			}
		}
		assert.Len(t, c.PublicSubnetIDs, 1, key)
		assert.Len(t, c.PrivateSubnetIDs, 2, key)
		// The account baseline, in the customer's own account.
		for _, typ := range []string{"aws:ebs/encryptionByDefault:EncryptionByDefault", "aws:ebs/defaultKmsKey:DefaultKmsKey",
			"aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
			"aws:accessanalyzer/analyzer:Analyzer", "aws:backup/vault:Vault"} {
			n := 0
			for _, rec := range recs {
				if rec.Type == typ && rec.Account == c.AccountID {
					n++
				}
			}
			assert.Equal(t, 1, n, "%s: %s in account %s", key, typ, c.AccountID)
		}
		// Its alarms' state changes go from its own account to its tier's
		// operators' bus, which exists with a policy.
		var targets []string
		for _, rec := range recs {
			if rec.Type == "aws:cloudwatch/eventTarget:EventTarget" && rec.Account == c.AccountID {
				targets = append(targets, fmt.Sprint(rec.Inputs["arn"]))
			}
		}
		if assert.Len(t, targets, 1, "%s: alarm forwarding targets", key) {
			bus := targets[0][strings.LastIndex(targets[0], "/")+1:]
			assert.True(t, strings.HasSuffix(bus, "-"+c.Tier+"-operators"), "%s forwards to %s, not its tier's bus", key, bus)
			found := 0
			for _, rec := range recs {
				if (rec.Type == "aws:cloudwatch/eventBus:EventBus" || rec.Type == "aws:cloudwatch/eventBusPolicy:EventBusPolicy") && rec.ID == bus {
					assert.Contains(t, targets[0], ":"+rec.Account+":", "%s: the bus is in the account the target names", key)
					found++
				}
			}
			assert.Equal(t, 2, found, "%s: bus %s and its policy in the monitoring account", key, bus)
		}
	}
}

// assertAccessIsolated checks Identity Center in the fake cloud: every
// account assignment targets a deployed customer's account; a customer's
// groups reach its own account only and the tier's operators group the
// accounts of its tier only, each with its tier's permission sets; and the
// login links in the outputs name the cloud's identity store and account.
func (e *env) assertAccessIsolated(recs map[string]fakeaws.Record, customers map[string]automation.CustomerOutputs) {
	t := e.t
	t.Helper()
	groupName, psName, owner := map[string]string{}, map[string]string{}, map[string]string{}
	store := ""
	for _, rec := range recs {
		switch rec.Type {
		case "aws:identitystore/group:Group":
			groupName[fmt.Sprint(rec.Outputs["groupId"])] = fmt.Sprint(rec.Inputs["displayName"])
			store = fmt.Sprint(rec.Inputs["identityStoreId"])
		case "aws:ssoadmin/permissionSet:PermissionSet":
			psName[fmt.Sprint(rec.Outputs["arn"])] = fmt.Sprint(rec.Inputs["name"])
		}
	}
	for key, c := range customers {
		owner[c.AccountID] = key
	}
	per := map[string]int{}
	for _, rec := range recs {
		if rec.Type != "aws:ssoadmin/accountAssignment:AccountAssignment" {
			continue
		}
		assert.Equal(t, fakeManagement, rec.Account, "assignments are made in the management account")
		target := fmt.Sprint(rec.Inputs["targetId"])
		key, ok := owner[target]
		if !assert.True(t, ok, "assignment %s targets %s, no customer's account", rec.ID, target) {
			continue
		}
		tier := customers[key].Tier
		group, ps := groupName[fmt.Sprint(rec.Inputs["principalId"])], psName[fmt.Sprint(rec.Inputs["permissionSetArn"])]
		if strings.HasPrefix(group, "tz-") {
			assert.Equal(t, "tz-"+tier+"-operators", group, "%s's account is reached by %s", key, group)
		} else {
			assert.True(t, strings.HasPrefix(group, key+"-"), "%s's account is reached by %s", key, group)
		}
		assert.True(t, strings.HasPrefix(ps, "tz-"+tier+"-"), "%s's account gets %s", key, ps)
		per[key]++
	}
	for key, c := range customers {
		assert.Equal(t, 4, per[key], "%s: admins, readonly, auditors and the tier's operators", key)
		link := c.LoginLinks["customer-admin"]
		assert.Equal(t, "https://"+store+".awsapps.com/start/#/console?account_id="+c.AccountID+"&role_name=tz-"+c.Tier+"-customer-admin", link, key)
	}
}

// snapshot is the cloud's records by type, id and account, with their state as JSON.
func snapshot(t *testing.T, c *fakeaws.Cloud) map[string]string {
	t.Helper()
	out := map[string]string{}
	// Keyed "type id@account", so a key never changes when another
	// account gets a resource with the same per-account id.
	for _, r := range recordsByKey(t, c) {
		b, err := json.Marshal(r.Outputs)
		require.NoError(t, err)
		out[r.Type+" "+r.ID+"@"+r.Account] = r.Account + " " + string(b)
	}
	return out
}

// assertUntouched fails for every record of before that is gone or changed.
func assertUntouched(t *testing.T, before, after map[string]string, what string) {
	t.Helper()
	for _, k := range sortedKeys(before) {
		switch a, ok := after[k]; {
		case !ok:
			t.Errorf("%s: %s was deleted", what, k)
		case fleetDashboard(k):
			// Lists the customers: updated in place when one joins or
			// leaves (createsAndFleetDashboards counts the updates).
		case a != before[k]:
			t.Errorf("%s: %s changed:\n  before %s\n  after  %s", what, k, before[k], a)
		}
	}
}

// TestOnboardingOnlyCreates: one more customer is only creates, leaves every
// existing resource in the cloud as it was, and reordering the catalog and
// the stack's customer list changes nothing.
func TestOnboardingOnlyCreates(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.stackSettings("dev")
	_, err := e.runner("dev", s, nil).Up(ctx)
	require.NoError(t, err)
	before := snapshot(t, e.cloud)

	s.Customers = append(slices.Clone(s.Customers), "quantumbank-fintech")
	r := e.runner("dev", s, nil)
	pre, err := r.Preview(ctx)
	require.NoError(t, err)
	createsAndFleetDashboards(t, "onboarding preview", pre.Changes)
	assert.Positive(t, pre.Changes["create"])
	up, err := r.Up(ctx)
	require.NoError(t, err)
	createsAndFleetDashboards(t, "onboarding", up.Changes)
	assert.Equal(t, pre.Changes["create"], up.Changes["create"])
	assertUntouched(t, before, snapshot(t, e.cloud), "onboarding")
	e.assertCloudMatchesState(r, up)
	assert.Contains(t, up.Customers, "quantumbank-fintech")

	catalog := customers.Catalog()
	slices.Reverse(catalog)
	slices.Reverse(s.Customers)
	reordered, err := e.runner("dev", s, catalog).Preview(ctx)
	require.NoError(t, err)
	assert.Zero(t, changed(reordered), "reordered catalog: %v", reordered.Changes)
}
