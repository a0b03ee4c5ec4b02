package fakeaws

import "testing"

// TestShieldRules: protections need a subscription and an Elastic IP of
// the same account and region; a subscription is one per account and a
// skipDestroy delete leaves it in AWS.
func TestShieldRules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	acct, member := newMember(t, o, m, "acme")
	alloc, _ := mustCreate(t, member, tEip, "eip", map[string]any{"domain": "vpc"})
	arn := "arn:aws:ec2:us-east-1:" + acct + ":eip-allocation/" + alloc
	_, _, err := create(t, member, tShieldProtection, "p", map[string]any{"name": "p", "resourceArn": arn})
	wantErr(t, err, "ResourceNotFoundException", "not subscribed")
	subID, _ := mustCreate(t, member, tShieldSubscription, "s", map[string]any{"autoRenew": "ENABLED", "skipDestroy": true})
	_, _, err = create(t, member, tShieldSubscription, "s2", map[string]any{"autoRenew": "ENABLED"})
	wantErr(t, err, "ResourceAlreadyExistsException")
	_, _, err = create(t, member, tShieldProtection, "p", map[string]any{"name": "p", "resourceArn": "arn:aws:ec2:us-east-1:" + acct + ":eip-allocation/eipalloc-0000"})
	wantErr(t, err, "ResourceNotFoundException")
	_, _, err = create(t, member, tShieldProtection, "p", map[string]any{"name": "p", "resourceArn": "arn:aws:ec2:us-east-1:222222222222:eip-allocation/" + alloc})
	wantErr(t, err, "InvalidResourceException")
	mustCreate(t, member, tShieldProtection, "p", map[string]any{"name": "p", "resourceArn": arn})
	_, _, err = create(t, member, tShieldProtection, "p2", map[string]any{"name": "p2", "resourceArn": arn})
	wantErr(t, err, "ResourceAlreadyExistsException")
	if err := del(t, member, tShieldSubscription, subID); err != nil {
		t.Fatalf("skipDestroy delete: %v", err)
	}
	_, _, err = create(t, member, tShieldSubscription, "s3", map[string]any{"autoRenew": "ENABLED"})
	wantErr(t, err, "ResourceAlreadyExistsException")
}
