package rules

import (
	"encoding"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"github.com/plancheck/plancheck/plan"
)

// BuiltinName names the embedded default rule set in errors and in
// Set.Files.
const BuiltinName = "rules.toml (built-in)"

// ConfigName is the configuration file FindConfig looks for.
const ConfigName = ".plancheck.toml"

// fileSpec is a rule file. [[rule]] and [override.*] entries are decoded
// one by one, so that a mistake in one does not hide the others.
type fileSpec struct {
	// Extends is absent (not "defined") in a configuration file that
	// extends the built-in set.
	Extends       toml.Primitive            `toml:"extends"`
	Disable       toml.Primitive            `toml:"disable"`
	Vocab         map[string]toml.Primitive `toml:"vocab"`
	VocabReplace  map[string]toml.Primitive `toml:"vocab_replace"`
	Override      map[string]toml.Primitive `toml:"override"`
	Rules         []toml.Primitive          `toml:"rule"`
	Themes        []toml.Primitive          `toml:"theme"`
	Parent        toml.Primitive            `toml:"parent"`
	NotApplicable map[string]string         `toml:"not_applicable"`
}

type ruleSpec struct {
	ID         string                        `toml:"id"`
	Title      string                        `toml:"title"`
	Severity   deferred[Severity, *Severity] `toml:"severity"`
	Scope      deferred[Scope, *Scope]       `toml:"scope"`
	When       string                        `toml:"when"`
	Check      string                        `toml:"check"`
	Message    string                        `toml:"message"`
	Suggestion string                        `toml:"suggestion"`
	Rationale  string                        `toml:"rationale"`
	Tags       []string                      `toml:"tags"`
	Enabled    *bool                         `toml:"enabled"`
	MaxPerUnit int                           `toml:"max_per_unit"`
}

type overrideSpec struct {
	Severity deferred[Severity, *Severity] `toml:"severity"`
	Enabled  *bool                         `toml:"enabled"`
}

// deferred decodes an enum with T's UnmarshalText but keeps the error for
// the loader, which reports it at the key's line and goes on: an error
// returned to toml would abort the whole file.
type deferred[T any, P interface {
	*T
	encoding.TextUnmarshaler
}] struct {
	Value T
	Set   bool
	Err   error
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *deferred[T, P]) UnmarshalText(b []byte) error {
	d.Set = true
	d.Err = P(&d.Value).UnmarshalText(b)
	return nil
}

// loader merges rule files in order.
type loader struct {
	builtin     []byte
	builtinName string
	errs        ErrorList
	set         *Set
	// visiting holds the files being loaded (a cycle), loaded those merged.
	visiting, loaded map[string]bool
}

func newLoader(builtin []byte, builtinName string) *loader {
	return &loader{
		builtin: builtin, builtinName: builtinName,
		set:      &Set{Lists: map[string][]string{}},
		visiting: map[string]bool{}, loaded: map[string]bool{},
	}
}

// LoadBuiltin loads the embedded default rule set. name is used in
// error positions, e.g. BuiltinName.
func LoadBuiltin(data []byte, name string) (*Set, error) {
	l := newLoader(data, name)
	l.loadBuiltin(nil)
	return l.finish()
}

// LoadFile loads a configuration or rule file and the files it extends
// ("builtin" is the embedded set, passed as bytes; other paths are
// relative to the file). A file without an extends key extends "builtin";
// `extends = []` stands alone.
func LoadFile(path string, builtin []byte) (*Set, error) {
	l := newLoader(builtin, BuiltinName)
	l.loadPath(path, nil)
	return l.finish()
}

// FindConfig looks for .plancheck.toml in dir and its parents.
func FindConfig(dir string) (string, bool) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		p := filepath.Join(d, ConfigName)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", false
		}
		d = parent
	}
}

// finish compiles the merged rules against the merged lists.
func (l *loader) finish() (*Set, error) {
	s := l.set
	s.Vocab = vocabFrom(s.Lists)
	var all []*Rule
	all = append(all, s.Rules...)
	for _, t := range s.Themes {
		if t.applies != nil {
			all = append(all, t.applies)
		}
	}
	for _, errs := range compileAll(s.Lists, all) {
		l.errs = append(l.errs, errs...)
	}
	if err := l.errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// compileAll compiles the rules on up to GOMAXPROCS goroutines, each with
// its own compiler (expr's type cache is not safe for concurrent use),
// and returns each rule's errors, in rule order. Loading is most of the
// time of a check of one file.
func compileAll(lists map[string][]string, rs []*Rule) []ErrorList {
	errs := make([]ErrorList, len(rs))
	workers := min(runtime.GOMAXPROCS(0), (len(rs)+7)/8)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newCompiler(lists)
			for i := w; i < len(rs); i += workers {
				errs[i] = c.compileRule(rs[i])
			}
		}()
	}
	wg.Wait()
	return errs
}

