package themes

import (
	"cmp"
	"slices"

	"github.com/plancheck/plancheck/plan"
)

// Verdicts, the values of Result.Verdict.
const (
	Covered       = "covered"        // a draft unit takes the theme up
	Weak          = "weak"           // something close, below the covered threshold
	Missing       = "missing"        // nothing in the draft takes it up
	NotApplicable = "not-applicable" // set by the caller (a theme's applies_when is false)
)

// Default thresholds on the cosine score; see doc.go for how they were chosen.
const (
	DefaultCoveredAt = 0.10
	DefaultWeakAt    = 0.06
)

// maxMatches is how many units a result lists.
const maxMatches = 3

// maxEvidence is how many phrases a unit match lists.
const maxEvidence = 8

// Options configures a Matcher. Filler and Synonyms are vocabulary: their
// toml tags are the keys rules.toml's [vocab] table gives them.
type Options struct {
	// Filler are the genre's words that say nothing about the subject
	// (坚持, 加强, 推进, 工作…): bigrams touching them count for little.
	Filler []string `toml:"theme_filler" json:"theme_filler"`
	// Synonyms are groups of wordings of one thing; every member is
	// rewritten to the group's first member before matching, and the
	// canonical forms count double, as quoted terms do.
	Synonyms [][]string `toml:"theme_synonyms" json:"theme_synonyms"`
	// CoveredAt and WeakAt are the score thresholds of the covered and
	// weak verdicts; zero means DefaultCoveredAt and DefaultWeakAt.
	CoveredAt float64 `toml:"-" json:"-"`
	WeakAt    float64 `toml:"-" json:"-"`
}

// params are the weights of the method, fixed by measurement (doc.go),
// not options: they are not the vocabulary's business.
type params struct {
	filler float64 // factor of a bigram touching a filler word
	named  float64 // factor of a bigram touching a quoted term or a canonical synonym
	title  float64 // extra count of a title's bigrams (1 = counted twice in all)
}

var defaultParams = params{filler: 0.25, named: 2, title: 1}

// Matcher matches themes against drafts. It is built once from the
// vocabulary and is safe for concurrent use.
type Matcher struct {
	opt      Options
	p        params
	synonyms *trie // folded member → group
	canon    [][]rune
	filler   *trie
}

// NewMatcher compiles the vocabulary. Empty words and empty groups are
// ignored; a word in two synonym groups belongs to the first.
func NewMatcher(opt Options) *Matcher {
	if opt.CoveredAt == 0 {
		opt.CoveredAt = DefaultCoveredAt
	}
	if opt.WeakAt == 0 {
		opt.WeakAt = DefaultWeakAt
	}
	m := &Matcher{opt: opt, p: defaultParams, synonyms: newTrie(), filler: newTrie()}
	for _, g := range opt.Synonyms {
		var members []string
		for _, w := range g {
			if w != "" {
				members = append(members, w)
			}
		}
		if len(members) == 0 {
			continue
		}
		id := int32(len(m.canon))
		m.canon = append(m.canon, foldRunes(members[0]))
		for _, w := range members {
			m.synonyms.add(foldRunes(w), id)
		}
	}
	for _, w := range opt.Filler {
		m.filler.add(foldRunes(w), 0)
	}
	return m
}

// Evidence is a phrase a draft unit shares with a theme.
type Evidence struct {
	// Phrase is the shared text in normalised form: synonyms rewritten to
	// their canonical form, punctuation dropped.
	Phrase string `json:"phrase" expr:"phrase"`
	// Match is the phrase as written in the draft, with its exact place.
	Match plan.Match `json:"match" expr:"match"`
}

// UnitMatch is a draft unit that takes a theme up, with its score and the
// phrases it shares with the theme in document order.
type UnitMatch struct {
	Unit     *plan.Unit `json:"-" expr:"unit"`
	Score    float64    `json:"score" expr:"score"`
	Evidence []Evidence `json:"evidence,omitempty" expr:"evidence"`
}

// Result is a theme's coverage in a draft.
type Result struct {
	Theme   Theme  `json:"theme" expr:"theme"`
	Verdict string `json:"verdict" expr:"verdict"`
	// Score is the best unit's score: a cosine in [0, 1] for a derived
	// theme, the share of its conditions met for a declared one.
	Score float64 `json:"score" expr:"score"`
	// Matches are the best units, best first, at most three. A missing
	// theme keeps its nearest units (below the thresholds) as pointers
	// for the reader; Verdict says whether they count.
	Matches []UnitMatch `json:"matches,omitempty" expr:"matches"`
}

// verdict maps a score to a verdict.
func (m *Matcher) verdict(score float64) string {
	switch {
	case score >= m.opt.CoveredAt:
		return Covered
	case score >= m.opt.WeakAt:
		return Weak
	}
	return Missing
}

