package fakeaws

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func TestOrganizationsRules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)

	failsCheck(t, m, tPolicy, map[string]any{"name": "p", "type": "SERVICE_CONTROL_POLICY", "content": "{nope"}, "content", "MalformedPolicyDocumentException")
	big := `{"Version":"2012-10-17","Sid":"` + strings.Repeat("x", MaxSCPLength) + `"}`
	failsCheck(t, m, tPolicy, map[string]any{"name": "p", "type": "SERVICE_CONTROL_POLICY", "content": big}, "content", "POLICY_CONTENT_LIMIT_EXCEEDED")
	fits := `{"Sid":"` + strings.Repeat("x", MaxSCPLength-10) + `"}`
	if _, fails := check(t, m, tPolicy, "p", nil, map[string]any{"name": "p", "type": "SERVICE_CONTROL_POLICY", "content": fits}); len(fails) > 0 {
		t.Errorf("a %d-character SCP was refused: %v", len(fits), fails)
	}
	failsCheck(t, m, tAccount, map[string]any{"name": "a", "email": "not-an-email"}, "email", "not a valid e-mail")

	pol := func(name string) string {
		id, _ := mustCreate(t, m, tPolicy, name, map[string]any{"name": name, "type": "SERVICE_CONTROL_POLICY", "content": "{}"})
		return id
	}
	baseline := pol("baseline")
	_, _, err := create(t, m, tPolicy, "dup", map[string]any{"name": "baseline", "type": "SERVICE_CONTROL_POLICY", "content": "{}"})
	wantErr(t, err, "DuplicatePolicyException")

	// OUs: parent must exist, depth at most 5.
	_, _, err = create(t, m, tOU, "orphan", map[string]any{"name": "Orphan", "parentId": "ou-tz01-00000000"})
	wantErr(t, err, "ParentNotFoundException")
	parent := DefaultRootID
	var ous []string
	for i := range MaxOUDepth {
		id, _ := mustCreate(t, m, tOU, fmt.Sprint("ou", i), map[string]any{"name": fmt.Sprint("L", i), "parentId": parent})
		ous = append(ous, id)
		parent = id
	}
	_, _, err = create(t, m, tOU, "deep", map[string]any{"name": "Deep", "parentId": parent})
	wantErr(t, err, "OU_DEPTH_LIMIT_EXCEEDED")
	_, _, err = create(t, m, tOU, "same", map[string]any{"name": "L0", "parentId": DefaultRootID})
	wantErr(t, err, "DuplicateOrganizationalUnitException")

	// Attachments: policy and target must exist; no duplicates; 10 per
	// target with FullAWSAccess counted.
	target := ous[0]
	_, _, err = create(t, m, tAttachment, "a", map[string]any{"policyId": "p-00000000", "targetId": target})
	wantErr(t, err, "PolicyNotFoundException")
	_, _, err = create(t, m, tAttachment, "a", map[string]any{"policyId": baseline, "targetId": "ou-tz01-zzzzzzzz"})
	wantErr(t, err, "TargetNotFoundException")
	_, _, err = create(t, m, tAttachment, "a", map[string]any{"policyId": FullAWSAccessID, "targetId": target})
	wantErr(t, err, "DuplicatePolicyAttachmentException")
	mustCreate(t, m, tAttachment, "a0", map[string]any{"policyId": baseline, "targetId": target})
	_, _, err = create(t, m, tAttachment, "again", map[string]any{"policyId": baseline, "targetId": target})
	wantErr(t, err, "DuplicatePolicyAttachmentException")
	for i := 1; i < MaxPoliciesPerTarget-1; i++ { // FullAWSAccess + baseline + 8 = 10
		mustCreate(t, m, tAttachment, fmt.Sprint("a", i), map[string]any{"policyId": pol(fmt.Sprint("p", i)), "targetId": target})
	}
	_, _, err = create(t, m, tAttachment, "eleventh", map[string]any{"policyId": pol("p-extra"), "targetId": target})
	wantErr(t, err, "POLICY_NUMBER_LIMIT_EXCEEDED")
	// The root and accounts are targets too.
	mustCreate(t, m, tAttachment, "root", map[string]any{"policyId": baseline, "targetId": DefaultRootID})

	// Deleting an attached policy fails; so does deleting a non-empty OU.
	wantErr(t, del(t, m, tPolicy, baseline), "PolicyInUseException")
	wantErr(t, del(t, m, tOU, ous[3]), "OrganizationalUnitNotEmptyException")
	acct, _ := mustCreate(t, m, tAccount, "acme", map[string]any{"name": "Acme", "email": "acme@example.com", "parentId": ous[4]})
	wantErr(t, del(t, m, tOU, ous[4]), "OrganizationalUnitNotEmptyException", "1 accounts")

	// E-mails are unique across the organization.
	_, _, err = create(t, m, tAccount, "copy", map[string]any{"name": "Copy", "email": "ACME@example.com", "parentId": DefaultRootID})
	wantErr(t, err, "EMAIL_ALREADY_EXISTS")
	_, _, err = create(t, m, tAccount, "lost", map[string]any{"name": "Lost", "email": "lost@example.com", "parentId": "ou-tz01-nowhere0"})
	wantErr(t, err, "DestinationParentNotFoundException")

	// Removing the account (closeOnDeletion false) leaves the organization
	// but keeps the account's own resources. A created account can only
	// leave once it has its standalone information (here: the operator
	// completed it, FAKEAWS_STANDALONE_ACCOUNTS).
	s := memberServer(t, o, acct)
	mustCreate(t, s, tVpc, "v", map[string]any{"cidrBlock": "10.0.0.0/16"})
	wantErr(t, del(t, m, tAccount, acct), "ConstraintViolationException", "ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION")
	standalone := o
	standalone.StandaloneAccounts = true
	if err := del(t, newServer(t, standalone, nil), tAccount, acct); err != nil {
		t.Fatal(err)
	}
	if err := del(t, m, tOU, ous[4]); err != nil {
		t.Fatalf("empty OU: %v", err)
	}
	left, _ := Open(o.Dir).InAccount(acct)
	if len(left) != 1 || left[0].Type != tVpc {
		t.Fatalf("the account's resources: %v", left)
	}
	// A removed account can no longer be assumed into.
	_, err = NewServer(o)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := NewServer(o)
	_, err = s2.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: toStruct(t, map[string]any{"region": "us-east-1",
		"assumeRole": map[string]any{"roleArn": "arn:aws:iam::" + acct + ":role/" + DefaultAccessRole}})})
	wantErr(t, err, "AccessDenied")
}

