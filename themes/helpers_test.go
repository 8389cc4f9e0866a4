package themes

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/plan"
)

// testVocab reads the [vocab] table of the shipped ../rules.toml.
func testVocab(t testing.TB) *plan.Vocab {
	t.Helper()
	var file struct {
		Vocab plan.Vocab `toml:"vocab"`
	}
	_, err := toml.DecodeFile("../rules.toml", &file)
	require.NoError(t, err)
	return &file.Vocab
}

// testOptions reads the default theme vocabulary of testdata/vocab.toml.
func testOptions(t testing.TB) Options {
	t.Helper()
	var file struct {
		Vocab Options `toml:"vocab"`
	}
	md, err := toml.DecodeFile("testdata/vocab.toml", &file)
	require.NoError(t, err)
	require.Empty(t, md.Undecoded(), "unknown keys in testdata/vocab.toml")
	return file.Vocab
}

// parseText parses an inline plan.
func parseText(t testing.TB, name, text string) *plan.Plan {
	t.Helper()
	src, err := plan.NewSource(name, []byte(text))
	require.NoError(t, err)
	return plan.Parse(src, testVocab(t))
}

// corpusDir is the shared corpus, relative to the package directory.
const corpusDir = "../../shared/corpus"

// parseCorpus parses a corpus file by its prefix ("004"), skipping the
// test when ../shared is absent.
func parseCorpus(t testing.TB, v *plan.Vocab, prefix string) *plan.Plan {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(corpusDir, prefix+"_*.txt"))
	if len(matches) == 0 {
		t.Skip("corpus: ../shared absent")
	}
	data, err := os.ReadFile(matches[0])
	require.NoError(t, err)
	src, err := plan.NewSource(filepath.Base(matches[0]), data)
	require.NoError(t, err)
	return plan.Parse(src, v)
}
