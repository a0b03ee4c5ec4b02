package tiers

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// PolicyVersion is the only IAM policy language version SCPs should use.
const PolicyVersion = "2012-10-17"

// PolicyDocument is an IAM policy document as used by service control policies.
type PolicyDocument struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one IAM policy statement. Condition maps operator -> key -> values.
type Statement struct {
	Sid       string                         `json:"Sid,omitempty"`
	Effect    string                         `json:"Effect"`
	Action    []string                       `json:"Action,omitempty"`
	NotAction []string                       `json:"NotAction,omitempty"`
	Resource  []string                       `json:"Resource,omitempty"`
	Condition map[string]map[string][]string `json:"Condition,omitempty"`
}

// JSON renders the document minified, which is how its size counts against
// the SCP limit when sent through the API (whitespace is only stripped by the
// console). encoding/json sorts map keys, so the output is deterministic.
func (d PolicyDocument) JSON() (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return "", fmt.Errorf("render policy: %w", err)
	}
	return string(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

// SCP is a service control policy the landing zone creates.
type SCP struct {
	// Name is the policy name in AWS Organizations (1-128 characters, unique
	// in the organization).
	Name        string
	Description string
	Guardrails  []Guardrail
	Document    PolicyDocument
}
