package plan

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// DecodeRune decodes what the standard decoder decodes, valid or not.
func TestDecodeRune(t *testing.T) {
	check := func(s string) {
		for i := 0; i < len(s); i++ {
			r, n := DecodeRune(s, i)
			if wr, wn := utf8.DecodeRuneInString(s[i:]); r != wr || n != wn {
				t.Fatalf("DecodeRune(%q, %d) = %U, %d; want %U, %d", s, i, r, n, wr, wn)
			}
		}
	}
	for r := rune(0); r <= 0x10FFFF; r++ {
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
			r, n := DecodeRune(s, i)
			if wr, wn := utf8.DecodeRuneInString(s[i:]); r != wr || n != wn {
				t.Fatalf("DecodeRune(%q, %d) = %U, %d; want %U, %d", s, i, r, n, wr, wn)
			}
		}
	})
}

// IsSpace is every Unicode space, U+3000 and NBSP among them.
func TestIsSpace(t *testing.T) {
	for r := rune(0); r <= 0x10FFFF; r++ {
		if want := unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0'; IsSpace(r) != want {
			t.Fatalf("IsSpace(%U) = %v", r, !want)
		}
	}
}
