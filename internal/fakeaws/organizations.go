package fakeaws

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxAccountCreationsInFlight is how many CreateAccount requests may be in
// progress at once (Quotas for AWS Organizations: "Number of member
// accounts you can concurrently create: 5").
const MaxAccountCreationsInFlight = 5

// MaxPoliciesPerTarget is how many policies of a type may be attached
// directly to a root, OU or account, FullAWSAccess included (Quotas for
// AWS Organizations, since 15 May 2026: 10 SCPs per target, was 5).
const MaxPoliciesPerTarget = 10

// MaxSCPLength is the largest SCP document (Quotas for AWS Organizations,
// since 15 May 2026: "Maximum size of a service control policy: 10,240
// characters", was 5,120).
const MaxSCPLength = 10240

// MaxOUDepth is how deep OUs nest under the root (Quotas for AWS
// Organizations: "OU maximum nesting in a root: five levels").
const MaxOUDepth = 5

var (
	// emailPattern: CreateAccount Email, "6-64 characters, a valid email".
	emailPattern = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)
)

func organizationsKinds() []*kind {
	return []*kind{
		{
			token: tPolicy, label: "Organizations Policy", org: true, tagsAll: true,
			replaces: []string{"type"},
			outputs:  []string{"arn", "awsManaged"},
			static:   policyStatic,
			validate: policyValidate,
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id, err := uniqueID(c, tPolicy, policyID)
				if err != nil {
					return "", nil, err
				}
				typ, _ := str(in, "type")
				if typ == "" {
					typ = "SERVICE_CONTROL_POLICY"
				}
				return id, map[string]any{"type": typ, "awsManaged": false, "arn": policyArn(c, typ, id)}, nil
			},
			remove: policyRemove,
		},
		{
			token: tOU, label: "Organizations Organizational Unit", org: true, tagsAll: true,
			replaces: []string{"parentId"},
			outputs:  []string{"arn", "accounts"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if n, ok := str(in, "name"); ok && len(n) > 128 {
					// CreateOrganizationalUnit Name: 1-128 characters.
					fs = append(fs, failf("name", "must be 1 to 128 characters, got %d", len(n)))
				}
				if known(in, "parentId") {
					if _, ok := str(in, "parentId"); !ok {
						fs = append(fs, failf("parentId", "is required"))
					}
				}
				return fs
			},
			validate: ouValidate,
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id, err := uniqueID(c, tOU, func() string { return ouID(c.srv.opts.RootID) })
				if err != nil {
					return "", nil, err
				}
				arn := fmt.Sprintf("arn:aws:organizations::%s:ou/%s/%s", c.mgmt(), c.srv.opts.OrganizationID, id)
				return id, map[string]any{"arn": arn, "accounts": []any{}}, nil
			},
			remove: ouRemove,
		},
		{
			token: tAttachment, label: "Organizations Policy Attachment", org: true,
			replaces: []string{"policyId", "targetId"},
			validate: attachmentValidate,
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				p, _ := str(in, "policyId")
				t, _ := str(in, "targetId")
				// pulumi-aws PolicyAttachment id: "<targetId>:<policyId>".
				return t + ":" + p, nil, nil
			},
		},
		{
			token: tAccount, label: "AWS Organizations Account", org: true, tagsAll: true,
			replaces: []string{"email", "name", "roleName", "iamUserAccessToBilling"},
			outputs:  []string{"arn", "status", "joinedMethod", "joinedTimestamp", "govcloudId", "parentId"},
			static:   accountStatic,
			validate: accountValidate,
			remove:   accountRemove,
		},
	}
}

func uniqueID(c *opCtx, typ string, gen func() string) (string, error) {
	for {
		id := gen()
		r, err := c.find(typ, id)
		if err != nil {
			return "", err
		}
		if r == nil {
			return id, nil
		}
	}
}

func policyArn(c *opCtx, typ, id string) string {
	return fmt.Sprintf("arn:aws:organizations::%s:policy/%s/%s/%s", c.mgmt(), c.srv.opts.OrganizationID, strings.ToLower(typ), id)
}

// policyTypes are the Organizations policy types (CreatePolicy Type).
func policyTypes() []string {
	return []string{"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY", "TAG_POLICY", "BACKUP_POLICY", "AISERVICES_OPT_OUT_POLICY", "CHATBOT_POLICY", "DECLARATIVE_POLICY_EC2"}
}

