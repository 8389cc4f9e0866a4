package plan

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// The benchmarks measure each stage of reading a plan over the corpus, so
// that a regression shows in the stage that caused it; MB/s is over the
// input bytes. Run with -benchmem: allocations are half the cost.

// benchCorpus returns the corpus files and their total size, skipping the
// benchmark when ../shared is absent.
func benchCorpus(b *testing.B) ([][]byte, int) {
	b.Helper()
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
	return files, total
}

// benchSources decodes files once, for the benchmarks of later stages.
func benchSources(b *testing.B, files [][]byte) []*Source {
	b.Helper()
	srcs := make([]*Source, len(files))
	for i, data := range files {
		src, err := NewSource("bench", data)
		if err != nil {
			b.Fatal(err)
		}
		srcs[i] = src
	}
	return srcs
}

// BenchmarkNewSource decodes and indexes the lines of every corpus file.
func BenchmarkNewSource(b *testing.B) {
	files, total := benchCorpus(b)
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		benchSources(b, files)
	}
}

// BenchmarkParse reads, decodes, parses and extracts every corpus file.
func BenchmarkParse(b *testing.B) {
	files, total := benchCorpus(b)
	v := testVocab(b)
	x := NewExtractor(v)
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range benchSources(b, files) {
			ParseWith(src, v, x)
		}
	}
}

// BenchmarkParseLarge parses the corpus concatenated 100 times (12 MB),
// the size of the project's throughput target: anything quadratic in the
// input, a line or a section shows here and not in BenchmarkParse.
func BenchmarkParseLarge(b *testing.B) {
	files, _ := benchCorpus(b)
	data := bytes.Repeat(bytes.Join(files, []byte("\n")), 100)
	v := testVocab(b)
	x := NewExtractor(v)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		src, err := NewSource("bench", data)
		if err != nil {
			b.Fatal(err)
		}
		ParseWith(src, v, x)
	}
}

// BenchmarkReadLarge reads a file of the corpus files written out 100
// times one after the other (12 MB, as `cat` makes it), then decodes and
// parses it, as a run does before its rules.
func BenchmarkReadLarge(b *testing.B) {
	files, total := benchCorpus(b)
	name := filepath.Join(b.TempDir(), "large.txt")
	if err := os.WriteFile(name, bytes.Repeat(bytes.Join(files, nil), 100), 0o644); err != nil {
		b.Fatal(err)
	}
	v := testVocab(b)
	x := NewExtractor(v)
	b.SetBytes(int64(100 * total))
	b.ReportAllocs()
	for b.Loop() {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		src, err := NewSource(name, data)
		if err != nil {
			b.Fatal(err)
		}
		ParseWith(src, v, x)
	}
}

// BenchmarkParseLongLine parses 1 MB written on a single line.
func BenchmarkParseLongLine(b *testing.B) {
	line, _ := longLine()
	v := testVocab(b)
	x := NewExtractor(v)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		src, err := NewSource("bench", []byte(line))
		if err != nil {
			b.Fatal(err)
		}
		ParseWith(src, v, x)
	}
}

// BenchmarkExtractAll runs All over every paragraph of every corpus file:
// the five extractors in one reading.
func BenchmarkExtractAll(b *testing.B) {
	benchExtract(b, func(x *Extractor, src *Source, s, e int) { x.All(src, s, e, 2019) })
}

// BenchmarkNewExtractor builds an extractor from the shipped vocabulary,
// once per run of the command.
func BenchmarkNewExtractor(b *testing.B) {
	v := testVocab(b)
	b.ReportAllocs()
	for b.Loop() {
		NewExtractor(v)
	}
}

// benchExtract runs one extractor over every paragraph of every corpus file.
func benchExtract(b *testing.B, run func(x *Extractor, src *Source, s, e int)) {
	files, total := benchCorpus(b)
	srcs := benchSources(b, files)
	x := NewExtractor(testVocab(b))
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			for _, seg := range paragraphSpans(src.Text, 0, len(src.Text)) {
				run(x, src, seg[0], seg[1])
			}
		}
	}
}

func BenchmarkExtractOwners(b *testing.B) {
	benchExtract(b, func(x *Extractor, src *Source, s, e int) { x.Owners(src, s, e) })
}

func BenchmarkExtractDeadlines(b *testing.B) {
	benchExtract(b, func(x *Extractor, src *Source, s, e int) { x.Deadlines(src, s, e, 2019) })
}

func BenchmarkExtractTargets(b *testing.B) {
	benchExtract(b, func(x *Extractor, src *Source, s, e int) { x.Targets(src, s, e) })
}

func BenchmarkExtractVague(b *testing.B) {
	benchExtract(b, func(x *Extractor, src *Source, s, e int) { x.Vague(src, s, e) })
}

func BenchmarkExtractTerms(b *testing.B) {
	benchExtract(b, func(x *Extractor, src *Source, s, e int) { x.Terms(src, s, e) })
}

// BenchmarkSpan converts ranges of about 20 bytes, one after another
// over every corpus file, into spans, as the extractors do.
func BenchmarkSpan(b *testing.B) {
	files, total := benchCorpus(b)
	srcs := benchSources(b, files)
	offs := make([][]int, len(srcs))
	for k, src := range srcs {
		for i := 0; i < len(src.Text); i += 20 {
			for i < len(src.Text) && !utf8.RuneStart(src.Text[i]) {
				i++
			}
			offs[k] = append(offs[k], i)
		}
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for k, src := range srcs {
			for j := 1; j < len(offs[k]); j++ {
				src.Span(offs[k][j-1], offs[k][j])
			}
		}
	}
}
