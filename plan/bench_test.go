package plan

import (
	"path/filepath"
	"testing"
)

// BenchmarkParse reads, decodes, parses and extracts every corpus file;
// MB/s is over the corpus bytes.
func BenchmarkParse(b *testing.B) {
	names, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if len(names) == 0 {
		b.Skip("../shared absent")
	}
	var files [][]byte
	total := 0
	for _, n := range names {
		rel, _ := filepath.Rel(corpusDir, n)
		data := corpusFile(b, rel)
		files = append(files, data)
		total += len(data)
	}
	v := testVocab(b)
	x := NewExtractor(v)
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range files {
			src, err := NewSource("bench", data)
			if err != nil {
				b.Fatal(err)
			}
			ParseWith(src, v, x)
		}
	}
}