func policyStatic(in map[string]any) []failure {
	var fs []failure
	if n, ok := str(in, "name"); ok && len(n) > 128 {
		// CreatePolicy Name: 1-128 characters.
		fs = append(fs, failf("name", "must be 1 to 128 characters, got %d", len(n)))
	}
	typ, hasType := str(in, "type")
	if hasType && !slices.Contains(policyTypes(), typ) {
		fs = append(fs, failf("type", "must be one of %s, got %q", strings.Join(policyTypes(), ", "), typ))
	}
	if content, ok := str(in, "content"); ok {
		if !validJSON(content) {
			// CreatePolicy: MalformedPolicyDocumentException.
			fs = append(fs, failf("content", "MalformedPolicyDocumentException: the policy content is not valid JSON"))
		} else if (!hasType || typ == "SERVICE_CONTROL_POLICY") && utf8.RuneCountInString(content) > MaxSCPLength {
			// Quotas for AWS Organizations: SCP size 10,240 characters;
			// CreatePolicy fails with ConstraintViolationException
			// POLICY_CONTENT_LIMIT_EXCEEDED.
			fs = append(fs, failf("content", "ConstraintViolationException: POLICY_CONTENT_LIMIT_EXCEEDED: the policy is %d characters, the limit for a service control policy is %d", utf8.RuneCountInString(content), MaxSCPLength))
		}
	} else if known(in, "content") {
		fs = append(fs, failf("content", "is required"))
	}
	return fs
}

func policyValidate(c *opCtx, in map[string]any, selfID string) error {
	name, _ := str(in, "name")
	same, err := c.findWhere(tPolicy, selfID, func(r *Record) bool { return r.Inputs["name"] == name })
	if err != nil {
		return err
	}
	if len(same) > 0 || name == "FullAWSAccess" {
		// CreatePolicy: DuplicatePolicyException ("A policy with the same
		// name already exists").
		return awsErr("DuplicatePolicyException", "A policy with the same name already exists (%s)", name)
	}
	return nil
}

func policyRemove(c *opCtx, rec *Record) error {
	atts, err := c.findWhere(tAttachment, "", func(r *Record) bool { return r.Inputs["policyId"] == rec.ID })
	if err != nil {
		return err
	}
	if len(atts) > 0 {
		// DeletePolicy: PolicyInUseException ("The policy is attached to
		// one or more entities. You must detach it from all roots, OUs, and
		// accounts before performing this operation").
		return awsErr("PolicyInUseException", "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation. (attached to %s)", targetsOf(atts))
	}
	return nil
}

func targetsOf(atts []*Record) string {
	var ts []string
	for _, a := range atts {
		t, _ := str(a.Inputs, "targetId")
		ts = append(ts, t)
	}
	return strings.Join(ts, ", ")
}

// parentDepth returns the depth of a parent (root 0, its OUs 1, ...), or
// -1 when it does not exist.
func parentDepth(c *opCtx, parent string) (int, error) {
	depth := 0
	for seen := 0; seen <= 10; seen++ {
		if parent == c.srv.opts.RootID {
			return depth, nil
		}
		ou, err := c.find(tOU, parent)
		if err != nil {
			return 0, err
		}
		if ou == nil {
			return -1, nil
		}
		depth++
		parent, _ = str(ou.Inputs, "parentId")
	}
	return -1, nil
}

func ouValidate(c *opCtx, in map[string]any, selfID string) error {
	parent, _ := str(in, "parentId")
	depth, err := parentDepth(c, parent)
	if err != nil {
		return err
	}
	if depth < 0 {
		// CreateOrganizationalUnit: ParentNotFoundException.
		return awsErr("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified (%s)", parent)
	}
	if depth+1 > MaxOUDepth {
		// CreateOrganizationalUnit: ConstraintViolationException
		// OU_DEPTH_LIMIT_EXCEEDED.
		return awsErr("ConstraintViolationException", "OU_DEPTH_LIMIT_EXCEEDED: you attempted to create an OU tree that is too many levels deep (%d; the limit is %d)", depth+1, MaxOUDepth)
	}
	name, _ := str(in, "name")
	dup, err := c.findWhere(tOU, selfID, func(r *Record) bool { return r.Inputs["name"] == name && r.Inputs["parentId"] == parent })
	if err != nil {
		return err
	}
	if len(dup) > 0 {
		// CreateOrganizationalUnit: DuplicateOrganizationalUnitException.
		return awsErr("DuplicateOrganizationalUnitException", "An OU with the same name already exists under %s (%s)", parent, name)
	}
	return nil
}

