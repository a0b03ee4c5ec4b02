package fakeaws

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Options configure a Server. OptionsFromEnv reads them from the
// environment the engine starts the plugin with.
type Options struct {
	// Dir is the cloud's directory (FAKEAWS_DIR, required).
	Dir string
	// ManagementAccount is the account a provider without assumeRole acts
	// in (FAKEAWS_MANAGEMENT_ACCOUNT, default 111111111111).
	ManagementAccount string
	// OrganizationID (FAKEAWS_ORG_ID, default o-tzfake0001) and RootID
	// (FAKEAWS_ROOT_ID, default r-tz01).
	OrganizationID string
	RootID         string
	// AccountCreateDelay is how long an account creation takes
	// (FAKEAWS_ACCOUNT_CREATE_SECONDS, default 1).
	AccountCreateDelay time.Duration
	// FailCreate fails the Nth real Create of a type (FAKEAWS_FAIL_CREATE).
	FailCreate map[string][]int
	// Slow delays each Create of a type (FAKEAWS_SLOW).
	Slow map[string]time.Duration
	// StandaloneAccounts says every member account has completed the
	// information it needs to operate as a standalone account (support
	// plan, verified contact information and phone, payment method), so
	// even accounts made with CreateAccount may leave the organization
	// (FAKEAWS_STANDALONE_ACCOUNTS=true; default false).
	StandaloneAccounts bool
	// NoIdentityCenter: the organization has not enabled IAM Identity
	// Center, so ListInstances returns none (FAKEAWS_NO_IDENTITY_CENTER).
	NoIdentityCenter bool
	// IdentityCenterRegion is the instance's home region
	// (FAKEAWS_IDENTITY_CENTER_REGION, default us-east-1).
	IdentityCenterRegion string
}

// Defaults of the organization.
const (
	DefaultManagementAccount = "111111111111"
	DefaultOrganizationID    = "o-tzfake0001"
	DefaultRootID            = "r-tz01"
	// DefaultIdentityCenterRegion is the Identity Center instance's home
	// region.
	DefaultIdentityCenterRegion = "us-east-1"
	// FullAWSAccessID is the AWS managed policy attached to every root,
	// OU and account.
	FullAWSAccessID = "p-FullAWSAccess"
	// DefaultAccessRole is the role Organizations creates in a new account
	// when CreateAccount names none (CreateAccount RoleName).
	DefaultAccessRole = "OrganizationAccountAccessRole"
)

// OptionsFromEnv reads the Options from FAKEAWS_* variables.
func OptionsFromEnv() (Options, error) {
	o := Options{
		Dir:                  os.Getenv("FAKEAWS_DIR"),
		ManagementAccount:    envOr("FAKEAWS_MANAGEMENT_ACCOUNT", DefaultManagementAccount),
		OrganizationID:       envOr("FAKEAWS_ORG_ID", DefaultOrganizationID),
		RootID:               envOr("FAKEAWS_ROOT_ID", DefaultRootID),
		AccountCreateDelay:   time.Second,
		IdentityCenterRegion: os.Getenv("FAKEAWS_IDENTITY_CENTER_REGION"),
	}
	if o.Dir == "" {
		return o, errors.New("fakeaws: FAKEAWS_DIR is not set: it must name the directory that holds the fake cloud")
	}
	if s := os.Getenv("FAKEAWS_ACCOUNT_CREATE_SECONDS"); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 {
			return o, fmt.Errorf("fakeaws: FAKEAWS_ACCOUNT_CREATE_SECONDS=%q is not a number of seconds", s)
		}
		o.AccountCreateDelay = time.Duration(f * float64(time.Second))
	}
	if v := os.Getenv("FAKEAWS_STANDALONE_ACCOUNTS"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return o, fmt.Errorf("fakeaws: FAKEAWS_STANDALONE_ACCOUNTS=%q is not true or false", v)
		}
		o.StandaloneAccounts = b
	}
	if v := os.Getenv("FAKEAWS_NO_IDENTITY_CENTER"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return o, fmt.Errorf("fakeaws: FAKEAWS_NO_IDENTITY_CENTER=%q is not true or false", v)
		}
		o.NoIdentityCenter = b
	}
	var err error
	if o.FailCreate, err = parseFailCreate(os.Getenv("FAKEAWS_FAIL_CREATE")); err != nil {
		return o, err
	}
	if o.Slow, err = parseSlow(os.Getenv("FAKEAWS_SLOW")); err != nil {
		return o, err
	}
	return o, nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func (o *Options) defaults() error {
	if o.Dir == "" {
		return errors.New("fakeaws: FAKEAWS_DIR is not set: it must name the directory that holds the fake cloud")
	}
	if o.ManagementAccount == "" {
		o.ManagementAccount = DefaultManagementAccount
	}
	if !accountPattern.MatchString(o.ManagementAccount) {
		return fmt.Errorf("fakeaws: management account %q is not 12 digits", o.ManagementAccount)
	}
	if o.OrganizationID == "" {
		o.OrganizationID = DefaultOrganizationID
	}
	if o.RootID == "" {
		o.RootID = DefaultRootID
	}
	if o.IdentityCenterRegion == "" {
		o.IdentityCenterRegion = DefaultIdentityCenterRegion
	}
	return nil
}

