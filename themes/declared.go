package themes

import (
	"cmp"
	"slices"

	"github.com/plancheck/plancheck/plan"
)

// Declared is a theme written in a rule file ([[theme]]) rather than
// derived from a parent plan: a task the draft must mention in words.
//
// A draft unit meets the theme when it contains one of Any (or of
// Synonyms, Any's other wordings) and every phrase of All; a group left
// empty sets no condition, and with Any, All and Synonyms all empty the
// Name is the one phrase looked for. Phrases are compared after the
// synonym table's rewriting, so 医共体 in a theme finds 医疗共同体 in a
// draft. The verdict is covered when one unit meets the theme, weak when
// the draft meets it only across several units (All's phrases scattered),
// missing otherwise.
type Declared struct {
	ID       string   `toml:"id" json:"id"`
	Name     string   `toml:"name" json:"name"`
	Any      []string `toml:"any" json:"any,omitempty"`
	All      []string `toml:"all" json:"all,omitempty"`
	Synonyms []string `toml:"synonyms" json:"synonyms,omitempty"`
}

// needle is a declared phrase in normalised form.
type needle struct {
	text string
	rs   []rune
}

func (m *Matcher) needles(phrases []string) []needle {
	var out []needle
	for _, p := range phrases {
		cs := m.normalize(nil, p, 0, len(p))
		rs := []rune(phrase(cs))
		if len(rs) > 0 {
			out = append(out, needle{p, rs})
		}
	}
	return out
}

// find returns the char ranges where n occurs in cs, never across a break.
func (n needle) find(cs []char) [][2]int {
	var out [][2]int
	for i := 0; i+len(n.rs) <= len(cs); i++ {
		j := 0
		for j < len(n.rs) && cs[i+j].r == n.rs[j] {
			j++
		}
		if j == len(n.rs) {
			out = append(out, [2]int{i, i + j})
		}
	}
	return out
}

// matchDeclared finds a declared theme's phrases in the candidates.
func (m *Matcher) matchDeclared(d Declared, cands []candidate, src *plan.Source) Result {
	anyWords := append(append([]string(nil), d.Any...), d.Synonyms...)
	if len(anyWords) == 0 && len(d.All) == 0 {
		anyWords = []string{d.Name}
	}
	anyN, allN := m.needles(anyWords), m.needles(d.All)
	terms := append(append([]string(nil), anyWords...), d.All...)
	r := Result{Theme: Theme{ID: d.ID, Source: SourceDeclared, Kind: KindDeclared, Title: d.Name, Text: d.Name, Terms: terms}}
	if len(anyN)+len(allN) == 0 {
		r.Verdict = Missing // only punctuation or digits: nothing to look for
		return r
	}
	anyDraft := false
	allDraft := make([]bool, len(allN))
	for _, cd := range cands {
		var ev [][2]int
		anyHit := false
		for _, n := range anyN {
			hits := n.find(cd.body)
			anyHit = anyHit || len(hits) > 0
			ev = append(ev, hits...)
		}
		allHits := 0
		for k, n := range allN {
			hits := n.find(cd.body)
			if len(hits) > 0 {
				allHits++
				allDraft[k] = true
			}
			ev = append(ev, hits...)
		}
		anyDraft = anyDraft || anyHit
		// The score is the mean of the two conditions' shares; an absent
		// condition is met by every unit.
		anyShare, allShare := 1.0, 1.0
		if len(anyN) > 0 && !anyHit {
			anyShare = 0
		}
		if len(allN) > 0 {
			allShare = float64(allHits) / float64(len(allN))
		}
		score := (anyShare + allShare) / 2
		if len(ev) == 0 {
			continue
		}
		slices.SortFunc(ev, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
		ev = slices.Compact(ev) // two phrases rewritten to one canonical form find the same place
		um := UnitMatch{Unit: cd.unit, Score: score}
		for _, h := range ev[:min(len(ev), maxEvidence)] {
			rc := cd.body[h[0]:h[1]]
			um.Evidence = append(um.Evidence, Evidence{
				Phrase: phrase(rc),
				Match:  plan.NewMatch(src, int(rc[0].start), int(rc[len(rc)-1].end)),
			})
		}
		r.Matches = append(r.Matches, um)
	}
	slices.SortStableFunc(r.Matches, func(a, b UnitMatch) int { return cmp.Compare(b.Score, a.Score) })
	r.Matches = r.Matches[:min(len(r.Matches), maxMatches)]
	if len(r.Matches) > 0 {
		r.Score = r.Matches[0].Score
	}
	allOK := !slices.Contains(allDraft, false)
	switch {
	case r.Score >= 1:
		r.Verdict = Covered
	case (len(anyN) == 0 || anyDraft) && allOK:
		r.Verdict = Weak
	default:
		r.Verdict = Missing
	}
	return r
}