func ouRemove(c *opCtx, rec *Record) error {
	accts, err := c.findWhere(tAccount, "", func(r *Record) bool { return r.Outputs["parentId"] == rec.ID })
	if err != nil {
		return err
	}
	ous, err := c.findWhere(tOU, "", func(r *Record) bool { return r.Inputs["parentId"] == rec.ID })
	if err != nil {
		return err
	}
	if len(accts)+len(ous) > 0 {
		// DeleteOrganizationalUnit: OrganizationalUnitNotEmptyException.
		return awsErr("OrganizationalUnitNotEmptyException", "The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again. (%d accounts, %d OUs)", len(accts), len(ous))
	}
	return nil
}

// targetExists reports whether a root, OU or account id exists.
func targetExists(c *opCtx, id string) (bool, error) {
	if id == c.srv.opts.RootID {
		return true, nil
	}
	for _, typ := range []string{tOU, tAccount} {
		r, err := c.find(typ, id)
		if err != nil || r != nil {
			return r != nil, err
		}
	}
	return false, nil
}

// policyType returns the type of a policy id ("" when it does not exist).
func policyType(c *opCtx, id string) (string, error) {
	if id == FullAWSAccessID {
		return "SERVICE_CONTROL_POLICY", nil
	}
	p, err := c.find(tPolicy, id)
	if err != nil || p == nil {
		return "", err
	}
	t, _ := str(p.Outputs, "type")
	return t, nil
}

func attachmentValidate(c *opCtx, in map[string]any, selfID string) error {
	pid, _ := str(in, "policyId")
	tid, _ := str(in, "targetId")
	typ, err := policyType(c, pid)
	if err != nil {
		return err
	}
	if typ == "" {
		// AttachPolicy: PolicyNotFoundException.
		return awsErr("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified (%s)", pid)
	}
	ok, err := targetExists(c, tid)
	if err != nil {
		return err
	}
	if !ok {
		// AttachPolicy: TargetNotFoundException.
		return awsErr("TargetNotFoundException", "We can't find a root, OU, account, or email that you specified (%s)", tid)
	}
	atts, err := c.findWhere(tAttachment, selfID, func(r *Record) bool { return r.Inputs["targetId"] == tid })
	if err != nil {
		return err
	}
	if pid == FullAWSAccessID || slices.ContainsFunc(atts, func(r *Record) bool { return r.Inputs["policyId"] == pid }) {
		// AttachPolicy: DuplicatePolicyAttachmentException (FullAWSAccess
		// is attached to every root, OU and account when it is created).
		return awsErr("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target (%s on %s)", pid, tid)
	}
	count := 0
	if typ == "SERVICE_CONTROL_POLICY" {
		count = 1 // FullAWSAccess
	}
	for _, a := range atts {
		p, _ := str(a.Inputs, "policyId")
		if t, err := policyType(c, p); err != nil {
			return err
		} else if t == typ {
			count++
		}
	}
	if count+1 > MaxPoliciesPerTarget {
		// AttachPolicy: ConstraintViolationException
		// POLICY_NUMBER_LIMIT_EXCEEDED.
		return awsErr("ConstraintViolationException", "POLICY_NUMBER_LIMIT_EXCEEDED: %s already has %d policies of type %s attached directly (FullAWSAccess included); the limit is %d", tid, count, typ, MaxPoliciesPerTarget)
	}
	return nil
}

func accountStatic(in map[string]any) []failure {
	var fs []failure
	if e, ok := str(in, "email"); ok && (len(e) < 6 || len(e) > 64 || !emailPattern.MatchString(e)) {
		// CreateAccount Email: 6-64 characters, a valid e-mail address.
		fs = append(fs, failf("email", "%q is not a valid e-mail address of 6 to 64 characters", e))
	}
	if n, ok := str(in, "name"); ok && len(n) > 50 {
		// CreateAccount AccountName: 1-50 characters.
		fs = append(fs, failf("name", "must be 1 to 50 characters, got %d", len(n)))
	}
	if b, ok := str(in, "iamUserAccessToBilling"); ok && b != "ALLOW" && b != "DENY" {
		fs = append(fs, failf("iamUserAccessToBilling", "must be ALLOW or DENY, got %q", b))
	}
	return fs
}

