package tiers

// ObjectLockMode is an S3 Object Lock retention mode ("" for none).
type ObjectLockMode string

// S3 Object Lock modes (s3 PutObjectLockConfiguration DefaultRetention.Mode).
const (
	NoObjectLock ObjectLockMode = ""
	// Governance retention can be lifted by a principal holding
	// s3:BypassGovernanceRetention.
	Governance ObjectLockMode = "GOVERNANCE"
	// Compliance retention can be lifted by nobody, the root user included,
	// until it runs out.
	Compliance ObjectLockMode = "COMPLIANCE"
)

// Strictness orders modes: none < governance < compliance.
func (m ObjectLockMode) Strictness() int {
	switch m {
	case Governance:
		return 1
	case Compliance:
		return 2
	}
	return 0
}

// DeepArchive is the S3 storage class archived logs move to. Flow logs and
// trail files are written once and read only for an audit or an incident,
// where a 12-hour standard restore is acceptable because the recent months
// stay immediately searchable (CloudWatch Logs and S3 Standard). Deep Archive
// costs $0.00099/GB-month against $0.0036 for Glacier Flexible Retrieval and
// $0.004 for Glacier Instant Retrieval (reference section 5); its 180-day
// minimum is shorter than every tier's cold period. Objects under 128 KB stay
// in Standard (the S3 lifecycle default since Sept 2024), where the 40 KB
// per-object archive overhead would cost more than it saves.
const DeepArchive = "DEEP_ARCHIVE"

// Archive is how a tier's logs are kept in the S3 archive.
type Archive struct {
	// TransitionDays is the object age at which logs move to StorageClass;
	// before that they stay in S3 Standard, immediately readable.
	TransitionDays int
	// StorageClass is the S3 lifecycle storage class of the cold period.
	StorageClass string
	// TransitionSource says why TransitionDays.
	TransitionSource string
	// ObjectLock is the mode the framework's log-integrity control calls for
	// (NoObjectLock: none); ObjectLockDays how long each log is immutable.
	ObjectLock     ObjectLockMode
	ObjectLockDays int
	// ObjectLockSource says why.
	ObjectLockSource string
}

// MinDeepArchiveDays is S3 Glacier Deep Archive's minimum storage duration;
// deleting earlier is billed as if stored that long.
const MinDeepArchiveDays = 180

// TrailArchive is the archive of the organization trail. An organization
// trail covers every account of every tier and has one destination, so its
// bucket must satisfy the strictest tier: the latest transition, the
// strictest object-lock mode with the longest lock, and retention (see
// TrailArchiveDays) as long as the longest tier promise.
func TrailArchive(ts []Tier) Archive {
	a := Archive{StorageClass: DeepArchive,
		TransitionSource: "strictest tier: the organization trail records every tier's accounts",
		ObjectLockSource: "strictest tier: the organization trail records every tier's accounts"}
	for _, t := range ts {
		if t.Archive.TransitionDays > a.TransitionDays {
			a.TransitionDays = t.Archive.TransitionDays
		}
		if t.Archive.ObjectLock.Strictness() > a.ObjectLock.Strictness() {
			a.ObjectLock = t.Archive.ObjectLock
		}
		if t.Archive.ObjectLock != NoObjectLock && t.Archive.ObjectLockDays > a.ObjectLockDays {
			a.ObjectLockDays = t.Archive.ObjectLockDays
		}
	}
	return a
}

// TrailArchiveDays is how long the organization trail's files are kept:
// the longest retention of any tier.
func TrailArchiveDays(rs []Retention) int {
	days := 0
	for _, r := range rs {
		days = max(days, r.ArchiveDays)
	}
	return days
}
