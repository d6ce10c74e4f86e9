// Command talos-go-client is a tiny CLI built on Talos's own Go client library
// (github.com/siderolabs/talos/pkg/machinery/client, pinned in go.mod). It is
// used by talos-ts tests as a wire-compatibility oracle: if this program can
// talk to a talos-ts node, the node speaks the Talos gRPC API the way real
// Talos clients (talosctl, Omni, the Terraform provider, ...) expect.
//
// Usage:
//
//	talos-go-client -talosconfig PATH [-endpoints h1[,h2]] [-node ADDR]
//	                [-timeout 10s] [-events 2] SUBCOMMAND
//
// Subcommands (all output goes to stdout, one JSON object per line unless noted):
//
//	version         one line per reply message:
//	                {"node","tag","sha","os","arch","platform","mode"}
//	members         one line per cluster.Member (decoded from proto_spec):
//	                {"id","hostname","machineType","addresses","operatingSystem"}
//	watch-hostname  watches HostnameStatuses.net.talos.dev/hostname (namespace
//	                network), one line per event:
//	                {"type":"Created|Updated|Destroyed","id","version","hostname","domainname"}
//	                exits 0 after -events events, 2 on -timeout.
//	rd              ids of ResourceDefinitions.meta.cosi.dev, one per line (plain text)
//
// Errors are printed to stderr as "error: ..." and the exit code is 1
// (2 for a watch that timed out, 64 for usage errors).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/cosi-project/runtime/pkg/resource"
	"github.com/cosi-project/runtime/pkg/resource/meta"
	"github.com/cosi-project/runtime/pkg/state"
	"github.com/siderolabs/gen/xslices"

	machineapi "github.com/siderolabs/talos/pkg/machinery/api/machine"
	"github.com/siderolabs/talos/pkg/machinery/client"
	clientconfig "github.com/siderolabs/talos/pkg/machinery/client/config"
	// Importing these packages runs their init() functions, which register
	// the resource types with the COSI protobuf registry
	// (protobuf.RegisterDynamic / RegisterResource). Without the registration
	// the COSI client adapter would hand back undecoded *protobuf.Resource
	// values instead of typed resources.
	"github.com/siderolabs/talos/pkg/machinery/resources/cluster"
	"github.com/siderolabs/talos/pkg/machinery/resources/network"
)

const (
	exitOK      = 0
	exitError   = 1
	exitTimeout = 2
	exitUsage   = 64
)

type options struct {
	talosconfig string
	endpoints   string
	node        string
	timeout     time.Duration
	events      int
}

func main() {
	os.Exit(run())
}

func usage(fs *flag.FlagSet) func() {
	return func() {
		fmt.Fprintf(fs.Output(), "usage: talos-go-client [flags] version|members|watch-hostname|rd\n\nflags:\n")
		fs.PrintDefaults()
	}
}

func run() int {
	var opts options

	fs := flag.NewFlagSet("talos-go-client", flag.ContinueOnError)
	fs.StringVar(&opts.talosconfig, "talosconfig", "", "path to a talosconfig file (default: $TALOSCONFIG)")
	fs.StringVar(&opts.endpoints, "endpoints", "", "comma-separated endpoints overriding the talosconfig context (host or host:port, default port 50000)")
	fs.StringVar(&opts.node, "node", "", "target node, sent as gRPC metadata \"node\" (client.WithNode)")
	fs.DurationVar(&opts.timeout, "timeout", 10*time.Second, "overall timeout")
	fs.IntVar(&opts.events, "events", 2, "watch-hostname: exit after this many events")
	fs.Usage = usage(fs)

	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}

		return exitUsage
	}

	if fs.NArg() != 1 {
		fs.Usage()

		return exitUsage
	}

	cmd := fs.Arg(0)

	switch cmd {
	case "version", "members", "watch-hostname", "rd":
	default:
		fmt.Fprintf(os.Stderr, "error: unknown subcommand %q\n", cmd)
		fs.Usage()

		return exitUsage
	}

	ctx, cancel := context.WithTimeout(context.Background(), opts.timeout)
	defer cancel()

	c, err := newClient(ctx, opts)
	if err != nil {
		return fail(err)
	}

	defer c.Close() //nolint:errcheck

	if opts.node != "" {
		ctx = client.WithNode(ctx, opts.node)
	}

	switch cmd {
	case "version":
		err = cmdVersion(ctx, c)
	case "members":
		err = cmdMembers(ctx, c)
	case "rd":
		err = cmdRD(ctx, c)
	case "watch-hostname":
		return cmdWatchHostname(ctx, c, opts.events)
	}

	if err != nil {
		return fail(err)
	}

	return exitOK
}

