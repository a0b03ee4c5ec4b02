package fakeaws

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// Version is the pulumi-aws version the fake poses as (the SDK version
// Tierzone pins; the engine asks for a plugin of that version).
const Version = "6.83.4"

// Server is the fake aws provider. One Server is one provider instance (the
// engine starts one plugin process per provider resource).
type Server struct {
	pulumirpc.UnimplementedResourceProviderServer

	opts  Options
	store *store
	kinds map[string]*kind

	mu sync.Mutex
	// cfg is the configuration from Configure (nil before); tgt is the
	// resolved target, nil until resolved.
	cfg *providerConfig
	tgt *target

	// creationWait, when set, replaces the account-creation time (tests
	// use it to hold creations in flight).
	creationWait func(context.Context) error
}

// NewServer returns a provider over the cloud in o.Dir.
func NewServer(o Options) (*Server, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	st, err := newStore(o.Dir)
	if err != nil {
		return nil, err
	}
	return &Server{opts: o, store: st, kinds: kindTable()}, nil
}

// NewServerFromEnv returns a provider configured by the FAKEAWS_*
// environment variables.
func NewServerFromEnv() (*Server, error) {
	o, err := OptionsFromEnv()
	if err != nil {
		return nil, err
	}
	return NewServer(o)
}

// GetPluginInfo reports the pulumi-aws version.
func (s *Server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// providerSchema is the schema of the provider's own configuration, the
// part the fake serves: enough for a YAML program (which type-checks
// against the schema) to declare an aws provider into a member account.
// Go programs need no schema.
const providerSchema = `"provider":{"inputProperties":{` +
	`"region":{"type":"string"},` +
	`"allowedAccountIds":{"type":"array","items":{"type":"string"}},` +
	`"assumeRole":{"$ref":"#/types/aws:index/ProviderAssumeRole:ProviderAssumeRole"},` +
	`"defaultTags":{"$ref":"#/types/aws:index/ProviderDefaultTags:ProviderDefaultTags"}}},` +
	`"types":{` +
	`"aws:index/ProviderAssumeRole:ProviderAssumeRole":{"type":"object","properties":{"roleArn":{"type":"string"},"sessionName":{"type":"string"}}},` +
	`"aws:index/ProviderDefaultTags:ProviderDefaultTags":{"type":"object","properties":{"tags":{"type":"object","additionalProperties":{"type":"string"}}}}}`

// GetSchema returns the package name and the provider's configuration
// (providerSchema); the resources' schemas are not served.
func (s *Server) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: `{"name":"aws","version":"` + Version + `",` + providerSchema + `}`}, nil
}

// Handshake accepts the engine's handshake.
func (s *Server) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

// Cancel has nothing to cancel.
func (s *Server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// CheckConfig returns the provider inputs, validating the region.
func (s *Server) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := unmarshal("config", req.GetNews())
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.CheckResponse{Inputs: req.GetNews()}
	in := toPlain(news)
	if r, ok := str(in, "region"); ok {
		// The real provider validates the region name at configuration.
		if _, known := regionZones(r); !known {
			resp.Failures = append(resp.Failures, &pulumirpc.CheckFailure{Property: "region", Reason: "invalid AWS Region: " + r})
		}
	}
	if arn, ok := str(jsonMap(in["assumeRole"]), "roleArn"); ok && !roleArnPattern.MatchString(arn) {
		resp.Failures = append(resp.Failures, &pulumirpc.CheckFailure{Property: "assumeRole.roleArn", Reason: fmt.Sprintf("%q is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)", arn)})
	}
	return resp, nil
}

func jsonMap(v any) map[string]any {
	m, _ := jsonish(v).(map[string]any)
	return m
}

// DiffConfig reports the changed configuration keys; none forces a new
// provider.
func (s *Server) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	oldStruct := req.GetOldInputs()
	if oldStruct == nil {
		oldStruct = req.GetOlds()
	}
	olds, err := unmarshal("old config", oldStruct)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal("new config", req.GetNews())
	if err != nil {
		return nil, err
	}
	diffs := changedKeys(toPlain(olds), toPlain(news), nil, req.GetIgnoreChanges())
	return diffResponse(diffs, nil), nil
}