// accountValidate checks the parent; the e-mail is checked by
// createAccount against creations in flight too.
func accountValidate(c *opCtx, in map[string]any, selfID string) error {
	if parent, ok := str(in, "parentId"); ok {
		d, err := parentDepth(c, parent)
		if err != nil {
			return err
		}
		if d < 0 {
			// MoveAccount: DestinationParentNotFoundException.
			return awsErr("DestinationParentNotFoundException", "We can't find the destination container (a root or OU) with the ParentId that you specified (%s)", parent)
		}
	}
	if selfID != "" {
		return emailFree(c, in, selfID, nil)
	}
	return nil
}

// accountRemove checks that an account may leave the organization: the
// delete of an Account with closeOnDeletion false (or absent) is
// RemoveAccountFromOrganization in pulumi-aws (terraform-provider-aws
// resourceAccountDelete). With closeOnDeletion true the delete is
// CloseAccount instead (see closeAccount), which has no such condition.
func accountRemove(c *opCtx, rec *Record) error {
	if boolean(rec.Inputs, "closeOnDeletion") || accountCanLeave(c, rec) {
		return nil
	}
	// RemoveAccountFromOrganization API reference: "You can remove an
	// account from your organization only if the account is configured
	// with the information required to operate as a standalone account.
	// When you create an account in an organization using the
	// Organizations console, API, or CLI commands, the information
	// required of standalone accounts is not automatically collected."
	// It fails with ConstraintViolationException, reason
	// ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION ("You attempted to
	// remove an account from the organization that doesn't yet have enough
	// information to exist as a standalone account. This account requires
	// you to first complete phone verification." - ConstraintViolation
	// Exception, Organizations API reference). ACCOUNT_CANNOT_LEAVE_ORGANIZATION
	// is the management account's reason, not a member's.
	return awsErr("ConstraintViolationException", "ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION: You attempted to remove an account from the organization that doesn't yet have enough information to exist as a standalone account. This account requires you to first complete phone verification. (fakeaws: account %s was created with CreateAccount and has not completed its standalone setup; set FAKEAWS_STANDALONE_ACCOUNTS=true to model an operator who did)", rec.ID)
}

// accountCanLeave reports whether an account has the information it needs
// to operate standalone: an account that was invited (it existed on its
// own before joining: joinedMethod INVITED), or every account when the
// cloud says their setup is complete (FAKEAWS_STANDALONE_ACCOUNTS).
func accountCanLeave(c *opCtx, rec *Record) bool {
	if c.srv.opts.StandaloneAccounts {
		return true
	}
	m, _ := str(rec.Outputs, "joinedMethod")
	return m == "INVITED"
}

// closeAccount is the delete of an Account with closeOnDeletion true:
// CloseAccount. The account stays in the organization with status
// SUSPENDED (CloseAccount API reference: "While the close account request
// is in progress, Account status will indicate PENDING_CLOSURE. When the
// close account request completes, the status will change to SUSPENDED";
// resources in it are deleted after 90 days). pulumi-aws waits for the
// closure, so the fake goes straight to SUSPENDED.
func closeAccount(c *opCtx, rec *Record) error {
	rec.Outputs["status"] = "SUSPENDED"
	return c.tx.put(rec)
}

// accountClosed reports whether an Account record is a closed account.
func accountClosed(rec *Record) bool {
	st, _ := str(rec.Outputs, "status")
	return rec.Type == tAccount && st == "SUSPENDED"
}

// emailFree fails when the e-mail is used by another account of the
// organization, or by a creation in progress.
func emailFree(c *opCtx, in map[string]any, selfID string, flights []inflight) error {
	email, _ := str(in, "email")
	others, err := c.findWhere(tAccount, selfID, func(r *Record) bool { return strings.EqualFold(fmt.Sprint(r.Outputs["email"]), email) })
	if err != nil {
		return err
	}
	used := ""
	if len(others) > 0 {
		used = "account " + others[0].ID
	}
	for _, f := range flights {
		if strings.EqualFold(f.Email, email) {
			used = "an account creation in progress (" + f.Name + ")"
		}
	}
	if used != "" {
		// CreateAccountStatus FailureReason EMAIL_ALREADY_EXISTS; pulumi-aws
		// reports the failed creation so.
		return fmt.Errorf("waiting for AWS Organizations Account create: unexpected state 'FAILED', wanted target 'SUCCEEDED'. last error: EMAIL_ALREADY_EXISTS (fakeaws: %s is already used by %s)", email, used)
	}
	return nil
}