// vocabFrom fills plan.Vocab's fields from the lists named by their toml tags.
func vocabFrom(lists map[string][]string) plan.Vocab {
	var v plan.Vocab
	rv := reflect.ValueOf(&v).Elem()
	for i := range rv.NumField() {
		tag, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("toml"), ",")
		if l, ok := lists[tag]; ok && rv.Field(i).Type() == reflect.TypeFor[[]string]() {
			rv.Field(i).Set(reflect.ValueOf(slices.Clone(l)))
		}
	}
	return v
}

func (l *loader) loadBuiltin(from *RuleError) {
	if l.loaded["builtin"] {
		return
	}
	if l.builtin == nil {
		l.errorAt(from, "no built-in rule set")
		return
	}
	l.loaded["builtin"] = true
	l.loadData(l.builtinName, l.builtin, "", true)
}

// loadPath loads a file named on the command line (from == nil) or by an
// extends entry.
func (l *loader) loadPath(path string, from *RuleError) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if l.visiting[abs] {
		l.errorAt(from, fmt.Sprintf("%s extends itself", path))
		return
	}
	if l.loaded[abs] {
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		l.errorAt(from, fmt.Sprintf("cannot read rule file: %v", err))
		return
	}
	l.visiting[abs] = true
	defer delete(l.visiting, abs)
	l.loaded[abs] = true
	l.loadData(path, data, filepath.Dir(path), false)
}

// errorAt reports msg at the extends entry from, or without a position
// for the file given on the command line.
func (l *loader) errorAt(from *RuleError, msg string) {
	e := &RuleError{Msg: msg}
	if from != nil {
		*e = *from
		e.Msg = msg
	}
	l.errs.Add(e)
}

// loadData merges one rule file: first what it extends, then its vocab,
// rules, overrides and disables.
func (l *loader) loadData(name string, data []byte, dir string, builtin bool) {
	if len(data) > maxRuleFile {
		l.errs.Add(&RuleError{File: name, Msg: fmt.Sprintf("rule file larger than %d bytes", maxRuleFile)})
		return
	}
	if line, msg := tomlShapeError(string(data)); line > 0 {
		l.errs.Add(&RuleError{File: name, Line: line, Msg: msg})
		return
	}
	idx := indexTOML(string(data))
	var spec fileSpec
	md, err := toml.Decode(string(data), &spec)
	if err != nil {
		e := &RuleError{File: name, Msg: err.Error()}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			e.Line, e.Msg = pe.Position.Line, pe.Message
		}
		l.errs.Add(e)
		return
	}
	top := idx.tables[""]
	extendsAt := &RuleError{File: name, Line: top.key("extends").line, Field: "extends"}
	hasExtends := md.IsDefined("extends")
	switch {
	case hasExtends && builtin:
		l.errorAt(extendsAt, "the built-in rule set cannot extend other files")
	case hasExtends:
		for _, e := range l.stringList(md, spec.Extends, extendsAt) {
			if e == "builtin" {
				l.loadBuiltin(extendsAt)
				continue
			}
			p := e
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			l.loadPath(p, extendsAt)
		}
	case !builtin && l.builtin != nil:
		l.loadBuiltin(extendsAt)
	}
	l.set.Files = append(l.set.Files, name)

	for _, table := range []string{"vocab", "vocab_replace"} {
		lists := spec.Vocab
		if table == "vocab_replace" {
			lists = spec.VocabReplace
		}
		for _, k := range sortedKeys(lists) {
			at := &RuleError{File: name, Line: idx.tables[table].key(k).line, Field: table + "." + k}
			words := l.stringList(md, lists[k], at)
			if table == "vocab" {
				words = appendNew(l.set.Lists[k], words)
			}
			l.set.Lists[k] = appendNew(nil, words)
		}
	}

	l.themes(name, md, spec.Themes, idx)
	if md.IsDefined("parent") {
		l.parents(md, spec.Parent, dir, &RuleError{File: name, Line: top.key("parent").line, Field: "parent"})
	}
	for id, reason := range spec.NotApplicable {
		if l.set.NotApplicable == nil {
			l.set.NotApplicable = map[string]string{}
		}
		l.set.NotApplicable[id] = reason
	}
	ids, failed := l.rules(name, md, spec.Rules, idx)
	l.overrides(name, md, spec.Override, idx)
	l.unknownKeys(name, md, idx, ids, failed)
	disableAt := &RuleError{File: name, Line: top.key("disable").line, Field: "disable"}
	var disable []string
	if md.IsDefined("disable") {
		disable = l.stringList(md, spec.Disable, disableAt)
	}
	for _, p := range disable {
		pos := *disableAt
		l.apply(p, &pos, func(r *Rule) { r.Enabled = false })
	}
}

