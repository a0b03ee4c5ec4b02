package plan

import (
	"encoding/json"
	"fmt"
)

// DecodeReport reads a report written by WriteJSON (`tierzone plan --format
// json`). ok is false when raw is not such a report (not JSON, or without
// its "summary" and "resources"), so a caller can try it as something else.
func DecodeReport(raw []byte) (rep *Report, ok bool, err error) {
	var top map[string]json.RawMessage
	if json.Unmarshal(raw, &top) != nil {
		return nil, false, nil
	}
	if _, ok := top["summary"]; !ok {
		return nil, false, nil
	}
	if _, ok := top["resources"]; !ok {
		return nil, false, nil
	}
	rep = &Report{}
	if err := json.Unmarshal(raw, rep); err != nil {
		return nil, true, fmt.Errorf("read the plan JSON: %w", err)
	}
	return rep, true, nil
}
