package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkCheckCorpus checks the real plans of ../shared/corpus in one
// run, as `check --format json --jobs N`, in process.
func BenchmarkCheckCorpus(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if len(files) == 0 {
		b.Skip("real plans not available: ../shared absent")
	}
	size := int64(0)
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
	}
	for _, jobs := range []int{1, 2} {
		b.Run("jobs="+strconv.Itoa(jobs), func(b *testing.B) {
			args := append([]string{"plancheck", "check", "--format", "json", "--jobs", strconv.Itoa(jobs)}, files...)
			var out, errOut bytes.Buffer
			b.SetBytes(size)
			for b.Loop() {
				out.Reset()
				errOut.Reset()
				if code := run(args, strings.NewReader(""), &out, &errOut); code == exitError {
					b.Fatal(errOut.String())
				}
			}
		})
	}
}
