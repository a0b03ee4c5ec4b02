// Package validation collects every problem found in a catalog or a stack's
// settings so they can be reported at once, before anything is registered.
package validation

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with the input. Subject names what is wrong
// (a customer key such as `customer "acme-finance"`, a tier, or a stack config
// key) and Field the attribute, using the JSON/config field name a user types.
type Problem struct {
	Subject string `json:"subject"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Field == "" {
		return fmt.Sprintf("%s: %s", p.Subject, p.Message)
	}
	return fmt.Sprintf("%s: %s: %s", p.Subject, p.Field, p.Message)
}

// Error is returned when validation fails; it carries every problem found.
type Error struct {
	Problems []Problem
	// Outcome says what was left untouched; empty means "nothing was
	// registered" (validation before the program registers anything).
	Outcome string
}

func (e *Error) Error() string {
	lines := make([]string, 0, len(e.Problems)+1)
	noun := "problems"
	if len(e.Problems) == 1 {
		noun = "problem"
	}
	outcome := e.Outcome
	if outcome == "" {
		outcome = "nothing was registered"
	}
	lines = append(lines, fmt.Sprintf("tierzone: invalid configuration, %d %s (%s):", len(e.Problems), noun, outcome))
	for _, p := range e.Problems {
		lines = append(lines, "  - "+p.String())
	}
	return strings.Join(lines, "\n")
}

// List accumulates problems. The zero value is ready to use.
type List struct {
	problems []Problem
}

// Add records a problem; the message is formatted with fmt.Sprintf.
func (l *List) Add(subject, field, format string, args ...any) {
	l.problems = append(l.problems, Problem{Subject: subject, Field: field, Message: fmt.Sprintf(format, args...)})
}

// Merge appends the problems of another list or error (nil is ignored).
func (l *List) Merge(err error) {
	if err == nil {
		return
	}
	if ve, ok := err.(*Error); ok {
		l.problems = append(l.problems, ve.Problems...)
		return
	}
	l.problems = append(l.problems, Problem{Subject: "tierzone", Message: err.Error()})
}

// ErrWith is Err with the outcome the message reports (see Error.Outcome).
func (l *List) ErrWith(outcome string) error {
	err := l.Err()
	if ve, ok := err.(*Error); ok {
		ve.Outcome = outcome
	}
	return err
}

// Len is the number of problems so far.
func (l *List) Len() int { return len(l.problems) }

// Err returns nil when there are no problems, else an *Error with the
// problems in a stable order (by subject, then field, then message).
func (l *List) Err() error {
	if len(l.problems) == 0 {
		return nil
	}
	ps := append([]Problem(nil), l.problems...)
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Subject != ps[j].Subject {
			return ps[i].Subject < ps[j].Subject
		}
		return ps[i].Field < ps[j].Field
	})
	return &Error{Problems: ps}
}

// Customer formats the subject for a customer key.
func Customer(key string) string {
	if key == "" {
		return "customer (no key)"
	}
	return fmt.Sprintf("customer %q", key)
}

// CustomerAt formats the subject for a customer by key, falling back to its
// position when the key is missing.
func CustomerAt(index int, key string) string {
	if key == "" {
		return fmt.Sprintf("customer #%d (no key)", index+1)
	}
	return Customer(key)
}

// Stack formats the subject for a stack config key.
func Stack(key string) string { return fmt.Sprintf("stack config %q", key) }

// Tier formats the subject for a tier.
func Tier(key string) string { return fmt.Sprintf("tier %q", key) }