// stringList decodes an array of strings, reporting a value of another
// type at pos.
func (l *loader) stringList(md toml.MetaData, prim toml.Primitive, pos *RuleError) []string {
	var out []string
	if err := md.PrimitiveDecode(prim, &out); err != nil {
		var v any
		_ = md.PrimitiveDecode(prim, &v)
		e := *pos
		e.Msg = fmt.Sprintf("want an array of strings, not %s", tomlType(v))
		l.errs.Add(&e)
		return nil
	}
	return out
}

// rules decodes the file's [[rule]] entries and merges them: a rule with
// the id of an earlier file's rule replaces it in place. It returns the
// id of each entry and the indexes of entries that could not be decoded.
func (l *loader) rules(name string, md toml.MetaData, prims []toml.Primitive, idx *tomlIndex) ([]string, map[int]bool) {
	ids := make([]string, len(prims))
	failed := map[int]bool{}
	seen := map[string]bool{}
	for i, prim := range prims {
		var tbl *tomlTable
		if i < len(idx.rules) {
			tbl = idx.rules[i]
		}
		at := func(field string) *RuleError {
			return &RuleError{File: name, Line: tbl.key(field).line, Field: field}
		}
		var rs ruleSpec
		if err := md.PrimitiveDecode(prim, &rs); err != nil {
			failed[i] = true
			ids[i] = ruleID(md, prim)
			l.typeErrors(md, prim, ruleFields, at, ids[i])
			continue
		}
		ids[i] = rs.ID
		r := &Rule{
			ID: rs.ID, Title: rs.Title, Severity: rs.Severity.Value, Scope: rs.Scope.Value,
			When: rs.When, Check: rs.Check, Message: rs.Message, Suggestion: rs.Suggestion,
			Rationale: rs.Rationale, Tags: rs.Tags, Enabled: rs.Enabled == nil || *rs.Enabled,
			MaxPerUnit: rs.MaxPerUnit, File: name, Line: tbl.key("").line,
		}
		if tbl != nil {
			r.keys = tbl.keys
		}
		ok := true
		bad := func(field, msg string) {
			e := at(field)
			e.RuleID, e.Msg = r.ID, msg
			l.errs.Add(e)
			ok = false
		}
		switch {
		case r.ID == "":
			bad("id", "missing id")
		case !ruleIDRe.MatchString(r.ID):
			bad("id", fmt.Sprintf("id %q is not kebab-case (area first, e.g. deadline-vague)", r.ID))
		case seen[r.ID]:
			bad("id", fmt.Sprintf("duplicate id %q in this file", r.ID))
		}
		seen[r.ID] = true
		for _, f := range []struct{ name, value string }{{"title", r.Title}, {"check", r.Check}, {"message", r.Message}} {
			if strings.TrimSpace(f.value) == "" {
				bad(f.name, "missing "+f.name)
			}
		}
		switch {
		case !rs.Severity.Set:
			bad("severity", "missing severity")
		case rs.Severity.Err != nil:
			bad("severity", rs.Severity.Err.Error())
		}
		switch {
		case !rs.Scope.Set:
			bad("scope", "missing scope")
		case rs.Scope.Err != nil:
			bad("scope", rs.Scope.Err.Error())
		}
		if !ok {
			continue
		}
		if j := slices.IndexFunc(l.set.Rules, func(o *Rule) bool { return o.ID == r.ID }); j >= 0 {
			l.set.Rules[j] = r
		} else {
			l.set.Rules = append(l.set.Rules, r)
		}
	}
	return ids, failed
}

// ruleID recovers the id of an entry that failed to decode, for errors.
func ruleID(md toml.MetaData, prim toml.Primitive) string {
	var m map[string]any
	if md.PrimitiveDecode(prim, &m) != nil {
		return ""
	}
	id, _ := m["id"].(string)
	return id
}

// Expected TOML types of each entry's keys, to explain a failed decode.
var (
	ruleFields = map[string]string{
		"id": "string", "title": "string", "severity": "text", "scope": "text", "when": "string",
		"check": "string", "message": "string", "suggestion": "string", "rationale": "string",
		"tags": "strings", "enabled": "bool", "max_per_unit": "integer",
	}
	overrideFields = map[string]string{"severity": "text", "enabled": "bool"}
)

// typeErrors explains why an entry failed to decode: which keys hold a
// value of the wrong type (unknown keys are reported by unknownKeys).
func (l *loader) typeErrors(md toml.MetaData, prim toml.Primitive, fields map[string]string, at func(string) *RuleError, id string) {
	var m map[string]any
	if err := md.PrimitiveDecode(prim, &m); err != nil {
		e := at("")
		e.RuleID, e.Msg = id, err.Error()
		l.errs.Add(e)
		return
	}
	for _, k := range sortedKeys(m) {
		want, known := fields[k]
		if !known {
			e := at(k)
			e.RuleID, e.Msg = id, fmt.Sprintf("unknown key %q", k)
			l.errs.Add(e)
			continue
		}
		if got := tomlType(m[k]); !typeFits(want, got) {
			e := at(k)
			e.RuleID, e.Msg = id, fmt.Sprintf("want %s, not %s", typeWords[want], got)
			l.errs.Add(e)
		}
	}
}

