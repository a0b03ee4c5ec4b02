package deploytime

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteText renders the estimate like the seeds' deployment timeline: the
// total, the phases with their start and end, and the critical path.
func WriteText(w io.Writer, e Estimate) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, a ...any) { fmt.Fprintf(tw, format, a...) }
	p("Deployment time: %s for %d resources (%d accounts created, at most %d at a time: %d waves; %d adopted)\n",
		e.Human, e.Resources, e.AccountsCreated, e.AccountConcurrency, e.AccountWaves, e.AccountsAdopted)
	p("\nPhase\tStart\tEnd\tOn critical path\tResources\tWhat\n")
	for _, ph := range e.Phases {
		p("%s\t%s\t%s\t%s\t%d\t%s\n", ph.Name, clock(ph.Start), clock(ph.End), Human(ph.OnCritical), ph.Resources, ph.Description)
	}
	p("\nCritical path (%d steps)\n", len(e.CriticalPath))
	p("Start\tFinish\tWaits via\tResource\n")
	for _, t := range e.CriticalPath {
		via := t.Via
		if via == "" {
			via = "-"
		}
		p("%s\t%s\t%s\t%s %s\n", clock(t.Start), clock(t.Finish), via, t.Type, t.Name)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(e.Assumptions) > 0 {
		if _, err := fmt.Fprintln(w, "\nDurations:"); err != nil {
			return err
		}
		for _, a := range e.Assumptions {
			if _, err := fmt.Fprintf(w, "  - %s\n", a); err != nil {
				return err
			}
		}
	}
	return nil
}

// clock formats an offset from the start as m:ss.
func clock(d time.Duration) string {
	d = d.Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d/time.Minute), int(d%time.Minute/time.Second))
}
