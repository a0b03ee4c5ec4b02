package fakeaws

import (
	"regexp"
	"strings"
)

// Shield Advanced: one subscription per account, which AWS will not cancel
// inside its one-year commitment (pulumi-aws skipDestroy leaves it); a
// protection per resource, of an existing resource of the same account,
// only while the account is subscribed.
const (
	tShieldSubscription = "aws:shield/subscription:Subscription"
	tShieldProtection   = "aws:shield/protection:Protection"
)

// eipARNPattern: arn:aws:ec2:<region>:<account>:eip-allocation/<id>.
var eipARNPattern = regexp.MustCompile(`^arn:aws:ec2:([a-z0-9-]+):(\d{12}):eip-allocation/(eipalloc-[0-9a-f]+)$`)

func shieldKinds() []*kind {
	return []*kind{
		{
			token: tShieldSubscription, label: "Shield Subscription",
			outputs: []string{},
			static: func(in map[string]any) []failure {
				if a, ok := str(in, "autoRenew"); ok && a != "ENABLED" && a != "DISABLED" {
					return []failure{failf("autoRenew", "InvalidParameterException: must be ENABLED or DISABLED")}
				}
				return nil
			},
			validate: func(c *opCtx, _ map[string]any, selfID string) error {
				subs, err := c.findWhere(tShieldSubscription, selfID, nil)
				if err != nil {
					return err
				}
				if len(subs) > 0 {
					return awsErr("ResourceAlreadyExistsException", "account %s is already subscribed to Shield Advanced", c.account)
				}
				return nil
			},
			build: func(c *opCtx, _ map[string]any) (string, map[string]any, error) {
				return c.account, map[string]any{}, nil
			},
			remove: func(_ *opCtx, rec *Record) error {
				// With skipDestroy the delete never reaches AWS (Delete).
				return awsErr("LockedSubscriptionException", "the Shield Advanced subscription of %s is within its one-year commitment and cannot be deleted", rec.Account)
			},
		},
		{
			token: tShieldProtection, label: "Shield Protection", tagsAll: true,
			replaces: []string{"name", "resourceArn"},
			outputs:  []string{"arn"},
			static: func(in map[string]any) []failure {
				if n, ok := str(in, "name"); ok && (len(n) < 1 || len(n) > 128) {
					return []failure{failf("name", "InvalidParameterException: must be 1 to 128 characters")}
				}
				return nil
			},
			validate: func(c *opCtx, in map[string]any, selfID string) error {
				subs, err := c.findWhere(tShieldSubscription, "", nil)
				if err != nil {
					return err
				}
				if len(subs) == 0 {
					return awsErr("ResourceNotFoundException", "the subscription does not exist (account %s is not subscribed to Shield Advanced)", c.account)
				}
				arn, _ := str(in, "resourceArn")
				m := eipARNPattern.FindStringSubmatch(arn)
				if m == nil {
					return awsErr("InvalidResourceException", "%s is not a resource Tierzone protects (an Elastic IP allocation ARN)", arn)
				}
				if m[2] != c.account || m[1] != c.region {
					return awsErr("InvalidResourceException", "%s is not in account %s, region %s", arn, c.account, c.region)
				}
				eip, err := c.find(tEip, m[3])
				if err != nil {
					return err
				}
				if eip == nil {
					return awsErr("ResourceNotFoundException", "Elastic IP %s does not exist", m[3])
				}
				dup, err := c.findWhere(tShieldProtection, selfID, func(r *Record) bool { return r.Inputs["resourceArn"] == arn })
				if err != nil {
					return err
				}
				if len(dup) > 0 {
					return awsErr("ResourceAlreadyExistsException", "%s is already protected", arn)
				}
				return nil
			},
			build: func(c *opCtx, _ map[string]any) (string, map[string]any, error) {
				id := strings.ReplaceAll(uuid(), "-", "")
				return id, map[string]any{"arn": "arn:aws:shield::" + c.account + ":protection/" + id}, nil
			},
		},
	}
}
