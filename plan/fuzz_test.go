package plan

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to the reader and parser. Whatever the
// input, decoding either fails with an error or yields a plan whose every
// span lies inside the input and whose text is what the span addresses.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"一、总体要求\n1.加强管理。（责任单位：市卫生局；完成时限：2012年6月底前）\n",
		"（一）婴儿死亡率低于6‰。\r\n\t序号\n\t责任处室\n\t完成时限\n\n\t1\n\t医政处\n\t12月底\n",
		"一是抓落实。二是抓督查。\n",
	} {
		f.Add([]byte(s))
	}
	if names, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt")); len(names) > 0 {
		data, err := os.ReadFile(names[0])
		if err == nil {
			f.Add(data[:min(len(data), 4096)])
		}
	}
	v := testVocab(f)
	x := NewExtractor(v)
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := NewSource("fuzz", data)
		if err != nil {
			return
		}
		p := ParseWith(src, v, x)
		p.Walk(func(u *Unit) bool {
			checkSpan(t, src, u.Span, "")
			if u.Title != nil {
				checkSpan(t, src, u.Title.Span, u.Title.Text)
			}
			for _, o := range u.Owners {
				checkSpan(t, src, o.Span, o.Text)
			}
			for _, d := range u.Deadlines {
				checkSpan(t, src, d.Span, d.Text)
			}
			for _, tg := range u.Targets {
				checkSpan(t, src, tg.Span, tg.Text)
			}
			for _, c := range u.Cells {
				checkSpan(t, src, c.Span, c.Text)
			}
			return true
		})
	})
}

func checkSpan(t *testing.T, src *Source, sp Span, text string) {
	t.Helper()
	orig := src.Original()
	if sp.Start.Offset < 0 || sp.End.Offset > len(orig) || sp.Start.Offset > sp.End.Offset {
		t.Fatalf("span %+v outside input of %d bytes", sp, len(orig))
	}
	if sp.Start.Line < 1 || sp.Start.Col < 1 || sp.End.Line < sp.Start.Line {
		t.Fatalf("bad span %+v", sp)
	}
	if text != "" && src.Encoding == EncUTF8 && utf8.ValidString(text) && string(orig[sp.Start.Offset:sp.End.Offset]) != text {
		t.Fatalf("span %+v addresses %q, not %q", sp, orig[sp.Start.Offset:sp.End.Offset], text)
	}
}
