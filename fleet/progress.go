package fleet

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// prefixer writes several stacks' progress to one writer, whole lines at a
// time, each prefixed with its stack's name.
type prefixer struct {
	mu sync.Mutex
	w  io.Writer
}

// stream is the progress writer of one stack.
func (p *prefixer) stream(stack string) io.Writer {
	return &lineWriter{p: p, prefix: "[" + stack + "] "}
}

type lineWriter struct {
	p      *prefixer
	prefix string
	buf    bytes.Buffer
}

func (l *lineWriter) Write(b []byte) (int, error) {
	l.buf.Write(b)
	for {
		line, err := l.buf.ReadString('\n')
		if err != nil {
			// An incomplete line waits for the rest.
			l.buf.WriteString(line)
			return len(b), nil
		}
		l.p.mu.Lock()
		_, werr := io.WriteString(l.p.w, l.prefix+line)
		l.p.mu.Unlock()
		if werr != nil {
			return len(b), werr
		}
	}
}

// WriteTable prints one line per stack: customer, result, changes,
// duration, and the error or why it was skipped.
func (r *Report) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "%-32s %-22s %-9s %-30s %9s  %s\n", "STACK", "CUSTOMER", "RESULT", "CHANGES", "DURATION", "NOTE")
	for _, res := range append([]Result{r.Organization}, r.Customers...) {
		if res.Stack == "" {
			continue
		}
		result, note := "ok", ""
		switch {
		case res.Err != nil:
			result, note = "failed", firstLine(res.Err.Error())
		case res.Skipped != "":
			result, note = "skipped", res.Skipped
		case res.Unchanged != nil:
			result, note = "unchanged", fmt.Sprintf("inputs and state as at its clean %s of %s; not run again", res.Unchanged.Op, res.Unchanged.At.Format(time.RFC3339))
		}
		customer := res.Customer
		if customer == "" {
			customer = "(organization)"
		}
		fmt.Fprintf(w, "%-32s %-22s %-9s %-30s %9s  %s\n", res.Stack, customer, result, changeList(res.Changes),
			res.Duration.Round(100*time.Millisecond), note)
	}
}

func changeList(m map[string]int) string {
	var parts []string
	for k, v := range m {
		if v > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, v))
		}
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// firstLine keeps a table row short; the whole error is in the report.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}
