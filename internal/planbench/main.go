// Command planbench measures the offline plan against its floors: the time
// and peak memory of `tierzone plan --format json` on generated catalogs,
// beside programs that register the same resources (same types, names,
// parents and inputs, read from that plan) under the same mock monitor (the
// recorder). The bare floor registers each custom resource as a struct with
// no output fields; the typed floor as its pulumi-aws struct (ec2.Subnet,
// ...), so the SDK makes and resolves the same output fields the product's
// resources have. It prints a table; the README quotes it.
//
//	go run ./internal/planbench                       # 100, 1,000 and 5,000 customers, best of 3
//	go run ./internal/planbench -sizes 1000 -runs 5
//
// Each run is its own process, so peak RSS is the process's (getrusage
// maxrss of the child). Time is wall-clock: the plan's whole process, and
// the floor's registration alone (it does not count reading the plan).
// It is benchmark code, not the product: the product never imports it.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/tierzone/tierzone/internal/enginetest"
	"github.com/tierzone/tierzone/internal/gencatalog"
	"github.com/tierzone/tierzone/recorder"
)

func main() {
	if len(os.Args) > 3 && os.Args[1] == "floor" {
		if err := floor(os.Args[2], os.Args[3], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "planbench floor:", err)
			os.Exit(1)
		}
		return
	}
	sizes := flag.String("sizes", "100,1000,5000", "catalog sizes (customers), comma-separated")
	runs := flag.Int("runs", 3, "runs of each program per size; the best counts")
	flag.Parse()
	if err := run(*sizes, *runs, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		os.Exit(1)
	}
}

// measurement is one process's wall time and peak resident memory.
type measurement struct {
	wall time.Duration
	rss  int64 // bytes
}

func run(sizeList string, runs int, w io.Writer) error {
	root, err := enginetest.RepoRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "planbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "tierzone")
	build := exec.Command("go", "build", "-o", bin, "./cmd/tierzone")
	build.Dir, build.Stderr = root, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build tierzone: %w", err)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-9s %9s %9s %9s %6s %9s %6s %9s %9s %9s\n", "customers", "resources", "plan", "floor", "ratio", "typed", "ratio", "plan RSS", "floor RSS", "typed RSS")
	for _, field := range strings.Split(sizeList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 1 {
			return fmt.Errorf("size %q is not a positive number", field)
		}
		catalog := filepath.Join(tmp, fmt.Sprintf("catalog-%d.json", n))
		if err := writeCatalog(catalog, n); err != nil {
			return err
		}
		planFile := filepath.Join(tmp, fmt.Sprintf("plan-%d.json", n))
		var best measurement
		var resources int
		for i := range runs {
			m, err := measure(planFile, bin, "plan", "--format", "json", "--catalog", catalog, "--dir", root)
			if err != nil {
				return fmt.Errorf("%d customers: tierzone plan: %w", n, err)
			}
			best = better(best, m, i)
		}
		var bestFloor, bestTyped measurement
		for i := range runs {
			for _, f := range []struct {
				mode string
				best *measurement
			}{{floorBare, &bestFloor}, {floorTyped, &bestTyped}} {
				m, count, err := measureFloor(tmp, self, f.mode, planFile)
				if err != nil {
					return fmt.Errorf("%d customers: %s floor: %w", n, f.mode, err)
				}
				resources = count
				*f.best = better(*f.best, m, i)
			}
		}
		fmt.Fprintf(w, "%-9d %9d %8.2fs %8.2fs %5.2fx %8.2fs %5.2fx %6d MB %6d MB %6d MB\n", n, resources,
			best.wall.Seconds(), bestFloor.wall.Seconds(), best.wall.Seconds()/bestFloor.wall.Seconds(),
			bestTyped.wall.Seconds(), best.wall.Seconds()/bestTyped.wall.Seconds(),
			best.rss>>20, bestFloor.rss>>20, bestTyped.rss>>20)
	}
	return nil
}

// measureFloor runs one floor program and returns its registration time,
// its process's peak RSS and how many resources it registered.
func measureFloor(tmp, self, mode, planFile string) (measurement, int, error) {
	out := filepath.Join(tmp, "floor.out")
	m, err := measure(out, self, "floor", mode, planFile)
	if err != nil {
		return m, 0, err
	}
	var reg struct {
		Nanos     int64 `json:"nanos"`
		Resources int   `json:"resources"`
	}
	raw, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(raw, &reg)
	}
	if err != nil {
		return m, 0, fmt.Errorf("output: %w", err)
	}
	m.wall = time.Duration(reg.Nanos)
	return m, reg.Resources, nil
}

