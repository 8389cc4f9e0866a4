package rules

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/expr-lang/expr/vm"

	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/themes"
)

// ScopeTheme runs a rule once per theme of the higher-level plan(s) and of
// the [[theme]] declarations, as `theme`.
const ScopeTheme Scope = "theme"

// ThemeSpec is a [[theme]] declared in a rule file: a matter the draft
// must take up, with the phrases that count as taking it up.
type ThemeSpec struct {
	themes.Declared
	// AppliesWhen, if set, is a document-scope bool expression: the theme
	// is checked only in plans it is true for (e.g. plan.year >= 2020).
	AppliesWhen string
	File        string
	Line        int
	applies     *Rule // AppliesWhen compiled as a document rule's check
}

type themeSpec struct {
	ID          string   `toml:"id"`
	Name        string   `toml:"name"`
	Any         []string `toml:"any"`
	All         []string `toml:"all"`
	Synonyms    []string `toml:"synonyms"`
	AppliesWhen string   `toml:"applies_when"`
}

// ThemeOptions are the matcher's settings from the [vocab] lists theme_filler and
// theme_synonyms (each group written "canonical|variant|variant").
func (s *Set) ThemeOptions() themes.Options {
	opt := themes.Options{Filler: s.Lists["theme_filler"]}
	for _, group := range s.Lists["theme_synonyms"] {
		var words []string
		for _, w := range strings.Split(group, "|") {
			if w = strings.TrimSpace(w); w != "" {
				words = append(words, w)
			}
		}
		if len(words) > 1 {
			opt.Synonyms = append(opt.Synonyms, words)
		}
	}
	return opt
}

// themes decodes the [[theme]] entries of a file; a later file's theme
// with the same id replaces an earlier one.
func (l *loader) themes(name string, md toml.MetaData, prims []toml.Primitive, idx *tomlIndex) {
	for i, prim := range prims {
		var tbl *tomlTable
		if i < len(idx.themes) {
			tbl = idx.themes[i]
		}
		var ts themeSpec
		if err := md.PrimitiveDecode(prim, &ts); err != nil {
			l.errs.Add(&RuleError{File: name, Line: tbl.key("").line, Field: "theme", Msg: err.Error()})
			continue
		}
		if ts.ID == "" || ts.Name == "" {
			l.errs.Add(&RuleError{File: name, Line: tbl.key("").line, RuleID: ts.ID, Field: "theme", Msg: "a [[theme]] needs an id and a name"})
			continue
		}
		spec := &ThemeSpec{
			Declared:    themes.Declared{ID: ts.ID, Name: ts.Name, Any: ts.Any, All: ts.All, Synonyms: ts.Synonyms},
			AppliesWhen: ts.AppliesWhen, File: name, Line: tbl.key("").line,
		}
		if ts.AppliesWhen != "" {
			spec.applies = &Rule{
				ID: "theme-" + ts.ID, Scope: ScopeDocument, Check: ts.AppliesWhen, Message: "applies",
				Enabled: true, File: name, Line: tbl.key("").line,
				keys: map[string]keyPos{"check": tbl.key("applies_when")},
			}
		}
		replaced := false
		for j, old := range l.set.Themes {
			if old.ID == ts.ID {
				l.set.Themes[j], replaced = spec, true
			}
		}
		if !replaced {
			l.set.Themes = append(l.set.Themes, spec)
		}
	}
}

// parents records the higher-level plans a configuration names, relative
// to the configuration file.
func (l *loader) parents(md toml.MetaData, prim toml.Primitive, dir string, at *RuleError) {
	for _, p := range l.stringList(md, prim, at) {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		l.set.Parents = append(l.set.Parents, p)
	}
}

