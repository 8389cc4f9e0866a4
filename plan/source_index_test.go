package plan

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomText draws n pieces from pieces, always the same for a seed.
func randomText(seed uint64, pieces []string, n int) string {
	rng := rand.New(rand.NewPCG(seed, 3))
	var b strings.Builder
	for range n {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

// TestIndexUTF8 checks the index of UTF-8 input, read eight bytes at a
// time, against walkPos and firstControl, on texts mixing runs of ASCII
// with Chinese, characters of two and four bytes, every line end and
// control characters.
func TestIndexUTF8(t *testing.T) {
	pieces := []string{"abcdefghijklm", "a", " ", "\n", "\r", "\r\n", "\t", "加", "强管理", "é", "𠀀", "\f"}
	for seed := range uint64(40) {
		text := randomText(seed, pieces, 300)
		if seed%4 == 0 {
			text += "\x01" + text // a control character: still indexed
		}
		src := &Source{Encoding: EncUTF8, Text: text}
		assert.Equal(t, firstControl(text), src.indexUTF8([]byte(text)))
		for off := 0; off <= len(text); off++ {
			require.Equal(t, walkPos(src, off), src.Pos(off), "seed %d at %d", seed, off)
		}
		assert.Len(t, src.marks, (len(text)-1)>>posShift+1)
	}
}

// TestValidUTF8 checks validUTF8 against utf8.Valid on texts of valid
// characters of every length, whole and with one byte changed, and of
// stray, overlong, surrogate and cut sequences.
func TestValidUTF8(t *testing.T) {
	good := []string{"abcdefgh", "a", "\n", "加", "强管理", "é", "𠀀", "\xed\x9f\xbf", "\xe0\xa0\x80", "\xef\xbf\xbf"}
	bad := []string{"\xff", "\xe5\x8a", "\xed\xa0\x80", "\xe0\x80\x80", "\xc3", "\xc0\xaf", "\xf0\x9f\x98", "\xf4\x90\x80\x80", "\x80", "\xe5"}
	valid := 0
	for seed := range uint64(3000) {
		var text []byte
		switch seed % 3 {
		case 0:
			text = []byte(randomText(seed, good, int(seed%60)))
		case 1:
			text = []byte(randomText(seed, good, int(seed%60)+1))
			text[int(seed*7)%len(text)] ^= byte(seed)
		default:
			text = []byte(randomText(seed, append(good, bad...), int(seed%20)))
		}
		want := utf8.Valid(text)
		require.Equal(t, want, validUTF8(text), "%q", text)
		if want {
			valid++
		}
	}
	assert.Greater(t, valid, 1000, "many texts are valid")
}

// TestValidUTF8Long checks the two halves of a long input, cut wherever
// a character happens to cross the middle, and a bad byte anywhere.
func TestValidUTF8Long(t *testing.T) {
	for _, unit := range []string{"加", "a加", "ab加", "𠀀", "é加"} {
		text := []byte(strings.Repeat(unit, parallelBytes/len(unit)+1))
		require.True(t, validUTF8(text), "%q", unit)
		for _, at := range []int{0, len(text)/2 - 1, len(text) / 2, len(text)/2 + 1, len(text)/2 + 2, len(text) - 1} {
			bad := append([]byte(nil), text...)
			bad[at] = 0xFF
			assert.False(t, validUTF8(bad), "%q with 0xFF at %d", unit, at)
			bad[at] = 0x80
			assert.Equal(t, utf8.Valid(bad), validUTF8(bad), "%q with 0x80 at %d", unit, at)
		}
	}
}