var (
	accountPattern = regexp.MustCompile(`^\d{12}$`)
	// roleArnPattern: arn:aws:iam::<account>:role/<path/><name> (IAM
	// User Guide, "IAM ARNs").
	roleArnPattern = regexp.MustCompile(`^arn:aws:iam::(\d{12}):role/(?:[\w+=,.@/-]*/)?([\w+=,.@-]+)$`)
)

// providerConfig is the provider's configuration as the engine sent it.
type providerConfig struct {
	// unknown is set when some value is not known yet.
	unknown     bool
	region      string
	roleArn     string
	sessionName string
	allowed     []string
	hasAllowed  bool
	defaultTags map[string]string
}

// target is where a resolved provider acts.
type target struct {
	account     string
	region      string
	roleArn     string
	sessionName string
	defaultTags map[string]string
}

// parseConfig reads the provider inputs (Configure Args, or the
// "aws:config:*" variables turned into a plain map). Nested values may come
// as JSON strings (older SDKs encode them so).
func parseConfig(in map[string]any) providerConfig {
	var c providerConfig
	for _, k := range []string{"region", "assumeRole", "allowedAccountIds", "defaultTags"} {
		if hasUnknown(in[k]) {
			c.unknown = true
		}
	}
	c.region, _ = str(in, "region")
	if ar := jsonish(in["assumeRole"]); ar != nil {
		if m, ok := ar.(map[string]any); ok {
			c.roleArn, _ = str(m, "roleArn")
			c.sessionName, _ = str(m, "sessionName")
		} else if arr, ok := ar.([]any); ok && len(arr) > 0 {
			if m, ok := arr[0].(map[string]any); ok {
				c.roleArn, _ = str(m, "roleArn")
				c.sessionName, _ = str(m, "sessionName")
			}
		}
	}
	if al := jsonish(in["allowedAccountIds"]); al != nil {
		c.hasAllowed = true
		c.allowed = stringList(al)
	}
	if dt, ok := jsonish(in["defaultTags"]).(map[string]any); ok {
		c.defaultTags = stringMap(jsonish(dt["tags"]))
	}
	return c
}

// jsonish decodes a value that may be a JSON-encoded string.
func jsonish(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	var out any
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		if json.Unmarshal([]byte(s), &out) == nil {
			return out
		}
	}
	return v
}

// resolve finds the account a provider acts in: the one in
// assumeRole.roleArn, else the management account.
func (s *Server) resolve(cfg providerConfig) (*target, error) {
	if cfg.unknown {
		return nil, errors.New("fakeaws: the aws provider's configuration is not known yet (unknown region, assumeRole or allowedAccountIds)")
	}
	region := cfg.region
	if region == "" {
		region = envOr("AWS_REGION", os.Getenv("AWS_DEFAULT_REGION"))
	}
	if region == "" {
		// The real provider refuses to start without a region.
		return nil, errors.New("fakeaws: configuring the aws provider: missing region: set the provider's region (aws:region)")
	}
	if _, ok := regionZones(region); !ok {
		return nil, fmt.Errorf("fakeaws: configuring the aws provider: invalid AWS Region: %s", region)
	}
	t := &target{account: s.opts.ManagementAccount, region: region, roleArn: cfg.roleArn, sessionName: cfg.sessionName, defaultTags: cfg.defaultTags}
	if cfg.roleArn != "" {
		acct, err := s.assumeRole(cfg.roleArn)
		if err != nil {
			return nil, err
		}
		t.account = acct
	}
	// allowed_account_ids: the provider refuses to act in any other account
	// (terraform-provider-aws conns/config.go, "AWS account ID not allowed").
	if cfg.hasAllowed && !slices.Contains(cfg.allowed, t.account) {
		return nil, fmt.Errorf("fakeaws: configuring the aws provider: AWS account ID not allowed: %s", t.account)
	}
	return t, nil
}

