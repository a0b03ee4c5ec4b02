//go:build engine

package engine

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tierzone/tierzone/customers"
)

// TestSegmentMoveUnderTheEngine: a customer placed in a segment gets its
// account created in the segment OU, under its tier OU; moving it to
// another segment updates the account (MoveAccount), never replaces it,
// creates the new segment OU, deletes the emptied one and changes nothing
// else in the cloud.
func TestSegmentMoveUnderTheEngine(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	s := e.stackSettings("dev")
	inSegment := func(seg string) []customers.Customer {
		catalog := customers.Catalog()
		for i := range catalog {
			if catalog[i].Key == "acme-finance" {
				catalog[i].Segment = seg
			}
		}
		return catalog
	}
	up, err := e.runner("dev", s, inSegment("large-banks")).Up(ctx)
	require.NoError(t, err)
	acme := up.Customers["acme-finance"]
	recs := recordsByKey(t, e.cloud)
	acct := recs[typeAccount+" "+acme.AccountID]
	ou := recs[typeOU+" "+acme.OUID]
	assert.Equal(t, acme.OUID, acct.Outputs["parentId"], "the account sits in its segment OU")
	assert.Equal(t, "Fintech-Large-Banks", ou.Inputs["name"])
	tierOU := recs[typeOU+" "+ou.Inputs["parentId"].(string)]
	assert.Equal(t, "Customers-Fintech", tierOU.Inputs["name"], "the segment OU sits under the tier OU")
	before := snapshot(t, e.cloud)

	moved, err := e.runner("dev", s, inSegment("payment-processors")).Up(ctx)
	require.NoError(t, err)
	assert.Zero(t, moved.Changes["replace"], "%v", moved.Changes)
	assert.Equal(t, 1, moved.Changes["update"], "only the account moves: %v", moved.Changes)
	assert.Equal(t, 2, moved.Changes["create"], "the new segment's component and OU: %v", moved.Changes)
	assert.Equal(t, 2, moved.Changes["delete"], "the emptied segment's component and OU: %v", moved.Changes)
	after := moved.Customers["acme-finance"]
	assert.Equal(t, acme.AccountID, after.AccountID, "the same account")
	recs = recordsByKey(t, e.cloud)
	assert.Equal(t, "Fintech-Payment-Processors", recs[typeOU+" "+after.OUID].Inputs["name"])
	assert.Equal(t, after.OUID, recs[typeAccount+" "+after.AccountID].Outputs["parentId"])
	snap := snapshot(t, e.cloud)
	for k := range before {
		if k == typeAccount+" "+acme.AccountID+"@"+fakeManagement || k == typeOU+" "+acme.OUID+"@"+fakeManagement {
			continue
		}
		if _, ok := snap[k]; !ok {
			t.Errorf("moving a segment deleted %s", k)
		} else if snap[k] != before[k] {
			t.Errorf("moving a segment changed %s", k)
		}
	}
}
