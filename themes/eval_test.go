package themes

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
)

// The evaluation scores the matcher against human labels in
// ../fixtures/themes: for each parent item, covered or missing in the
// child, and the child units that take it up (label@Lline).

// label is one labelled parent item.
type label struct {
	item    string // "4."
	line    int    // the parent item's line
	covered bool
	lines   []int // lines of the child units that take it up
}

func readLabels(t testing.TB, path string) []label {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []label
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		text := sc.Text()
		if strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "" {
			continue
		}
		fields := strings.Split(text, "\t")
		require.GreaterOrEqual(t, len(fields), 3, "%s:%d: too few fields", path, n)
		line, err := strconv.Atoi(fields[1])
		require.NoError(t, err, "%s:%d", path, n)
		require.Contains(t, []string{"covered", "missing"}, fields[2], "%s:%d", path, n)
		l := label{item: fields[0], line: line, covered: fields[2] == "covered"}
		if len(fields) > 3 {
			for _, ref := range strings.Fields(fields[3]) {
				_, at, ok := strings.Cut(ref, "@L")
				require.True(t, ok, "%s:%d: child unit %q has no @L", path, n, ref)
				cl, err := strconv.Atoi(at)
				require.NoError(t, err, "%s:%d", path, n)
				l.lines = append(l.lines, cl)
			}
		}
		out = append(out, l)
	}
	require.NoError(t, sc.Err())
	return out
}

// pairCase is a labelled parent/child pair.
type pairCase struct {
	name          string
	parent, child string // corpus prefixes
	labels        string // file in labels/
}

