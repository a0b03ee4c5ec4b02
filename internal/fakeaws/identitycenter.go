package fakeaws

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strings"
	"time"
)

// IAM Identity Center and Identity Store, as the management account sees
// its organization instance. The instance exists unless
// Options.NoIdentityCenter; it lives in Options.IdentityCenterRegion, and
// ListInstances from any other region or account returns none.
const (
	tPermissionSet    = "aws:ssoadmin/permissionSet:PermissionSet"
	tPSManagedPolicy  = "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment"
	tPSInlinePolicy   = "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"
	tAccountAssign    = "aws:ssoadmin/accountAssignment:AccountAssignment"
	tIdentityGroup    = "aws:identitystore/group:Group"
	tIdentityUser     = "aws:identitystore/user:User"
	tGroupMembership  = "aws:identitystore/groupMembership:GroupMembership"
	getInstancesToken = "aws:ssoadmin/getInstances:getInstances"
)

// Identity Center quotas and patterns ("AWS IAM Identity Center quotas";
// the SSO admin and Identity Store API references).
const (
	maxPermissionSets = 2000
	// maxRoleManagedPolicies is IAM's default quota of managed policies
	// per role, which the role a permission set provisions follows.
	maxRoleManagedPolicies = 10
	maxInlinePolicyBytes   = 32768
	maxInlineNonWhitespace = 10240
)

var (
	psNamePattern        = regexp.MustCompile(`^[\w+=,.@-]{1,32}$`)
	sessionPattern       = regexp.MustCompile(`^PT(?:(\d+)H)?(?:(\d+)M)?$`)
	awsManagedPolicyARN  = regexp.MustCompile(`^arn:aws[a-z-]*:iam::aws:policy/[\w+=,.@/-]+$`)
	identityStorePattern = regexp.MustCompile(`^d-[0-9a-f]{10}$`)
)

// identityCenter is the fake's organization instance.
type identityCenter struct{ instanceARN, instanceID, storeID, region string }

func (s *Server) identityCenter() *identityCenter {
	if s.opts.NoIdentityCenter {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte("identity-center/" + s.opts.ManagementAccount))
	hex := fmt.Sprintf("%016x", h.Sum64())
	id := "ssoins-" + hex
	return &identityCenter{instanceARN: "arn:aws:sso:::instance/" + id, instanceID: id, storeID: "d-" + hex[:10], region: s.opts.IdentityCenterRegion}
}

// getInstances is ListInstances from the provider's account and region.
func (s *Server) getInstances() (map[string]any, error) {
	t, err := s.target()
	if err != nil {
		return nil, err
	}
	arns, stores := []any{}, []any{}
	if ic := s.identityCenter(); ic != nil && t.account == s.opts.ManagementAccount && t.region == ic.region {
		arns, stores = append(arns, ic.instanceARN), append(stores, ic.storeID)
	}
	return map[string]any{"arns": arns, "identityStoreIds": stores, "id": t.region}, nil
}

// instanceIn checks that arn is the organization instance and the call is
// made in its region.
func instanceIn(c *opCtx, arn string) (*identityCenter, error) {
	ic := c.srv.identityCenter()
	if ic == nil || arn != ic.instanceARN {
		return nil, awsErr("ResourceNotFoundException", "Instance %s does not exist", arn)
	}
	if c.region != ic.region {
		return nil, awsErr("ResourceNotFoundException", "Instance %s does not exist in %s (its home region is %s)", arn, c.region, ic.region)
	}
	return ic, nil
}

// storeIn checks that id is the organization instance's identity store.
func storeIn(c *opCtx, id string) error {
	ic := c.srv.identityCenter()
	if ic == nil || id != ic.storeID || c.region != ic.region {
		return awsErr("ResourceNotFoundException", "Identity store %s does not exist", id)
	}
	return nil
}

// byOutput returns the records of typ whose output key equals value.
func byOutput(c *opCtx, typ, selfID, key, value string) ([]*Record, error) {
	return c.findWhere(typ, selfID, func(r *Record) bool { v, _ := str(r.Outputs, key); return v == value })
}

// permissionSetOf returns the permission set with arn, or a
// ResourceNotFoundException.
func permissionSetOf(c *opCtx, arn string) (*Record, error) {
	ps, err := byOutput(c, tPermissionSet, "", "arn", arn)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, awsErr("ResourceNotFoundException", "PermissionSet %s does not exist", arn)
	}
	return ps[0], nil
}

