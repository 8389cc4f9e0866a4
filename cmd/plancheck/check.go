package main

import (
	"encoding/json"

	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/docx"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/report"
	"github.com/plancheck/plancheck/rules"
)

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "check drafts and write the comments (修改意见) a reviewer would send back",
		ArgsUsage: "FILE|DIR|- ...",
		Description: `Checks each FILE (.txt in UTF-8, GB18030 or UTF-16), every .txt file under
each DIR, or standard input (-). Flags go before the files.

Exit codes:
   0  no finding at or above --fail-on
   1  findings at or above --fail-on
   2  usage, configuration, rule or input errors (one line per error on stderr)

Examples:
   plancheck check fixtures/samples/draft.txt
   plancheck check --format sarif --output plancheck.sarif plans/
   plancheck check --disable 'punct-*' --fail-on error draft.txt
   plancheck check --write-baseline .plancheck-baseline.json plans/
   plancheck check --baseline .plancheck-baseline.json plans/`,
		Flags: []cli.Flag{
			configFlag(),
			&cli.StringSliceFlag{Name: "enable", Usage: "run only these rules (ids or globs such as 'deadline-*'); comma-separated or repeated"},
			&cli.StringSliceFlag{Name: "disable", Usage: "skip these rules (ids or globs)"},
			&cli.StringFlag{Name: "severity", Value: "info", Usage: "report findings at or above this severity: info, warning or error"},
			&cli.StringFlag{Name: "fail-on", Value: "warning", Usage: "exit 1 when a finding is at or above this severity: info, warning, error or never"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: " + strings.Join(report.Formats(), ", ")},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to this file instead of standard output"},
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "files checked in parallel; with fewer files, a file's rules run in parallel (the output does not depend on it)"},
			&cli.StringFlag{Name: "baseline", Usage: "report only findings not recorded in this baseline file"},
			&cli.StringFlag{Name: "write-baseline", Usage: "record the current findings in this baseline file"},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour the text format: auto (a terminal, unless NO_COLOR is set), always or never"},
			&cli.StringSliceFlag{Name: "parent", Usage: "a higher-level plan (上级工作要点) the draft must carry out; repeat for several (default: `parent` in the config)"},
			&cli.StringFlag{Name: "author", Usage: "who signs the Word comments and the 修改意见 (e.g. 市卫生健康委办公室)"},
			&cli.StringFlag{Name: "initials", Usage: "the comment author's initials in Word"},
			&cli.StringFlag{Name: "date", Usage: "the date of the comments and the 修改意见, YYYY-MM-DD (default: none)"},
			maxSizeFlag(),
			// For measuring (bench/run.sh), not for users: hidden.
			&cli.StringFlag{Name: "cpuprofile", Hidden: true, Usage: "write a CPU profile of the run to this file"},
			&cli.StringFlag{Name: "memprofile", Hidden: true, Usage: "write an allocation profile of the run to this file"},
		},
		Action: runCheck,
	}
}

// startProfiles starts a CPU profile into cpu and returns the function
// that stops it and writes the allocation profile into mem (either may
// be "": none).
func startProfiles(cpu, mem string) (stop func(), err error) {
	var cpuFile *os.File
	if cpu != "" {
		if cpuFile, err = os.Create(cpu); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cpuFile); err != nil {
			cpuFile.Close()
			return nil, err
		}
	}
	return func() {
		if cpuFile != nil {
			pprof.StopCPUProfile()
			cpuFile.Close()
		}
		if mem != "" {
			if f, err := os.Create(mem); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}
	}, nil
}

// readParents reads the higher-level plans: --parent, else the config's
// `parent` list. They are parsed once and shared by every draft.
func readParents(c *cli.Context, set *rules.Set, x *plan.Extractor) ([]*plan.Plan, error) {
	names := c.StringSlice("parent")
	if len(names) == 0 {
		names = set.Parents
	}
	var parents []*plan.Plan
	for _, name := range names {
		in, err := readInput(c, name)
		if err != nil {
			return nil, fmt.Errorf("--parent: %w", err)
		}
		parents = append(parents, plan.ParseWith(in.Source, &set.Vocab, x))
	}
	return parents, nil
}

