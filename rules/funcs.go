package rules

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/expr-lang/expr"

	"github.com/plancheck/plancheck/plan"
)

// FuncDoc documents a function rule expressions can call. Signature is
// generated from the function's Go types, one line per overload.
type FuncDoc struct {
	Name      string
	Signature string
	Doc       string
	Example   string
}

// function is a rule function: its documentation, the Go types expr
// checks calls against (without the Run, which the loader passes first),
// and its implementation.
type function struct {
	FuncDoc
	types  []any // new(func(...) ...) values, one per overload
	hidden bool  // internal: inserted by the loader, not documented
	impl   func(r *Run, args []any) (any, error)
}

// Functions returns the documentation of every function rules can call,
// sorted by name.
func Functions() []FuncDoc {
	var out []FuncDoc
	for _, f := range newFunctions(newCaches()) {
		if !f.hidden {
			d := f.FuncDoc
			d.Signature = signature(f)
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b FuncDoc) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// caches hold compiled regexps and word matchers for one Set. Patterns
// come from rules (bounded) or are built at run time (not bounded), so a
// cache stops growing at cacheLimit entries and compiles the rest every
// time. The Set's [vocab] lists, and their keys, are known by identity
// (known), so that calls on them neither hash nor join their words.
type caches struct {
	regexps, wordLists, pairs sync.Map
	n                         atomic.Int64
	// known is filled before any rule runs and only read after.
	known map[sliceKey]*knownList
}

// knownList is a [vocab] list, or the keys of one, with its matcher built
// on first use.
type knownList struct {
	list    []string // the very slice rules see, kept so it stays alive
	keys    []string // keys(list), itself a known list
	once    sync.Once
	matcher *plan.Words
}

func (k *knownList) words() *plan.Words {
	k.once.Do(func() { k.matcher = plan.NewWords(k.list) })
	return k.matcher
}

const cacheLimit = 4096

func newCaches() *caches { return &caches{known: map[sliceKey]*knownList{}} }

// register makes the lists, and the keys of each, known by identity.
func (c *caches) register(lists map[string][]string) {
	for _, list := range lists {
		if len(list) == 0 {
			continue
		}
		k := &knownList{list: list, keys: entryKeys(list)}
		c.known[keyOf(list)] = k
		if _, ok := c.known[keyOf(k.keys)]; !ok {
			c.known[keyOf(k.keys)] = &knownList{list: k.keys, keys: k.keys}
		}
	}
}

// lookup returns the known list that is list itself, or nil.
func (c *caches) lookup(list []string) *knownList {
	if k := c.known[keyOf(list)]; k != nil && sameStrings(k.list, list) {
		return k
	}
	return nil
}

// words returns the matcher of a word list: by identity for known lists,
// else cached by content.
func (c *caches) words(list []string) *plan.Words {
	if k := c.lookup(list); k != nil {
		return k.words()
	}
	key := strings.Join(list, "\x00")
	if v, ok := c.wordLists.Load(key); ok {
		return v.(*plan.Words)
	}
	m := plan.NewWords(list)
	if c.n.Add(1) <= cacheLimit {
		c.wordLists.Store(key, m)
	}
	return m
}

// markPairs prepares the pairs argument of unpaired, once per string.
func (c *caches) markPairs(s string) (*markPairs, error) {
	if v, ok := c.pairs.Load(s); ok {
		return v.(*markPairs), nil
	}
	runes := []rune(s)
	if len(runes)%2 != 0 {
		return nil, fmt.Errorf("unpaired: %q is not a list of pairs", s)
	}
	p := newMarkPairs(runes)
	if c.n.Add(1) <= cacheLimit {
		c.pairs.Store(s, p)
	}
	return p, nil
}

// entryKeys returns the left sides of "wrong→right@year" entries.
func entryKeys(list []string) []string {
	out := make([]string, 0, len(list))
	for _, entry := range list {
		k, _, _ := splitEntry(entry)
		out = append(out, k)
	}
	return out
}

// pattern is a compiled regexp with what is known of it before matching.
type pattern struct {
	re   *regexp.Regexp
	plan *regexpPlan
}

// regexp compiles a rule's pattern and its plan once.
func (c *caches) regexp(src string) (*pattern, error) {
	if p, ok := c.regexps.Load(src); ok {
		return p.(*pattern), nil
	}
	re, err := compileRegexp(src)
	if err != nil {
		return nil, err
	}
	p := &pattern{re: re, plan: newRegexpPlan(src)}
	if c.n.Load() < cacheLimit {
		if _, loaded := c.regexps.LoadOrStore(src, p); !loaded {
			c.n.Add(1)
		}
	}
	return p, nil
}

func compileRegexp(pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		var se *syntax.Error
		if errors.As(err, &se) {
			return nil, fmt.Errorf("bad regexp: %s", se.Code)
		}
		return nil, fmt.Errorf("bad regexp: %v", err)
	}
	return re, nil
}

// findWords finds the words in x's text (see plan.Words).
func findWords(r *Run, x any, m *plan.Words) (any, error) {
	src, s, e, err := region(r, x)
	if err != nil {
		return nil, err
	}
	var out matchesT
	m.Each(src.Text[s:e], func(ws, we int) bool {
		if err = r.step(1); err != nil {
			return false
		}
		out = append(out, plan.NewMatch(src, s+ws, s+we))
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// regexpArgs names the functions whose argument at the given index is a
// regexp, checked at load time when it is a constant.
var regexpArgs = map[string]int{"find": 1, "count": 1}

// Overload types, for readability of the table below.
type (
	unitT     = *UnitView
	sentenceT = *SentenceView
	rowT      = *RowView
	matchT    = plan.Match
	matchesT  = []plan.Match
)

// newFunctions builds the function table over c. The table is data: it
// drives both expr's type checking and `plancheck rules functions`.
func newFunctions(c *caches) []function {
	return []function{
		{
			FuncDoc: FuncDoc{Name: "has_any", Doc: "reports whether text contains any of the words.",
				Example: `has_any(item.text, vocab.vague_verbs)`},
			types: []any{new(func(string, []string) bool), new(func(string, []any) bool)},
			impl: func(r *Run, a []any) (any, error) {
				return c.words(stringList(a[1])).Contains(a[0].(string)), nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "find_any", Doc: "finds every occurrence of the words in the text of a unit, sentence, row or match, longest first, without overlaps.",
				Example: `find_any(item, vocab.vague_deadlines)`},
			types: regionOverloads(func(T reflect.Type) any {
				return reflect.New(reflect.FuncOf([]reflect.Type{T, reflect.TypeFor[[]string]()}, []reflect.Type{reflect.TypeFor[matchesT]()}, false)).Interface()
			}, func(T reflect.Type) any {
				return reflect.New(reflect.FuncOf([]reflect.Type{T, reflect.TypeFor[[]any]()}, []reflect.Type{reflect.TypeFor[matchesT]()}, false)).Interface()
			}),
			impl: func(r *Run, a []any) (any, error) {
				return findWords(r, a[0], c.words(stringList(a[1])))
			},
		},
		{
			FuncDoc: FuncDoc{Name: "line_ends", Doc: "finds the last character of every line of the text of a unit, sentence, row or match, trailing spaces skipped (blank lines give none): what a line ends with, in one pass where a regexp anchored at $ would try every position.",
				Example: `filter(line_ends(item), !("。；" contains #.text))`},
			types: regionOverloads(func(T reflect.Type) any {
				return reflect.New(reflect.FuncOf([]reflect.Type{T}, []reflect.Type{reflect.TypeFor[matchesT]()}, false)).Interface()
			}),
			impl: func(r *Run, a []any) (any, error) { return lineEnds(r, a[0]) },
		},
		{
			FuncDoc: FuncDoc{Name: "find", Doc: "finds every match of the regexp (RE2 syntax) in the text of a unit, sentence, row or match. When the regexp has groups, the first group that took part is the match: put context around it, e.g. `\\p{Han}(,)|(\\()\\p{Han}`.",
				Example: `find(sentence, "[0-9]+-[0-9]+(个|家|项)")`},
			types: regionOverloads(func(T reflect.Type) any {
				return reflect.New(reflect.FuncOf([]reflect.Type{T, reflect.TypeFor[string]()}, []reflect.Type{reflect.TypeFor[matchesT]()}, false)).Interface()
			}),
			impl: func(r *Run, a []any) (any, error) {
				p, err := c.regexp(a[1].(string))
				if err != nil {
					return nil, err
				}
				return findAll(r, a[0], p)
			},
		},
		{
			FuncDoc: FuncDoc{Name: "count", Doc: "counts the matches of the regexp in text.",
				Example: `count(item.text, "[；;]") > 3`},
			types: []any{new(func(string, string) int)},
			impl: func(r *Run, a []any) (any, error) {
				p, err := c.regexp(a[1].(string))
				if err != nil {
					return nil, err
				}
				return len(p.re.FindAllStringIndex(a[0].(string), -1)), nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "span", Doc: "is where a finding on the unit, sentence or row is reported: an item's lead sentence, a heading's text, a row's first cell, the whole text otherwise.",
				Example: `[span(item)]`},
			types: regionOverloads(func(T reflect.Type) any {
				return reflect.New(reflect.FuncOf([]reflect.Type{T}, []reflect.Type{reflect.TypeFor[matchT]()}, false)).Interface()
			}),
			impl: func(r *Run, a []any) (any, error) { return spanOf(a[0], DefaultSpan) },
		},
		{
			FuncDoc: FuncDoc{Name: "text_span", Doc: "is the whole own text of the unit, sentence or row.",
				Example: `[text_span(paragraph)]`},
			types: regionOverloads(func(T reflect.Type) any {
				return reflect.New(reflect.FuncOf([]reflect.Type{T}, []reflect.Type{reflect.TypeFor[matchT]()}, false)).Interface()
			}),
			impl: func(r *Run, a []any) (any, error) { return spanOf(a[0], textSpan) },
		},
		{
			FuncDoc: FuncDoc{Name: "title_span", Doc: "is the title of the unit: an item's lead sentence or a heading's text; the whole text of other units.",
				Example: `[title_span(section)]`},
			types: regionOverloads(func(T reflect.Type) any {
				return reflect.New(reflect.FuncOf([]reflect.Type{T}, []reflect.Type{reflect.TypeFor[matchT]()}, false)).Interface()
			}),
			impl: func(r *Run, a []any) (any, error) {
				return spanOf(a[0], func(u *plan.Unit) plan.Match {
					if u.Title != nil {
						return *u.Title
					}
					return textSpan(u)
				})
			},
		},
		{
			FuncDoc: FuncDoc{Name: "before", Doc: "returns up to n characters before the match, on its line.",
				Example: `before(match, 2) == "截止"`},
			types: []any{new(func(matchT, int) string)},
			impl:  func(r *Run, a []any) (any, error) { return around(r, a[0].(plan.Match), a[1].(int), true) },
		},
		{
			FuncDoc: FuncDoc{Name: "after", Doc: "returns up to n characters after the match, on its line.",
				Example: `after(match, 1) == "日"`},
			types: []any{new(func(matchT, int) string)},
			impl:  func(r *Run, a []any) (any, error) { return around(r, a[0].(plan.Match), a[1].(int), false) },
		},
		{
			FuncDoc: FuncDoc{Name: "cn2int", Doc: "reads a Chinese numeral (一…九十九, 一百零五, 〇/○/零, 两) or Arabic digits (half or full width); 0 when s is not a number.",
				Example: `cn2int("十二") == 12`},
			types: []any{new(func(string) int)},
			impl:  func(r *Run, a []any) (any, error) { return cn2int(a[0].(string)), nil },
		},
		{
			FuncDoc: FuncDoc{Name: "int2cn", Doc: "writes n (0–999) as a Chinese numeral, as in labels: 十一, 二十, 一百零五.",
				Example: `int2cn(item.number)`},
			types: []any{new(func(int) string)},
			impl: func(r *Run, a []any) (any, error) {
				n := a[0].(int)
				if n < 0 || n > 999 {
					return nil, fmt.Errorf("int2cn: %d is out of range 0–999", n)
				}
				return int2cn(n), nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "norm", Doc: "normalises a value: full-width digits, letters and ％ to half width, U+3000 and NBSP to a space. Punctuation is left alone.",
				Example: `norm(match.text)`},
			types: []any{new(func(string) string)},
			impl:  func(r *Run, a []any) (any, error) { return norm(a[0].(string)), nil },
		},
		{
			FuncDoc: FuncDoc{Name: "year_of", Doc: "is the year a deadline ends in (or starts in), 0 when it is not a date.",
				Example: `any(item.deadlines, year_of(#) > 0 && year_of(#) < plan.year)`},
			types: []any{new(func(plan.Deadline) int)},
			impl:  func(r *Run, a []any) (any, error) { return yearOf(a[0].(plan.Deadline)), nil },
		},
		{
			FuncDoc: FuncDoc{Name: "similar", Doc: "is the similarity of two texts, from 0 to 1: the Jaccard index of their character bigrams (spaces ignored).",
				Example: `similar(item.title, item.prev.title) > 0.8`},
			types: []any{new(func(string, string) float64)},
			impl:  func(r *Run, a []any) (any, error) { return similar(a[0].(string), a[1].(string)), nil },
		},
		{
			FuncDoc: FuncDoc{Name: "ref", Doc: "names a unit the way a 修改意见 does: 第3条, 第（三）条, 第二部分, “一是”项, 分解表第5项.",
				Example: `ref(item) + "未明确责任单位"`},
			types: []any{new(func(unitT) string)},
			impl: func(r *Run, a []any) (any, error) {
				u := a[0].(unitT)
				if u == nil {
					return "", errors.New("ref: unit is nil")
				}
				return unitRef(u), nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "label_span", Doc: "is the numbering label of a heading or item as written (e.g. “（三）”), for numbering rules.",
				Example: `[label_span(unit)]`},
			types: []any{new(func(unitT) matchT)},
			impl: func(r *Run, a []any) (any, error) {
				u := a[0].(unitT)
				if u == nil || u.U == nil || u.U.Source() == nil {
					return nil, errors.New("label_span: unit is nil")
				}
				s, _ := u.U.Body()
				return plan.NewMatch(u.U.Source(), s, s+len(u.Label)), nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "clip", Doc: "shortens s to at most n characters, ending it with … when cut.",
				Example: `clip(item.title, 20)`},
			types: []any{new(func(string, int) string)},
			impl: func(r *Run, a []any) (any, error) {
				s, n := a[0].(string), a[1].(int)
				if n < 0 {
					return s, nil
				}
				return clipRunes(s, n), nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "unpaired", Doc: "finds the paired marks that have no partner in the text of a unit, sentence, row or match; pairs is a string of open/close marks in pairs. Nesting is checked per kind of mark.",
				Example: `unpaired(paragraph, "（）“”《》")`},
			types: regionOverloads(func(T reflect.Type) any {
				return reflect.New(reflect.FuncOf([]reflect.Type{T, reflect.TypeFor[string]()}, []reflect.Type{reflect.TypeFor[matchesT]()}, false)).Interface()
			}),
			impl: func(r *Run, a []any) (any, error) {
				src, s, e, err := region(r, a[0])
				if err != nil {
					return nil, err
				}
				pairs, err := c.markPairs(a[1].(string))
				if err != nil {
					return nil, err
				}
				return unpaired(r, src, s, e, pairs)
			},
		},
		{
			FuncDoc: FuncDoc{Name: "keys", Doc: "returns the left sides of a list of \"wrong→right\" entries (an optional \"@year\" after the right side says since when the entry applies).",
				Example: `find_any(sentence, keys(vocab.typos))`},
			types: []any{new(func([]string) []string), new(func([]any) []string)},
			impl: func(r *Run, a []any) (any, error) {
				list := stringList(a[0])
				if k := c.lookup(list); k != nil {
					return k.keys, nil
				}
				return entryKeys(list), nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "lookup", Doc: "returns the right side of the \"wrong→right\" entry whose left side is key, \"\" when there is none.",
				Example: `lookup(vocab.typos, match.text)`},
			types: []any{new(func([]string, string) string), new(func([]any, string) string)},
			impl: func(r *Run, a []any) (any, error) {
				for _, entry := range stringList(a[0]) {
					if k, v, _ := splitEntry(entry); k == a[1].(string) {
						return v, nil
					}
				}
				return "", nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "since", Doc: "returns the year after \"@\" in the entry whose left side is key: the year from which the entry applies; 0 when it always applies.",
				Example: `since(vocab.outdated_names, match.text) <= plan.year`},
			types: []any{new(func([]string, string) int), new(func([]any, string) int)},
			impl: func(r *Run, a []any) (any, error) {
				for _, entry := range stringList(a[0]) {
					if k, _, year := splitEntry(entry); k == a[1].(string) {
						return year, nil
					}
				}
				return 0, nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "duplicate_of", Doc: "is the earlier task item most similar to item (Jaccard index of character bigrams, as similar; the first of equals) when that similarity is at least min (0 < min ≤ 1); nil otherwise. Computed once per document and min with an exact prefix-filtered index, so it stays fast on long plans.",
				Example: `duplicate_of(plan, item, 0.6) != nil`},
			types: []any{new(func(*DocView, unitT, float64) unitT)},
			impl: func(r *Run, a []any) (any, error) {
				d, u, min := a[0].(*DocView), a[1].(unitT), a[2].(float64)
				if d == nil || u == nil {
					return unitT(nil), errors.New("duplicate_of: plan or item is nil")
				}
				if !(min > 0 && min <= 1) {
					return unitT(nil), fmt.Errorf("duplicate_of: min %v is not in (0, 1]", min)
				}
				return d.dupIndex(min).best[u].of, nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "repeat", Doc: "repeats s n times (bounded: replaces the built-in).",
				Example: `repeat("　", 2)`},
			types: []any{new(func(string, int) string)},
			impl: func(r *Run, a []any) (any, error) {
				s, n := a[0].(string), a[1].(int)
				if n < 0 {
					return nil, fmt.Errorf("repeat: negative count %d", n)
				}
				if len(s) > 0 && n > maxBytes/len(s) {
					return nil, fmt.Errorf("%w: repeat of %d bytes × %d", ErrBudget, len(s), n)
				}
				if err := r.alloc(len(s) * n); err != nil {
					return nil, err
				}
				return strings.Repeat(s, n), nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "replace", Doc: "replaces every old in s by new (bounded: replaces the built-in).",
				Example: `replace(item.title, "　", "")`},
			types: []any{new(func(string, string, string) string)},
			impl: func(r *Run, a []any) (any, error) {
				s, old, repl := a[0].(string), a[1].(string), a[2].(string)
				n := strings.Count(s, old)
				if n > 0 && len(repl) > maxBytes/n {
					return nil, fmt.Errorf("%w: replace result too long", ErrBudget)
				}
				if err := r.alloc(len(s) + n*(len(repl)-len(old))); err != nil {
					return nil, err
				}
				return strings.ReplaceAll(s, old, repl), nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "join", Doc: "joins a list of strings with sep, or with nothing (bounded: replaces the built-in).",
				Example: `join(map(item.owners, .name), "、")`},
			types: []any{new(func([]string) string), new(func([]any) string), new(func([]string, string) string), new(func([]any, string) string)},
			impl: func(r *Run, a []any) (any, error) {
				list, sep := stringList(a[0]), ""
				if len(a) > 1 {
					sep = a[1].(string)
				}
				n := len(sep) * max(len(list)-1, 0)
				for _, s := range list {
					n += len(s)
				}
				if err := r.alloc(n); err != nil {
					return nil, err
				}
				return strings.Join(list, sep), nil
			},
		},
		{
			FuncDoc: FuncDoc{Name: "_tick"}, hidden: true,
			types: []any{new(func() bool)},
			impl: func(r *Run, a []any) (any, error) {
				return true, r.step(1)
			},
		},
		{
			FuncDoc: FuncDoc{Name: "_concat"}, hidden: true,
			types: []any{new(func(string, string) string)},
			impl: func(r *Run, a []any) (any, error) {
				x, y := a[0].(string), a[1].(string)
				if err := r.alloc(len(x) + len(y)); err != nil {
					return nil, err
				}
				return x + y, nil
			},
		},
	}
}

// regionOverloads makes one overload per kind of text region (unit,
// sentence, row, match) for each builder.
func regionOverloads(builders ...func(reflect.Type) any) []any {
	var out []any
	for _, T := range []reflect.Type{reflect.TypeFor[unitT](), reflect.TypeFor[sentenceT](), reflect.TypeFor[rowT](), reflect.TypeFor[matchT]()} {
		for _, b := range builders {
			out = append(out, b(T))
		}
	}
	return out
}

// exprOptions turns the table into expr options: each overload gets the
// Run as its first parameter.
func exprOptions(fns []function) []expr.Option {
	runT := reflect.TypeFor[*Run]()
	var opts []expr.Option
	for _, f := range fns {
		types := make([]any, len(f.types))
		for i, t := range f.types {
			ft := reflect.TypeOf(t).Elem()
			in := []reflect.Type{runT}
			for j := range ft.NumIn() {
				in = append(in, ft.In(j))
			}
			out := make([]reflect.Type, ft.NumOut())
			for j := range out {
				out[j] = ft.Out(j)
			}
			types[i] = reflect.New(reflect.FuncOf(in, out, false)).Interface()
		}
		impl, name := f.impl, f.Name
		opts = append(opts, expr.Function(name, func(params ...any) (any, error) {
			r, _ := params[0].(*Run)
			if r == nil {
				return nil, fmt.Errorf("%s: no run state", name)
			}
			return impl(r, params[1:])
		}, types...))
	}
	return opts
}

// signature renders the overloads of f as expr-style declarations.
func signature(f function) string {
	var lines []string
	for _, t := range f.types {
		ft := reflect.TypeOf(t).Elem()
		params := make([]string, ft.NumIn())
		for i := range params {
			params[i] = typeName(ft.In(i))
			if ft.In(i) == reflect.TypeFor[[]any]() {
				params[i] = "[]string" // the overload that takes a list literal
			}
		}
		line := f.Name + "(" + strings.Join(params, ", ") + ")"
		if ft.NumOut() > 0 {
			line += " " + typeName(ft.Out(0))
		}
		if !slices.Contains(lines, line) {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

// typeName is the name rule authors know a Go type by.
func typeName(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[unitT]():
		return "unit"
	case reflect.TypeFor[sentenceT]():
		return "sentence"
	case reflect.TypeFor[rowT]():
		return "row"
	case reflect.TypeFor[matchT]():
		return "match"
	case reflect.TypeFor[plan.Deadline]():
		return "deadline"
	case reflect.TypeFor[[]any]():
		return "list"
	case reflect.TypeFor[float64]():
		return "float"
	}
	if t.Kind() == reflect.Slice {
		return "[]" + typeName(t.Elem())
	}
	return t.String()
}

// stringList accepts a []string or a list literal ([]any of strings).
func stringList(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// region returns the decoded byte range of the text of a unit, sentence,
// row or match.
func region(r *Run, x any) (*plan.Source, int, int, error) {
	var src *plan.Source
	var s, e int
	switch v := x.(type) {
	case *UnitView:
		if v == nil || v.U == nil {
			return nil, 0, 0, errors.New("unit is nil")
		}
		src = v.U.Source()
		s, e = v.U.Body()
	case *RowView:
		if v == nil || v.U == nil {
			return nil, 0, 0, errors.New("row is nil")
		}
		src = v.U.Source()
		s, e = v.U.Body()
	case *SentenceView:
		if v == nil {
			return nil, 0, 0, errors.New("sentence is nil")
		}
		src = r.src
		s, e = v.Span.Offsets()
	case plan.Match:
		src = r.src
		s, e = v.Offsets()
	default:
		return nil, 0, 0, fmt.Errorf("cannot take the text of %T", x)
	}
	if src == nil {
		return nil, 0, 0, errors.New("no source text to match in")
	}
	if s < 0 || s > e || e > len(src.Text) {
		return nil, 0, 0, fmt.Errorf("region %d–%d is outside the text", s, e)
	}
	return src, s, e, nil
}

// findAll returns the non-overlapping matches of re in x's text, built
// from their offsets (never by searching the text again). With groups,
// the first group that took part is the match.
func findAll(r *Run, x any, p *pattern) (any, error) {
	src, s, e, err := region(r, x)
	if err != nil {
		return nil, err
	}
	var out matchesT
	text := src.Text[s:e]
	re, pl := p.re, p.plan
	if !pl.required.empty() && pl.required.index(text) < 0 {
		return out, nil
	}
	add := func(loc []int) error {
		ms, me := loc[0], loc[1]
		// The first group that took part is the match, so alternatives
		// can each mark their own part: `\p{Han}(,)|(\()\p{Han}`.
		for g := 2; g+1 < len(loc); g += 2 {
			if loc[g] >= 0 {
				ms, me = loc[g], loc[g+1]
				break
			}
		}
		if ms < 0 || ms == me {
			return nil
		}
		if err := r.step(1); err != nil {
			return err
		}
		out = append(out, plan.NewMatch(src, s+ms, s+me))
		return nil
	}
	if pl.width > 0 {
		err = findWindows(re, text, &pl.required, pl.width, add)
	} else {
		for _, loc := range re.FindAllStringSubmatchIndex(text, -1) {
			if err = add(loc); err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lineEnds implements line_ends.
func lineEnds(r *Run, x any) (any, error) {
	src, s, e, err := region(r, x)
	if err != nil {
		return nil, err
	}
	var out matchesT
	text := src.Text[s:e]
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		last := end
		for last > start {
			c, n := utf8.DecodeLastRuneInString(text[start:last])
			if !plan.IsSpace(c) {
				if err := r.step(1); err != nil {
					return nil, err
				}
				out = append(out, plan.NewMatch(src, s+last-n, s+last))
				break
			}
			last -= n
		}
		start = end + 1
	}
	return out, nil
}

func spanOf(x any, f func(*plan.Unit) plan.Match) (any, error) {
	switch v := x.(type) {
	case *UnitView:
		if v == nil || v.U == nil {
			return nil, errors.New("unit is nil")
		}
		return f(v.U), nil
	case *RowView:
		if v == nil || v.U == nil {
			return nil, errors.New("row is nil")
		}
		return f(v.U), nil
	case *SentenceView:
		if v == nil {
			return nil, errors.New("sentence is nil")
		}
		return v.Span, nil
	case plan.Match:
		return v, nil
	}
	return nil, fmt.Errorf("cannot take the span of %T", x)
}

// around returns up to n characters before or after m on its line.
func around(r *Run, m plan.Match, n int, before bool) (any, error) {
	if r.src == nil {
		return nil, errors.New("no source text")
	}
	text := r.src.Text
	s, e := m.Offsets()
	if s < 0 || s > e || e > len(text) {
		return nil, errors.New("match is outside the text")
	}
	if before {
		i := s
		for k := 0; k < n && i > 0; k++ {
			c, size := utf8.DecodeLastRuneInString(text[:i])
			if c == '\n' || c == '\r' {
				break
			}
			i -= size
		}
		return text[i:s], nil
	}
	i := e
	for k := 0; k < n && i < len(text); k++ {
		c, size := utf8.DecodeRuneInString(text[i:])
		if c == '\n' || c == '\r' {
			break
		}
		i += size
	}
	return text[e:i], nil
}

// Chinese numerals.
var (
	cnName = []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
)

// cn2int reads Arabic digits (half or full width) or a Chinese numeral
// (plan.ChineseNumber, the reader's own).
func cn2int(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	if digits := norm(s); strings.Trim(digits, "0123456789") == "" {
		n, err := strconv.Atoi(digits)
		if err != nil {
			return 0
		}
		return n
	}
	return plan.ChineseNumber(s)
}

func int2cn(n int) string {
	if n < 10 {
		return cnName[n]
	}
	var b strings.Builder
	h, t, u := n/100, n/10%10, n%10
	if h > 0 {
		b.WriteString(cnName[h] + "百")
		if t == 0 && u != 0 {
			b.WriteString("零")
		}
	}
	if t > 0 {
		// 十一 at the start, 一百一十 after hundreds.
		if t > 1 || h > 0 {
			b.WriteString(cnName[t])
		}
		b.WriteString("十")
	}
	if u > 0 {
		b.WriteString(cnName[u])
	}
	return b.String()
}

// norm maps full-width digits, letters and ％ to half width and the
// padding spaces real texts carry to a space.
func norm(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '％':
			return r - 0xFEE0
		case r == '\u3000' || r == '\u00a0':
			return ' '
		}
		return r
	}, s)
}

func yearOf(d plan.Deadline) int {
	for _, date := range []string{d.To, d.From} {
		if len(date) >= 4 {
			if y, err := strconv.Atoi(date[:4]); err == nil {
				return y
			}
		}
	}
	return 0
}

// similar is the Jaccard index of the two texts' character bigrams.
func similar(a, b string) float64 {
	ba, bb := bigrams(a), bigrams(b)
	if len(ba) == 0 && len(bb) == 0 {
		if strings.TrimFunc(a, plan.IsSpace) == strings.TrimFunc(b, plan.IsSpace) {
			return 1
		}
		return 0
	}
	inter := 0
	for g := range ba {
		if bb[g] {
			inter++
		}
	}
	return float64(inter) / float64(len(ba)+len(bb)-inter)
}

func bigrams(s string) map[[2]rune]bool {
	out := map[[2]rune]bool{}
	prev := rune(-1)
	for _, r := range s {
		if plan.IsSpace(r) {
			continue
		}
		if prev >= 0 {
			out[[2]rune{prev, r}] = true
		}
		prev = r
	}
	return out
}

// splitEntry reads a "wrong→right@year" vocabulary entry; right and year
// are optional.
func splitEntry(entry string) (key, value string, year int) {
	key, rest, _ := strings.Cut(entry, "→")
	value, y, ok := strings.Cut(rest, "@")
	if ok {
		year, _ = strconv.Atoi(strings.TrimSpace(y))
	}
	return strings.TrimSpace(key), strings.TrimSpace(value), year
}

// unpaired walks the text once with a stack per kind of mark: a closing
// mark with no open one, and an open mark never closed, are reported.
// A pair whose two marks are the same character (straight quotes) is
// matched by alternation.
func unpaired(r *Run, src *plan.Source, s, e int, pairs *markPairs) (matchesT, error) {
	var open map[rune][]int // made at the first mark: most texts have none
	var bad []int
	text := src.Text[s:e]
	for i, n := 0, 0; i < len(text); i += n {
		var c rune
		c, n = plan.DecodeRune(text, i)
		if err := r.step(1); err != nil {
			return nil, err
		}
		if !pairs.has(c) {
			continue
		}
		if open == nil {
			open = map[rune][]int{}
		}
		_, isOpen := pairs.closeOf[c]
		o, isClose := pairs.openOf[c]
		switch {
		case isOpen && isClose: // same mark both ways
			if n := len(open[c]); n > 0 {
				open[c] = open[c][:n-1]
			} else {
				open[c] = append(open[c], i)
			}
		case isOpen:
			open[c] = append(open[c], i)
		case isClose:
			if n := len(open[o]); n > 0 {
				open[o] = open[o][:n-1]
			} else {
				bad = append(bad, i)
			}
		}
	}
	for _, offs := range open {
		bad = append(bad, offs...)
	}
	slices.Sort(bad)
	out := make(matchesT, 0, len(bad))
	for _, i := range bad {
		_, n := utf8.DecodeRuneInString(text[i:])
		out = append(out, plan.NewMatch(src, s+i, s+i+n))
	}
	return out, nil
}

// markPairs is the argument of unpaired, prepared once per string: each
// mark's partner, and a bit set of the marks in the Basic Multilingual
// Plane so that other characters cost one test.
type markPairs struct {
	closeOf, openOf map[rune]rune
	bmp             [1 << 16 / 64]uint64
}

func newMarkPairs(pairs []rune) *markPairs {
	p := &markPairs{closeOf: map[rune]rune{}, openOf: map[rune]rune{}}
	for i := 0; i+1 < len(pairs); i += 2 {
		p.closeOf[pairs[i]] = pairs[i+1]
		p.openOf[pairs[i+1]] = pairs[i]
	}
	for _, c := range pairs {
		if c < 1<<16 {
			p.bmp[c/64] |= 1 << (c % 64)
		}
	}
	return p
}

func (p *markPairs) has(c rune) bool {
	if c < 1<<16 {
		return p.bmp[c/64]&(1<<(c%64)) != 0
	}
	_, a := p.closeOf[c]
	_, b := p.openOf[c]
	return a || b
}

// unitRef writes the conventional reference to a unit from its label and
// numbering style.
func unitRef(u *UnitView) string {
	label := strings.TrimRight(u.Label, "、.．，, ")
	switch {
	case u.Kind == string(plan.KindRow):
		return "分解表第" + label + "项"
	case label == "":
		return "“" + clipRunes(u.Title, 12) + "”"
	case u.Style == "一是":
		return "“" + label + "”项"
	case u.Kind == string(plan.KindHeading) && u.Style == "一、":
		return "第" + label + "部分"
	}
	return "第" + label + "条"
}

// clipRunes shortens s to its first n characters and …, when it has more.
// It walks the characters rather than converting to []rune: a message
// clips the title of every finding.
func clipRunes(s string, n int) string {
	i := 0
	for range n {
		if i >= len(s) {
			return s
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i >= len(s) {
		return s
	}
	return s[:i] + "…"
}
