package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Unit is a unit of `inspect --format json`, the fields the tests read.
type Unit struct {
	Kind     string    `json:"kind"`
	Label    string    `json:"label"`
	Style    string    `json:"style"`
	Number   int       `json:"number"`
	Level    int       `json:"level"`
	Start    ReportPos `json:"start"`
	End      ReportPos `json:"end"`
	Text     string    `json:"text"`
	Children []*Unit   `json:"children"`
}

// inspectUnits runs `inspect --format json` and returns the top units.
func inspectUnits(t *testing.T, path string) []*Unit {
	t.Helper()
	out, errOut, code := runCLI(t, "", "inspect", "--format", "json", path)
	require.Equal(t, exitOK, code, errOut)
	var doc struct {
		Units []*Unit `json:"units"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.NotEmpty(t, doc.Units)
	return doc.Units
}

// walkUnits calls fn on every unit in document order with its parent.
func walkUnits(us []*Unit, parent *Unit, fn func(u, parent *Unit)) {
	for _, u := range us {
		fn(u, parent)
		walkUnits(u.Children, u, fn)
	}
}

// findingsIn returns the findings that start inside u.
func findingsIn(fs []ReportFinding, u *Unit) []ReportFinding {
	var in []ReportFinding
	for _, f := range fs {
		if f.Start.Offset >= u.Start.Offset && f.Start.Offset < max(u.End.Offset, u.Start.Offset+1) {
			in = append(in, f)
		}
	}
	return in
}

// nextLabel is the label after u's in the same numbering form: 36、 → 37、.
func nextLabel(u *Unit, n int) string {
	num := strconv.Itoa(u.Number)
	if !strings.HasPrefix(u.Label, num) {
		return ""
	}
	return strconv.Itoa(n) + strings.TrimPrefix(u.Label, num)
}

// insertAt inserts s into line (a line of the file) before the character
// at 1-based column col.
func insertAt(line string, col int, s string) string {
	r := []rune(line)
	return string(r[:col-1]) + s + string(r[col-1:])
}

// baselineEdit is an edit of a real draft for the baseline acceptance test.
type baselineEdit struct {
	moved, fixed, last *Unit
	fixedFinding       ReportFinding // the owner-missing the edit fixes
	newLine            int           // line of the new item in the edited file
	newItem            string
}

// planBaselineEdit picks, from the parsed draft and its findings, an item
// to move to the next section (the last item of a section whose number
// continues in the next one, so numbering stays right), an item whose
// only finding is owner-missing (to fix), and the last item (to add a new
// one after).
func planBaselineEdit(t *testing.T, units []*Unit, fs []ReportFinding) (e baselineEdit, to *Unit) {
	t.Helper()
	var items []*Unit
	walkUnits(units, nil, func(u, _ *Unit) {
		if u.Kind == "item" {
			items = append(items, u)
		}
		for i := 0; i+1 < len(u.Children) && e.moved == nil; i++ {
			a, b := u.Children[i], u.Children[i+1]
			if a.Kind != "heading" || b.Kind != "heading" || len(a.Children) < 2 || len(b.Children) == 0 {
				continue
			}
			last, first := a.Children[len(a.Children)-1], b.Children[0]
			if last.Kind == "item" && first.Kind == "item" && last.Style == first.Style &&
				first.Number == last.Number+1 && first.Start.Line > b.Start.Line && len(findingsIn(fs, last)) > 0 {
				e.moved, to = last, b
			}
		}
	})
	require.NotNil(t, e.moved, "no item to move: a section whose last item's number continues in the next section")
	for _, it := range items {
		in := findingsIn(fs, it)
		if it != e.moved && len(in) == 1 && in[0].Rule == "owner-missing" {
			e.fixed, e.fixedFinding = it, in[0]
			break
		}
	}
	require.NotNil(t, e.fixed, "no item whose only finding is owner-missing")
	e.last = items[len(items)-1]
	require.NotSame(t, e.moved, e.last)
	return e, to
}

// The acceptance test of baselines: after moving an item, fixing one and
// adding a new one, a check against the baseline of the first version
// reports exactly the new item's findings.
func TestBaselineAcceptance(t *testing.T) {
	src := "testdata/baseline.txt"
	if _, err := os.Stat(corpus003); err == nil {
		src = corpus003
	} else {
		t.Log("../shared absent: using testdata/baseline.txt")
	}
	protectInputs(t, src)
	dir := t.TempDir()
	// The baseline keys include the file name: both runs check the same name.
	plan := filepath.Join(dir, "plan.txt")
	baseline := filepath.Join(dir, "baseline.json")
	copyFile(t, src, plan)

	before, errOut, code := checkJSON(t, "", "--write-baseline", baseline, plan)
	require.Equal(t, exitFindings, code, errOut)
	var b struct {
		Version  int `json:"version"`
		Findings []struct {
			Rule, File, Fingerprint, Excerpt string
		} `json:"findings"`
	}
	data, err := os.ReadFile(baseline)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &b))
	assert.Equal(t, 1, b.Version)
	assert.Len(t, b.Findings, len(allFindings(before)), "the baseline records every finding")

	e, to := planBaselineEdit(t, inspectUnits(t, plan), allFindings(before))
	orig, err := os.ReadFile(plan)
	require.NoError(t, err)
	ls := strings.SplitAfter(string(orig), "\n")
	// Fix: add an owner at the end of the item.
	fixLine := e.fixed.End.Line - 1
	ls[fixLine] = insertAt(ls[fixLine], e.fixed.End.Col, "（责任单位：医政科）")
	// New: an item after the last one, numbered on, with a half-width comma.
	label := nextLabel(e.last, e.last.Number+1)
	require.NotEmpty(t, label, "label %q does not start with its number", e.last.Label)
	e.newItem = label + "推进基层卫生人才培养,年底前培训乡村医生200名。\n"
	var edited []string
	for i := 0; i < len(ls); i++ {
		n := i + 1
		if n >= e.moved.Start.Line && n <= e.moved.End.Line {
			continue // moved below
		}
		edited = append(edited, ls[i])
		if n == to.Start.Line {
			edited = append(edited, ls[e.moved.Start.Line-1:e.moved.End.Line]...)
		}
		if n == e.last.End.Line {
			if !strings.HasSuffix(ls[i], "\n") {
				edited[len(edited)-1] += "\n"
			}
			edited = append(edited, e.newItem)
			e.newLine = len(edited)
		}
	}
	require.NoError(t, os.WriteFile(plan, []byte(strings.Join(edited, "")), 0o644))
	t.Logf("moved %s (line %d) under %s; fixed the owner of %s (line %d); new item at line %d",
		e.moved.Label, e.moved.Start.Line, to.Label, e.fixed.Label, e.fixed.Start.Line, e.newLine)

	// Without the baseline the old findings are all still there, moved:
	// the baseline, not the edit, must be what hides them.
	after, _, _ := checkJSON(t, "", plan)
	var onNew []ReportFinding
	for _, f := range allFindings(after) {
		if f.Start.Line == e.newLine {
			onNew = append(onNew, f)
		}
	}
	require.NotEmpty(t, onNew, "precondition: the new item has findings")
	for _, f := range allFindings(after) {
		require.False(t, f.Rule == e.fixedFinding.Rule && f.Excerpt == e.fixedFinding.Excerpt,
			"precondition: the added owner fixes %s", e.fixedFinding.where())
	}
	require.Equal(t, len(allFindings(before))-1+len(onNew), len(allFindings(after)),
		"precondition: the edited draft has the old findings minus the fixed one plus the new item's")

	got, errOut, code := checkJSON(t, "", "--baseline", baseline, plan)
	assert.Equal(t, exitFindings, code, errOut)
	assert.Equal(t, onNew, allFindings(got), "only the new item's findings are reported")
	comma := strings.Index(e.newItem, ",")
	wantCol := len([]rune(e.newItem[:comma])) + 1
	found := false
	for _, f := range allFindings(got) {
		found = found || (f.Rule == "punct-halfwidth" && f.Start.Line == e.newLine && f.Start.Col == wantCol)
	}
	assert.True(t, found, "the new half-width comma is reported at %d:%d", e.newLine, wantCol)
}

// longestRun returns the longest run of items, in document order, of one
// numbering style numbered 1, 2, 3…: the main task list of a plan.
func longestRun(units []*Unit) []*Unit {
	var best, cur []*Unit
	walkUnits(units, nil, func(u, _ *Unit) {
		if u.Kind != "item" {
			return
		}
		if len(cur) > 0 && (u.Style != cur[0].Style || u.Number != cur[len(cur)-1].Number+1) {
			cur = nil
		}
		if len(cur) == 0 && u.Number != 1 {
			return
		}
		cur = append(cur, u)
		if len(cur) > len(best) {
			best = cur
		}
	})
	return best
}

// Inserting a task in the middle of the list renumbers the tasks after it;
// that is an edit of their labels only, and brings none of their
// findings back.
func TestBaselineSurvivesRenumbering(t *testing.T) {
	src := "testdata/baseline.txt"
	if _, err := os.Stat(corpus003); err == nil {
		src = corpus003
	}
	protectInputs(t, src)
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.txt")
	baseline := filepath.Join(dir, "baseline.json")
	copyFile(t, src, plan)
	before, errOut, code := checkJSON(t, "", "--write-baseline", baseline, plan)
	require.Equal(t, exitFindings, code, errOut)

	run := longestRun(inspectUnits(t, plan))
	require.GreaterOrEqual(t, len(run), 3, "no numbered list to insert into")
	at := run[len(run)/2-1] // the new item goes after this one
	orig, err := os.ReadFile(plan)
	require.NoError(t, err)
	ls := strings.SplitAfter(string(orig), "\n")
	renumbered := 0
	for _, u := range run[len(run)/2:] {
		label := nextLabel(u, u.Number+1)
		require.NotEmpty(t, label, "label %q does not start with its number", u.Label)
		line := []rune(ls[u.Start.Line-1])
		require.Equal(t, u.Label, string(line[u.Start.Col-1:u.Start.Col-1+len([]rune(u.Label))]), "the label is where inspect says")
		ls[u.Start.Line-1] = string(line[:u.Start.Col-1]) + label + string(line[u.Start.Col-1+len([]rune(u.Label)):])
		renumbered++
	}
	newItem := nextLabel(at, at.Number+1) + "推进基层卫生人才培养,年底前培训乡村医生200名。\n"
	var edited []string
	newLine := 0
	for i, l := range ls {
		edited = append(edited, l)
		if i+1 == at.End.Line {
			edited = append(edited, newItem)
			newLine = len(edited)
		}
	}
	require.NoError(t, os.WriteFile(plan, []byte(strings.Join(edited, "")), 0o644))

	after, _, _ := checkJSON(t, "", plan)
	var onNew []ReportFinding
	for _, f := range allFindings(after) {
		if f.Start.Line == newLine {
			onNew = append(onNew, f)
		}
	}
	require.NotEmpty(t, onNew, "precondition: the new item has findings")
	require.Len(t, allFindings(after), len(allFindings(before))+len(onNew),
		"precondition: renumbering neither fixes nor adds a finding")

	got, errOut, code := checkJSON(t, "", "--baseline", baseline, plan)
	assert.Equal(t, exitFindings, code, errOut)
	assert.Equal(t, onNew, allFindings(got), "only the new item's findings are reported after renumbering %d items", renumbered)
}
