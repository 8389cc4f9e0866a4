package web

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck/docx"
)

// zipBomb is a small .docx whose document.xml inflates past the docx
// reader's per-part limit.
func zipBomb(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	ct, err := zw.Create("[Content_Types].xml")
	require.NoError(t, err)
	io.WriteString(ct, `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	doc, err := zw.Create("word/document.xml")
	require.NoError(t, err)
	chunk := bytes.Repeat([]byte("<w:p><w:r><w:t>a</w:t></w:r></w:p>"), 2000)
	for n := int64(0); n <= docx.DefaultLimits().MaxEntryBytes; n += int64(len(chunk)) {
		_, err := doc.Write(chunk)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// zeros yields zero bytes without allocating them.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// streamedForm is a multipart body whose draft is n zero bytes, produced
// as it is sent.
func streamedForm(n int64) (io.Reader, string) {
	var head, tail bytes.Buffer
	mw := multipart.NewWriter(&head)
	mw.CreateFormFile("draft", "huge.txt")
	boundary := mw.Boundary()
	tail.WriteString("\r\n--" + boundary + "--\r\n")
	return io.MultiReader(&head, io.LimitReader(zeros{}, n), &tail), mw.FormDataContentType()
}

// TestHostileUploads: each bad upload gets a 4xx with a Chinese message,
// the server stays up, and nothing is written under HOME or TMPDIR.
func TestHostileUploads(t *testing.T) {
	scratch := t.TempDir()
	home, tmp := filepath.Join(scratch, "home"), filepath.Join(scratch, "tmp")
	require.NoError(t, os.Mkdir(home, 0o700))
	require.NoError(t, os.Mkdir(tmp, 0o700))
	t.Setenv("HOME", home)
	t.Setenv("TMPDIR", tmp)

	draft := readFile(t, draftPath)
	bomb := zipBomb(t)
	require.Less(t, len(bomb), 1<<20, "the bomb is small on the wire")
	_, ts := newServer(t, Config{})

	type body func() (io.Reader, string)
	formOf := func(files []formFile, fields map[string]string) body {
		return func() (io.Reader, string) { return form(t, files, fields) }
	}
	for _, tc := range []struct {
		name    string
		body    body
		status  int
		code    string
		message string // a phrase of the Chinese message
	}{
		{"zip bomb", formOf([]formFile{{"draft", "bomb.docx", bomb}}, nil), 422, "docx-too-large", "压缩炸弹"},
		{"100 MB body", func() (io.Reader, string) { return streamedForm(100 << 20) }, 413, "too-large", "20 MB"},
		{"binary file", formOf([]formFile{{"draft", "a.txt", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")}}, nil), 422, "binary", "不是文本文件"},
		{"binary parent", formOf([]formFile{{"draft", "d.txt", draft}, {"parent", "p.txt", []byte{0, 0, 0, 1}}}, nil), 422, "binary", "上级工作要点 1"},
		{"not a zip", formOf([]formFile{{"draft", "fake.docx", []byte("这不是 Word 文件")}}, nil), 422, "docx-corrupt", "不是有效的 Word 文档"},
		{"legacy Word", formOf([]formFile{{"draft", "旧.doc", []byte{0xd0, 0xcf, 0x11, 0xe0}}}, nil), 422, "unsupported", "另存为"},
		{"empty file", formOf([]formFile{{"draft", "empty.txt", []byte{}}}, nil), 422, "empty", "文件是空的"},
		{"no draft", formOf([]formFile{{"draft", "", nil}}, map[string]string{"text": " \r\n"}), 400, "no-draft", "请先选择草稿文件"},
		{"bad encoding", formOf([]formFile{{"draft", "gbk.txt", []byte{0x80, 0x80, 0x80, 0xff}}}, nil), 422, "encoding", "文字编码"},
		{"two drafts", formOf([]formFile{{"draft", "a.txt", draft}, {"draft", "b.txt", draft}}, nil), 400, "bad-request", "一份草稿"},
		{"unknown format", formOf([]formFile{{"draft", "a.txt", draft}}, map[string]string{"format": "pdf"}), 400, "unknown-format", "不支持的下载格式"},
		{"bad date", formOf([]formFile{{"draft", "a.txt", draft}}, map[string]string{"date": "3月15日"}), 400, "bad-date", "日期"},
		{"unknown rules", formOf([]formFile{{"draft", "a.txt", draft}}, map[string]string{"rules": "x"}), 400, "unknown-rules", "规则集"},
		{"not a form", func() (io.Reader, string) { return strings.NewReader(string(draft)), "text/plain" }, 415, "bad-request", "请求格式不正确"},
		{"truncated form", func() (io.Reader, string) {
			b, ct := form(t, []formFile{{"draft", "a.txt", draft}}, nil)
			return bytes.NewReader(b.Bytes()[:b.Len()/2]), ct
		}, 400, "bad-request", "上传没有完成"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			r, ct := tc.body()
			status, _, data := post(t, ts.URL+"/api/check", r, ct)
			assert.Less(t, time.Since(start), 10*time.Second)
			assert.Equal(t, tc.status, status, "%s", data)
			var e errorJSON
			require.NoError(t, json.Unmarshal(data, &e), "%s", data)
			assert.Equal(t, tc.code, e.Error.Code)
			assert.Contains(t, e.Error.Message, tc.message)
			assert.Regexp(t, hanRe, e.Error.Message)

			// The server is still up.
			b, ct := form(t, []formFile{{"draft", "draft.txt", draft}}, nil)
			status, _, data = post(t, ts.URL+"/api/check", b, ct)
			require.Equal(t, http.StatusOK, status, "%s", data)
			assert.NotEmpty(t, decodeReport(t, data).Files[0].Findings)
		})
	}
	for _, dir := range []string{home, tmp} {
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		assert.Empty(t, entries, "%s must stay empty", dir)
	}
}

// TestErrorPage: a browser submitting the form without script gets the
// message as a page, not JSON.
func TestErrorPage(t *testing.T) {
	_, ts := newServer(t, Config{})
	b, ct := form(t, []formFile{{"draft", "a.bin", []byte{0, 1}}}, map[string]string{"format": "docx"})
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/check", b)
	require.NoError(t, err)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	assert.Contains(t, string(body), "不是文本文件")
	assert.Contains(t, string(body), `href="../"`, "back to the page from api/check")
}

// TestBusy: with every slot taken, a request waits QueueWait and gets
// 503; once the slot is free, requests succeed again.
func TestBusy(t *testing.T) {
	srv, ts := newServer(t, Config{MaxConcurrent: 1, QueueWait: 100 * time.Millisecond})
	draft := readFile(t, draftPath)

	// The first request holds the only slot while its body trickles in.
	pr, pw := io.Pipe()
	b, ct := form(t, []formFile{{"draft", "draft.txt", draft}}, nil)
	first := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/check", pr)
		req.Header.Set("Content-Type", ct)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			first <- 0
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	_, err := pw.Write(b.Bytes()[:100])
	require.NoError(t, err)
	// The second request must come once the first holds the slot, not
	// race it there (on a busy machine it sometimes won).
	require.Eventually(t, func() bool { return len(srv.sem) == 1 }, 10*time.Second, time.Millisecond)

	start := time.Now()
	b2, ct2 := form(t, []formFile{{"draft", "draft.txt", draft}}, nil)
	status, h, data := post(t, ts.URL+"/api/check", b2, ct2)
	assert.Equal(t, http.StatusServiceUnavailable, status, "%s", data)
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond, "waited before refusing")
	assert.Equal(t, "5", h.Get("Retry-After"))
	assert.Contains(t, string(data), "服务器正忙")

	_, err = pw.Write(b.Bytes()[100:])
	require.NoError(t, err)
	require.NoError(t, pw.Close())
	assert.Equal(t, http.StatusOK, <-first)
	b3, ct3 := form(t, []formFile{{"draft", "draft.txt", draft}}, nil)
	status, _, data = post(t, ts.URL+"/api/check", b3, ct3)
	assert.Equal(t, http.StatusOK, status, "%s", data)
}

// TestNoDiskWrites: the package's code has no call that writes a file
// or parses a form in a way that spills uploads to disk.
func TestNoDiskWrites(t *testing.T) {
	forbidden := map[string]bool{
		"os.Create": true, "os.CreateTemp": true, "os.WriteFile": true, "os.OpenFile": true,
		"os.MkdirTemp": true, "os.Mkdir": true, "os.MkdirAll": true,
		// Request.ParseMultipartForm (also called by FormValue, FormFile
		// and PostFormValue) keeps large files in temporary files.
		"ParseMultipartForm": true, "FormFile": true, "FormValue": true, "PostFormValue": true,
	}
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			name := sel.Sel.Name
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "os" {
				name = "os." + name
			}
			assert.False(t, forbidden[name], "%s: %s", fset.Position(sel.Pos()), name)
			return true
		})
	}
	assert.GreaterOrEqual(t, checked, 4)
}