func fail(err error) int {
	fmt.Fprintf(os.Stderr, "error: %s\n", err)

	return exitError
}

func newClient(ctx context.Context, opts options) (*client.Client, error) {
	path := opts.talosconfig
	if path == "" {
		path = os.Getenv("TALOSCONFIG")
	}

	if path == "" {
		return nil, errors.New("no talosconfig: pass -talosconfig PATH or set $TALOSCONFIG")
	}

	// Read the file ourselves: clientconfig.Open (and so client.WithConfigFromFile)
	// creates an empty file when the path does not exist.
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read talosconfig: %w", err)
	}

	cfg, err := clientconfig.ReadFrom(f)
	f.Close() //nolint:errcheck

	if err != nil {
		return nil, fmt.Errorf("failed to parse talosconfig %q: %w", path, err)
	}

	clientOpts := []client.OptionFunc{client.WithConfig(cfg)}

	if opts.endpoints != "" {
		eps := xslices.Filter(
			xslices.Map(strings.Split(opts.endpoints, ","), strings.TrimSpace),
			func(s string) bool { return s != "" },
		)

		clientOpts = append(clientOpts, client.WithEndpoints(eps...))
	}

	return client.New(ctx, clientOpts...)
}

var stdout = json.NewEncoder(os.Stdout) // os.Stdout is unbuffered: each Encode is one write(2)

func emit(v any) error {
	return stdout.Encode(v)
}

