package checker

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
)

// Rule fixtures, after golang.org/x/tools/go/analysis/analysistest: a
// draft X.txt and beside it X.want, one expected finding per line:
//
//	# rules: deadline-vague owner-missing
//	12:5-12:7 deadline-vague "年内"
//
// Every finding of the named rules must match a line (rule, full span and
// excerpt) and every line a finding. Without a "# rules:" header all
// enabled rules are compared.

// FixtureResult is the outcome of one fixture.
type FixtureResult struct {
	Name string // X.txt, relative to the fixture directory
	// Problems lists mismatches as "X.txt:line:col: unexpected|missing
	// rule-id "excerpt"", then rule run errors.
	Problems []string
}

// OK reports whether the fixture passed.
func (r FixtureResult) OK() bool { return len(r.Problems) == 0 }

// want is one expected finding.
type want struct {
	line, col, endLine, endCol int
	rule, excerpt              string
}

func (w want) String() string {
	return fmt.Sprintf("%d:%d-%d:%d %s %s", w.line, w.col, w.endLine, w.endCol, w.rule, strconv.Quote(w.excerpt))
}

var wantLine = regexp.MustCompile(`^(\d+):(\d+)-(\d+):(\d+)\s+([a-z0-9-]+)\s+("(?:[^"\\]|\\.)*")\s*$`)

// wantFile is a parsed .want file.
type wantFile struct {
	only     []string // rules named by the "# rules:" header; nil = all
	comments []string // other comment lines, kept by UpdateFixtures
	wants    []want
}

func readWant(path string) (*wantFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	wf := &wantFile{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if ids, ok := strings.CutPrefix(line, "# rules:"); ok {
			wf.only = append(wf.only, strings.Fields(ids)...)
			continue
		}
		if strings.HasPrefix(line, "#") {
			wf.comments = append(wf.comments, line)
			continue
		}
		if line == "" {
			continue
		}
		m := wantLine.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("%s:%d: want LINE:COL-ENDLINE:ENDCOL rule-id \"excerpt\"", path, n)
		}
		excerpt, err := strconv.Unquote(m[6])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: bad excerpt: %v", path, n, err)
		}
		w := want{rule: m[5], excerpt: excerpt}
		for i, p := range []*int{&w.line, &w.col, &w.endLine, &w.endCol} {
			*p, _ = strconv.Atoi(m[i+1])
		}
		wf.wants = append(wf.wants, w)
	}
	return wf, sc.Err()
}

func wantOf(f rules.Finding) want {
	return want{f.Start.Line, f.Start.Col, f.End.Line, f.End.Col, f.RuleID, f.Excerpt}
}

// RunFixtures checks every X.txt in dir that has an X.want beside it.
// parse reads a draft (plan.NewSource then plan.Parse, typically). The
// error is for fixtures that cannot be run at all (unreadable, bad .want).
func RunFixtures(dir string, set *rules.Set, parse func(name string, data []byte) (*plan.Plan, error)) ([]FixtureResult, error) {
	names, err := fixtureNames(dir)
	if err != nil {
		return nil, err
	}
	c := New(set)
	var results []FixtureResult
	for _, name := range names {
		wf, err := readWant(filepath.Join(dir, strings.TrimSuffix(name, ".txt")+".want"))
		if err != nil {
			return nil, err
		}
		for _, id := range wf.only {
			if set.Rule(id) == nil {
				return nil, fmt.Errorf("%s: # rules: unknown rule %q", strings.TrimSuffix(name, ".txt")+".want", id)
			}
		}
		findings, errs, err := checkFixture(c, dir, name, parse)
		if err != nil {
			return nil, err
		}
		res := FixtureResult{Name: name}
		var got []want
		for _, f := range findings {
			if wf.only == nil || slices.Contains(wf.only, f.RuleID) {
				got = append(got, wantOf(f))
			}
		}
		// Match as multisets: the same expectation may occur twice.
		rest := slices.Clone(wf.wants)
		for _, g := range got {
			if i := slices.Index(rest, g); i >= 0 {
				rest = slices.Delete(rest, i, i+1)
				continue
			}
			res.Problems = append(res.Problems, fmt.Sprintf("%s:%d:%d: unexpected %s %s", name, g.line, g.col, g.rule, strconv.Quote(g.excerpt)))
		}
		for _, w := range rest {
			res.Problems = append(res.Problems, fmt.Sprintf("%s:%d:%d: missing %s %s", name, w.line, w.col, w.rule, strconv.Quote(w.excerpt)))
		}
		for _, e := range errs {
			res.Problems = append(res.Problems, e.Error())
		}
		results = append(results, res)
	}
	return results, nil
}

// UpdateFixtures rewrites every X.want in dir from the current findings,
// keeping its comments and "# rules:" header (the -update of a fixture
// test).
func UpdateFixtures(dir string, set *rules.Set, parse func(name string, data []byte) (*plan.Plan, error)) error {
	names, err := fixtureNames(dir)
	if err != nil {
		return err
	}
	c := New(set)
	for _, name := range names {
		path := filepath.Join(dir, strings.TrimSuffix(name, ".txt")+".want")
		wf, err := readWant(path)
		if err != nil {
			return err
		}
		findings, _, err := checkFixture(c, dir, name, parse)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		for _, c := range wf.comments {
			fmt.Fprintln(&b, c)
		}
		if err := WriteWant(&b, findings, wf.only); err != nil {
			return err
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// WriteWant writes the expectations for findings, limited to the rules in
// only (all when only is empty), with a "# rules:" header naming them.
func WriteWant(w io.Writer, findings []rules.Finding, only []string) error {
	var b bytes.Buffer
	if len(only) > 0 {
		fmt.Fprintf(&b, "# rules: %s\n", strings.Join(only, " "))
	}
	for _, f := range findings {
		if len(only) == 0 || slices.Contains(only, f.RuleID) {
			fmt.Fprintln(&b, wantOf(f))
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// fixtureNames lists the X.txt files of dir that have an X.want, sorted.
func fixtureNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".txt") {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, strings.TrimSuffix(name, ".txt")+".want")); err == nil {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names, nil
}

func checkFixture(c *Checker, dir, name string, parse func(string, []byte) (*plan.Plan, error)) ([]rules.Finding, []error, error) {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, nil, err
	}
	p, err := parse(name, data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", name, err)
	}
	// X.parent.txt beside X.txt is the higher-level plan X must carry out.
	var parents []*plan.Plan
	parentName := strings.TrimSuffix(name, ".txt") + ".parent.txt"
	if pdata, err := os.ReadFile(filepath.Join(dir, parentName)); err == nil {
		parent, err := parse(parentName, pdata)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %v", parentName, err)
		}
		parents = append(parents, parent)
	}
	findings, _, errs := c.CheckAgainst(p, parents)
	return findings, errs, nil
}
