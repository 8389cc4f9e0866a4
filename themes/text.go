package themes

import (
	"unicode"
	"unicode/utf8"
)

// char is one character of a normalised text: a character as written, or
// one character of the canonical form a synonym was rewritten to. start
// and end are the byte range of the text it stands for (the whole synonym
// as written for a rewritten one), so a phrase found in the normalised
// text maps back to the original without searching for it again.
type char struct {
	r          rune
	start, end int32
	flags      uint8
}

// Character flags.
const (
	flagFiller uint8 = 1 << iota // part of a filler word (坚持, 加强, 工作…)
	flagNamed                    // part of a synonym group's canonical form
	flagQuoted                   // inside “…” or 《…》
)

// brk separates segments: punctuation, spaces and line ends break the
// text, and no bigram or phrase crosses a break.
const brk rune = 0

// trie finds words leftmost-longest by walking runes; it is built once
// per Matcher and only read afterwards, so Matchers are safe to share.
type trie struct {
	nodes []trieNode
	// first marks the runes that begin a word, a bit per rune of the
	// Basic Multilingual Plane (others always walk): most characters
	// fail this test, before any map lookup.
	first []uint64
}

type trieNode struct {
	next map[rune]int32
	val  int32 // payload of the word ending here, -1 if none
}

func newTrie() *trie {
	return &trie{nodes: []trieNode{{val: -1}}, first: make([]uint64, 0x10000/64)}
}

// add inserts word (already folded) with payload val; a later add of the
// same word keeps the first payload, so the first synonym group wins.
func (t *trie) add(word []rune, val int32) {
	if len(word) == 0 {
		return
	}
	if r := word[0]; r <= 0xFFFF {
		t.first[r>>6] |= 1 << (r & 63)
	}
	n := int32(0)
	for _, r := range word {
		next, ok := t.nodes[n].next[r]
		if !ok {
			if t.nodes[n].next == nil {
				t.nodes[n].next = map[rune]int32{}
			}
			next = int32(len(t.nodes))
			t.nodes[n].next[r] = next
			t.nodes = append(t.nodes, trieNode{val: -1})
		}
		n = next
	}
	if t.nodes[n].val < 0 {
		t.nodes[n].val = val
	}
}

// longest returns the length and payload of the longest word starting at
// rs[i] (0, -1 when none); at(k) gives the k-th rune.
func (t *trie) longest(n int, at func(int) rune, i int) (int, int32) {
	if r := at(i); r <= 0xFFFF && t.first[r>>6]&(1<<(r&63)) == 0 {
		return 0, -1
	}
	best, val, node := 0, int32(-1), int32(0)
	for j := i; j < n; j++ {
		next, ok := t.nodes[node].next[at(j)]
		if !ok {
			break
		}
		node = next
		if v := t.nodes[node].val; v >= 0 {
			best, val = j-i+1, v
		}
	}
	return best, val
}

// fold maps a character to the form compared: full-width ASCII to ASCII,
// letters to lower case. Everything else is kept as written.
func fold(r rune) rune {
	if r >= '！' && r <= '～' {
		r -= 0xFEE0
	}
	return unicode.ToLower(r)
}

// kept reports the characters bigrams are made of: Chinese characters
// and letters. Everything else breaks the text, digits included: numbers
// are a task's targets and years, not its subject, and 2019年 against
// 2020年 or 10名 against 100名 would only add noise.
func kept(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.IsLetter(r)
}

// foldRunes folds a word for the tries.
func foldRunes(s string) []rune {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = fold(r)
	}
	return rs
}

// raw is a decoded character of the input with its byte range.
type raw struct {
	r          rune
	start, end int32
}

// normalize appends the normalised form of text[lo:hi] to out: characters
// folded, synonyms rewritten to their group's canonical form, everything
// that is not kept collapsed into one break, filler words and quoted
// characters flagged. Offsets are byte offsets into text.
func (m *Matcher) normalize(out []char, text string, lo, hi int) []char {
	rs := make([]raw, 0, (hi-lo)/3+1)
	for i := lo; i < hi; {
		r, n := utf8.DecodeRuneInString(text[i:])
		rs = append(rs, raw{fold(r), int32(i), int32(i + n)})
		i += n
	}
	at := func(k int) rune { return rs[k].r }
	base := len(out)
	quoted := 0
	pushBreak := func(off int32) {
		if len(out) > base && out[len(out)-1].r != brk {
			out = append(out, char{r: brk, start: off, end: off})
		}
	}
	for i := 0; i < len(rs); {
		if n, g := m.synonyms.longest(len(rs), at, i); n > 0 {
			start, end := rs[i].start, rs[i+n-1].end
			flags := flagNamed
			if quoted > 0 {
				flags |= flagQuoted
			}
			for _, r := range m.canon[g] {
				if kept(r) {
					out = append(out, char{r: r, start: start, end: end, flags: flags})
				} else {
					pushBreak(start)
				}
			}
			i += n
			continue
		}
		c := rs[i]
		switch c.r {
		case '“', '《':
			quoted++
		case '”', '》':
			quoted = max(quoted-1, 0)
		case '\n', '\r':
			quoted = 0
		}
		if kept(c.r) {
			var flags uint8
			if quoted > 0 {
				flags = flagQuoted
			}
			out = append(out, char{r: c.r, start: c.start, end: c.end, flags: flags})
		} else {
			pushBreak(c.start)
		}
		i++
	}
	pushBreak(int32(hi))
	// Filler words are looked for after rewriting, and never inside a
	// canonical form: 医疗卫生服务共同体 is a programme, not 服务 filler.
	seg := out[base:]
	atc := func(k int) rune { return seg[k].r }
	for i := 0; i < len(seg); {
		if seg[i].r == brk || seg[i].flags&flagNamed != 0 {
			i++
			continue
		}
		n, _ := m.filler.longest(len(seg), atc, i)
		if n == 0 {
			i++
			continue
		}
		for k := i; k < i+n; k++ {
			if seg[k].flags&flagNamed == 0 {
				seg[k].flags |= flagFiller
			}
		}
		i += n
	}
	return out
}

// phrase is the normalised text of chars, breaks dropped.
func phrase(cs []char) string {
	rs := make([]rune, 0, len(cs))
	for _, c := range cs {
		if c.r != brk {
			rs = append(rs, c.r)
		}
	}
	return string(rs)
}