// candidate is a draft unit that may take a theme up, normalised.
type candidate struct {
	unit  *plan.Unit
	body  []char // the unit's text, for evidence
	title []char
}

// candidates returns the draft units matched against themes, in document
// order: items (own text, continuation paragraphs included, sub-items
// apart), table rows (their cells) and paragraphs that are not an item's
// continuation. Headings are not: a heading's few words matched too
// easily and took the place of the item under it (measured in doc.go).
// The title block, preamble, wrapper and closing are not either: a task
// is taken up in the body.
func (m *Matcher) candidates(draft *plan.Plan) []candidate {
	src := draft.Source
	var out []candidate
	draft.Walk(func(u *plan.Unit) bool {
		c := candidate{unit: u}
		switch u.Kind {
		case plan.KindItem:
			s, e := u.Body()
			c.body = m.normalize(nil, src.Text, s, e)
			if u.Title != nil {
				ts, te := u.Title.Offsets()
				c.title = m.normalize(nil, src.Text, ts, te)
			}
		case plan.KindParagraph:
			if u.Parent != nil && u.Parent.Kind == plan.KindItem {
				return true
			}
			s, e := u.Body()
			c.body = m.normalize(nil, src.Text, s, e)
		case plan.KindRow:
			for _, cell := range u.Cells {
				if !cell.Missing {
					s, e := cell.Offsets()
					c.body = m.normalize(c.body, src.Text, s, e)
				}
			}
		default:
			return true
		}
		out = append(out, c)
		return u.Kind != plan.KindRow
	})
	return out
}

// index holds the vectors of one draft's candidates and of the themes,
// with postings from bigram to candidate for scoring.
type index struct {
	m     *Matcher
	cands []candidate
	c     *corpus
	udoc  []int // corpus index of each candidate
	tdoc  []int // corpus index of each theme
}

func (m *Matcher) newIndex(themes []Theme, draft *plan.Plan) *index {
	x := &index{m: m, cands: m.candidates(draft), c: newCorpus(m, 1<<14)}
	for _, cd := range x.cands {
		x.udoc = append(x.udoc, x.c.add(part{cd.body, 1}, part{cd.title, m.p.title}))
	}
	for _, t := range themes {
		body := m.normalize(nil, t.Text, 0, len(t.Text))
		title := m.normalize(nil, t.Title, 0, len(t.Title))
		x.tdoc = append(x.tdoc, x.c.add(part{body, 1}, part{title, m.p.title}))
	}
	x.c.finish()
	return x
}

// scores returns, for every theme, its cosine with every candidate.
func (x *index) scores() [][]float64 {
	type posting struct {
		cand int32
		w    float64
	}
	post := make([][]posting, len(x.c.df))
	for i, d := range x.udoc {
		v := x.c.docs[d]
		for k, id := range v.ids {
			post[id] = append(post[id], posting{int32(i), v.w[k]})
		}
	}
	out := make([][]float64, len(x.tdoc))
	for t, d := range x.tdoc {
		s := make([]float64, len(x.cands))
		v := x.c.docs[d]
		for k, id := range v.ids {
			for _, p := range post[id] {
				s[p.cand] += v.w[k] * p.w
			}
		}
		out[t] = s
	}
	return out
}

// Match decides, for every theme and then every declared theme, which
// draft units take it up. Results come in the order of the arguments, so
// the same input gives the same output.
func (m *Matcher) Match(themes []Theme, declared []Declared, draft *plan.Plan) []Result {
	x := m.newIndex(themes, draft)
	scores := x.scores()
	out := make([]Result, 0, len(themes)+len(declared))
	for t, th := range themes {
		order := rank(scores[t])
		r := Result{Theme: th}
		for _, i := range order[:min(maxMatches, len(order))] {
			if scores[t][i] <= 0 {
				break
			}
			r.Matches = append(r.Matches, UnitMatch{
				Unit:     x.cands[i].unit,
				Score:    scores[t][i],
				Evidence: x.evidence(t, i, draft.Source),
			})
		}
		if len(r.Matches) > 0 {
			r.Score = r.Matches[0].Score
		}
		r.Verdict = m.verdict(r.Score)
		out = append(out, r)
	}
	for _, d := range declared {
		out = append(out, m.matchDeclared(d, x.cands, draft.Source))
	}
	return out
}

// rank orders candidate indices by score, best first, ties in document order.
func rank(s []float64) []int {
	order := make([]int, len(s))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(s[b], s[a]) })
	return order
}