// better keeps the faster run's time and the smaller peak memory.
func better(best, m measurement, i int) measurement {
	if i == 0 {
		return m
	}
	if m.wall < best.wall {
		best.wall = m.wall
	}
	best.rss = min(best.rss, m.rss)
	return best
}

// measure runs a program with stdout to outFile and returns its wall time
// and peak RSS.
func measure(outFile, name string, args ...string) (measurement, error) {
	out, err := os.Create(outFile)
	if err != nil {
		return measurement{}, err
	}
	defer out.Close()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = out, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return measurement{}, fmt.Errorf("%w: %s", err, stderr.String())
	}
	m := measurement{wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rss = ru.Maxrss << 10 // kilobytes on Linux
	}
	return m, nil
}

// writeCatalog writes the shared generated catalog of n customers (the
// plan package's benchmarks plan the same one).
func writeCatalog(path string, n int) error {
	raw, err := json.Marshal(map[string]any{"customers": gencatalog.Customers(n)})
	if err != nil {
		return err
	}
	return os.WriteFile(path, raw, 0o644)
}

// needsType reports whether the typed floor must register a type as its
// pulumi-aws struct: every aws resource and the aws provider (the stack
// reference and components have no generated struct).
func needsType(typ string) bool {
	return strings.HasPrefix(typ, "aws:") || typ == "pulumi:providers:aws"
}

// planResource is what the floor needs of a plan's resource.
type planResource struct {
	URN    string         `json:"urn"`
	Type   string         `json:"type"`
	Name   string         `json:"name"`
	Parent string         `json:"parent"`
	Custom bool           `json:"custom"`
	Inputs map[string]any `json:"inputs"`
}

type customRes struct{ pulumi.CustomResourceState }

type componentRes struct{ pulumi.ResourceState }

// The floors: bare registers every custom resource as a struct with no
// output fields; typed registers it as the pulumi-aws SDK's own struct for
// its type (aws.Provider, ec2.Subnet, ...), so the SDK makes and resolves
// every output field the product's resources have.
const (
	floorBare  = "bare"
	floorTyped = "typed"
)

// floor registers a plan's resources, parents first, under the recorder,
// and prints how long the registration took.
func floor(mode, planFile string, w io.Writer) error {
	var typed map[string]func() pulumi.CustomResource
	switch mode {
	case floorBare:
	case floorTyped:
		typed = typedResources()
	default:
		return fmt.Errorf("floor %q: want %s or %s", mode, floorBare, floorTyped)
	}
	raw, err := os.ReadFile(planFile)
	if err != nil {
		return err
	}
	var p struct {
		Resources []planResource `json:"resources"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	byURN := map[string]planResource{}
	for _, r := range p.Resources {
		byURN[r.URN] = r
	}
	start := time.Now()
	count := 0
	_, err = recorder.Run("prod", nil, func(ctx *pulumi.Context) error {
		done := map[string]pulumi.Resource{}
		var register func(r planResource) (pulumi.Resource, error)
		register = func(r planResource) (pulumi.Resource, error) {
			if res, ok := done[r.URN]; ok {
				return res, nil
			}
			var opts []pulumi.ResourceOption
			if parent, ok := byURN[r.Parent]; ok && parent.Type != "pulumi:pulumi:Stack" {
				pr, err := register(parent)
				if err != nil {
					return nil, err
				}
				opts = append(opts, pulumi.Parent(pr))
			}
			var res pulumi.Resource
			var err error
			if newRes, ok := typed[r.Type]; ok && r.Custom {
				c := newRes()
				err, res = ctx.RegisterResource(r.Type, r.Name, pulumi.ToMap(r.Inputs), c, opts...), c
			} else if r.Custom {
				if typed != nil && needsType(r.Type) {
					return nil, fmt.Errorf("%s: no pulumi-aws struct for the type in types.go", r.Type)
				}
				c := &customRes{}
				err, res = ctx.RegisterResource(r.Type, r.Name, pulumi.ToMap(r.Inputs), c, opts...), c
			} else {
				c := &componentRes{}
				err, res = ctx.RegisterComponentResource(r.Type, r.Name, c, opts...), c
			}
			if err != nil {
				return nil, err
			}
			done[r.URN] = res
			count++
			return res, nil
		}
		for _, r := range p.Resources {
			if r.Type == "pulumi:pulumi:Stack" {
				continue
			}
			if _, err := register(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if count == 0 {
		return errors.New("the plan has no resources")
	}
	return json.NewEncoder(w).Encode(map[string]any{"nanos": time.Since(start).Nanoseconds(), "resources": count})
}
