package docx

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// Shared acceptance data beside the checkout, absent in a fresh clone.
const (
	sharedDocxDir = "../../shared/docx"
	corpusDir     = "../../shared/corpus"
)

// sharedFile reads a file of ../shared, skipping the test when it is absent.
func sharedFile(t testing.TB, dir, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if os.IsNotExist(err) {
		t.Skipf("%s: ../shared absent", name)
	}
	require.NoError(t, err)
	return data
}

// readShared reads one of the Word drafts of ../shared/docx.
func readShared(t testing.TB, name string) *Document {
	t.Helper()
	d, err := Read(name, sharedFile(t, sharedDocxDir, name), DefaultLimits())
	require.NoError(t, err)
	return d
}