// checkOptions are the flags of one run, read once.
type checkOptions struct {
	minSeverity rules.Severity
	failOn      rules.Severity // 0: never
	jobs        int
	baseline    map[string]bool
}

func runCheck(c *cli.Context) error {
	if err := checkArgsAreFiles(c); err != nil {
		return err
	}
	if c.NArg() == 0 {
		return cli.Exit("check needs at least one FILE, DIR or - (see 'plancheck check --help')", exitError)
	}
	opt, err := readCheckOptions(c)
	if err != nil {
		return cli.Exit(err.Error(), exitError)
	}
	names, inputErrs := expandInputs(c.Args().Slice())
	for _, flag := range []string{"cpuprofile", "memprofile"} {
		if path := c.String(flag); path != "" && isInput(path, names) {
			return cli.Exit(fmt.Sprintf("--%s %s is one of the inputs: refusing to overwrite it", flag, path), exitError)
		}
	}
	stopProfiles, err := startProfiles(c.String("cpuprofile"), c.String("memprofile"))
	if err != nil {
		return cli.Exit(err.Error(), exitError)
	}
	defer stopProfiles()
	go plan.Precompile() // while the rules load
	set, err := loadRules(c)
	if err != nil {
		return err
	}
	if err := selectRules(set, splitList(c.StringSlice("enable")), splitList(c.StringSlice("disable"))); err != nil {
		return cli.Exit(err.Error(), exitError)
	}

	// Validate before creating --output: a typo in --format must not
	// truncate last week's report.
	if !slices.Contains(report.Formats(), c.String("format")) {
		return cli.Exit(fmt.Sprintf("unknown format %q (known: %s)", c.String("format"), strings.Join(report.Formats(), ", ")), exitError)
	}
	for _, flag := range []string{"output", "write-baseline"} {
		if path := c.String(flag); path != "" && isInput(path, names) {
			return cli.Exit(fmt.Sprintf("--%s %s is one of the inputs: refusing to overwrite it", flag, path), exitError)
		}
	}
	out := c.App.Writer
	if binaryFormats[c.String("format")] && c.String("output") == "" && isTerminal(out) {
		return cli.Exit(fmt.Sprintf("--format %s writes a Word file: give --output FILE.docx", c.String("format")), exitError)
	}
	if path := c.String("output"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return cli.Exit(err.Error(), exitError)
		}
		defer f.Close()
		out = f
	}
	formatter, err := report.New(c.String("format"), out, report.Options{
		Color: useColor(c), ToolVersion: version, Rules: ruleInfos(set),
		Author: c.String("author"), Initials: c.String("initials"), Date: c.String("date"),
	})
	if err != nil {
		return cli.Exit(err.Error(), exitError)
	}

	// Fewer files than jobs: the spare workers share each file's rules.
	ck := checker.New(set).WithWorkers(opt.jobs / max(1, len(names)))
	x := plan.NewExtractor(&set.Vocab)
	parents, err := readParents(c, set, x)
	if err != nil {
		return cli.Exit(err.Error(), exitError)
	}
	var baselineOut []baselineEntry
	writingBaseline := c.String("write-baseline") != ""
	worst := exitOK
	raise := func(code int) { worst = max(worst, code) }
	for _, e := range inputErrs {
		fmt.Fprintln(c.App.ErrWriter, "plancheck:", e)
		raise(exitError)
	}
	if err := formatter.Start(); err != nil {
		return cli.Exit(err.Error(), exitError)
	}
	progress := newProgress(c.App.ErrWriter, len(names))
	err = checkFiles(names, opt.jobs, func(name string) fileResult {
		return checkOne(c, name, set, ck, x, parents)
	}, func(r fileResult) error {
		progress.step()
		// Findings below --severity or in the baseline are dropped in place.
		f := report.File{Name: r.name, Source: r.src, Err: r.err, Title: r.title, Doc: r.doc, Findings: r.findings[:0]}
		if r.err != nil {
			fmt.Fprintln(c.App.ErrWriter, "plancheck:", r.err)
			raise(exitError)
		}
		for _, e := range r.runErrs {
			fmt.Fprintln(c.App.ErrWriter, "plancheck:", e)
			raise(exitError)
		}
		for _, fd := range r.findings {
			if fd.Severity < opt.minSeverity || len(opt.baseline) > 0 && opt.baseline[baselineKey(fd)] {
				continue
			}
			f.Findings = append(f.Findings, fd)
			if writingBaseline {
				// Cloned: the excerpt is a slice of the whole input, which
				// must not stay in memory after its file is reported.
				baselineOut = append(baselineOut, baselineEntry{Rule: fd.RuleID, File: fd.File, Fingerprint: fd.Fingerprint, Excerpt: strings.Clone(fd.Excerpt)})
			}
			if opt.failOn != 0 && fd.Severity >= opt.failOn {
				raise(exitFindings)
			}
		}
		return formatter.File(f)
	})
	progress.done()
	if err != nil {
		return cli.Exit(err.Error(), exitError)
	}
	if err := formatter.Finish(); err != nil {
		return cli.Exit(err.Error(), exitError)
	}
	if path := c.String("write-baseline"); path != "" {
		if err := writeBaseline(path, baselineOut); err != nil {
			return cli.Exit(err.Error(), exitError)
		}
	}
	if worst != exitOK {
		return cli.Exit("", worst)
	}
	return nil
}