func sessionSeconds(s string) (time.Duration, bool) {
	m := sessionPattern.FindStringSubmatch(s)
	if m == nil || (m[1] == "" && m[2] == "") {
		return 0, false
	}
	var h, min int
	fmt.Sscanf(m[1]+" ", "%d", &h)
	fmt.Sscanf(m[2]+" ", "%d", &min)
	return time.Duration(h)*time.Hour + time.Duration(min)*time.Minute, true
}

func nonWhitespaceBytes(s string) int {
	return len(strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s))
}

// uniqueInStore validates an Identity Store entity: in the organization's
// store, its field (a display or user name) unique there, case-insensitive
// (ConflictException "Duplicate <what>").
func uniqueInStore(typ, field, what string) func(*opCtx, map[string]any, string) error {
	return func(c *opCtx, in map[string]any, selfID string) error {
		store, _ := str(in, "identityStoreId")
		if err := storeIn(c, store); err != nil {
			return err
		}
		name, _ := str(in, field)
		dup, err := c.findWhere(typ, selfID, func(r *Record) bool {
			return r.Inputs["identityStoreId"] == store && strings.EqualFold(fmt.Sprint(r.Inputs[field]), name)
		})
		if err != nil {
			return err
		}
		if len(dup) > 0 {
			return awsErr("ConflictException", "Duplicate %s %s in identity store %s", what, name, store)
		}
		return nil
	}
}

// newInStore builds an Identity Store entity: id "<store>/<uuid>", the
// uuid as its idOutput.
func newInStore(idOutput string) func(*opCtx, map[string]any) (string, map[string]any, error) {
	return func(_ *opCtx, in map[string]any) (string, map[string]any, error) {
		store, _ := str(in, "identityStoreId")
		id := uuid()
		return store + "/" + id, map[string]any{idOutput: id, "externalIds": []any{}}, nil
	}
}

