package fakeaws

import (
	"context"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func instances(t *testing.T, s *Server) map[string]any {
	t.Helper()
	resp, err := s.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: getInstancesToken})
	if err != nil {
		t.Fatalf("getInstances: %v", err)
	}
	return fromStruct(t, resp.GetReturn())
}

// TestIdentityCenterRules: the instance is visible from the management
// account only; names are unique; assignments need a real permission set,
// principal and member account; a provisioned permission set cannot go.
func TestIdentityCenterRules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	acct, member := newMember(t, o, m, "acme")

	got := instances(t, m)
	arns, stores := stringList(got["arns"]), stringList(got["identityStoreIds"])
	if len(arns) != 1 || len(stores) != 1 {
		t.Fatalf("management account sees instances %v", got)
	}
	instance, store := arns[0], stores[0]
	if n := len(stringList(instances(t, member)["arns"])); n != 0 {
		t.Errorf("a member account sees %d instances", n)
	}
	west := newServer(t, o, map[string]any{"region": "us-west-2"})
	if n := len(stringList(instances(t, west)["arns"])); n != 0 {
		t.Errorf("another region sees %d instances", n)
	}
	off := testOptions(t)
	off.NoIdentityCenter = true
	if n := len(stringList(instances(t, newServer(t, off, nil))["arns"])); n != 0 {
		t.Errorf("an organization without Identity Center sees %d instances", n)
	}

	failsCheck(t, m, tPermissionSet, map[string]any{"instanceArn": instance, "name": "has space", "sessionDuration": "PT1H"}, "name", "ValidationException")
	failsCheck(t, m, tPermissionSet, map[string]any{"instanceArn": instance, "name": "x", "sessionDuration": "PT13H"}, "sessionDuration", "PT12H")
	failsCheck(t, m, tPSInlinePolicy, map[string]any{"instanceArn": instance, "inlinePolicy": "{not json"}, "inlinePolicy", "not valid JSON")
	failsCheck(t, m, tIdentityUser, map[string]any{"identityStoreId": store, "userName": "a@b.co", "displayName": "A"}, "name", "givenName")

	_, _, err := create(t, member, tPermissionSet, "ps", map[string]any{"instanceArn": instance, "name": "tz-x"})
	wantErr(t, err, "AccessDeniedException")
	psID, ps := mustCreate(t, m, tPermissionSet, "ps", map[string]any{"instanceArn": instance, "name": "tz-x", "sessionDuration": "PT1H"})
	_, _, err = create(t, m, tPermissionSet, "ps2", map[string]any{"instanceArn": instance, "name": "tz-x"})
	wantErr(t, err, "ConflictException")
	psArn := ps["arn"].(string)
	_, _, err = create(t, m, tPSManagedPolicy, "p", map[string]any{"instanceArn": instance, "permissionSetArn": psArn + "x",
		"managedPolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
	wantErr(t, err, "ResourceNotFoundException")

	_, g := mustCreate(t, m, tIdentityGroup, "g", map[string]any{"identityStoreId": store, "displayName": "acme-admins"})
	_, _, err = create(t, m, tIdentityGroup, "g2", map[string]any{"identityStoreId": store, "displayName": "ACME-admins"})
	wantErr(t, err, "ConflictException", "Duplicate GroupDisplayName")
	_, _, err = create(t, m, tIdentityGroup, "g3", map[string]any{"identityStoreId": "d-0000000000", "displayName": "other"})
	wantErr(t, err, "ResourceNotFoundException")
	_, u := mustCreate(t, m, tIdentityUser, "u", map[string]any{"identityStoreId": store, "userName": "ana@acme.example", "displayName": "Ana Diaz",
		"name": map[string]any{"givenName": "Ana", "familyName": "Diaz"}})
	_, _, err = create(t, m, tGroupMembership, "gm", map[string]any{"identityStoreId": store, "groupId": g["groupId"], "memberId": "nobody"})
	wantErr(t, err, "ResourceNotFoundException")
	mustCreate(t, m, tGroupMembership, "gm", map[string]any{"identityStoreId": store, "groupId": g["groupId"], "memberId": u["userId"]})
	_, _, err = create(t, m, tGroupMembership, "gm2", map[string]any{"identityStoreId": store, "groupId": g["groupId"], "memberId": u["userId"]})
	wantErr(t, err, "ConflictException")

	assign := func(target string) map[string]any {
		return map[string]any{"instanceArn": instance, "permissionSetArn": psArn, "principalId": g["groupId"], "principalType": "GROUP",
			"targetId": target, "targetType": "AWS_ACCOUNT"}
	}
	_, _, err = create(t, m, tAccountAssign, "a", assign("999999999999"))
	wantErr(t, err, "ValidationException", "not an active member")
	mustCreate(t, m, tAccountAssign, "a", assign(acct))
	_, _, err = create(t, m, tAccountAssign, "a2", assign(acct))
	wantErr(t, err, "ConflictException")
	wantErr(t, del(t, m, tPermissionSet, psID), "ConflictException", "still assigned")
}