// Configure records the provider's configuration and, when it is known,
// resolves the account the provider acts in.
func (s *Server) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	in := map[string]any{}
	if req.GetArgs() != nil {
		pm, err := unmarshal("config", req.GetArgs())
		if err != nil {
			return nil, err
		}
		in = toPlain(pm)
	} else {
		for k, v := range req.GetVariables() {
			k = strings.TrimPrefix(strings.TrimPrefix(k, "aws:config:"), "aws:")
			in[k] = v
		}
	}
	cfg := parseConfig(in)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg, s.tgt = &cfg, nil
	if !cfg.unknown {
		t, err := s.resolve(cfg)
		if err != nil {
			return nil, err
		}
		s.tgt = t
	}
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true, AcceptOutputs: false}, nil
}

// target returns where the provider acts, resolving it on first use when
// Configure could not.
func (s *Server) target() (*target, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tgt != nil {
		return s.tgt, nil
	}
	cfg := providerConfig{}
	if s.cfg != nil {
		cfg = *s.cfg
	}
	t, err := s.resolve(cfg)
	if err != nil {
		return nil, err
	}
	s.tgt = t
	return t, nil
}

func (s *Server) kind(urn string) (*kind, error) {
	typ := string(resource.URN(urn).Type())
	k, ok := s.kinds[typ]
	if !ok {
		return nil, fmt.Errorf("fakeaws: resource type %s is not modeled by the fake aws provider", typ)
	}
	return k, nil
}

