package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/plancheck/plancheck"
	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
	"github.com/plancheck/plancheck/web"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "serve a page where drafters and reviewers check drafts in a browser, and its JSON API",
		Description: `Serves the checking page and its API (POST /api/check, POST /api/review,
GET /api/rules, GET /healthz) from this binary: no internet access needed.
Uploads are held in memory for one request only: never written to disk,
never logged.

The page offers the built-in rules and, when --config is given or a
.plancheck.toml is found upwards from the working directory, that
configuration (the default).

It listens on the loopback interface unless --addr says otherwise: to
serve an office network, give the machine's address (e.g. --addr
0.0.0.0:8080) and put it behind the bureau's usual access control.

Examples:
   plancheck serve
   plancheck serve --addr 0.0.0.0:8080 --config /etc/plancheck/plancheck.toml`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "address to listen on (host:port; port 0 picks a free one)"},
			configFlag(),
			&cli.StringFlag{Name: "max-upload", Value: "20MB", Usage: "largest request body: the draft, parent plans and form together (e.g. 20MB, 512KB)"},
			&cli.BoolFlag{Name: "quiet", Usage: "do not log requests on stderr"},
		},
		Action: runServe,
	}
}

func runServe(c *cli.Context) error {
	if c.NArg() > 0 {
		return cli.Exit("serve takes no arguments (see 'plancheck serve --help')", exitError)
	}
	maxUpload, err := web.ParseSize(c.String("max-upload"))
	if err != nil {
		return cli.Exit(fmt.Sprintf("--max-upload: %v", err), exitError)
	}
	sets, err := serveRuleSets(c)
	if err != nil {
		return err
	}
	var logger *log.Logger
	if !c.Bool("quiet") {
		logger = log.New(c.App.ErrWriter, "plancheck serve: ", log.LstdFlags)
	}
	srv, err := web.New(web.Config{RuleSets: sets, MaxUpload: maxUpload, ToolVersion: version, Log: logger})
	if err != nil {
		return cli.Exit(err.Error(), exitError)
	}
	ln, err := net.Listen("tcp", c.String("addr"))
	if err != nil {
		return cli.Exit(err.Error(), exitError)
	}
	hs := srv.HTTPServer(ln.Addr().String())
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		fmt.Fprintf(c.App.ErrWriter, "plancheck serve: listening on %s, not only on this machine: anyone who can reach it can upload drafts\n", ln.Addr())
	}
	fmt.Fprintf(c.App.Writer, "plancheck serve: http://%s/\n", ln.Addr())

	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		if !errors.Is(err, http.ErrServerClosed) {
			return cli.Exit(err.Error(), exitError)
		}
		return nil
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return cli.Exit(err.Error(), exitError)
	}
	return nil
}

// serveRuleSets offers the configuration (--config or .plancheck.toml),
// when there is one, first, and the built-in rules.
func serveRuleSets(c *cli.Context) ([]web.RuleSet, error) {
	builtin, err := rules.LoadBuiltin(plancheck.DefaultRules, plancheck.DefaultRulesName)
	if err != nil {
		return nil, cli.Exit(err.Error(), exitError)
	}
	builtinSet := web.RuleSet{Name: "builtin", Label: "内置规则", Set: builtin}
	path := c.String("config")
	if path == "" {
		if wd, err := os.Getwd(); err == nil {
			path, _ = rules.FindConfig(wd)
		}
	}
	if path == "" {
		return []web.RuleSet{builtinSet}, nil
	}
	set, err := loadRules(c)
	if err != nil {
		return nil, err
	}
	parents, err := readConfigParents(set)
	if err != nil {
		return nil, cli.Exit(err.Error(), exitError)
	}
	configSet := web.RuleSet{Name: "config", Label: "本单位配置（" + filepath.Base(path) + "）", Set: set, Parents: parents}
	return []web.RuleSet{configSet, builtinSet}, nil
}

// readConfigParents reads the higher-level plans the configuration names,
// once, for the checks that upload none.
func readConfigParents(set *rules.Set) ([]*plan.Plan, error) {
	var parents []*plan.Plan
	for _, name := range set.Parents {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("parent in the configuration: %w", err)
		}
		in, err := checker.ReadInput(name, data)
		if err != nil {
			return nil, fmt.Errorf("parent in the configuration: %w", err)
		}
		parents = append(parents, plan.Parse(in.Source, &set.Vocab))
	}
	return parents, nil
}