// evidence lists the phrases candidate i shares with theme t: maximal
// runs of the candidate's text whose every bigram is one of the theme's,
// none touching a filler word. Runs of two characters count only when
// they are a quoted term or a named programme. The heaviest phrases (by
// IDF) are kept, in document order.
func (x *index) evidence(t, i int, src *plan.Source) []Evidence {
	tv := x.c.docs[x.tdoc[t]]
	in := func(k uint64) (float64, bool) {
		id, ok := x.c.vocab[k]
		if !ok {
			return 0, false
		}
		j, found := slices.BinarySearch(tv.ids, id)
		if !found {
			return 0, false
		}
		return tv.w[j], true
	}
	cs := x.cands[i].body
	type run struct {
		from, to int // chars [from, to)
		weight   float64
	}
	var runs []run
	cur := run{from: -1}
	flush := func() {
		if cur.from < 0 {
			return
		}
		named := true
		for _, c := range cs[cur.from:cur.to] {
			named = named && c.flags&(flagNamed|flagQuoted) != 0
		}
		if cur.to-cur.from >= 3 || named {
			runs = append(runs, cur)
		}
		cur = run{from: -1}
	}
	for k := 0; k+1 < len(cs); k++ {
		a, b := cs[k], cs[k+1]
		w, ok := 0.0, false
		if a.r != brk && b.r != brk && (a.flags|b.flags)&flagFiller == 0 {
			w, ok = in(key2(a.r, b.r))
		}
		if !ok {
			flush()
			continue
		}
		if cur.from < 0 {
			cur = run{from: k, to: k + 2}
		}
		cur.to = k + 2
		cur.weight += w
	}
	flush()
	// One occurrence of each phrase, the first; then the heaviest.
	seen := map[string]bool{}
	distinct := runs[:0]
	for _, r := range runs {
		if p := phrase(cs[r.from:r.to]); !seen[p] {
			seen[p] = true
			distinct = append(distinct, r)
		}
	}
	runs = distinct
	slices.SortStableFunc(runs, func(a, b run) int { return cmp.Compare(b.weight, a.weight) })
	runs = runs[:min(len(runs), maxEvidence)]
	slices.SortFunc(runs, func(a, b run) int { return cmp.Compare(a.from, b.from) })
	out := make([]Evidence, 0, len(runs))
	for _, r := range runs {
		rc := cs[r.from:r.to]
		out = append(out, Evidence{
			Phrase: phrase(rc),
			Match:  plan.NewMatch(src, int(rc[0].start), int(rc[len(rc)-1].end)),
		})
	}
	return out
}

// Unmatched returns the draft's items and table rows that take up none of
// the results' themes (their best score stays under the weak threshold and
// no declared theme found its phrases in them), in document order: work
// the draft adds, or tasks whose link to the parent is not visible.
// Results marked not-applicable are left out.
func (m *Matcher) Unmatched(results []Result, draft *plan.Plan) []*plan.Unit {
	var themes []Theme
	matched := map[*plan.Unit]bool{}
	for _, r := range results {
		switch {
		case r.Verdict == NotApplicable:
		case r.Theme.Kind == KindDeclared:
			if r.Verdict != Missing {
				for _, um := range r.Matches {
					matched[um.Unit] = true
				}
			}
		default:
			themes = append(themes, r.Theme)
		}
	}
	x := m.newIndex(themes, draft)
	scores := x.scores()
	var out []*plan.Unit
	for i, cd := range x.cands {
		if cd.unit.Kind != plan.KindItem && cd.unit.Kind != plan.KindRow || matched[cd.unit] {
			continue
		}
		best := 0.0
		for t := range themes {
			best = max(best, scores[t][i])
		}
		if best < m.opt.WeakAt {
			out = append(out, cd.unit)
		}
	}
	return out
}

// NearestSection returns the draft's top-level heading whose whole section
// is most like the theme, or nil when the draft has no heading or none
// shares anything with the theme (then point at the draft's title). It
// tells a reader of a missing theme where it would belong.
func (m *Matcher) NearestSection(theme Theme, draft *plan.Plan) *plan.Unit {
	src := draft.Source
	c := newCorpus(m, 1<<13)
	var heads []*plan.Unit
	for _, u := range draft.Units {
		if u.Kind != plan.KindHeading {
			continue
		}
		s, e := u.Body()
		var walk func(*plan.Unit)
		walk = func(p *plan.Unit) {
			for _, ch := range p.Children {
				_, ce := ch.Body()
				e = max(e, ce)
				walk(ch)
			}
		}
		walk(u)
		heads = append(heads, u)
		c.add(part{m.normalize(nil, src.Text, s, e), 1})
	}
	if len(heads) == 0 {
		return nil
	}
	body := m.normalize(nil, theme.Text, 0, len(theme.Text))
	title := m.normalize(nil, theme.Title, 0, len(theme.Title))
	td := c.add(part{body, 1}, part{title, m.p.title})
	c.finish()
	var best *plan.Unit
	bestScore := 0.0
	for i, h := range heads {
		if s := cosine(c.docs[i], c.docs[td]); s > bestScore {
			best, bestScore = h, s
		}
	}
	return best
}