// Check validates inputs and names resources the way pulumi-aws does:
// an auto-named property the program leaves out keeps its old value, or
// becomes "<resource name>-<7 hex>".
func (s *Server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	k, err := s.kind(req.GetUrn())
	if err != nil {
		return nil, err
	}
	olds, err := unmarshal("olds", req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal("news", req.GetNews())
	if err != nil {
		return nil, err
	}
	if k.autoName != "" {
		key := resource.PropertyKey(k.autoName)
		if v, ok := news[key]; !ok || v.IsNull() {
			if old, ok := olds[key]; ok && !old.IsNull() {
				news[key] = old
			} else {
				n := autoName(resource.URN(req.GetUrn()).Name(), req.GetRandomSeed())
				if k.lowerName {
					n = strings.ToLower(n)
				}
				news[key] = resource.NewProperty(n)
			}
		}
	}
	inputs, err := marshal("inputs", news)
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.CheckResponse{Inputs: inputs}
	for _, f := range k.static(toPlain(news)) {
		resp.Failures = append(resp.Failures, &pulumirpc.CheckFailure{Property: f.prop, Reason: f.reason})
	}
	return resp, nil
}

// Diff compares the old inputs with the new ones.
func (s *Server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	k, err := s.kind(req.GetUrn())
	if err != nil {
		return nil, err
	}
	oldStruct := req.GetOldInputs()
	haveOldInputs := oldStruct != nil
	if !haveOldInputs {
		oldStruct = req.GetOlds()
	}
	olds, err := unmarshal("olds", oldStruct)
	if err != nil {
		return nil, err
	}
	news, err := unmarshal("news", req.GetNews())
	if err != nil {
		return nil, err
	}
	oldIn, newIn := toPlain(olds), toPlain(news)
	// A computed output is skipped only while the program sets it in
	// neither the old nor the new inputs: optional+computed inputs such as
	// a flow log's logFormat or a NAT gateway's privateIp are inputs once
	// set, and changing them may force a replacement (pulumi-aws diffs
	// them like any other input). Without old inputs (an old engine), the
	// old values are the state, where every output is present, so only
	// the new inputs tell.
	skip := []string{"tagsAll", "id", "urn"}
	for _, o := range k.outputs {
		if !setIn(newIn, o) && (!haveOldInputs || !setIn(oldIn, o)) {
			skip = append(skip, o)
		}
	}
	diffs := changedKeys(oldIn, newIn, skip, req.GetIgnoreChanges())
	var replaces []string
	for _, d := range diffs {
		if slices.Contains(k.replaces, d) {
			replaces = append(replaces, d)
		}
	}
	return diffResponse(diffs, replaces), nil
}

// setIn reports whether the inputs give key a (non-null) value.
func setIn(in map[string]any, key string) bool {
	v, ok := in[key]
	return ok && v != nil
}

// changedKeys are the top-level keys whose values differ, leaving out
// skip, internal keys and ignored ones.
func changedKeys(olds, news map[string]any, skip, ignore []string) []string {
	keys := map[string]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	var out []string
	for _, k := range sortedKeys(keys) {
		if strings.HasPrefix(k, "__") || slices.Contains(skip, k) || ignored(k, ignore) {
			continue
		}
		if !sameValue(olds[k], news[k]) {
			out = append(out, k)
		}
	}
	return out
}

func ignored(key string, ignore []string) bool {
	for _, i := range ignore {
		if i == key || i == "*" || strings.HasPrefix(i, key+".") || strings.HasPrefix(i, key+"[") || strings.HasPrefix(i, `["`+key+`"]`) {
			return true
		}
	}
	return false
}

func diffResponse(diffs, replaces []string) *pulumirpc.DiffResponse {
	resp := &pulumirpc.DiffResponse{
		Changes:         pulumirpc.DiffResponse_DIFF_NONE,
		Diffs:           diffs,
		Replaces:        replaces,
		DetailedDiff:    map[string]*pulumirpc.PropertyDiff{},
		HasDetailedDiff: true,
	}
	if len(diffs) > 0 {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	for _, d := range diffs {
		kind := pulumirpc.PropertyDiff_UPDATE
		if slices.Contains(replaces, d) {
			kind = pulumirpc.PropertyDiff_UPDATE_REPLACE
		}
		resp.DetailedDiff[d] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	return resp
}

// accountFor is the folder a resource of kind k lives in.
func (s *Server) accountFor(k *kind, t *target) string {
	if k.org {
		return s.opts.ManagementAccount
	}
	return t.account
}

// begin resolves the provider, checks that it may act on k, and locks the
// store.
func (s *Server) begin(k *kind) (*opCtx, error) {
	t, err := s.target()
	if err != nil {
		return nil, err
	}
	if k.org && t.account != s.opts.ManagementAccount {
		// Organizations APIs are only callable from the management account
		// (Organizations API reference, "This operation can be called only
		// from the organization's management account": AccessDeniedException).
		return nil, awsErr("AccessDeniedException", "You don't have permissions to access this resource (account %s is not the organization's management account %s)", t.account, s.opts.ManagementAccount)
	}
	tx, err := s.store.lock(true)
	if err != nil {
		return nil, err
	}
	return &opCtx{tx: tx, srv: s, account: s.accountFor(k, t), region: t.region}, nil
}

func staticError(fs []failure) error {
	if len(fs) == 0 {
		return nil
	}
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.prop+": "+f.reason)
	}
	return errors.New(strings.Join(parts, "; "))
}

// state is the full state of a resource: inputs, outputs and tagsAll.
func (s *Server) state(k *kind, in, out map[string]any) map[string]any {
	st := merged(in, out)
	if k.tagsAll {
		all := map[string]any{}
		if t, err := s.target(); err == nil {
			for key, v := range t.defaultTags {
				all[key] = v
			}
		}
		for key, v := range stringMap(in["tags"]) {
			all[key] = v
		}
		st["tagsAll"] = all
	}
	return st
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Create creates a resource; at preview it only returns the inputs with
// every computed output unknown.
func (s *Server) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	k, err := s.kind(req.GetUrn())
	if err != nil {
		return nil, err
	}
	props, err := unmarshal("properties", req.GetProperties())
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		out := props.Copy()
		for _, o := range k.outputs {
			if v, ok := out[resource.PropertyKey(o)]; !ok || v.IsNull() {
				out[resource.PropertyKey(o)] = resource.MakeComputed(resource.NewProperty(""))
			}
		}
		st, err := marshal("preview", out)
		if err != nil {
			return nil, err
		}
		return &pulumirpc.CreateResponse{Properties: st}, nil
	}
	name := resource.URN(req.GetUrn()).Name()
	wrap := func(err error) error { return fmt.Errorf("creating %s (%s): %w", k.label, name, err) }
	if err := sleepCtx(ctx, s.opts.Slow[k.token]); err != nil {
		return nil, wrap(err)
	}
	in := toPlain(props)
	var id string
	var st map[string]any
	if k.token == tAccount {
		id, st, err = s.createAccount(ctx, k, req.GetUrn(), in)
	} else {
		id, st, err = s.create(k, req.GetUrn(), in)
	}
	if err != nil {
		return nil, wrap(err)
	}
	out, err := marshal("state", keepSecrets(props, fromPlain(st)))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: out}, nil
}

