package plan

import (
	"fmt"
	"io"
	"slices"

	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/deploytime"
	"github.com/tierzone/tierzone/recorder"
)

// Options choose the optional sections of a plan.
type Options struct {
	// Cost adds the cost, margin and deployment-time sections.
	Cost bool
	// Customers, when positive, adds a projection of the catalog's tier mix
	// to that many customers and the seeds' progression table (1, 5, 10, 25,
	// 50, 100 and Customers) beside the reports' own figures. It implies Cost.
	Customers int
	// Controls adds the per-customer control report (JSON: "controls").
	Controls bool
}

// Business is the plan's business numbers (JSON: the "cost", "deployTime",
// "projection" and "progression" sections, present only when asked for).
type Business struct {
	Cost        *cost.Report          `json:"cost,omitempty"`
	DeployTime  *deploytime.Estimate  `json:"deployTime,omitempty"`
	Projection  *cost.Projection      `json:"projection,omitempty"`
	Progression []cost.ProgressionRow `json:"progression,omitempty"`
}

// addBusiness computes the sections opts asks for from the recorded plan.
func (r *Report) addBusiness(res []recorder.Resource, catalog []customers.Customer, cfg map[string]string, opts Options) error {
	if !opts.Cost && opts.Customers <= 0 {
		return nil
	}
	c, err := cost.ForStack(res, catalog, cfg)
	if err != nil {
		return fmt.Errorf("cost: %w", err)
	}
	est, err := deploytime.DefaultModel().Estimate(res)
	if err != nil {
		return fmt.Errorf("deployment time: %w", err)
	}
	r.Cost, r.DeployTime = &c, &est
	if opts.Customers <= 0 {
		return nil
	}
	// The stack's people and operations costs, as ForStack read them.
	costOpts := cost.DefaultOptions()
	costOpts.Params = c.Params
	popts := cost.ProjectOptions{Config: cfg, Cost: &costOpts}
	proj, err := cost.Project(catalog, opts.Customers, popts)
	if err != nil {
		return fmt.Errorf("projection to %d customers: %w", opts.Customers, err)
	}
	counts := cost.SeedCounts()
	if !slices.Contains(counts, opts.Customers) {
		counts = append(counts, opts.Customers)
		slices.Sort(counts)
	}
	rows, err := cost.Progression(catalog, counts, popts)
	if err != nil {
		return fmt.Errorf("progression: %w", err)
	}
	r.Projection, r.Progression = &proj, rows
	return nil
}

// writeBusiness renders the business sections that were computed.
func (r *Report) writeBusiness(w io.Writer) error {
	if r.Cost != nil {
		section(w, "Cost and margin (per month, us-east-1 list prices)")
		if err := cost.WriteText(w, *r.Cost); err != nil {
			return err
		}
	}
	if r.DeployTime != nil {
		section(w, "Deployment time (critical path of the recorded graph)")
		if err := deploytime.WriteText(w, *r.DeployTime); err != nil {
			return err
		}
	}
	if r.Projection != nil {
		p := r.Projection
		section(w, fmt.Sprintf("Projection: the catalog's tier mix scaled to %d customers (%d resources)", p.Customers, p.Resources))
		if err := cost.WriteText(w, p.Cost); err != nil {
			return err
		}
		fmt.Fprintln(w)
		if err := deploytime.WriteText(w, p.Deploy); err != nil {
			return err
		}
	}
	if len(r.Progression) > 0 {
		section(w, "Progression: computed beside the planning reports' figures")
		if err := cost.WriteProgression(w, r.Progression); err != nil {
			return err
		}
	}
	return nil
}