func identityCenterKinds() []*kind {
	return []*kind{
		{
			token: tPermissionSet, label: "SSO Permission Set", org: true, tagsAll: true,
			replaces: []string{"instanceArn", "name"},
			outputs:  []string{"arn", "createdDate"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if n, ok := str(in, "name"); ok && !psNamePattern.MatchString(n) {
					// CreatePermissionSet Name: 1-32 of [\w+=,.@-].
					fs = append(fs, failf("name", "ValidationException: %q must be 1 to 32 characters of [\\w+=,.@-]", n))
				}
				if d, ok := str(in, "description"); ok && (len(d) < 1 || len(d) > 700) {
					fs = append(fs, failf("description", "ValidationException: must be 1 to 700 characters, got %d", len(d)))
				}
				if s, ok := str(in, "sessionDuration"); ok {
					// SessionDuration: ISO-8601, 1 to 12 hours.
					if d, valid := sessionSeconds(s); !valid || d < time.Hour || d > 12*time.Hour {
						fs = append(fs, failf("sessionDuration", "ValidationException: %q is not an ISO-8601 duration between PT1H and PT12H", s))
					}
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				instance, _ := str(in, "instanceArn")
				if _, err := instanceIn(c, instance); err != nil {
					return err
				}
				name, _ := str(in, "name")
				all, err := c.findWhere(tPermissionSet, selfID, func(r *Record) bool { return r.Inputs["instanceArn"] == instance })
				if err != nil {
					return err
				}
				for _, r := range all {
					if r.Inputs["name"] == name {
						return awsErr("ConflictException", "PermissionSet with name %s already exists", name)
					}
				}
				if selfID == "" && len(all) >= maxPermissionSets {
					return awsErr("ServiceQuotaExceededException", "The number of permission sets in instance %s would exceed %d", instance, maxPermissionSets)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				instance, _ := str(in, "instanceArn")
				ic, _ := instanceIn(c, instance)
				arn := "arn:aws:sso:::permissionSet/" + ic.instanceID + "/ps-" + randomString(hexDigits, 16)
				out := map[string]any{"arn": arn, "createdDate": "2026-12-03T00:00:00Z"}
				if _, ok := str(in, "sessionDuration"); !ok {
					out["sessionDuration"] = "PT1H"
				}
				// pulumi-aws: the id is "<permission set ARN>,<instance ARN>".
				return arn + "," + instance, out, nil
			},
			remove: func(c *opCtx, rec *Record) error {
				arn, _ := str(rec.Outputs, "arn")
				as, err := c.findWhere(tAccountAssign, "", func(r *Record) bool { return r.Inputs["permissionSetArn"] == arn })
				if err != nil {
					return err
				}
				if len(as) > 0 {
					// DeletePermissionSet of a set still provisioned.
					return awsErr("ConflictException", "PermissionSet %s is still assigned to %d principals on accounts; delete the account assignments first", arn, len(as))
				}
				return nil
			},
		},
		{
			token: tPSManagedPolicy, label: "SSO Managed Policy Attachment", org: true,
			replaces: []string{"instanceArn", "permissionSetArn", "managedPolicyArn"},
			outputs:  []string{"managedPolicyName"},
			static: func(in map[string]any) []failure {
				if a, ok := str(in, "managedPolicyArn"); ok && !awsManagedPolicyARN.MatchString(a) {
					return []failure{failf("managedPolicyArn", "ValidationException: %q is not an AWS managed policy ARN", a)}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				instance, _ := str(in, "instanceArn")
				if _, err := instanceIn(c, instance); err != nil {
					return err
				}
				ps, _ := str(in, "permissionSetArn")
				if _, err := permissionSetOf(c, ps); err != nil {
					return err
				}
				policy, _ := str(in, "managedPolicyArn")
				on, err := c.findWhere(tPSManagedPolicy, selfID, func(r *Record) bool { return r.Inputs["permissionSetArn"] == ps })
				if err != nil {
					return err
				}
				for _, r := range on {
					if r.Inputs["managedPolicyArn"] == policy {
						return awsErr("ConflictException", "Managed policy %s is already attached to %s", policy, ps)
					}
				}
				if len(on) >= maxRoleManagedPolicies {
					return awsErr("ServiceQuotaExceededException", "Permission set %s already has %d managed policies; its IAM role takes %d", ps, len(on), maxRoleManagedPolicies)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				instance, _ := str(in, "instanceArn")
				ps, _ := str(in, "permissionSetArn")
				policy, _ := str(in, "managedPolicyArn")
				return policy + "," + ps + "," + instance, map[string]any{"managedPolicyName": policy[strings.LastIndex(policy, "/")+1:]}, nil
			},
		},
		{
			token: tPSInlinePolicy, label: "SSO Permission Set Inline Policy", org: true,
			replaces: []string{"instanceArn", "permissionSetArn"},
			static: func(in map[string]any) []failure {
				p, ok := str(in, "inlinePolicy")
				switch {
				case !ok:
				case !validJSON(p):
					return []failure{failf("inlinePolicy", "ValidationException: the inline policy is not valid JSON")}
				case len(p) > maxInlinePolicyBytes || nonWhitespaceBytes(p) > maxInlineNonWhitespace:
					return []failure{failf("inlinePolicy", "ValidationException: %d bytes (%d non-whitespace); at most %d (%d)", len(p), nonWhitespaceBytes(p), maxInlinePolicyBytes, maxInlineNonWhitespace)}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, _ string) error {
				instance, _ := str(in, "instanceArn")
				if _, err := instanceIn(c, instance); err != nil {
					return err
				}
				ps, _ := str(in, "permissionSetArn")
				_, err := permissionSetOf(c, ps)
				return err
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				instance, _ := str(in, "instanceArn")
				ps, _ := str(in, "permissionSetArn")
				return ps + "," + instance, map[string]any{}, nil
			},
		},
		{
			token: tIdentityGroup, label: "IdentityStore Group", org: true,
			replaces: []string{"identityStoreId"},
			outputs:  []string{"groupId", "externalIds"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if n, ok := str(in, "displayName"); ok && (len(n) < 1 || len(n) > 1024) {
					fs = append(fs, failf("displayName", "ValidationException: must be 1 to 1024 characters"))
				}
				if s, ok := str(in, "identityStoreId"); ok && !identityStorePattern.MatchString(s) {
					fs = append(fs, failf("identityStoreId", "ValidationException: %q is not an identity store id (d-xxxxxxxxxx)", s))
				}
				return fs
			},
			validate: uniqueInStore(tIdentityGroup, "displayName", "GroupDisplayName"),
			build:    newInStore("groupId"),
		},
		{
			token: tIdentityUser, label: "IdentityStore User", org: true,
			replaces: []string{"identityStoreId"},
			outputs:  []string{"userId", "externalIds"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if n, ok := str(in, "userName"); ok && (len(n) < 1 || len(n) > 128 || strings.ContainsAny(n, " \t\n")) {
					fs = append(fs, failf("userName", "ValidationException: %q must be 1 to 128 characters without spaces", n))
				}
				if n, ok := str(in, "displayName"); ok && (len(n) < 1 || len(n) > 1024) {
					fs = append(fs, failf("displayName", "ValidationException: must be 1 to 1024 characters"))
				}
				// terraform-provider-aws: the name block, with given_name and
				// family_name, is required.
				if v, present := in["name"]; !present || !hasUnknown(v) {
					if name, ok := v.(map[string]any); !ok || name["givenName"] == nil || name["familyName"] == nil {
						fs = append(fs, failf("name", "givenName and familyName are required"))
					}
				}
				return fs
			},
			validate: uniqueInStore(tIdentityUser, "userName", "UserName"),
			build:    newInStore("userId"),
		},
		{
			token: tGroupMembership, label: "IdentityStore Group Membership", org: true,
			replaces: []string{"identityStoreId", "groupId", "memberId"},
			outputs:  []string{"membershipId"},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				store, _ := str(in, "identityStoreId")
				if err := storeIn(c, store); err != nil {
					return err
				}
				group, _ := str(in, "groupId")
				member, _ := str(in, "memberId")
				for _, ref := range []struct{ typ, key, id string }{{tIdentityGroup, "groupId", group}, {tIdentityUser, "userId", member}} {
					rs, err := byOutput(c, ref.typ, "", ref.key, ref.id)
					if err != nil {
						return err
					}
					if len(rs) == 0 {
						return awsErr("ResourceNotFoundException", "%s %s does not exist in identity store %s", ref.key, ref.id, store)
					}
				}
				dup, err := c.findWhere(tGroupMembership, selfID, func(r *Record) bool {
					return r.Inputs["groupId"] == group && r.Inputs["memberId"] == member
				})
				if err != nil {
					return err
				}
				if len(dup) > 0 {
					return awsErr("ConflictException", "Member %s is already in group %s", member, group)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				store, _ := str(in, "identityStoreId")
				id := uuid()
				return store + "/" + id, map[string]any{"membershipId": id}, nil
			},
		},
		{
			token: tAccountAssign, label: "SSO Account Assignment", org: true,
			replaces: []string{"instanceArn", "permissionSetArn", "principalId", "principalType", "targetId", "targetType"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if p, ok := str(in, "principalType"); ok && !slices.Contains([]string{"USER", "GROUP"}, p) {
					fs = append(fs, failf("principalType", "ValidationException: must be USER or GROUP, got %q", p))
				}
				if tt, ok := str(in, "targetType"); ok && tt != "AWS_ACCOUNT" {
					fs = append(fs, failf("targetType", "ValidationException: must be AWS_ACCOUNT, got %q", tt))
				}
				if id, ok := str(in, "targetId"); ok && !accountPattern.MatchString(id) {
					fs = append(fs, failf("targetId", "ValidationException: %q is not a 12-digit account id", id))
				}
				return fs
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				instance, _ := str(in, "instanceArn")
				ic, err := instanceIn(c, instance)
				if err != nil {
					return err
				}
				ps, _ := str(in, "permissionSetArn")
				if _, err := permissionSetOf(c, ps); err != nil {
					return err
				}
				principal, _ := str(in, "principalId")
				ptype, _ := str(in, "principalType")
				typ, key := tIdentityGroup, "groupId"
				if ptype == "USER" {
					typ, key = tIdentityUser, "userId"
				}
				ps2, err := c.findWhere(typ, "", func(r *Record) bool {
					v, _ := str(r.Outputs, key)
					return v == principal && r.Inputs["identityStoreId"] == ic.storeID
				})
				if err != nil {
					return err
				}
				if len(ps2) == 0 {
					return awsErr("ResourceNotFoundException", "%s %s does not exist in identity store %s", strings.ToLower(ptype), principal, ic.storeID)
				}
				target, _ := str(in, "targetId")
				if target != c.mgmt() {
					acct, err := c.find(tAccount, target)
					if err != nil {
						return err
					}
					if acct == nil || accountClosed(acct) {
						return awsErr("ValidationException", "Account %s is not an active member of the organization", target)
					}
				}
				dup, err := c.findWhere(tAccountAssign, selfID, func(r *Record) bool {
					return r.Inputs["permissionSetArn"] == ps && r.Inputs["principalId"] == principal && r.Inputs["targetId"] == target
				})
				if err != nil {
					return err
				}
				if len(dup) > 0 {
					return awsErr("ConflictException", "%s %s already has %s on account %s", ptype, principal, ps, target)
				}
				return nil
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				var parts []string
				for _, k := range []string{"principalId", "principalType", "targetId", "targetType", "permissionSetArn", "instanceArn"} {
					v, _ := str(in, k)
					parts = append(parts, v)
				}
				return strings.Join(parts, ","), map[string]any{}, nil
			},
		},
	}
}