// assumeRole checks that roleArn can be assumed: its account is the
// management account or a member of the organization, and the role is the
// one the account was created with (or one created in it since).
func (s *Server) assumeRole(roleArn string) (string, error) {
	m := roleArnPattern.FindStringSubmatch(roleArn)
	if m == nil {
		// STS AssumeRole ValidationError on a malformed RoleArn.
		return "", fmt.Errorf("fakeaws: configuring the aws provider: cannot assume IAM Role: ValidationError: %q is not a valid role ARN", roleArn)
	}
	acct, role := m[1], m[2]
	if acct == s.opts.ManagementAccount {
		return acct, nil
	}
	denied := func(why string) error {
		// STS AssumeRole fails with AccessDenied when the role does not
		// exist or does not trust the caller (STS API reference, AssumeRole).
		return fmt.Errorf("fakeaws: configuring the aws provider: cannot assume IAM Role (%s): operation error STS: AssumeRole, StatusCode: 403, api error AccessDenied: "+
			"User: arn:aws:iam::%s:user/fakeaws is not authorized to perform: sts:AssumeRole on resource: %s (%s)", roleArn, s.opts.ManagementAccount, roleArn, why)
	}
	tx, err := s.store.lock(false)
	if err != nil {
		return "", err
	}
	defer tx.unlock()
	rec, err := tx.get(s.opts.ManagementAccount, "", tAccount, acct)
	if err != nil {
		return "", err
	}
	if rec == nil {
		return "", denied("account " + acct + " is not a member of the organization")
	}
	if st, _ := str(rec.Outputs, "status"); st == "SUSPENDED" {
		// A closed (SUSPENDED) account's resources are not available
		// (CloseAccount API reference: "During this 90-day period, the
		// resources won't be available").
		return "", denied("account " + acct + " is closed (SUSPENDED)")
	}
	created, _ := str(rec.Outputs, "roleName")
	if created == "" {
		created = DefaultAccessRole
	}
	if role == created {
		return acct, nil
	}
	roles, err := tx.list(acct, tRole)
	if err != nil {
		return "", err
	}
	for _, r := range roles {
		if r.ID == role {
			return acct, nil
		}
	}
	return "", denied("account " + acct + " has no role " + role + "; it was created with " + created)
}

// regionZones returns the availability-zone letters of the regions the
// fake knows (EC2 DescribeAvailabilityZones; letters as AWS names them).
func regionZones(region string) (string, bool) {
	switch region {
	case "us-east-1":
		return "abcdef", true
	case "us-east-2":
		return "abc", true
	case "us-west-1":
		return "ab", true
	case "us-west-2":
		return "abcd", true
	case "ca-central-1":
		return "abd", true
	case "eu-west-1":
		return "abc", true
	case "eu-west-2":
		return "abc", true
	case "eu-west-3":
		return "abc", true
	case "eu-central-1":
		return "abc", true
	case "eu-north-1":
		return "abc", true
	case "ap-southeast-1":
		return "abc", true
	case "ap-southeast-2":
		return "abc", true
	case "ap-northeast-1":
		return "acd", true
	case "ap-south-1":
		return "abc", true
	case "sa-east-1":
		return "abc", true
	}
	return "", false
}

// zoneInRegion reports whether az is an availability zone of region.
func zoneInRegion(region, az string) bool {
	letters, ok := regionZones(region)
	if !ok || len(az) != len(region)+1 || !strings.HasPrefix(az, region) {
		return false
	}
	return strings.Contains(letters, az[len(region):])
}
