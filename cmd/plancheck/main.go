// Command plancheck reviews draft Chinese government work plans (工作要点,
// 工作计划, 实施方案): it reads a draft, checks it against rules written as
// data, and writes the comments a reviewer would send back.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
)

// Exit codes, documented in --help and README.
const (
	exitOK       = 0 // no finding at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitError    = 2 // usage, configuration, rule or input errors
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	tuneGC()
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// tuneGC lets the heap grow to five times what is live (GOGC=400) under a
// soft limit of 384 MiB, unless GOGC or GOMEMLIMIT say otherwise. Checking
// allocates much short-lived data: on a folder of plans the collector took
// a fifth of the CPU at the default, with a heap of a few MB; on one huge
// plan the limit keeps the peak where the default would have put it.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(384 << 20)
	}
}

// run executes the command line and maps errors to exit codes; tests call
// it with their own streams.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	err := app.Run(args)
	if err == nil {
		return exitOK
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(stderr, "plancheck:", msg)
		}
		return ec.ExitCode()
	}
	fmt.Fprintln(stderr, "plancheck:", err)
	return exitError
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:      "plancheck",
		Usage:     "review draft work plans (工作要点/工作计划/实施方案) before and during 征求意见",
		Version:   version,
		Reader:    stdin,
		Writer:    stdout,
		ErrWriter: stderr,
		// urfave/cli would call os.Exit inside Run; exit codes are mapped in run.
		ExitErrHandler:       func(*cli.Context, error) {},
		EnableBashCompletion: true,
		OnUsageError:         usageError,
		Commands: []*cli.Command{
			checkCommand(),
			inspectCommand(),
			rulesCommand(),
			traceCommand(),
			serveCommand(),
			completionCommand(),
			versionCommand(),
		},
	}
	// urfave/cli v2 calls only the root command's OnUsageError: without
	// their own, subcommands print usage errors and help on stdout.
	setUsageError(app.Commands)
	return app
}

func setUsageError(cmds []*cli.Command) {
	for _, c := range cmds {
		if c.OnUsageError == nil {
			c.OnUsageError = usageError
		}
		setUsageError(c.Subcommands)
	}
}

// usageError sends usage mistakes to stderr with exit code 2, so they never
// corrupt machine-readable output on stdout.
func usageError(c *cli.Context, err error, _ bool) error {
	// The lineage runs from this command up to the root, whose command
	// is named after the app: "plancheck rules list".
	var names []string
	for _, x := range c.Lineage() {
		if x.Command != nil && x.Command.Name != "" {
			names = append([]string{x.Command.Name}, names...)
		}
	}
	return cli.Exit(fmt.Sprintf("%v (see '%s --help')", err, strings.Join(names, " ")), exitError)
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version",
		Action: func(c *cli.Context) error {
			fmt.Fprintf(c.App.Writer, "plancheck %s\n", version)
			return nil
		},
	}
}

// checkArgsAreFiles refuses flags written after file arguments: urfave/cli
// would silently take them as file names (urfave/cli#1177).
func checkArgsAreFiles(c *cli.Context) error {
	for _, a := range c.Args().Slice() {
		if len(a) > 1 && a[0] == '-' {
			return cli.Exit(fmt.Sprintf("flag %q after the file arguments: put flags before files", a), exitError)
		}
	}
	return nil
}