// Applies reports whether a declared theme is checked in the document.
func (ts *ThemeSpec) Applies(m *vm.VM, doc *Doc) (bool, error) {
	if ts.applies == nil {
		return true, nil
	}
	var hits []Hit
	var err error
	doc.Each(ScopeDocument, func(t *Target) bool {
		hits, err = ts.applies.Eval(m, t, NewRun(doc.Src))
		return false
	})
	if err != nil {
		return false, fmt.Errorf("theme %s: applies_when: %w", ts.ID, err)
	}
	return len(hits) > 0, nil
}

// ThemeView is what a theme-scope rule sees of one theme and its coverage.
type ThemeView struct {
	ID string `expr:"id"`
	// Source is "parent" (derived from a higher-level plan) or "config"
	// (a [[theme]] declaration).
	Source string `expr:"source"`
	// Kind is heading, item or declared.
	Kind  string `expr:"kind"`
	Label string `expr:"label"`
	Title string `expr:"title"`
	Text  string `expr:"text"`
	// File, Line and Col locate the theme in the higher-level plan;
	// FileName is File without its folders.
	File     string `expr:"file"`
	FileName string `expr:"file_name"`
	Line     int    `expr:"line"`
	Col      int    `expr:"col"`
	// Verdict is covered, weak, missing or not-applicable.
	Verdict string  `expr:"verdict"`
	Score   float64 `expr:"score"`
	// Reason says why a theme is not applicable (from the configuration).
	Reason string `expr:"reason"`
	// Best is the draft unit that takes the theme up best (nil when none),
	// Evidence the phrases they share.
	Best     *UnitView `expr:"best"`
	Evidence []string  `expr:"evidence"`
	// Nearest is the draft's top-level section where the theme would
	// belong (nil when none: the finding then points at the title).
	Nearest *UnitView `expr:"nearest"`
}

// AddThemes adds the theme-scope targets: one per coverage result.
// notApplicable maps theme ids to the reason they do not apply. A theme
// the draft does not take up is reported at the section where it would
// belong (nearest), else at the title; one it takes up weakly, at its
// best match.
func (d *Doc) AddThemes(results []themes.Result, nearest func(themes.Theme) *plan.Unit, notApplicable map[string]string) {
	byUnit := map[*plan.Unit]*UnitView{}
	for _, v := range d.Plan.Units {
		byUnit[v.U] = v
	}
	var targets []Target
	for _, r := range results {
		tv := &ThemeView{
			ID: r.Theme.ID, Source: "parent", Kind: r.Theme.Kind, Label: r.Theme.Label, FileName: filepath.Base(r.Theme.File), Title: r.Theme.Title, Text: r.Theme.Text,
			File: r.Theme.File, Line: r.Theme.Start.Line, Col: r.Theme.Start.Col, Verdict: r.Verdict, Score: r.Score,
			Reason: notApplicable[r.Theme.ID],
		}
		if r.Theme.Source == themes.SourceDeclared {
			tv.Source = "config"
		}
		span := d.titleSpan()
		if len(r.Matches) > 0 {
			tv.Best = byUnit[r.Matches[0].Unit]
			for _, e := range r.Matches[0].Evidence {
				tv.Evidence = append(tv.Evidence, e.Phrase)
			}
		}
		if u := nearest(r.Theme); u != nil {
			tv.Nearest = byUnit[u]
		}
		var section []string
		switch {
		case r.Verdict == themes.Weak && tv.Best != nil:
			span, section = DefaultSpan(tv.Best.U), tv.Best.Path
		case tv.Nearest != nil:
			span, section = DefaultSpan(tv.Nearest.U), tv.Nearest.Path
		}
		targets = append(targets, Target{base: d.base, scope: ScopeTheme, theme: tv, Span: span, Text: tv.ID + "\x00" + tv.Text, Section: section})
	}
	d.themes = targets
}

// titleSpan is where a finding about the whole draft goes: its title, or
// its first character.
func (d *Doc) titleSpan() plan.Match {
	if t := d.Plan.P.Title; t != nil {
		return *t
	}
	return plan.NewMatch(d.Src, 0, 0)
}
