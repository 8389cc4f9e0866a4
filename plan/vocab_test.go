package plan

import (
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testVocab reads the [vocab] table of the shipped ../rules.toml. Lists
// that Vocab does not know are the rules' own (typos, outdated_names…);
// the rules loader checks those.
func testVocab(t testing.TB) *Vocab {
	t.Helper()
	var file struct {
		Vocab Vocab `toml:"vocab"`
	}
	_, err := toml.DecodeFile("../rules.toml", &file)
	require.NoError(t, err)
	return &file.Vocab
}

// TestVocabComplete checks that the shipped vocabulary fills every list of
// Vocab, so that a field added to Vocab without a default list fails here.
func TestVocabComplete(t *testing.T) {
	v := reflect.ValueOf(*testVocab(t))
	for i := range v.NumField() {
		f := v.Type().Field(i)
		words, ok := v.Field(i).Interface().([]string)
		require.True(t, ok, "Vocab.%s is not a word list", f.Name)
		assert.NotEmpty(t, words, "[vocab] %s is empty", f.Tag.Get("toml"))
		for _, w := range words {
			assert.NotEmpty(t, w, "[vocab] %s has an empty word", f.Tag.Get("toml"))
			assert.Equal(t, strings.TrimSpace(w), w, "[vocab] %s: padded word", f.Tag.Get("toml"))
		}
	}
}