var typeWords = map[string]string{"string": "a string", "text": "a string", "strings": "an array of strings", "bool": "true or false", "integer": "an integer"}

func tomlType(v any) string {
	switch x := v.(type) {
	case string:
		return "string"
	case bool:
		return "bool"
	case int64:
		return "integer"
	case float64:
		return "float"
	case []any:
		for _, e := range x {
			if _, ok := e.(string); !ok {
				return "array"
			}
		}
		return "strings"
	case map[string]any:
		return "table"
	}
	return fmt.Sprintf("%T", v)
}

func typeFits(want, got string) bool {
	return want == got || want == "text" && got == "string"
}

// overrides applies [override.<id or glob>] tables to the rules merged so
// far, in the order the file writes them.
func (l *loader) overrides(name string, md toml.MetaData, ovs map[string]toml.Primitive, idx *tomlIndex) {
	keys := sortedKeys(ovs)
	slices.SortStableFunc(keys, func(a, b string) int {
		return idx.tables["override."+a].key("").line - idx.tables["override."+b].key("").line
	})
	for _, pattern := range keys {
		tbl := idx.tables["override."+pattern]
		at := func(field string) *RuleError {
			return &RuleError{File: name, Line: tbl.key(field).line, RuleID: pattern, Field: "override"}
		}
		var o overrideSpec
		if err := md.PrimitiveDecode(ovs[pattern], &o); err != nil {
			l.typeErrors(md, ovs[pattern], overrideFields, at, pattern)
			continue
		}
		if o.Severity.Err != nil {
			e := at("severity")
			e.Msg = o.Severity.Err.Error()
			l.errs.Add(e)
			continue
		}
		l.apply(pattern, at(""), func(r *Rule) {
			if o.Severity.Set {
				r.Severity = o.Severity.Value
			}
			if o.Enabled != nil {
				r.Enabled = *o.Enabled
			}
		})
	}
}

// apply calls fn for the rules pattern names; a plain id naming no rule
// is reported at pos.
func (l *loader) apply(pattern string, pos *RuleError, fn func(*Rule)) {
	n, err := l.set.match(pattern, fn)
	switch {
	case err != nil:
		pos.Msg = err.Error()
		l.errs.Add(pos)
	case n == 0 && !isGlob(pattern):
		pos.Msg = fmt.Sprintf("unknown rule %q", pattern)
		l.errs.Add(pos)
	}
}

// unknownKeys reports every key the decoder did not use. toml names the
// keys of all [[rule]] entries alike ("rule.titel"), so the entry is
// recovered by counting the entries' own keys in file order.
func (l *loader) unknownKeys(name string, md toml.MetaData, idx *tomlIndex, ids []string, failed map[int]bool) {
	undecoded := map[string]bool{}
	for _, k := range md.Undecoded() {
		undecoded[k.String()] = true
	}
	if len(undecoded) == 0 {
		return
	}
	var reported []string
	rule := -1
	for _, k := range md.Keys() {
		if len(k) == 1 && k[0] == "rule" {
			rule++
			continue
		}
		ks := k.String()
		if !undecoded[ks] || slices.ContainsFunc(reported, func(p string) bool { return strings.HasPrefix(ks, p+".") }) {
			continue
		}
		e := &RuleError{File: name, Msg: fmt.Sprintf("unknown key %q", k[len(k)-1])}
		switch {
		case k[0] == "rule" && rule >= 0:
			if failed[rule] {
				continue // already explained by typeErrors
			}
			var tbl *tomlTable
			if rule < len(idx.rules) {
				tbl = idx.rules[rule]
			}
			e.Line = tbl.key(k[1]).line
			if rule < len(ids) {
				e.RuleID = ids[rule]
			}
		case k[0] == "override" && len(k) >= 3:
			e.Line, e.RuleID, e.Field = idx.tables["override."+k[1]].key(k[2]).line, k[1], "override"
		default:
			// Only top-level names can be unknown here: every known table
			// decodes all its keys or is handled above.
			e.Msg = fmt.Sprintf("unknown key %q", k[0])
			e.Line = idx.firstLine(k[0])
			ks = k[0]
		}
		reported = append(reported, ks)
		l.errs.Add(e)
	}
}

// appendNew appends the words of add that list lacks, keeping order.
func appendNew(list, add []string) []string {
	out := slices.Clone(list)
	for _, w := range add {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
