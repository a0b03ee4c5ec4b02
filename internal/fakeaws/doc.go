// Package fakeaws is a test double for the pulumi-aws resource provider: a
// real Pulumi resource provider (it speaks the provider gRPC protocol and is
// started by the real engine as pulumi-resource-aws) whose "cloud" is a
// directory of JSON files.
//
// What it models: the resource types Tierzone uses (Organizations policies,
// OUs, attachments and accounts; EC2 VPC networking and flow logs; S3
// buckets and their configuration resources; CloudWatch log groups; IAM
// roles and inline policies; KMS keys; CloudTrail trails), with the ids and
// ARNs in AWS formats, pulumi-aws autonaming and replacement rules, default
// tags (tagsAll), providers that assume a role into a member account, and
// the AWS rules Tierzone depends on (uniqueness, existence of referenced
// resources, dependency violations on delete, quotas such as 5 concurrent
// account creations and 10 SCPs per target). Each rule names its AWS
// source in a comment. Several plugin processes share one cloud: every
// mutation holds an exclusive flock on the store.
//
// What it does not model: eventual consistency (everything is visible
// immediately), IAM, SCP, bucket or key policy evaluation (documents are
// only checked to be JSON), any data plane (no objects, no log events, no
// traffic, no flow-log delivery), pricing, throttling other than the
// account-creation limit, regions as separate control planes (a region is a
// label on the record plus availability-zone validation), and most optional
// arguments (they are stored and echoed, not interpreted).
//
// On disk, under $FAKEAWS_DIR:
//
//	.lock                                   flock for every mutation
//	accounts/<account>/<type>/<id>.json      one Record per resource
//	stats.json                              Stats
//	inflight.json                           account creations in progress
//
// where <type> is the type token and <id> the resource id with ':' and '/'
// replaced by '_'. Organizations resources live in the management
// account's folder. Tests read the cloud with Open.
//
// The plugin reads its environment:
//
//	FAKEAWS_DIR                     the cloud's directory (required)
//	FAKEAWS_MANAGEMENT_ACCOUNT      management account (111111111111)
//	FAKEAWS_ORG_ID, FAKEAWS_ROOT_ID organization and root (o-tzfake0001, r-tz01)
//	FAKEAWS_ACCOUNT_CREATE_SECONDS  how long an account creation takes (1; a float)
//	FAKEAWS_FAIL_CREATE             "<type>#<N>,...": fail the Nth real Create of a type
//	FAKEAWS_SLOW                    "<type>=<duration>,...": sleep in each Create of a type
//	AWS_REGION, AWS_DEFAULT_REGION  region of a provider that sets none
package fakeaws