// TestAccountCreationLimit runs account creations each in its own
// provider (as the engine runs one plugin process per provider): five are
// held in progress together (their creation waits on a channel, and the
// test sees the five in inflight.json), then a sixth is issued and
// refused. Nothing depends on timing.
func TestAccountCreationLimit(t *testing.T) {
	o := testOptions(t)
	release := make(chan struct{})
	hold := func(ctx context.Context) error {
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, MaxAccountCreationsInFlight)
	for i := range errs {
		s := newServer(t, o, nil)
		s.creationWait = hold
		name := fmt.Sprint("c", i)
		props := toStruct(t, map[string]any{"name": name, "email": name + "@example.com"})
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urnOf(tAccount, name), Properties: props})
		}()
	}
	// Wait until all five hold a creation slot (or one failed early).
	store := newServer(t, o, nil).store
	inFlight := func() int {
		tx, err := store.lock(false)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.unlock()
		fs, err := tx.inflight(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return len(fs)
	}
	deadline := time.Now().Add(time.Minute)
	for n := inFlight(); n < MaxAccountCreationsInFlight; n = inFlight() {
		if time.Now().After(deadline) {
			close(release)
			wg.Wait()
			t.Fatalf("only %d creations in flight after a minute: %v", n, errs)
		}
		time.Sleep(5 * time.Millisecond)
	}
	sixth := newServer(t, o, nil)
	_, err := sixth.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urnOf(tAccount, "c5"),
		Properties: toStruct(t, map[string]any{"name": "c5", "email": "c5@example.com"})})
	wantErr(t, err, "creating AWS Organizations Account", "TooManyRequestsException", "another request is already in progress")
	close(release)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("creation %d: %v", i, err)
		}
	}
	st, _ := Open(o.Dir).Stats()
	if st.MaxAccountCreationsInFlight != MaxAccountCreationsInFlight || st.Creates[tAccount] != 5 || st.CreateCalls[tAccount] != 6 {
		t.Fatalf("stats %+v", st)
	}
	// The slots are free again; sequential creations never exceed one in
	// flight; the record shows the maximum ever.
	m := newServer(t, o, nil)
	mustCreate(t, m, tAccount, "later", map[string]any{"name": "later", "email": "later@example.com"})
	if st, _ := Open(o.Dir).Stats(); st.MaxAccountCreationsInFlight != 5 {
		t.Fatalf("max dropped: %+v", st)
	}
}

