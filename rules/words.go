package rules

import (
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// wordMatcher finds the words of a list in a text in one pass: a trie of
// runes, entered only at characters that start some word (a bit set over
// the Basic Multilingual Plane, where Chinese text lives). It finds what
// an alternation of the words, longest first, would: at each place the
// longest word, leftmost first, without overlaps.
type wordMatcher struct {
	words []string // unique, non-empty, longest first
	first [1 << 16 / 64]uint64
	// firstAstral holds the first runes above the BMP.
	firstAstral map[rune]bool
	nodes       []wordNode // nodes[0] is the root
}

type wordNode struct {
	next map[rune]int32
	end  bool // a word ends here
}

func newWordMatcher(list []string) *wordMatcher {
	ws := make([]string, 0, len(list))
	for _, w := range list {
		if w != "" {
			ws = append(ws, w)
		}
	}
	slices.SortFunc(ws, func(a, b string) int {
		if la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b); la != lb {
			return lb - la
		}
		return strings.Compare(a, b)
	})
	m := &wordMatcher{words: slices.Compact(ws), nodes: []wordNode{{}}}
	for _, w := range m.words {
		n := int32(0)
		for i, r := range w {
			if i == 0 {
				if r < 1<<16 {
					m.first[r/64] |= 1 << (r % 64)
				} else {
					if m.firstAstral == nil {
						m.firstAstral = map[rune]bool{}
					}
					m.firstAstral[r] = true
				}
			}
			next, ok := m.nodes[n].next[r]
			if !ok {
				next = int32(len(m.nodes))
				m.nodes = append(m.nodes, wordNode{})
				if m.nodes[n].next == nil {
					m.nodes[n].next = map[rune]int32{}
				}
				m.nodes[n].next[r] = next
			}
			n = next
		}
		m.nodes[n].end = true
	}
	return m
}

func (m *wordMatcher) starts(r rune) bool {
	if r < 1<<16 {
		return m.first[r/64]&(1<<(r%64)) != 0
	}
	return m.firstAstral[r]
}

// longestAt returns the end of the longest word starting at i, or -1.
func (m *wordMatcher) longestAt(s string, i int) int {
	end, n := -1, int32(0)
	for j := i; j < len(s); {
		r, size := decodeRune(s, j)
		next, ok := m.nodes[n].next[r]
		if !ok {
			break
		}
		n, j = next, j+size
		if m.nodes[n].end {
			end = j
		}
	}
	return end
}

// each calls fn with the byte range of every word found in s, in order;
// fn returning false stops the search.
func (m *wordMatcher) each(s string, fn func(start, end int) bool) {
	for i := 0; i < len(s); {
		r, size := decodeRune(s, i)
		if m.starts(r) {
			if end := m.longestAt(s, i); end > i {
				if !fn(i, end) {
					return
				}
				i = end
				continue
			}
		}
		i += size
	}
}

// contains reports whether s holds any of the words.
func (m *wordMatcher) contains(s string) bool {
	found := false
	m.each(s, func(int, int) bool { found = true; return false })
	return found
}

// sliceKey identifies a list by its backing array, so that the matcher of
// a [vocab] list is found without hashing the list's words on every call.
type sliceKey struct {
	data *string
	n    int
}

func keyOf(list []string) sliceKey { return sliceKey{unsafe.SliceData(list), len(list)} }

// sameStrings reports whether a and b hold the very same strings (same
// bytes in memory), which is cheap and enough for lists found by identity.
func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) || unsafe.StringData(a[i]) != unsafe.StringData(b[i]) {
			return false
		}
	}
	return true
}
