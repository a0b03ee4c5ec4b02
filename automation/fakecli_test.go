package automation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/blang/semver"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// fakeCLI stands in for the pulumi CLI: it keeps stacks and their config in
// memory, answers the commands the Automation API sends, and for preview and
// up writes progress to the streams and a summary event to the event log,
// the way the CLI does, over the Automation API's gRPC events server.
type fakeCLI struct {
	mu      sync.Mutex
	calls   [][]string
	env     [][]string
	stacks  map[string]map[string]string
	changes map[string]int
	outputs string
	failOp  string
	// deployment is what `stack export` prints (the stack's state).
	deployment string
}

func newFakeCLI() *fakeCLI {
	return &fakeCLI{stacks: map[string]map[string]string{}, changes: map[string]int{"create": 3, "same": 1}, outputs: "{}",
		deployment: `{"version": 3, "deployment": {}}`}
}

func (f *fakeCLI) Version() semver.Version { return semver.MustParse("3.260.0") }

// sendEvents streams JSON engine events to the Automation API's events
// server, as the CLI does with --event-log tcp://host:port, and closes the
// stream, which ends the operation's event channels.
func sendEvents(ctx context.Context, addr string, evs ...string) error {
	conn, err := grpc.NewClient(strings.TrimPrefix(addr, "tcp://"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	stream, err := pulumirpc.NewEventsClient(conn).StreamEvents(ctx)
	if err != nil {
		return err
	}
	for _, e := range evs {
		if err := stream.Send(&pulumirpc.EventRequest{Event: e}); err != nil {
			return err
		}
	}
	_, err = stream.CloseAndRecv()
	return err
}

func (f *fakeCLI) commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		out = append(out, strings.Join(c, " "))
	}
	return out
}

func flag(args []string, name string) string {
	if i := slices.Index(args, name); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

func (f *fakeCLI) Run(ctx context.Context, workdir string, stdin io.Reader, outs, errs []io.Writer,
	env []string, args ...string) (string, string, int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, args)
	f.env = append(f.env, env)
	stack := flag(args, "--stack")
	fail := func(msg string) (string, string, int, error) {
		return "", msg, 255, errors.New("exit status 255")
	}
	write := func(s string) {
		for _, w := range outs {
			fmt.Fprint(w, s)
		}
	}
	switch {
	case len(args) >= 2 && args[0] == "stack" && args[1] == "select":
		if _, ok := f.stacks[stack]; !ok {
			return fail(fmt.Sprintf("error: no stack named '%s' found", stack))
		}
	case len(args) >= 3 && args[0] == "stack" && args[1] == "init":
		f.stacks[args[2]] = map[string]string{}
	case len(args) >= 2 && args[0] == "config" && args[1] == "set-all":
		for i, a := range args {
			if a == "--plaintext" {
				k, v, _ := strings.Cut(args[i+1], "=")
				f.stacks[stack][k] = v
			}
		}
	case len(args) >= 2 && args[0] == "config" && args[1] == "rm-all":
		for _, a := range args[2:] {
			delete(f.stacks[stack], a)
		}
	case args[0] == "config" && slices.Contains(args, "--json"):
		m := map[string]map[string]any{}
		for k, v := range f.stacks[stack] {
			m[k] = map[string]any{"value": v, "secret": false}
		}
		b, _ := json.Marshal(m)
		return string(b), "", 0, nil
	case len(args) >= 2 && args[0] == "stack" && args[1] == "export":
		return f.deployment, "", 0, nil
	case len(args) >= 2 && args[0] == "stack" && args[1] == "output":
		return f.outputs, "", 0, nil
	case len(args) >= 2 && args[0] == "stack" && args[1] == "history":
		b, _ := json.Marshal([]map[string]any{{"version": 1, "kind": "update", "result": "succeeded", "resourceChanges": f.changes}})
		return string(b), "", 0, nil
	case args[0] == "preview" || args[0] == "up" || args[0] == "destroy" || args[0] == "refresh":
		if args[0] == f.failOp {
			return fail("error: preview failed: policy violations")
		}
		write(args[0] + "ing (" + stack + ")\n")
		if log := flag(args, "--event-log"); log != "" {
			ev := map[string]any{"sequence": 1, "timestamp": 1, "summaryEvent": map[string]any{
				"resourceChanges": f.changes, "isPreview": args[0] == "preview", "PolicyPacks": map[string]string{},
			}}
			b, _ := json.Marshal(ev)
			if err := sendEvents(ctx, log, string(b)); err != nil {
				return "", err.Error(), 1, err
			}
		}
		return args[0] + " done", "", 0, nil
	}
	return "", "", 0, nil
}
