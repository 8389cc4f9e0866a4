package plancheck_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/report"
	"github.com/plancheck/plancheck/rules"
)

// corpusPlans parses the five corpus drafts once, for benchmarks of the
// stages after parsing.
func corpusPlans(b *testing.B, set *rules.Set) ([]*plan.Plan, int) {
	b.Helper()
	names, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if len(names) == 0 {
		b.Skip("../shared absent")
	}
	var plans []*plan.Plan
	size := 0
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		src, err := plan.NewSource(filepath.Base(n), data)
		if err != nil {
			b.Fatal(err)
		}
		plans = append(plans, plan.Parse(src, &set.Vocab))
		size += len(data)
	}
	return plans, size
}

// BenchmarkCheckRules is rule evaluation alone: the built-in rules over
// the parsed corpus (MB/s of corpus text).
func BenchmarkCheckRules(b *testing.B) {
	set := builtin(b)
	plans, size := corpusPlans(b, set)
	ck := checker.New(set)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range plans {
			ck.Check(p)
		}
	}
}

// BenchmarkFormats renders the corpus findings in every output format.
func BenchmarkFormats(b *testing.B) {
	set := builtin(b)
	plans, size := corpusPlans(b, set)
	ck := checker.New(set)
	var files []report.File
	for _, p := range plans {
		fs, _ := ck.Check(p)
		title := ""
		if p.Title != nil {
			title = p.Title.Text
		}
		files = append(files, report.File{Name: p.File, Source: p.Source, Findings: fs, Title: title})
	}
	for _, format := range report.Formats() {
		b.Run(format, func(b *testing.B) {
			in := files
			if format == "docx" {
				in = files[:1] // one document per run
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				f, err := report.New(format, io.Discard, report.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if err := f.Start(); err != nil {
					b.Fatal(err)
				}
				for _, file := range in {
					if err := f.File(file); err != nil {
						b.Fatal(err)
					}
				}
				if err := f.Finish(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