func readCheckOptions(c *cli.Context) (checkOptions, error) {
	var opt checkOptions
	var err error
	if opt.minSeverity, err = rules.ParseSeverity(c.String("severity")); err != nil {
		return opt, fmt.Errorf("--severity: %w", err)
	}
	if f := c.String("fail-on"); f != "never" {
		if opt.failOn, err = rules.ParseSeverity(f); err != nil {
			return opt, fmt.Errorf("--fail-on: %w (or never)", err)
		}
	}
	opt.jobs = c.Int("jobs")
	if opt.jobs < 1 {
		return opt, fmt.Errorf("--jobs must be at least 1")
	}
	switch c.String("color") {
	case "auto", "always", "never":
	default:
		return opt, fmt.Errorf("--color must be auto, always or never")
	}
	if path := c.String("baseline"); path != "" {
		if opt.baseline, err = readBaseline(path); err != nil {
			return opt, err
		}
	}
	return opt, nil
}

// binaryFormats write a Word file, not text.
var binaryFormats = map[string]bool{"docx": true, "feedback-docx": true}

// selectRules applies --enable (run only these rules) and --disable.
func selectRules(set *rules.Set, enable, disable []string) error {
	if len(enable) > 0 {
		if err := set.Select(nil, []string{"*"}); err != nil {
			return err
		}
	}
	return set.Select(enable, disable)
}

// splitList accepts both repeated flags and comma-separated lists.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func ruleInfos(set *rules.Set) []report.RuleInfo {
	var out []report.RuleInfo
	for _, r := range set.Enabled() {
		out = append(out, report.RuleInfo{ID: r.ID, Title: r.Title, Severity: r.Severity, Rationale: r.Rationale, Tags: r.Tags})
	}
	return out
}