// counts accumulates a confusion matrix and best-match hits.
type counts struct {
	tp, fp, fn, tn int
	top1, top1Of   int
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (c counts) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c counts) recall() float64    { return ratio(c.tp, c.tp+c.fn) }
func (c counts) f1() float64 {
	p, r := c.precision(), c.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
func (c counts) accuracy() float64 { return ratio(c.top1, c.top1Of) }

func (c counts) String() string {
	return fmt.Sprintf("P=%.3f R=%.3f F1=%.3f (tp %d fp %d fn %d tn %d) best-match %d/%d=%.3f",
		c.precision(), c.recall(), c.f1(), c.tp, c.fp, c.fn, c.tn, c.top1, c.top1Of, c.accuracy())
}

// unitLines is the line range a child unit answers to: a heading's own
// line(s), the lines of an item's own text (not its sub-items), a row's lines.
func unitLines(u *plan.Unit) (int, int) {
	if u.Kind == plan.KindHeading && u.Title != nil {
		return u.Title.Start.Line, u.Title.End.Line
	}
	s, e := u.Body()
	src := u.Source()
	return src.Pos(s).Line, src.Pos(e).Line
}

// judged is the matcher's answer for one labelled parent item.
type judged struct {
	score   float64
	verdict string
	covered bool // the label
	top1    bool // the best unit is one of the labelled child units
}

// judge matches one pair and pairs every label with the matcher's answer.
func judge(t testing.TB, m *Matcher, parent, child *plan.Plan, labels []label) []judged {
	t.Helper()
	results := m.Match(m.Derive(parent, "p1"), nil, child)
	byLine := map[int]Result{}
	for _, r := range results {
		if r.Theme.Kind == KindItem {
			byLine[r.Theme.Start.Line] = r
		}
	}
	out := make([]judged, 0, len(labels))
	for _, l := range labels {
		r, ok := byLine[l.line]
		require.True(t, ok, "no parent item at line %d (%s)", l.line, l.item)
		require.Equal(t, strings.TrimRight(l.item, ".．、"), idLabel(r.Theme.Label), "parent item at line %d", l.line)
		j := judged{score: r.Score, verdict: r.Verdict, covered: l.covered}
		if len(r.Matches) > 0 {
			lo, hi := unitLines(r.Matches[0].Unit)
			for _, cl := range l.lines {
				j.top1 = j.top1 || cl >= lo && cl <= hi
			}
		}
		out = append(out, j)
	}
	return out
}

// tally counts answers, found telling whether the matcher says covered.
// Best-match accuracy is over items labelled covered that are found.
func tally(js []judged, found func(judged) bool) counts {
	var c counts
	for _, j := range js {
		f := found(j)
		switch {
		case f && j.covered:
			c.tp++
		case f:
			c.fp++
		case j.covered:
			c.fn++
		default:
			c.tn++
		}
		if f && j.covered {
			c.top1Of++
			if j.top1 {
				c.top1++
			}
		}
	}
	return c
}

var (
	weakCovered = func(j judged) bool { return j.verdict == Covered || j.verdict == Weak }
	strictOnly  = func(j judged) bool { return j.verdict == Covered }
)

// bestThreshold is the score threshold that classifies js best (ties to
// the lowest), for the leave-one-pair-out estimate.
func bestThreshold(js []judged) float64 {
	best, bestRight := 0.0, -1
	for _, cand := range js {
		right := 0
		for _, j := range js {
			if (j.score >= cand.score) == j.covered {
				right++
			}
		}
		if right > bestRight || right == bestRight && cand.score < best {
			best, bestRight = cand.score, right
		}
	}
	return best
}

var pairCases = []pairCase{
	{name: "004-000", parent: "004", child: "000", labels: "004-000.tsv"},
	{name: "004-001", parent: "004", child: "001", labels: "004-001.tsv"},
	{name: "004-002", parent: "004", child: "002", labels: "004-002.tsv"},
	{name: "000-003", parent: "000", child: "003", labels: "000-003.tsv"},
}

const labelDir = "../fixtures/themes"

// loadPairs parses every labelled pair; the paraphrase pair comes last.
func loadPairs(t testing.TB) (names []string, parents, children []*plan.Plan, labels [][]label) {
	t.Helper()
	v := testVocab(t)
	for _, pc := range pairCases {
		path := filepath.Join(labelDir, "labels", pc.labels)
		if _, err := os.Stat(path); err != nil {
			t.Skipf("labels %s absent", path)
		}
		names = append(names, pc.name)
		parents = append(parents, parseCorpus(t, v, pc.parent))
		children = append(children, parseCorpus(t, v, pc.child))
		labels = append(labels, readLabels(t, path))
	}
	data, err := os.ReadFile(filepath.Join(labelDir, "paraphrase", "child.txt"))
	require.NoError(t, err)
	src, err := plan.NewSource("paraphrase/child.txt", data)
	require.NoError(t, err)
	names = append(names, "paraphrase")
	parents = append(parents, parseCorpus(t, v, "004"))
	children = append(children, plan.Parse(src, v))
	labels = append(labels, readLabels(t, filepath.Join(labelDir, "paraphrase", "labels.tsv")))
	return names, parents, children, labels
}

// TestEvaluation measures the verdicts against the human labels and fails
// when a measure falls under its floor, a little below what the matcher
// achieves (the figures are in doc.go). Run with -v to see them.
func TestEvaluation(t *testing.T) {
	names, parents, children, labels := loadPairs(t)
	m := NewMatcher(testOptions(t))
	var all []judged
	perPair := map[string][]judged{}
	for i, name := range names {
		js := judge(t, m, parents[i], children[i], labels[i])
		perPair[name] = js
		t.Logf("%-10s weak=covered: %v", name, tally(js, weakCovered))
		t.Logf("%-10s strict:       %v", name, tally(js, strictOnly))
		if name != "paraphrase" {
			all = append(all, js...)
		}
	}
	c, cs := tally(all, weakCovered), tally(all, strictOnly)
	t.Logf("%-10s weak=covered: %v", "overall", c)
	t.Logf("%-10s strict:       %v", "overall", cs)
	// The reviewer's question is what the draft leaves out: the missing
	// class, seen from its side.
	t.Logf("missing (weak=covered): precision %.3f recall %.3f (%d of %d labelled missing found, %d false alarms)",
		ratio(c.tn, c.tn+c.fn), ratio(c.tn, c.tn+c.fp), c.tn, c.tn+c.fp, c.fn)
	base := tally(all, func(judged) bool { return true })
	t.Logf("baseline \"everything covered\": F1 %.3f", base.f1())

	// Leave one pair out: the threshold chosen on three pairs, applied to
	// the fourth, estimates what the defaults do on unseen plans.
	var lopo []judged
	for _, held := range names[:len(names)-1] {
		var train []judged
		for _, name := range names[:len(names)-1] {
			if name != held {
				train = append(train, perPair[name]...)
			}
		}
		th := bestThreshold(train)
		for _, j := range perPair[held] {
			j.verdict = Missing
			if j.score >= th {
				j.verdict = Covered
			}
			lopo = append(lopo, j)
		}
		t.Logf("leave out %s: threshold %.3f", held, th)
	}
	lc := tally(lopo, strictOnly)
	t.Logf("%-10s leave-one-pair-out: %v", "overall", lc)

	para := tally(perPair["paraphrase"], weakCovered)
	t.Logf("paraphrase recall on the %d paraphrased items: %d (weak=covered), %d (strict)",
		para.tp+para.fn, para.tp, tally(perPair["paraphrase"], strictOnly).tp)

	// The reverse view, on the constructed pair whose labels name every
	// child item that takes up a parent item: the others are local.
	pi := len(names) - 1
	referenced := map[int]bool{}
	for _, l := range labels[pi] {
		for _, cl := range l.lines {
			referenced[cl] = true
		}
	}
	unmatched := map[int]bool{}
	for _, u := range m.Unmatched(m.Match(m.Derive(parents[pi], "p1"), nil, children[pi]), children[pi]) {
		unmatched[u.Start.Line] = true
	}
	var local, localFound, falseLocal int
	for _, u := range children[pi].Items() {
		switch {
		case !referenced[u.Start.Line] && unmatched[u.Start.Line]:
			local++
			localFound++
		case !referenced[u.Start.Line]:
			local++
		case unmatched[u.Start.Line]:
			falseLocal++
		}
	}
	t.Logf("paraphrase reverse view: %d of %d local items unmatched, %d items taking up a theme reported unmatched",
		localFound, local, falseLocal)

	assert.GreaterOrEqual(t, c.f1(), floors.f1, "overall F1, weak counted as covered")
	assert.GreaterOrEqual(t, cs.f1(), floors.f1Strict, "overall F1, strict")
	assert.GreaterOrEqual(t, c.accuracy(), floors.accuracy, "overall best-match accuracy")
	assert.GreaterOrEqual(t, ratio(c.tn, c.tn+c.fp), floors.missingRecall, "recall of missing items")
	assert.GreaterOrEqual(t, para.recall(), floors.paraphraseRecall, "paraphrase recall, weak counted as covered")
	assert.GreaterOrEqual(t, ratio(localFound, local), floors.localRecall, "local items found by Unmatched")
	assert.LessOrEqual(t, falseLocal, floors.falseLocal, "items wrongly reported unmatched")
}

// floors are set a little below the measured figures, so that a change
// that makes the matcher worse fails here.
var floors = struct {
	f1, f1Strict, accuracy, missingRecall, paraphraseRecall, localRecall float64
	falseLocal                                                           int
}{f1: 0.92, f1Strict: 0.82, accuracy: 0.88, missingRecall: 0.65, paraphraseRecall: 0.76, localRecall: 0.75, falseLocal: 3}
