package rules_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/plancheck/plancheck/rules"
)

// TestFingerprintIsStable pins the fingerprint's definition: baselines
// written by earlier versions must keep matching. The first 16 hex digits
// of SHA-256 over rule id, NUL, unit text without spaces, NUL, occurrence.
func TestFingerprintIsStable(t *testing.T) {
	for _, c := range []struct {
		rule, text string
		n          int
	}{{"owner-missing", "（三）加强 医疗质量管理。", 0}, {"typo", "", 12}, {"x", "　a b\u00a0c ", 3}} {
		sum := sha256.Sum256([]byte(c.rule + "\x00" + rules.NormalizeText(c.text) + "\x00" + strconv.Itoa(c.n)))
		want := hex.EncodeToString(sum[:])[:16]
		assert.Equal(t, want, rules.Fingerprint(c.rule, c.text, c.n), "%+v", c)
	}
	assert.Equal(t, "（三）加强医疗质量管理。", rules.NormalizeText("（三）加强 医疗质量管理。"))
	assert.Equal(t, "abc", rules.NormalizeText("　a b\u00a0c "))
}