// TestAccountLeavesOrganization: deleting an Account with closeOnDeletion
// false is RemoveAccountFromOrganization, which a created account fails
// (record kept) until it can operate standalone; invited (seeded)
// accounts and FAKEAWS_STANDALONE_ACCOUNTS=true may leave;
// closeOnDeletion true closes the account (SUSPENDED).
func TestAccountLeavesOrganization(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	created, _ := mustCreate(t, m, tAccount, "acme", map[string]any{"name": "Acme", "email": "acme@example.com", "closeOnDeletion": false})
	bare, _ := mustCreate(t, m, tAccount, "bare", map[string]any{"name": "Bare", "email": "bare@example.com"})
	for _, id := range []string{created, bare} {
		err := del(t, m, tAccount, id)
		wantErr(t, err, "deleting AWS Organizations Account ("+id+")", "ConstraintViolationException: ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION",
			"doesn't yet have enough information to exist as a standalone account")
	}
	accts, _ := Open(o.Dir).Accounts()
	if len(accts) != 2 {
		t.Fatalf("a failed removal dropped the record: %v", accts)
	}
	// The account is still a member: its role can still be assumed.
	memberServer(t, o, created)

	// An invited account (seeded) can leave.
	if err := SeedAccount(o.Dir, "123456789012", "Legacy", "legacy@example.com"); err != nil {
		t.Fatal(err)
	}
	accts, _ = Open(o.Dir).ByType(tAccount)
	invited := 0
	for _, a := range accts {
		if a.ID == "123456789012" && a.Outputs["joinedMethod"] == "INVITED" {
			invited++
		}
	}
	if len(accts) != 3 || invited != 1 {
		t.Fatalf("seeded account: %v", accts)
	}
	if err := del(t, m, tAccount, "123456789012"); err != nil {
		t.Fatalf("invited account: %v", err)
	}

	// FAKEAWS_STANDALONE_ACCOUNTS=true: every account can leave.
	t.Setenv("FAKEAWS_DIR", o.Dir)
	t.Setenv("FAKEAWS_STANDALONE_ACCOUNTS", "true")
	eo, err := OptionsFromEnv()
	if err != nil || !eo.StandaloneAccounts {
		t.Fatalf("FAKEAWS_STANDALONE_ACCOUNTS: %+v %v", eo, err)
	}
	eo.AccountCreateDelay = o.AccountCreateDelay
	if err := del(t, newServer(t, eo, nil), tAccount, created); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAKEAWS_STANDALONE_ACCOUNTS", "yes please")
	if _, err := OptionsFromEnv(); err == nil {
		t.Error("FAKEAWS_STANDALONE_ACCOUNTS=\"yes please\" accepted")
	}

	// closeOnDeletion true: CloseAccount; the account stays, SUSPENDED,
	// and can no longer be assumed into; deleting it again is a no-op.
	closing, _ := mustCreate(t, m, tAccount, "closing", map[string]any{"name": "Closing", "email": "closing@example.com", "closeOnDeletion": true})
	if err := del(t, m, tAccount, closing); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := del(t, m, tAccount, closing); err != nil {
		t.Fatalf("close again: %v", err)
	}
	accts, _ = Open(o.Dir).Accounts()
	var status []string
	for _, a := range accts {
		status = append(status, a.ID+"="+fmt.Sprint(a.Outputs["status"]))
	}
	if want := []string{bare + "=ACTIVE", closing + "=SUSPENDED"}; !slicesEqualSorted(status, want) {
		t.Fatalf("accounts %v, want %v", status, want)
	}
	s2, _ := NewServer(o)
	_, err = s2.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: toStruct(t, map[string]any{"region": "us-east-1",
		"assumeRole": map[string]any{"roleArn": "arn:aws:iam::" + closing + ":role/" + DefaultAccessRole}})})
	wantErr(t, err, "AccessDenied", "SUSPENDED")
}

