package fakeaws

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// parseFailCreate parses FAKEAWS_FAIL_CREATE: "<type>#<N>[,<type>#<N>...]".
func parseFailCreate(s string) (map[string][]int, error) {
	out := map[string][]int{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		i := strings.LastIndex(part, "#")
		if i <= 0 {
			return nil, fmt.Errorf("fakeaws: FAKEAWS_FAIL_CREATE: %q is not <type token>#<N>", part)
		}
		n, err := strconv.Atoi(part[i+1:])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("fakeaws: FAKEAWS_FAIL_CREATE: %q: N must be a positive integer", part)
		}
		out[part[:i]] = append(out[part[:i]], n)
	}
	return out, nil
}

// parseSlow parses FAKEAWS_SLOW: "<type>=<duration>[,...]".
func parseSlow(s string) (map[string]time.Duration, error) {
	out := map[string]time.Duration{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		i := strings.LastIndex(part, "=")
		if i <= 0 {
			return nil, fmt.Errorf("fakeaws: FAKEAWS_SLOW: %q is not <type token>=<duration>", part)
		}
		d, err := time.ParseDuration(part[i+1:])
		if err != nil {
			return nil, fmt.Errorf("fakeaws: FAKEAWS_SLOW: %q: %w", part, err)
		}
		out[part[:i]] = d
	}
	return out, nil
}

// countCreate counts a real Create call of a type across every process
// and returns the injected failure when this is one of the calls to fail.
func (c *opCtx) countCreate(typ string) error {
	var n int
	if err := c.tx.updateStats(func(st *Stats) {
		st.CreateCalls[typ]++
		n = st.CreateCalls[typ]
	}); err != nil {
		return err
	}
	if slices.Contains(c.srv.opts.FailCreate[typ], n) {
		return fmt.Errorf("fakeaws: injected failure: Create #%d of %s (FAKEAWS_FAIL_CREATE)", n, typ)
	}
	return nil
}
