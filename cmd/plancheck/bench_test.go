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
			benchRun(b, size, append([]string{"plancheck", "check", "--format", "json", "--fail-on", "never", "--jobs", strconv.Itoa(jobs)}, files...))
		})
	}
}

// BenchmarkCheckBig is the 12.3 MB target of issue 8 in process: the five
// corpus files concatenated 100 times, one plan, `check --format json`.
func BenchmarkCheckBig(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if len(files) == 0 {
		b.Skip("real plans not available: ../shared absent")
	}
	var one []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		one = append(one, data...)
	}
	big := filepath.Join(b.TempDir(), "big.txt")
	if err := os.WriteFile(big, bytes.Repeat(one, 100), 0o644); err != nil {
		b.Fatal(err)
	}
	benchRun(b, int64(len(one)*100), []string{"plancheck", "check", "--format", "json", "--fail-on", "never", big})
}

// BenchmarkCheckMany is the many-files target of issue 8 scaled down:
// 40 copies of each corpus file (200 files), `check --format json --jobs 2`.
func BenchmarkCheckMany(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if len(files) == 0 {
		b.Skip("real plans not available: ../shared absent")
	}
	dir := b.TempDir()
	size := int64(0)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for i := range 40 {
			name := filepath.Join(dir, strconv.Itoa(i)+"-"+filepath.Base(f))
			if err := os.WriteFile(name, data, 0o644); err != nil {
				b.Fatal(err)
			}
			size += int64(len(data))
		}
	}
	benchRun(b, size, []string{"plancheck", "check", "--format", "json", "--fail-on", "never", "--jobs", "2", dir})
}

// benchRun runs the command line args in process for each iteration,
// reporting size bytes per run; any exit but 0 fails the benchmark.
func benchRun(b *testing.B, size int64, args []string) {
	var out, errOut bytes.Buffer
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		errOut.Reset()
		if code := run(args, strings.NewReader(""), &out, &errOut); code != exitOK {
			b.Fatal(errOut.String())
		}
	}
}