func (s *Server) create(k *kind, urn string, in map[string]any) (string, map[string]any, error) {
	c, err := s.begin(k)
	if err != nil {
		return "", nil, err
	}
	defer c.tx.unlock()
	if err := c.countCreate(k.token); err != nil {
		return "", nil, err
	}
	if err := staticError(k.static(in)); err != nil {
		return "", nil, err
	}
	if err := k.validate(c, in, ""); err != nil {
		return "", nil, err
	}
	id, out, err := k.build(c, in)
	if err != nil {
		return "", nil, err
	}
	st := s.state(k, in, out)
	rec := &Record{Type: k.token, ID: id, Account: c.account, Region: c.region, URN: urn, Inputs: in, Outputs: st}
	if err := c.tx.put(rec); err != nil {
		return "", nil, err
	}
	if err := c.tx.updateStats(func(st *Stats) { st.Creates[k.token]++ }); err != nil {
		return "", nil, err
	}
	return id, st, nil
}

// Read returns the resource's current state, or an empty id when it no
// longer exists. It also serves imports (only an id is given).
func (s *Server) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	k, err := s.kind(req.GetUrn())
	if err != nil {
		return nil, err
	}
	c, err := s.begin(k)
	if err != nil {
		return nil, fmt.Errorf("reading %s (%s): %w", k.label, req.GetId(), err)
	}
	defer c.tx.unlock()
	rec, err := c.find(k.token, req.GetId())
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return &pulumirpc.ReadResponse{}, nil
	}
	if rec.URN != req.GetUrn() && req.GetUrn() != "" && len(req.GetProperties().GetFields()) == 0 {
		// An import: the resource now belongs to this URN.
		rec.URN = req.GetUrn()
		if err := c.tx.put(rec); err != nil {
			return nil, err
		}
	}
	props, err := marshal("state", fromPlain(rec.Outputs))
	if err != nil {
		return nil, err
	}
	inputs, err := marshal("inputs", fromPlain(rec.Inputs))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: rec.ID, Properties: props, Inputs: inputs}, nil
}

// Update applies new inputs to an existing resource.
func (s *Server) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	k, err := s.kind(req.GetUrn())
	if err != nil {
		return nil, err
	}
	oldsPM, err := unmarshal("olds", req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal("news", req.GetNews())
	if err != nil {
		return nil, err
	}
	in := toPlain(news)
	olds := toPlain(oldsPM)
	if req.GetPreview() {
		oldInputs := map[string]any{}
		if req.GetOldInputs() != nil {
			pm, err := unmarshal("old inputs", req.GetOldInputs())
			if err != nil {
				return nil, err
			}
			oldInputs = toPlain(pm)
		}
		st := s.state(k, in, computedOf(oldInputs, olds))
		out, err := marshal("preview", fromPlain(st))
		if err != nil {
			return nil, err
		}
		return &pulumirpc.UpdateResponse{Properties: out}, nil
	}
	wrap := func(err error) error { return fmt.Errorf("updating %s (%s): %w", k.label, req.GetId(), err) }
	c, err := s.begin(k)
	if err != nil {
		return nil, wrap(err)
	}
	defer c.tx.unlock()
	rec, err := c.find(k.token, req.GetId())
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, wrap(fmt.Errorf("fakeaws: %s %s does not exist in account %s", k.token, req.GetId(), c.account))
	}
	if err := staticError(k.static(in)); err != nil {
		return nil, wrap(err)
	}
	if err := k.validate(c, in, rec.ID); err != nil {
		return nil, wrap(err)
	}
	st := s.state(k, in, computedOf(rec.Inputs, rec.Outputs))
	rec.Inputs, rec.Outputs, rec.URN = in, st, req.GetUrn()
	if err := c.tx.put(rec); err != nil {
		return nil, err
	}
	out, err := marshal("state", keepSecrets(news, fromPlain(st)))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: out}, nil
}