func useColor(c *cli.Context) bool {
	switch c.String("color") {
	case "always":
		return true
	case "never":
		return false
	}
	if _, ok := os.LookupEnv("NO_COLOR"); ok || c.String("output") != "" {
		return false
	}
	return isTerminal(c.App.Writer)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// expandInputs turns the arguments into file names: directories are
// walked (sorted, .txt files; hidden folders skipped), "-" is kept.
// Arguments that cannot be read are returned as errors.
func expandInputs(args []string) ([]string, []error) {
	var names []string
	var errs []error
	for _, a := range args {
		if a == "-" {
			names = append(names, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			names = append(names, a) // reported in order, as an input error
			continue
		}
		if !st.IsDir() {
			names = append(names, a)
			continue
		}
		err = filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			if d.IsDir() && path != a && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && isDraftFile(path) {
				names = append(names, path)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return names, errs
}

// isInput reports whether path is one of the inputs, by file identity
// rather than by name, so that ./x, an absolute path or a hard link is
// caught before os.Create truncates it.
func isInput(path string, names []string) bool {
	out, err := os.Stat(path)
	if err != nil {
		return false // it does not exist yet, so it is no input
	}
	for _, n := range names {
		if st, err := os.Stat(n); err == nil && os.SameFile(out, st) {
			return true
		}
	}
	return false
}

// isDraftFile says which files a directory walk checks.
func isDraftFile(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".txt" || ext == ".docx"
}

// fileResult is the outcome of checking one input.
type fileResult struct {
	name     string
	title    string
	src      *plan.Source
	doc      *docx.Document
	findings []rules.Finding
	runErrs  []error
	err      error
}

func checkOne(c *cli.Context, name string, set *rules.Set, ck *checker.Checker, x *plan.Extractor, parents []*plan.Plan) fileResult {
	in, err := readInput(c, name)
	if err != nil {
		return fileResult{name: name, err: err}
	}
	p := plan.ParseWith(in.Source, &set.Vocab, x)
	findings, _, runErrs := ck.CheckAgainst(p, parents)
	r := fileResult{name: name, src: in.Source, doc: in.Doc, findings: findings, runErrs: runErrs}
	if p.Title != nil {
		r.title = strings.Join(strings.Fields(p.Title.Text), "")
	}
	return r
}

// checkFiles checks names with jobs workers and hands the results to emit
// in input order, holding at most a window of results at a time, so that
// output is deterministic and memory does not grow with the number of files.
func checkFiles(names []string, jobs int, check func(string) fileResult, emit func(fileResult) error) error {
	type slot struct {
		done chan struct{}
		res  fileResult
	}
	slots := make(chan *slot, jobs*2)
	work := make(chan struct {
		name string
		s    *slot
	})
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for w := range work {
				w.s.res = check(w.name)
				close(w.s.done)
			}
		}()
	}
	go func() {
		for _, n := range names {
			s := &slot{done: make(chan struct{})}
			slots <- s
			work <- struct {
				name string
				s    *slot
			}{n, s}
		}
		close(work)
		close(slots)
	}()
	var firstErr error
	for s := range slots {
		<-s.done
		if firstErr == nil {
			firstErr = emit(s.res)
		}
	}
	wg.Wait()
	return firstErr
}

// A baseline records findings by rule, file and fingerprint, so that a
// later run reports only new ones.
type baselineEntry struct {
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Fingerprint string `json:"fingerprint"`
	Excerpt     string `json:"excerpt"`
}

type baselineFile struct {
	Version  int             `json:"version"`
	Findings []baselineEntry `json:"findings"`
}

func baselineKey(f rules.Finding) string {
	return f.RuleID + "\x00" + filepath.ToSlash(f.File) + "\x00" + f.Fingerprint
}

func readBaseline(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	var b baselineFile
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("--baseline %s: not a plancheck baseline: %w", path, err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("--baseline %s: unknown version %d", path, b.Version)
	}
	keys := map[string]bool{}
	for _, e := range b.Findings {
		keys[e.Rule+"\x00"+filepath.ToSlash(e.File)+"\x00"+e.Fingerprint] = true
	}
	return keys, nil
}

func writeBaseline(path string, entries []baselineEntry) error {
	if entries == nil {
		entries = []baselineEntry{}
	}
	data, err := json.MarshalIndent(baselineFile{Version: 1, Findings: entries}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// progress draws a one-line counter on stderr when many files are checked
// on a terminal; elsewhere it draws nothing.
type progress struct {
	w     io.Writer
	total int
	n     int
	on    bool
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, total: total, on: total >= 20 && isTerminal(w)}
}

func (p *progress) step() {
	p.n++
	if p.on && (p.n%10 == 0 || p.n == p.total) {
		fmt.Fprintf(p.w, "\r%d/%d files", p.n, p.total)
	}
}

func (p *progress) done() {
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
