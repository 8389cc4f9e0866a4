package rules

import (
	"testing"
	"unicode/utf8"
)

// decodeRune decodes what the standard decoder decodes, valid or not.
func TestDecodeRune(t *testing.T) {
	check := func(s string) {
		for i := 0; i < len(s); i++ {
			r, n := decodeRune(s, i)
			wr, wn := utf8.DecodeRuneInString(s[i:])
			if r != wr || n != wn {
				t.Fatalf("decodeRune(%q, %d) = %U, %d; want %U, %d", s, i, r, n, wr, wn)
			}
		}
	}
	for r := rune(0); r <= 0x10FFFF; r += 1 {
		check(string(r) + "x")
	}
	for _, s := range []string{"\xe4\xb8", "\xe4\xb8\x41", "\xe0\x80\x80", "\xed\xa0\x80", "\xef\xbf\xbf", "中\xff文", "\xe4"} {
		check(s)
	}
}

func FuzzDecodeRune(f *testing.F) {
	f.Add("中文,\xe4\xb8\x41\xed\xa0\x80𠀀")
	f.Fuzz(func(t *testing.T, s string) {
		for i := 0; i < len(s); i++ {
			r, n := decodeRune(s, i)
			if wr, wn := utf8.DecodeRuneInString(s[i:]); r != wr || n != wn {
				t.Fatalf("decodeRune(%q, %d) = %U, %d; want %U, %d", s, i, r, n, wr, wn)
			}
		}
	})
}