// createAccount creates a member account: it takes one of the 5
// creation slots, waits the creation time with the lock released, and
// then writes the account.
func (s *Server) createAccount(ctx context.Context, k *kind, urn string, in map[string]any) (string, map[string]any, error) {
	token := randomString(alnumDigits, 16)
	c, err := s.begin(k)
	if err != nil {
		return "", nil, err
	}
	err = func() error {
		defer c.tx.unlock()
		if err := c.countCreate(k.token); err != nil {
			return err
		}
		if err := staticError(k.static(in)); err != nil {
			return err
		}
		if err := k.validate(c, in, ""); err != nil {
			return err
		}
		now := time.Now()
		flights, err := c.tx.inflight(now)
		if err != nil {
			return err
		}
		if err := emailFree(c, in, "", flights); err != nil {
			return err
		}
		if len(flights) >= MaxAccountCreationsInFlight {
			// CreateAccount beyond the 5 in progress (Quotas for AWS
			// Organizations, "Number of member accounts you can concurrently
			// create: 5") is refused with TooManyRequestsException, the
			// Organizations "another request is already in progress" error.
			return awsErr("TooManyRequestsException", "AWS Organizations can't complete your request because another request is already in progress. Try again later. (fakeaws: %d CreateAccount requests are already in progress; at most %d member accounts can be created concurrently)", len(flights), MaxAccountCreationsInFlight)
		}
		name, _ := str(in, "name")
		email, _ := str(in, "email")
		flights = append(flights, inflight{Token: token, PID: os.Getpid(), Email: email, Name: name, Started: now,
			Expires: now.Add(s.opts.AccountCreateDelay + time.Minute)})
		if err := c.tx.saveInflight(flights); err != nil {
			return err
		}
		return c.tx.updateStats(func(st *Stats) {
			st.MaxAccountCreationsInFlight = max(st.MaxAccountCreationsInFlight, len(flights))
		})
	}()
	if err != nil {
		return "", nil, err
	}

	var waitErr error
	if s.creationWait != nil {
		waitErr = s.creationWait(ctx)
	} else {
		waitErr = sleepCtx(ctx, s.opts.AccountCreateDelay)
	}

	c, err = s.begin(k)
	if err != nil {
		return "", nil, err
	}
	defer c.tx.unlock()
	flights, err := c.tx.inflight(time.Now())
	if err != nil {
		return "", nil, err
	}
	flights = slices.DeleteFunc(flights, func(f inflight) bool { return f.Token == token })
	if err := c.tx.saveInflight(flights); err != nil {
		return "", nil, err
	}
	if waitErr != nil {
		return "", nil, waitErr
	}
	id := ""
	for id == "" {
		cand := accountID()
		if cand == s.opts.ManagementAccount {
			continue
		}
		r, err := c.find(tAccount, cand)
		if err != nil {
			return "", nil, err
		}
		if _, statErr := os.Stat(c.tx.typeDir(cand, "")); r == nil && statErr != nil {
			id = cand
		}
	}
	out := map[string]any{
		"arn":             fmt.Sprintf("arn:aws:organizations::%s:account/%s/%s", c.mgmt(), s.opts.OrganizationID, id),
		"status":          "ACTIVE",
		"joinedMethod":    "CREATED",
		"joinedTimestamp": time.Now().UTC().Format(time.RFC3339),
		"govcloudId":      "",
	}
	if _, ok := str(in, "parentId"); !ok {
		out["parentId"] = s.opts.RootID
	}
	if _, ok := str(in, "roleName"); !ok {
		out["roleName"] = DefaultAccessRole
	}
	st := s.state(k, in, out)
	rec := &Record{Type: k.token, ID: id, Account: c.account, Region: c.region, URN: urn, Inputs: in, Outputs: st}
	if err := c.tx.put(rec); err != nil {
		return "", nil, err
	}
	if err := c.tx.updateStats(func(st *Stats) { st.Creates[k.token]++ }); err != nil {
		return "", nil, err
	}
	return id, st, nil
}
