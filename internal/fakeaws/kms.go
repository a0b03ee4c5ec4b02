package fakeaws

import (
	"fmt"
	"slices"
)

func kmsKinds() []*kind {
	return []*kind{
		{
			token: tKey, label: "KMS Key", tagsAll: true,
			replaces: []string{"customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"},
			outputs:  []string{"arn", "keyId"},
			static: func(in map[string]any) []failure {
				var fs []failure
				if p, ok := str(in, "policy"); ok && !validJSON(p) {
					// CreateKey: MalformedPolicyDocumentException.
					fs = append(fs, failf("policy", "MalformedPolicyDocumentException: the key policy is not valid JSON"))
				}
				if d, ok := num(in, "deletionWindowInDays"); ok && (d < 7 || d > 30) {
					// ScheduleKeyDeletion PendingWindowInDays: 7-30
					// (ValidationException).
					fs = append(fs, failf("deletionWindowInDays", "ValidationException: must be between 7 and 30, got %v", d))
				}
				if u, ok := str(in, "keyUsage"); ok && !slices.Contains([]string{"ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"}, u) {
					// CreateKey KeyUsage.
					fs = append(fs, failf("keyUsage", "must be ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC or KEY_AGREEMENT, got %q", u))
				}
				if d, ok := num(in, "rotationPeriodInDays"); ok && (d < 90 || d > 2560) {
					// EnableKeyRotation RotationPeriodInDays: 90-2560.
					fs = append(fs, failf("rotationPeriodInDays", "must be between 90 and 2560, got %v", d))
				}
				return fs
			},
			build: func(c *opCtx, in map[string]any) (string, map[string]any, error) {
				id := uuid()
				out := map[string]any{
					"arn":   fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", c.region, c.account, id),
					"keyId": id, "isEnabled": defaultBool(in, "isEnabled", true),
					"keyUsage": "ENCRYPT_DECRYPT", "customerMasterKeySpec": "SYMMETRIC_DEFAULT",
					"multiRegion": false, "bypassPolicyLockoutSafetyCheck": false,
				}
				for _, k := range []string{"keyUsage", "customerMasterKeySpec"} {
					if v, ok := str(in, k); ok {
						out[k] = v
					}
				}
				if _, ok := num(in, "deletionWindowInDays"); !ok {
					out["deletionWindowInDays"] = 30.0
				}
				if boolean(in, "enableKeyRotation") {
					if _, ok := num(in, "rotationPeriodInDays"); !ok {
						out["rotationPeriodInDays"] = 365.0
					}
				}
				return id, out, nil
			},
		},
	}
}
