// Package plan is Tierzone's offline plan: it runs the real landing-zone
// program under the SDK's mock monitor (package recorder), then turns what
// was registered, together with the resolved landingzone.Plan, into a report
// rendered as text for people or as JSON, the machine contract documented in
// docs/plan.md.
package plan

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/tierzone/tierzone/cost"
	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/stackconfig"
	"github.com/tierzone/tierzone/validation"
)

// Validate checks the stack settings and the catalog without registering
// anything: unknown tierzone:* keys, the settings and the whole catalog. It
// returns nil or a *validation.Error listing every problem.
func Validate(cfg map[string]string, catalog []customers.Customer) (*landingzone.Plan, error) {
	var l validation.List
	unknownKeys(cfg, &l)
	settings, err := landingzone.FromConfig(configGetter(cfg))
	if err != nil {
		// Unreadable values stay at their defaults; report them together
		// with everything else.
		l.Merge(landingzone.Check(catalog, settings, err))
		return nil, l.Err()
	}
	p, err := landingzone.Resolve(catalog, settings)
	l.Merge(err)
	if err := l.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// Build runs landingzone.Program(catalog) for stack with cfg under the mock
// monitor and returns the report. Invalid input (including unknown
// tierzone:* keys in cfg) is a *validation.Error with every problem; any
// other failure of the program is returned wrapped.
func Build(stack string, cfg map[string]string, catalog []customers.Customer) (*Report, error) {
	return BuildWith(stack, cfg, catalog, Options{})
}

// BuildWith is Build with the optional sections opts asks for.
func BuildWith(stack string, cfg map[string]string, catalog []customers.Customer, opts Options) (*Report, error) {
	var l validation.List
	unknownKeys(cfg, &l)
	rec, err := recorder.Run(stack, cfg, landingzone.Program(catalog))
	if err != nil {
		var ve *validation.Error
		if !errors.As(err, &ve) {
			return nil, fmt.Errorf("run the landing zone program for stack %s: %w", stack, err)
		}
		l.Merge(ve)
		return nil, l.Err()
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	// The program accepted these settings; resolve them again for the
	// report's view of tiers, prices and retention.
	settings, err := landingzone.FromConfig(configGetter(cfg))
	if err != nil {
		return nil, fmt.Errorf("stack %s: settings accepted by the program failed to load: %w", stack, err)
	}
	p, err := landingzone.Resolve(catalog, settings)
	if err != nil {
		return nil, fmt.Errorf("stack %s: plan accepted by the program failed to resolve: %w", stack, err)
	}
	res := rec.Resources()
	rep, err := newReport(stack, p, res)
	if err != nil {
		return nil, err
	}
	if opts.Controls {
		rep.Controls = p.Controls()
	}
	if err := rep.addBusiness(res, catalog, cfg, opts); err != nil {
		return nil, fmt.Errorf("stack %s: %w", stack, err)
	}
	return rep, nil
}

func configGetter(cfg map[string]string) func(string) (string, bool) {
	return func(key string) (string, bool) {
		v, ok := cfg[landingzone.ConfigNamespace+":"+key]
		return v, ok
	}
}

// unknownKeys reports tierzone:* keys the program does not read.
func unknownKeys(cfg map[string]string, l *validation.List) {
	// The program's keys, and the business figures' (people and operations costs).
	known := append(landingzone.ConfigKeys(), cost.ConfigKeys()...)
	for _, k := range stackconfig.UnknownKeys(cfg, landingzone.ConfigNamespace, known) {
		hint := ""
		if c := closest(strings.TrimPrefix(k, landingzone.ConfigNamespace+":"), known); c != "" {
			hint = fmt.Sprintf(" (did you mean %s:%s?)", landingzone.ConfigNamespace, c)
		}
		sorted := append([]string(nil), known...)
		sort.Strings(sorted)
		l.Add(validation.Stack(k), "", "unknown key%s; the program reads: %s", hint, strings.Join(sorted, ", "))
	}
}
