package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lineCol computes the 1-based line and character column of byte offset
// off of a UTF-8 file; ok is false when off is not a character boundary.
func lineCol(data []byte, off int) (line, col int, ok bool) {
	if off < 0 || off > len(data) || (off < len(data) && !utf8.RuneStart(data[off])) {
		return 0, 0, false
	}
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return bytes.Count(data[:off], []byte("\n")) + 1, utf8.RuneCount(data[start:off]) + 1, true
}

// checkSpans walks decoded inspect json and checks every object with a
// start and an end: line and column agree with the byte offset, and an
// extracted match (not a unit) spans exactly its text in the file. It
// returns how many spans it checked.
func checkSpans(t *testing.T, data []byte, v any, path string) int {
	n := 0
	switch v := v.(type) {
	case []any:
		for i, x := range v {
			n += checkSpans(t, data, x, fmt.Sprintf("%s[%d]", path, i))
		}
	case map[string]any:
		start, ok1 := v["start"].(map[string]any)
		end, ok2 := v["end"].(map[string]any)
		if ok1 && ok2 {
			n++
			var offs [2]int
			for i, p := range []map[string]any{start, end} {
				off := int(p["offset"].(float64))
				offs[i] = off
				line, col, ok := lineCol(data, off)
				if assert.True(t, ok, "%s: offset %d is not a character boundary", path, off) {
					assert.Equal(t, [2]int{line, col}, [2]int{int(p["line"].(float64)), int(p["col"].(float64))},
						"%s: line:col of offset %d", path, off)
				}
			}
			_, isUnit := v["kind"]
			if txt, ok := v["text"].(string); ok && !isUnit && offs[0] <= offs[1] && offs[1] <= len(data) {
				assert.Equal(t, txt, string(data[offs[0]:offs[1]]), "%s: the span is the text", path)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			n += checkSpans(t, data, v[k], path+"."+k)
		}
	}
	return n
}

var unitKinds = []string{"wrapper", "title", "titleinfo", "preamble", "heading", "item", "paragraph", "table", "row", "closing", "junk"}

// walkJSONUnits calls fn on every unit of decoded inspect json.
func walkJSONUnits(us []any, fn func(u map[string]any)) {
	for _, x := range us {
		u := x.(map[string]any)
		fn(u)
		if cs, ok := u["children"].([]any); ok {
			walkJSONUnits(cs, fn)
		}
	}
}

func inspectJSON(t *testing.T, path string) (map[string]any, []byte) {
	t.Helper()
	protectInputs(t, path)
	out, errOut, code := runCLI(t, "", "inspect", "--format", "json", path)
	require.Equal(t, exitOK, code, errOut)
	require.Empty(t, errOut)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	_, data := readText(t, path)
	return doc, data
}

// inspect --format json: the documented fields, and positions that agree
// with the file.
func TestInspectJSON(t *testing.T) {
	for _, path := range []string{sampleDraft, "testdata/second.txt", "testdata/table.txt"} {
		t.Run(path, func(t *testing.T) {
			doc, data := inspectJSON(t, path)
			for _, k := range []string{"file", "encoding", "units"} {
				assert.Contains(t, doc, k)
			}
			units, ok := doc["units"].([]any)
			require.True(t, ok, "units is a list")
			require.NotEmpty(t, units)
			kinds := map[string]int{}
			walkJSONUnits(units, func(u map[string]any) {
				for _, k := range []string{"kind", "level", "start", "end", "text"} {
					assert.Contains(t, u, k, "every unit has %s: %v", k, u["text"])
				}
				kind, _ := u["kind"].(string)
				kinds[kind]++
				assert.Contains(t, unitKinds, kind)
				if kind == "heading" || kind == "item" {
					assert.Contains(t, u, "label", "a numbered unit has its label: %v", u["text"])
					assert.Contains(t, u, "number")
					assert.Positive(t, u["level"], "a numbered unit has a level")
				}
				if cs, _ := u["children"].([]any); len(cs) > 0 {
					kinds["parent"]++
				}
			})
			assert.Positive(t, kinds["heading"])
			assert.Positive(t, kinds["parent"], "units nest: some have children")
			n := checkSpans(t, data, units, "units")
			assert.Greater(t, n, len(units), "spans were checked")
		})
	}
}

// A 责任分解表 flattened to tab-led lines comes out as a table unit with
// its columns and one row per line, cells by column, a short row marked.
func TestInspectJSONTable(t *testing.T) {
	const path = "testdata/table.txt"
	doc, data := inspectJSON(t, path)
	// What the file says: the tab-led lines, the first one the header.
	var header []string
	var rows [][]string
	for l := range strings.Lines(string(data)) {
		l = strings.TrimRight(l, "\r\n")
		if !strings.HasPrefix(l, "\t") {
			continue
		}
		cells := strings.Split(l[1:], "\t")
		if header == nil {
			header = cells
		} else {
			rows = append(rows, cells)
		}
	}
	require.NotEmpty(t, header)
	require.NotEmpty(t, rows)

	var tables []map[string]any
	walkJSONUnits(doc["units"].([]any), func(u map[string]any) {
		if u["kind"] == "table" {
			tables = append(tables, u)
		}
	})
	require.Len(t, tables, 1)
	table := tables[0]
	assert.Equal(t, toAny(header), table["columns"])
	children, _ := table["children"].([]any)
	require.Len(t, children, len(rows))
	for i, c := range children {
		row := c.(map[string]any)
		assert.Equal(t, "row", row["kind"])
		cells, _ := row["cells"].([]any)
		require.Len(t, cells, len(header), "row %d has a cell per column", i+1)
		for j, x := range cells {
			cell := x.(map[string]any)
			assert.Equal(t, header[j], cell["column"])
			if j < len(rows[i]) {
				assert.Equal(t, rows[i][j], cell["text"])
				assert.Nil(t, cell["missing"])
			} else {
				assert.Equal(t, true, cell["missing"], "row %d lacks column %s", i+1, header[j])
				assert.Equal(t, cell["start"], cell["end"], "a missing cell is an empty span")
			}
		}
		if len(rows[i]) < len(header) {
			assert.Equal(t, true, row["short"], "row %d is short", i+1)
		} else {
			assert.Nil(t, row["short"])
		}
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Every span inspect shows for the real plans agrees with the file.
func TestInspectJSONSpansCorpus(t *testing.T) {
	for _, path := range corpusFiles(t, "*.txt", "national/*.txt") {
		if strings.HasSuffix(path, ".source.txt") {
			continue
		}
		t.Run(strings.TrimPrefix(path, corpusDir+"/"), func(t *testing.T) {
			doc, data := inspectJSON(t, path)
			assert.Positive(t, checkSpans(t, data, doc["units"], "units"))
		})
	}
}
