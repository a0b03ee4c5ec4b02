package fakeaws

import "testing"

// TestBaselineRules: account settings are one per account (and region),
// password policy values in the API's ranges, the EBS default key must
// exist, a vault lock needs its vault and three days of grace, and an
// organization analyzer needs the management account or the delegated
// administrator for Access Analyzer (not for another service).
func TestBaselineRules(t *testing.T) {
	o := testOptions(t)
	m := newServer(t, o, nil)
	sec, s := newMember(t, o, m, "security")

	mustCreate(t, s, tEBSDefault, "ebs", map[string]any{"enabled": true})
	_, _, err := create(t, s, tEBSDefault, "ebs-again", map[string]any{"enabled": true})
	wantErr(t, err, "ConflictException", "EBS encryption by default")
	_, _, err = create(t, s, tEBSDefaultKey, "key", map[string]any{"keyArn": "arn:aws:kms:us-east-1:" + sec + ":key/nope"})
	wantErr(t, err, "InvalidKmsKey.NotFound")

	mustCreate(t, s, tS3AccountBlock, "pab", map[string]any{"blockPublicAcls": true})
	_, _, err = create(t, s, tS3AccountBlock, "pab-again", map[string]any{"blockPublicAcls": true})
	wantErr(t, err, "ConflictException")

	if _, fails := check(t, s, tPasswordPolicy, "pw", nil, map[string]any{"minimumPasswordLength": 200.0, "passwordReusePrevention": 30.0}); len(fails) != 2 {
		t.Errorf("out-of-range password policy: %v", fails)
	}

	_, _, err = create(t, s, tVaultLock, "lock", map[string]any{"backupVaultName": "nope", "changeableForDays": 3.0, "minRetentionDays": 7.0})
	wantErr(t, err, "ResourceNotFoundException")
	if _, fails := check(t, s, tVaultLock, "lock", nil, map[string]any{"backupVaultName": "v", "changeableForDays": 1.0}); len(fails) != 1 {
		t.Errorf("a grace period under 3 days was accepted: %v", fails)
	}

	org := map[string]any{"analyzerName": "org", "type": "ORGANIZATION"}
	_, _, err = create(t, s, tAnalyzer, "org", org)
	wantErr(t, err, "ValidationException", "delegated administrator for access-analyzer.amazonaws.com")
	mustCreate(t, m, tDelegatedAdm, "config-admin", map[string]any{"accountId": sec, "servicePrincipal": "config.amazonaws.com"})
	_, _, err = create(t, s, tAnalyzer, "org", org)
	wantErr(t, err, "ValidationException")
	mustCreate(t, m, tDelegatedAdm, "aa-admin", map[string]any{"accountId": sec, "servicePrincipal": accessAnalyzerPrincipal})
	mustCreate(t, s, tAnalyzer, "org", org)
	_, _, err = create(t, s, tAnalyzer, "org-again", org)
	wantErr(t, err, "ConflictException")
	// The management account needs no delegation.
	mustCreate(t, m, tAnalyzer, "mgmt-org", map[string]any{"analyzerName": "mgmt-org", "type": "ORGANIZATION"})
}
