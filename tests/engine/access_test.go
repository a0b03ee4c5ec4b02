//go:build engine

package engine

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoIdentityCenterChangesNothing: in an organization that has not
// enabled IAM Identity Center, `pulumi up` stops before any change with
// the instruction to enable it or switch access off; with
// tierzone:identityCenter false the same stack deploys without access.
func TestNoIdentityCenterChangesNothing(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, map[string]string{"FAKEAWS_NO_IDENTITY_CENTER": "true"})
	s := e.stackSettings("dev")
	_, err := e.runner("dev", s, nil).Up(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "IAM Identity Center is not enabled in the organization's management account")
	assert.Contains(t, err.Error(), "tierzone:identityCenter false")
	for _, r := range recordsByKey(t, e.cloud) {
		t.Errorf("the refused up created %s %s in %s", r.Type, r.ID, r.Account)
	}

	s.IdentityCenter = false
	up, err := e.runner("dev", s, nil).Up(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, up.Customers)
	for _, c := range up.Customers {
		assert.Empty(t, c.LoginLinks)
	}
}
