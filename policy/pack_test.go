package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/tierzone/tierzone/customers"
	"github.com/tierzone/tierzone/landingzone"
	"github.com/tierzone/tierzone/policy/rules"
	"github.com/tierzone/tierzone/recorder"
	"github.com/tierzone/tierzone/stackconfig"
)

// startPack builds the policy pack and starts it the way the engine does:
// the plugin prints its gRPC port and serves the analyzer protocol.
func startPack(t *testing.T) pulumirpc.AnalyzerClient {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tierzone-policy")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	cmd := exec.Command(bin)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	port, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)

	conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	client := pulumirpc.NewAnalyzerClient(conn)

	ctx := context.Background()
	dir, err := filepath.Abs(".")
	require.NoError(t, err)
	_, err = client.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{RootDirectory: &dir, ProgramDirectory: &dir})
	require.NoError(t, err)
	_, err = client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "prod", Project: recorder.Project, DryRun: true})
	require.NoError(t, err)
	return client
}

// analyzerResources marshals a recorded plan the way the engine sends
// resources to AnalyzeStack: properties, provider with its properties,
// parent and property dependencies.
func analyzerResources(t *testing.T, rs []recorder.Resource) []*pulumirpc.AnalyzerResource {
	t.Helper()
	byURN := map[string]recorder.Resource{}
	for _, r := range rs {
		byURN[r.URN] = r
	}
	marshal := func(m resource.PropertyMap) *structpb.Struct {
		s, err := plugin.MarshalProperties(m, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true})
		require.NoError(t, err)
		return s
	}
	var out []*pulumirpc.AnalyzerResource
	for _, r := range rs {
		ar := &pulumirpc.AnalyzerResource{
			Type: r.Type, Urn: r.URN, Name: r.Name, Parent: r.Parent,
			Properties:           marshal(r.Inputs),
			Dependencies:         r.Dependencies,
			PropertyDependencies: map[string]*pulumirpc.AnalyzerPropertyDependencies{},
		}
		for k, urns := range r.PropertyDependencies {
			ar.PropertyDependencies[k] = &pulumirpc.AnalyzerPropertyDependencies{Urns: urns}
		}
		if p, ok := byURN[r.ProviderURN]; ok {
			ar.Provider = &pulumirpc.AnalyzerProviderResource{Type: p.Type, Urn: p.URN, Name: p.Name, Properties: marshal(p.Inputs)}
		}
		out = append(out, ar)
	}
	return out
}

func recordProd(t *testing.T) []recorder.Resource {
	t.Helper()
	cfg, err := stackconfig.Load(stackconfig.File("..", "prod"), recorder.Project)
	require.NoError(t, err)
	rec, err := recorder.Run("prod", cfg, landingzone.Program(customers.Catalog()))
	require.NoError(t, err)
	return rec.Resources()
}

// TestPackOverTheAnalyzerProtocol runs the built plugin as the engine
// would: it must describe its policies, pass the seed plan and report a
// mutated one as a mandatory violation on the right resource.
func TestPackOverTheAnalyzerProtocol(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the policy plugin")
	}
	client := startPack(t)
	ctx := context.Background()

	info, err := client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, PackName, info.GetName())
	assert.True(t, info.GetSupportsConfig())
	require.Len(t, info.GetPolicies(), len(rules.All())+len(rules.ResourceRules()))
	for _, p := range info.GetPolicies() {
		assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, p.GetEnforcementLevel(), p.GetName())
	}

	rs := recordProd(t)
	resp, err := client.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: analyzerResources(t, rs)})
	require.NoError(t, err)
	assert.Empty(t, resp.GetDiagnostics(), "the seed plan passes")

	var mutated []recorder.Resource
	var vpc string
	for _, r := range rs {
		if r.Name == "techgov-federal-vpc" {
			vpc = r.URN
		}
		if r.Type != "aws:ec2/flowLog:FlowLog" || !strings.HasPrefix(r.Name, "techgov-federal-") {
			mutated = append(mutated, r)
		}
	}
	resp, err = client.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: analyzerResources(t, mutated)})
	require.NoError(t, err)
	require.Len(t, resp.GetDiagnostics(), 1)
	d := resp.GetDiagnostics()[0]
	assert.Equal(t, "vpc-flow-logs", d.GetPolicyName())
	assert.Equal(t, PackName, d.GetPolicyPackName())
	assert.Equal(t, vpc, d.GetUrn())
	assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, d.GetEnforcementLevel())
	assert.Contains(t, d.GetMessage(), "techgov-federal-vpc has no flow log")
}

// TestPackAnalyzesOneResourceOverTheProtocol: the engine's per-resource
// Analyze call (inputs, parent in the options, provider) passes the seed
// plan's resources and reports a flow log of REJECT traffic on itself.
func TestPackAnalyzesOneResourceOverTheProtocol(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the policy plugin")
	}
	client := startPack(t)
	ctx := context.Background()
	rs := recordProd(t)
	var fl *pulumirpc.AnalyzeRequest
	for _, ar := range analyzerResources(t, rs) {
		req := &pulumirpc.AnalyzeRequest{
			Type: ar.GetType(), Urn: ar.GetUrn(), Name: ar.GetName(), Properties: ar.GetProperties(),
			Options: &pulumirpc.AnalyzerResourceOptions{Parent: ar.GetParent()}, Provider: ar.GetProvider(),
		}
		resp, err := client.Analyze(ctx, req)
		require.NoError(t, err)
		assert.Empty(t, resp.GetDiagnostics(), "seed resource %s passes", ar.GetName())
		if ar.GetName() == "guardian-health-flow-log" {
			fl = req
		}
	}
	require.NotNil(t, fl)
	fl.Properties.Fields["trafficType"] = structpb.NewStringValue("REJECT")
	resp, err := client.Analyze(ctx, fl)
	require.NoError(t, err)
	require.Len(t, resp.GetDiagnostics(), 1)
	d := resp.GetDiagnostics()[0]
	assert.Equal(t, rules.FlowLogAllTraffic, d.GetPolicyName())
	assert.Equal(t, fl.GetUrn(), d.GetUrn())
	assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, d.GetEnforcementLevel())
	assert.Contains(t, d.GetMessage(), "guardian-health-flow-log captures \"REJECT\" traffic")
}