type versionLine struct {
	Node     string `json:"node"`
	Tag      string `json:"tag"`
	Sha      string `json:"sha"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Platform string `json:"platform"`
	Mode     string `json:"mode"`
}

func cmdVersion(ctx context.Context, c *client.Client) error {
	resp, err := c.Version(ctx)

	// With several nodes, resp may carry successful messages next to a
	// (multi)error for the failed ones: print what we have, then fail.
	if resp != nil {
		if perr := printVersion(resp.GetMessages()); perr != nil {
			return perr
		}
	}

	if err != nil {
		return err
	}

	if len(resp.GetMessages()) == 0 {
		return errors.New("version: reply contained no messages")
	}

	return nil
}

func printVersion(msgs []*machineapi.Version) error {
	for _, msg := range msgs {
		if err := emit(versionLine{
			Node:     msg.GetMetadata().GetHostname(),
			Tag:      msg.GetVersion().GetTag(),
			Sha:      msg.GetVersion().GetSha(),
			OS:       msg.GetVersion().GetOs(),
			Arch:     msg.GetVersion().GetArch(),
			Platform: msg.GetPlatform().GetName(),
			Mode:     msg.GetPlatform().GetMode(),
		}); err != nil {
			return err
		}
	}

	return nil
}

type memberLine struct {
	ID              string   `json:"id"`
	Hostname        string   `json:"hostname"`
	MachineType     string   `json:"machineType"`
	Addresses       []string `json:"addresses"`
	OperatingSystem string   `json:"operatingSystem"`
}

func cmdMembers(ctx context.Context, c *client.Client) error {
	// c.COSI.List decodes every proto_spec through the protobuf resource
	// registry (cluster's init() registered MemberSpec with protoenc); an
	// unregistered or undecodable type would surface here as an error or as a
	// *protobuf.Resource, which we reject below.
	list, err := c.COSI.List(ctx, resource.NewMetadata(cluster.NamespaceName, cluster.MemberType, "", resource.VersionUndefined))
	if err != nil {
		return fmt.Errorf("listing %s: %w", cluster.MemberType, err)
	}

	for _, item := range list.Items {
		member, ok := item.(*cluster.Member)
		if !ok {
			return fmt.Errorf("listing %s: item %q decoded as %T, not *cluster.Member", cluster.MemberType, item.Metadata().ID(), item)
		}

		spec := member.TypedSpec()

		if err = emit(memberLine{
			ID:              member.Metadata().ID(),
			Hostname:        spec.Hostname,
			MachineType:     spec.MachineType.String(),
			Addresses:       xslices.Map(spec.Addresses, func(a netip.Addr) string { return a.String() }),
			OperatingSystem: spec.OperatingSystem,
		}); err != nil {
			return err
		}
	}

	return nil
}

func cmdRD(ctx context.Context, c *client.Client) error {
	list, err := c.COSI.List(ctx, resource.NewMetadata(meta.NamespaceName, meta.ResourceDefinitionType, "", resource.VersionUndefined))
	if err != nil {
		return fmt.Errorf("listing %s: %w", meta.ResourceDefinitionType, err)
	}

	for _, item := range list.Items {
		if _, ok := item.(*meta.ResourceDefinition); !ok {
			return fmt.Errorf("listing %s: item %q decoded as %T, not *meta.ResourceDefinition", meta.ResourceDefinitionType, item.Metadata().ID(), item)
		}

		if _, err = fmt.Fprintln(os.Stdout, item.Metadata().ID()); err != nil {
			return err
		}
	}

	return nil
}

type hostnameEventLine struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Version    string `json:"version"`
	Hostname   string `json:"hostname"`
	Domainname string `json:"domainname"`
}

func cmdWatchHostname(ctx context.Context, c *client.Client, want int) int {
	ch := make(chan state.Event)

	// Watch returns only after the server sent the initial empty WatchResponse
	// (the "watch is ready" marker); a server that never sends it makes this
	// call block until the timeout.
	if err := c.COSI.Watch(ctx, resource.NewMetadata(network.NamespaceName, network.HostnameStatusType, network.HostnameID, resource.VersionUndefined), ch); err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(os.Stderr, "error: timed out before the watch was established (no initial empty WatchResponse?): %s\n", err)

			return exitTimeout
		}

		return fail(fmt.Errorf("watch %s: %w", network.HostnameStatusType, err))
	}

	for seen := 0; seen < want; {
		select {
		case <-ctx.Done():
			fmt.Fprintf(os.Stderr, "error: timed out after %d of %d events\n", seen, want)

			return exitTimeout
		case ev := <-ch:
			switch ev.Type {
			case state.Errored:
				return fail(fmt.Errorf("watch %s: %w", network.HostnameStatusType, ev.Error))
			case state.Bootstrapped:
				continue // only sent for WatchKind with bootstrap contents; not counted
			case state.Created, state.Updated, state.Destroyed:
			}

			line := hostnameEventLine{Type: ev.Type.String()}

			if ev.Resource != nil {
				line.ID = ev.Resource.Metadata().ID()
				line.Version = ev.Resource.Metadata().Version().String()

				hs, ok := ev.Resource.(*network.HostnameStatus)
				if !ok {
					return fail(fmt.Errorf("watch %s: event resource decoded as %T, not *network.HostnameStatus", network.HostnameStatusType, ev.Resource))
				}

				line.Hostname = hs.TypedSpec().Hostname
				line.Domainname = hs.TypedSpec().Domainname
			}

			if err := emit(line); err != nil {
				return fail(err)
			}

			seen++
		}
	}

	return exitOK
}