// keepSecrets marks the outputs whose inputs were secret as secret, so a
// secret input never comes back in the clear.
func keepSecrets(inputs, state resource.PropertyMap) resource.PropertyMap {
	for k, v := range inputs {
		if sv, ok := state[k]; ok && (v.IsSecret() || v.IsOutput() && v.OutputValue().Secret) && !sv.IsSecret() {
			state[k] = resource.MakeSecret(sv)
		}
	}
	return state
}

// computedOf is the part of a state that is not inputs: the computed
// outputs and the defaults the provider filled in.
func computedOf(inputs, st map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range st {
		if _, isInput := inputs[k]; !isInput && k != "tagsAll" {
			out[k] = v
		}
	}
	return out
}

// Delete deletes a resource, enforcing AWS's dependency rules.
func (s *Server) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	k, err := s.kind(req.GetUrn())
	if err != nil {
		return nil, err
	}
	wrap := func(err error) error { return fmt.Errorf("deleting %s (%s): %w", k.label, req.GetId(), err) }
	c, err := s.begin(k)
	if err != nil {
		return nil, wrap(err)
	}
	defer c.tx.unlock()
	rec, err := c.find(k.token, req.GetId())
	if err != nil {
		return nil, err
	}
	if rec == nil || accountClosed(rec) {
		// Already gone (or an account already closed): pulumi-aws treats
		// NotFound on delete as success.
		return &emptypb.Empty{}, nil
	}
	if k.token == tShieldSubscription && boolean(rec.Inputs, "skipDestroy") {
		// pulumi-aws skipDestroy: the state lets go, AWS keeps the
		// subscription (it cannot be cancelled inside its commitment).
		return &emptypb.Empty{}, nil
	}
	if err := k.remove(c, rec); err != nil {
		// The record stays: the delete changed nothing.
		return nil, wrap(err)
	}
	switch {
	case k.token == tAccount && boolean(rec.Inputs, "closeOnDeletion"):
		err = closeAccount(c, rec)
	default:
		err = c.tx.remove(rec)
	}
	if err != nil {
		return nil, err
	}
	if err := c.tx.updateStats(func(st *Stats) { st.Deletes[k.token]++ }); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// Invoke serves getCallerIdentity, getRegion and ssoadmin getInstances.
func (s *Server) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	var ret map[string]any
	switch req.GetTok() {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		t, err := s.target()
		if err != nil {
			return nil, err
		}
		arn := "arn:aws:iam::" + t.account + ":user/fakeaws"
		userID := "AIDAFAKEAWS" + t.account
		if t.roleArn != "" {
			m := roleArnPattern.FindStringSubmatch(t.roleArn)
			session := t.sessionName
			if session == "" {
				session = "fakeaws"
			}
			arn = "arn:aws:sts::" + t.account + ":assumed-role/" + m[2] + "/" + session
			userID = "AROAFAKEAWS" + t.account + ":" + session
		}
		ret = map[string]any{"accountId": t.account, "arn": arn, "userId": userID, "id": t.account}
	case getInstancesToken:
		var err error
		if ret, err = s.getInstances(); err != nil {
			return nil, err
		}
	case "aws:index/getRegion:getRegion":
		t, err := s.target()
		if err != nil {
			return nil, err
		}
		ret = map[string]any{"name": t.region, "id": t.region, "region": t.region,
			"description": t.region, "endpoint": "ec2." + t.region + ".amazonaws.com"}
	default:
		return nil, fmt.Errorf("fakeaws: invoke %s is not modeled by the fake aws provider", req.GetTok())
	}
	out, err := structpb.NewStruct(ret)
	if err != nil {
		return nil, fmt.Errorf("fakeaws: invoke result: %w", err)
	}
	return &pulumirpc.InvokeResponse{Return: out}, nil
}
