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
// account-creation limit, regions as separate control planes beyond
// scoping (a regional resource is seen only by providers of its region,
// and names are unique per account and region; availability zones are
// validated), and most optional arguments (they are stored and echoed, not
// interpreted).
//
// On disk, under $FAKEAWS_DIR:
//
//	.lock                                        flock for every mutation
//	accounts/<account>/<type>/<id>.json           a Record of a global type
//	accounts/<account>/<type>/<region>/<id>.json  a Record of a regional type
//	stats.json                                   Stats
//	inflight.json                                account creations in progress
//
// where <type> is the type token and <id> the resource id with ':' and '/'
// replaced by '_'. Global types are those of Organizations, IAM and S3
// (bucket names are one global namespace; the bucket configuration
// resources are keyed by bucket name); every other type is regional, so a
// log group or trail name may be used once per account and region.
// Organizations resources live in the management account's folder. Tests
// read the cloud with Open (Record.Region tells a record's region).
//
// Accounts made by CreateAccount cannot leave the organization (an Account
// delete with closeOnDeletion false is RemoveAccountFromOrganization) until
// they can operate standalone: the delete fails with
// ConstraintViolationException ACCOUNT_CANNOT_LEAVE_WITHOUT_PHONE_VERIFICATION
// and the account stays. Seeded accounts (SeedAccount) are invited ones
// (joinedMethod INVITED) and may leave; FAKEAWS_STANDALONE_ACCOUNTS=true lets
// every account leave. With closeOnDeletion true the delete is CloseAccount:
// the account stays in the organization, SUSPENDED.
//
// The plugin reads its environment:
//
//	FAKEAWS_DIR                     the cloud's directory (required)
//	FAKEAWS_MANAGEMENT_ACCOUNT      management account (111111111111)
//	FAKEAWS_ORG_ID, FAKEAWS_ROOT_ID organization and root (o-tzfake0001, r-tz01)
//	FAKEAWS_ACCOUNT_CREATE_SECONDS  how long an account creation takes (1; a float)
//	FAKEAWS_FAIL_CREATE             "<type>#<N>,...": fail the Nth real Create of a type
//	FAKEAWS_SLOW                    "<type>=<duration>,...": sleep in each Create of a type
//	FAKEAWS_STANDALONE_ACCOUNTS     "true": every account has completed its standalone
//	                                setup and may leave the organization (false)
//	AWS_REGION, AWS_DEFAULT_REGION  region of a provider that sets none
package fakeaws
