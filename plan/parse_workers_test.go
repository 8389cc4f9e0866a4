package plan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseWorkers checks that extracting facts on several goroutines
// gives what one does, on every corpus plan and on all of them joined,
// and that a plan long enough is read in parallel.
func TestParseWorkers(t *testing.T) {
	v := testVocab(t)
	x := NewExtractor(v)
	srcs := exCorpusAll(t)
	var texts []string
	for _, src := range srcs {
		texts = append(texts, src.Text)
	}
	text := strings.Join(texts, "\n")
	joined, err := NewSource("joined", []byte(strings.Repeat(text, parallelBytes/len(text)+1)))
	require.NoError(t, err)
	for _, src := range append(srcs, joined) {
		one := parseWith(src, v, x, 1)
		require.NotEmpty(t, one.Items(), src.Name)
		require.Equal(t, one, parseWith(src, v, x, 3), src.Name)
	}
	require.GreaterOrEqual(t, len(joined.Text), parallelBytes)
	require.Equal(t, parseWith(joined, v, x, 1), Parse(joined, v))
}
