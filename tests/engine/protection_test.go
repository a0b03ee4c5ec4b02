//go:build engine

package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/validation"
)

// keptTypes are what a protected stack must never lose: accounts, keys,
// flow-log groups, the archive buckets with every setting that keeps them
// safe, and the trail.
func keptTypes() []string {
	return []string{
		typeAccount, "aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup", "aws:cloudtrail/trail:Trail",
		"aws:s3/bucketV2:BucketV2", "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
		"aws:s3/bucketVersioningV2:BucketVersioningV2", "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
	}
}

// TestProtectedStack: prod under the engine. Removing a protected customer
// and destroying the stack are refused with nothing changed in the cloud;
// the program itself refuses the removal too when run by the engine
// without the runner's check; decommissioning takes two ups and leaves the
// customer's resources in the cloud; and an engine destroy that gets past
// every guard still cannot delete what is protected.
func TestProtectedStack(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.stackSettings("prod")
	r := e.runner("prod", s, nil)
	_, err := r.Up(ctx)
	require.NoError(t, err)
	for _, sr := range cloudResources(state(t, r)) {
		if slices.Contains(keptTypes(), sr.Type) && (!sr.Protect || !sr.Retain) {
			t.Errorf("%s: protect %t, retainOnDelete %t; want both", sr.URN, sr.Protect, sr.Retain)
		}
	}
	before := snapshot(t, e.cloud)

	// Removing a protected customer: a validation error before the engine.
	dropped := s
	dropped.Customers = slices.DeleteFunc(slices.Clone(s.Customers), func(k string) bool { return k == "guardian-health" })
	rd := e.runner("prod", dropped, nil)
	_, err = rd.Up(ctx)
	var ve *validation.Error
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), `customer "guardian-health"`)
	assert.Contains(t, err.Error(), "nothing was changed")

	// The program refuses on its own under the engine (what `pulumi up`
	// users get), before anything changes.
	_, err = rd.Stack().Up(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "removed from stack prod")
	assertUntouched(t, before, snapshot(t, e.cloud), "removal under the engine")

	// Destroy of a protected stack: refused before the engine runs.
	_, err = r.Destroy(ctx)
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), "nothing was deleted")
	assertUntouched(t, before, snapshot(t, e.cloud), "refused destroy")

	// Decommissioning, step 1: protection lifted, nothing else changes.
	s.Decommission = []string{"guardian-health"}
	r = e.runner("prod", s, nil)
	res, err := r.Up(ctx)
	require.NoError(t, err)
	for _, k := range []string{"create", "delete", "replace", "create-replacement", "delete-replaced"} {
		assert.Zero(t, res.Changes[k], "decommission step 1: %v", res.Changes)
	}
	assertUntouched(t, before, snapshot(t, e.cloud), "decommission step 1")
	guardian := 0
	for _, sr := range state(t, r) {
		if c, ok := customerOf(sr); ok && c == "guardian-health" && strings.HasPrefix(sr.Type, "aws:") {
			guardian++
			assert.False(t, sr.Protect, "%s still protected", sr.URN)
			assert.True(t, sr.Retain, "%s not retained", sr.URN)
		}
	}
	require.Positive(t, guardian)
	// Its GuardDuty member features live in the security account, named
	// for it; retained like the rest.
	features := 0
	for _, sr := range state(t, r) {
		if isMemberFeatureOf(sr, "guardian-health") {
			features++
			assert.False(t, sr.Protect, "%s still protected", sr.URN)
			assert.True(t, sr.Retain, "%s not retained", sr.URN)
		}
	}
	stateBefore := map[string]stateResource{}
	for _, sr := range state(t, r) {
		stateBefore[sr.URN] = sr
	}

	// Step 2: the stack lets go of the customer; AWS keeps everything.
	s.Customers = dropped.Customers
	r = e.runner("prod", s, nil)
	res, err = r.Up(ctx)
	require.NoError(t, err)
	assertUntouched(t, before, snapshot(t, e.cloud), "decommission step 2")
	assert.NotContains(t, res.Customers, "guardian-health")
	// What left the state is the customer: its two components, its
	// provider and its AWS resources, and nothing else.
	for _, sr := range state(t, r) {
		if c, ok := customerOf(sr); ok && c == "guardian-health" {
			t.Errorf("%s is still in the state", sr.URN)
		}
		delete(stateBefore, sr.URN)
	}
	assert.Equal(t, len(stateBefore), res.Changes["delete"], "decommission step 2: %v", res.Changes)
	assert.Equal(t, guardian+8+features+1, len(stateBefore), "the customer's AWS resources, components (account, VPC, Config, baseline, observability, access, budget), provider, GuardDuty member features and operators' alarm")
	for urn, sr := range stateBefore {
		if c, _ := customerOf(sr); c != "guardian-health" && !strings.HasSuffix(urn, "::guardian-health") && !isMemberFeatureOf(sr, "guardian-health") &&
			!strings.HasSuffix(urn, "::observability-guardian-health-operators-flow-logs-stopped") {
			t.Errorf("decommissioning guardian-health took %s out of the state", urn)
		}
	}

	// An engine destroy past every guard (what `pulumi destroy` would do)
	// fails, and every protected resource is still in the cloud.
	_, err = r.Stack().Destroy(ctx)
	require.Error(t, err, "the engine deleted a protected stack")
	after := snapshot(t, e.cloud)
	for _, k := range sortedKeys(before) {
		typ, _, _ := strings.Cut(k, " ")
		if _, ok := after[k]; !ok && slices.Contains(keptTypes(), typ) {
			t.Errorf("engine destroy deleted protected %s", k)
		}
	}
}

// TestDestroyDev: a dev stack (protection off) is destroyed completely
// once its accounts can stand alone (FAKEAWS_STANDALONE_ACCOUNTS models an
// operator who gave them their own billing and contact details): dev
// retains nothing. Without that, AWS refuses to let a CreateAccount account
// leave the organization: the destroy fails with every account (and the OU
// holding it) still there, and everything else gone.
func TestDestroyDev(t *testing.T) {
	for _, standalone := range []bool{true, false} {
		t.Run(fmt.Sprintf("standalone-%t", standalone), func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, map[string]string{"FAKEAWS_STANDALONE_ACCOUNTS": fmt.Sprint(standalone)})
			r := e.runner("dev", e.stackSettings("dev"), nil)
			up, err := r.Up(ctx)
			require.NoError(t, err)
			res, err := r.Destroy(ctx)
			left := snapshot(t, e.cloud)
			if standalone {
				require.NoError(t, err)
				assert.Equal(t, up.Changes["create"], res.Changes["delete"], "destroy deletes what up created: %v", res.Changes)
				for _, k := range sortedKeys(left) {
					t.Errorf("left in the cloud after destroying dev: %s", k)
				}
				assert.Empty(t, cloudResources(state(t, r)))
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION")
			accounts := 0
			for _, k := range sortedKeys(left) {
				typ, _, _ := strings.Cut(k, " ")
				switch typ {
				case typeAccount:
					accounts++
				case typeOU:
				default:
					t.Errorf("destroy left %s behind", k)
				}
			}
			assert.Len(t, up.Customers, accounts, "every account is still in the organization")
		})
	}
}

// isMemberFeatureOf: a GuardDuty member feature of the customer (in the
// security tooling account, named "<customer>-guardduty-<feature>").
func isMemberFeatureOf(sr stateResource, key string) bool {
	return sr.Type == "aws:guardduty/memberDetectorFeature:MemberDetectorFeature" && strings.Contains(sr.URN, "::"+key+"-guardduty-")
}
