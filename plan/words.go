package plan

// Words finds the words of a list in texts: at each place the longest
// word, leftmost first, without overlaps — what an alternation of the
// words, longest first, finds. It is the trie the extractors use, for
// rule functions (find_any, has_any). Built once per list; safe for
// concurrent use.
type Words struct{ trie *runeTrie }

// NewWords prepares a word list; empty words (after trimming spaces) are
// ignored.
func NewWords(list []string) *Words { return &Words{trie: newRuneTrie(list)} }

// Each calls fn with the byte range of every word found in s, in order;
// fn returning false stops the search.
func (w *Words) Each(s string, fn func(start, end int) bool) {
	for i := 0; i < len(s); {
		r, size := decodeRune(s, i)
		// The first-rune test inline: most characters start no word.
		if !w.trie.first.has(r) {
			i += size
			continue
		}
		if n := w.trie.longestFrom(s, i, r, size); n > 0 {
			if !fn(i, i+n) {
				return
			}
			i += n
			continue
		}
		i += size
	}
}

// Contains reports whether s holds any of the words.
func (w *Words) Contains(s string) bool {
	found := false
	w.Each(s, func(int, int) bool { found = true; return false })
	return found
}

// DecodeRune is utf8.DecodeRuneInString(s[i:]), faster on Chinese text:
// for scans that read every character.
func DecodeRune(s string, i int) (rune, int) { return decodeRune(s, i) }

// IsSpace reports whether r is padding real texts carry: a Unicode space,
// U+3000 or NBSP. No space lies above U+3000, so Chinese characters return
// at once.
func IsSpace(r rune) bool { return r <= '\u3000' && isSpace(r) }
