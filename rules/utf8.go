package rules

import "unicode/utf8"

// decodeRune is utf8.DecodeRuneInString(s[i:]) with the three-byte
// sequences of Chinese text decoded inline: the word, mark and bigram
// scans decode every character of every unit, and the standard decoder
// takes its slow path for anything beyond ASCII.
func decodeRune(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c&0xF0 == 0xE0 && i+2 < len(s) {
		c1, c2 := s[i+1], s[i+2]
		if c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			r := rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F)
			if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
				return r, 3
			}
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}
