package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/themes"
)

// reviewVersion is the version of the POST /api/review document (doc.go).
const reviewVersion = 1

// reviewJSON is the body of POST /api/review: what the page shows.
type reviewJSON struct {
	Version int     `json:"version"`
	RuleSet setJSON `json:"rule_set"`
	Draft   docJSON `json:"draft"`
	// Parents are the higher-level plans checked against, in order:
	// coverage rows refer to them by 1-based index.
	Parents []docJSON  `json:"parents"`
	Rules   []ruleJSON `json:"rules"`
	// Report is the json format, byte for byte what
	// `plancheck check --format json` writes for the same draft.
	Report    json.RawMessage `json:"report"`
	Coverage  []coverageJSON  `json:"coverage"`
	RunErrors []string        `json:"run_errors"`
	Formats   []string        `json:"formats"`
}

// docJSON is a document as the reader parsed it: the lines of its text
// (for a Word file, of its rendering), which finding positions index.
type docJSON struct {
	Name     string `json:"name"`
	Encoding string `json:"encoding"`
	Title    string `json:"title,omitempty"`
	Docx     bool   `json:"docx"`
	// Lines are the text's lines without their line ends; line n of a
	// position is Lines[n-1], its col counts code points from 1.
	Lines []string `json:"lines"`
	// Paras gives each line's Word paragraph (0 for a line that renders
	// none); only for Word files.
	Paras []int `json:"paras,omitempty"`
}

// coverageJSON is one theme of the coverage table.
type coverageJSON struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Label string `json:"label,omitempty"`
	Title string `json:"title"`
	// Parent is the 1-based index of the parent plan the theme comes
	// from, 0 for a theme declared in the rules; Span is where it is there.
	Parent  int         `json:"parent"`
	Span    *plan.Span  `json:"span,omitempty"`
	Verdict string      `json:"verdict"`
	Score   float64     `json:"score"`
	Matches []matchJSON `json:"matches"`
}

// matchJSON is a draft unit that takes a theme up.
type matchJSON struct {
	plan.Span
	Label    string   `json:"label,omitempty"`
	Path     []string `json:"path,omitempty"`
	Score    float64  `json:"score"`
	Evidence []string `json:"evidence,omitempty"`
}

// review serves POST /api/review.
func (s *Server) review(w http.ResponseWriter, r *http.Request) {
	release, err := s.acquire(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer release()
	req, err := s.readRequest(w, r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.run(req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	rep, err := s.render("json", res, req)
	if err != nil {
		writeError(w, r, renderError(err))
		return
	}
	out := reviewJSON{
		Version:   reviewVersion,
		RuleSet:   setJSON{res.set.Name, res.set.Label},
		Draft:     document(res.input.Source, res.title),
		Parents:   []docJSON{},
		Report:    rep,
		Coverage:  []coverageJSON{},
		RunErrors: []string{},
		Formats:   s.formats,
	}
	for _, p := range res.parents {
		title := ""
		if p.Title != nil {
			title = strings.Join(strings.Fields(p.Title.Text), "")
		}
		out.Parents = append(out.Parents, document(p.Source, title))
	}
	for _, ru := range res.set.checker.Rules() {
		out.Rules = append(out.Rules, ruleJSON{
			ID: ru.ID, Title: ru.Title, Severity: ru.Severity.String(), Scope: string(ru.Scope),
			Tags: append([]string{}, ru.Tags...), Rationale: ru.Rationale,
		})
	}
	for _, c := range res.coverage {
		out.Coverage = append(out.Coverage, coverage(c))
	}
	for _, e := range res.runErrs {
		out.RunErrors = append(out.RunErrors, e.Error())
	}
	writeJSON(w, http.StatusOK, out)
}

// document lists the lines of src.
func document(src *plan.Source, title string) docJSON {
	d := docJSON{Name: src.Name, Encoding: src.Encoding, Title: title, Docx: src.IsDocument(), Lines: make([]string, src.LineCount())}
	if d.Docx {
		d.Paras = make([]int, len(d.Lines))
	}
	for i := range d.Lines {
		d.Lines[i] = src.LineText(i + 1)
		if d.Docx {
			d.Paras[i] = src.Pos(src.LineStart(i + 1)).Para
		}
	}
	return d
}

// coverage turns a theme's result into a table row.
func coverage(r themes.Result) coverageJSON {
	t := r.Theme
	c := coverageJSON{ID: t.ID, Kind: t.Kind, Label: t.Label, Title: t.Title, Verdict: r.Verdict, Score: r.Score, Matches: []matchJSON{}}
	// Derived themes' sources are "p1", "p2"… in the order of the parents.
	if n, err := strconv.Atoi(strings.TrimPrefix(t.Source, "p")); err == nil && strings.HasPrefix(t.Source, "p") {
		c.Parent = n
		span := t.Span
		c.Span = &span
	}
	for _, m := range r.Matches {
		mj := matchJSON{Score: m.Score}
		if u := m.Unit; u != nil {
			mj.Span, mj.Label, mj.Path = u.Span, u.Label, u.Path
		}
		for _, e := range m.Evidence {
			mj.Evidence = append(mj.Evidence, e.Match.Text)
		}
		c.Matches = append(c.Matches, mj)
	}
	return c
}