func slicesEqualSorted(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestStaleCreationsExpire: creations left in flight by a killed process
// do not count.
func TestStaleCreationsExpire(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	tx, err := m.store.lock(true)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var stale []inflight
	for i := range 3 {
		stale = append(stale, inflight{Token: fmt.Sprint("dead", i), PID: 1 << 30, Email: fmt.Sprint("dead", i, "@example.com"), Started: now, Expires: now.Add(time.Hour)})
		stale = append(stale, inflight{Token: fmt.Sprint("old", i), PID: 1, Started: now.Add(-2 * time.Hour), Expires: now.Add(-time.Hour)})
	}
	if err := tx.saveInflight(stale); err != nil {
		t.Fatal(err)
	}
	tx.unlock()
	// dead0@example.com was only reserved by a dead process.
	mustCreate(t, m, tAccount, "a", map[string]any{"name": "a", "email": "dead0@example.com"})
}

func TestInjectedFailures(t *testing.T) {
	o := testOptions(t)
	o.FailCreate = map[string][]int{tVpc: {2}}
	a := newServer(t, o, nil)
	b := newServer(t, o, nil)
	// Previews do not count.
	if _, err := a.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urnOf(tVpc, "p"), Preview: true, Properties: toStruct(t, map[string]any{"cidrBlock": "10.0.0.0/16"})}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, a, tVpc, "one", map[string]any{"cidrBlock": "10.0.0.0/16"})
	// The count is shared by every process (here: another provider).
	_, _, err := create(t, b, tVpc, "two", map[string]any{"cidrBlock": "10.0.0.0/16"})
	wantErr(t, err, "creating EC2 VPC (two)", "fakeaws: injected failure", "Create #2 of aws:ec2/vpc:Vpc")
	mustCreate(t, a, tVpc, "three", map[string]any{"cidrBlock": "10.0.0.0/16"})
	if vpcs, _ := Open(o.Dir).ByType(tVpc); len(vpcs) != 2 {
		t.Fatalf("%d VPCs, want 2", len(vpcs))
	}
}

func TestFaultEnvironment(t *testing.T) {
	t.Setenv("FAKEAWS_DIR", t.TempDir())
	t.Setenv("FAKEAWS_FAIL_CREATE", "aws:ec2/vpc:Vpc#1, aws:ec2/subnet:Subnet#3,aws:ec2/vpc:Vpc#4")
	t.Setenv("FAKEAWS_SLOW", "aws:ec2/natGateway:NatGateway=2s,aws:ec2/vpc:Vpc=150ms")
	t.Setenv("FAKEAWS_ACCOUNT_CREATE_SECONDS", "0.25")
	o, err := OptionsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(o.FailCreate[tVpc]) != "[1 4]" || fmt.Sprint(o.FailCreate[tSubnet]) != "[3]" {
		t.Fatalf("FailCreate %v", o.FailCreate)
	}
	if o.Slow[tNat] != 2*time.Second || o.AccountCreateDelay != 250*time.Millisecond || o.ManagementAccount != mgmt {
		t.Fatalf("options %+v", o)
	}
	s := newServer(t, o, nil)
	start := time.Now()
	_, _, err = create(t, s, tVpc, "v", map[string]any{"cidrBlock": "10.0.0.0/16"})
	wantErr(t, err, "fakeaws: injected failure")
	if time.Since(start) < 150*time.Millisecond {
		t.Fatalf("FAKEAWS_SLOW not applied")
	}
	for _, bad := range []string{"aws:ec2/vpc:Vpc", "aws:ec2/vpc:Vpc#0"} {
		t.Setenv("FAKEAWS_FAIL_CREATE", bad)
		if _, err := OptionsFromEnv(); err == nil {
			t.Errorf("FAKEAWS_FAIL_CREATE=%q accepted", bad)
		}
	}
	t.Setenv("FAKEAWS_FAIL_CREATE", "")
	t.Setenv("FAKEAWS_SLOW", "x=forever")
	if _, err := OptionsFromEnv(); err == nil {
		t.Error("bad FAKEAWS_SLOW accepted")
	}
}

// TestAccountCreationsOverlapInOneProvider: one provider (one plugin
// process) serves concurrent creations concurrently.
func TestAccountCreationsOverlapInOneProvider(t *testing.T) {
	o := testOptions(t)
	o.AccountCreateDelay = 300 * time.Millisecond
	s := newServer(t, o, nil)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		name := fmt.Sprint("c", i)
		props := toStruct(t, map[string]any{"name": name, "email": name + "@example.com"})
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urnOf(tAccount, name), Properties: props})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := Open(o.Dir).Stats(); st.MaxAccountCreationsInFlight != 3 {
		t.Fatalf("max in flight %d, want 3", st.MaxAccountCreationsInFlight)
	}
}
