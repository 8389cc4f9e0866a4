package themes

import "testing"

// BenchmarkTrace traces the province's plan (004, 24 KB, 30 themes)
// through a city's (001, 32 KB): deriving the themes, matching them and
// the reverse view, as `plancheck trace` does. Parsing is not counted.
func BenchmarkTrace(b *testing.B) {
	v := testVocab(b)
	parent, draft := parseCorpus(b, v, "004"), parseCorpus(b, v, "001")
	m := NewMatcher(testOptions(b))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		results := m.Match(m.Derive(parent, "p1"), nil, draft)
		m.Unmatched(results, draft)
	}
}

// BenchmarkMatch is Match alone, themes derived once.
func BenchmarkMatch(b *testing.B) {
	v := testVocab(b)
	parent, draft := parseCorpus(b, v, "004"), parseCorpus(b, v, "001")
	m := NewMatcher(testOptions(b))
	themes := m.Derive(parent, "p1")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.Match(themes, nil, draft)
	}
}
