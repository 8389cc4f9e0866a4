package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/report"
	"github.com/plancheck/plancheck/rules"
	"github.com/plancheck/plancheck/themes"
)

// pastedName names a draft pasted into the text field.
const pastedName = "粘贴的文字.txt"

// Limits on the parts of a request other than its files and text, so a
// hostile form costs little before MaxUpload is reached.
const (
	maxParts      = 64
	maxFieldBytes = 4 << 10
	maxParents    = 8
)

// upload is a file of a request, held in memory only.
type upload struct {
	name string
	data []byte
}

// checkRequest is a request's form, read in full before anything is
// checked.
type checkRequest struct {
	draft    *upload
	text     string
	parents  []upload
	format   string
	rules    string
	author   string
	initials string
	date     string
}

// readRequest reads the form of a check from r's body, which it bounds
// to MaxUpload. The body is read part by part into memory: unlike
// Request.ParseMultipartForm, nothing ever goes to a temporary file.
func (s *Server) readRequest(w http.ResponseWriter, r *http.Request) (*checkRequest, error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		mt = ""
	}
	req := &checkRequest{}
	switch mt {
	case "multipart/form-data":
		err = s.readMultipart(r, req)
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
		if err == nil {
			for name, vals := range r.PostForm {
				if len(vals) > 0 {
					err = errors.Join(err, req.field(name, vals[0]))
				}
			}
		}
	default:
		return nil, userErrorf(http.StatusUnsupportedMediaType, "bad-request", "请求格式不正确：请用表单（multipart/form-data）上传草稿。")
	}
	if err != nil {
		return nil, s.bodyError(err)
	}
	if req.draft == nil && strings.TrimSpace(req.text) == "" {
		return nil, userErrorf(http.StatusBadRequest, "no-draft", "请先选择草稿文件，或在文本框中粘贴草稿文字。")
	}
	if req.date != "" {
		if _, err := time.Parse(time.DateOnly, req.date); err != nil {
			return nil, userErrorf(http.StatusBadRequest, "bad-date", "日期“%s”格式不对，应写作 2019-03-15 这样的形式。", req.date)
		}
	}
	return req, nil
}

func (s *Server) readMultipart(r *http.Request, req *checkRequest) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return err
	}
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if n >= maxParts {
			return userErrorf(http.StatusBadRequest, "bad-request", "表单的字段过多。")
		}
		name, file := part.FormName(), part.FileName()
		limit := int64(maxFieldBytes)
		if file != "" || name == "text" || name == "draft" || name == "parent" {
			limit = s.cfg.MaxUpload
		}
		data, err := io.ReadAll(io.LimitReader(part, limit+1))
		part.Close()
		if err != nil {
			return err
		}
		if int64(len(data)) > limit {
			return userErrorf(http.StatusBadRequest, "bad-request", "表单字段“%s”过长。", name)
		}
		switch name {
		case "draft", "parent":
			// A browser sends an empty part for a file input left empty.
			if file == "" && len(data) == 0 {
				continue
			}
			u := upload{name: displayName(file, name), data: data}
			if name == "draft" {
				if req.draft != nil {
					return userErrorf(http.StatusBadRequest, "bad-request", "一次只能检查一份草稿。")
				}
				req.draft = &u
			} else {
				if len(req.parents) >= maxParents {
					return userErrorf(http.StatusBadRequest, "bad-request", "上级工作要点最多 %d 份。", maxParents)
				}
				req.parents = append(req.parents, u)
			}
		default:
			if err := req.field(name, string(data)); err != nil {
				return err
			}
		}
	}
}

// field sets a form field other than a file; unknown fields are ignored,
// as browsers send their buttons' names.
func (req *checkRequest) field(name, value string) error {
	if name != "text" && len(value) > maxFieldBytes {
		return userErrorf(http.StatusBadRequest, "bad-request", "表单字段“%s”过长。", name)
	}
	switch name {
	case "text":
		req.text = value
	case "format":
		req.format = strings.TrimSpace(value)
	case "rules":
		req.rules = strings.TrimSpace(value)
	case "author":
		req.author = strings.TrimSpace(value)
	case "initials":
		req.initials = strings.TrimSpace(value)
	case "date":
		req.date = strings.TrimSpace(value)
	}
	return nil
}

// displayName is an uploaded file's name without any directory a client
// may have sent; field names a file sent without one.
func displayName(file, field string) string {
	file = path.Base(strings.ReplaceAll(file, `\`, "/"))
	if file == "." || file == "/" || file == "" {
		return field
	}
	return file
}

// bodyError says what went wrong reading a request body.
func (s *Server) bodyError(err error) error {
	var ue *userError
	if errors.As(err, &ue) {
		return ue
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return userErrorf(http.StatusRequestEntityTooLarge, "too-large",
			"上传的内容超过了 %s 的上限。请压缩文件中的图片，或只上传正文。", sizeLabel(s.cfg.MaxUpload))
	}
	return &userError{Status: http.StatusBadRequest, Code: "bad-request", Message: "请求格式不正确，上传没有完成。请重试。", Detail: err.Error()}
}

// result is one check: the draft as read and parsed, the parents, and
// what the rules found.
type result struct {
	set      *ruleSet
	name     string
	input    checker.Input
	title    string
	parents  []*plan.Plan
	findings []rules.Finding
	coverage []themes.Result
	runErrs  []error
}

// run reads, parses and checks the request's draft against its parents
// (or the rule set's configured ones).
func (s *Server) run(req *checkRequest) (res *result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	rs, err := s.ruleSet(req.rules)
	if err != nil {
		return nil, err
	}
	res = &result{set: rs}
	if req.draft != nil {
		res.name = req.draft.name
		res.input, err = checker.ReadInput(res.name, req.draft.data)
	} else {
		res.name = pastedName
		var src *plan.Source
		src, err = plan.NewSource(res.name, []byte(req.text))
		res.input = checker.Input{Source: src}
	}
	if err != nil {
		return nil, inputError("草稿", res.name, err)
	}
	res.parents = rs.Parents
	if len(req.parents) > 0 {
		res.parents = nil
		for i, u := range req.parents {
			in, err := checker.ReadInput(u.name, u.data)
			if err != nil {
				return nil, inputError(fmt.Sprintf("上级工作要点 %d ", i+1), u.name, err)
			}
			res.parents = append(res.parents, plan.ParseWith(in.Source, &rs.Set.Vocab, rs.extractor))
		}
	}
	p := plan.ParseWith(res.input.Source, &rs.Set.Vocab, rs.extractor)
	if p.Title != nil {
		res.title = strings.Join(strings.Fields(p.Title.Text), "")
	}
	res.findings, res.coverage, res.runErrs = rs.checker.CheckAgainst(p, res.parents)
	return res, nil
}

// render writes the result in a report format.
func (s *Server) render(format string, res *result, req *checkRequest) ([]byte, error) {
	var buf bytes.Buffer
	f, err := report.New(format, &buf, report.Options{
		ToolVersion: s.cfg.ToolVersion, Rules: res.set.infos,
		Author: req.author, Initials: req.initials, Date: req.date,
	})
	if err != nil {
		return nil, err
	}
	file := report.File{Name: res.name, Source: res.input.Source, Findings: res.findings, Title: res.title, Doc: res.input.Doc}
	if err := f.Start(); err != nil {
		return nil, err
	}
	if err := f.File(file); err != nil {
		return nil, err
	}
	if err := f.Finish(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// downloadFormat is a report format the API serves, with its media type
// and the name a download gets (the draft's name, extension replaced).
type downloadFormat struct {
	Name, Type, Suffix string
}

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// downloadFormats are the formats POST /api/check offers, in the page's
// order; those report does not have (yet) are left out at start-up.
var downloadFormats = []downloadFormat{
	{"docx", docxType, "（批注）.docx"},
	{"feedback-docx", docxType, "（修改意见）.docx"},
	{"feedback-md", "text/markdown; charset=utf-8", "（修改意见）.md"},
	{"json", "application/json; charset=utf-8", ".plancheck.json"},
	{"sarif", "application/sarif+json", ".sarif"},
	{"csv", "text/csv; charset=utf-8", ".plancheck.csv"},
	{"markdown", "text/markdown; charset=utf-8", ".plancheck.md"},
	{"text", "text/plain; charset=utf-8", ".plancheck.txt"},
}

// download finds a format the server offers.
func (s *Server) download(name string) (downloadFormat, error) {
	for _, f := range downloadFormats {
		if f.Name == name {
			for _, have := range s.formats {
				if have == name {
					return f, nil
				}
			}
		}
	}
	return downloadFormat{}, userErrorf(http.StatusBadRequest, "unknown-format", "不支持的下载格式“%s”。可用的格式：%s。", name, strings.Join(s.formats, "、"))
}

// check serves POST /api/check: the report in one format.
func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	release, err := s.acquire(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer release()
	req, err := s.readRequest(w, r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if req.format == "" {
		req.format = "json"
	}
	df, err := s.download(req.format)
	if err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.run(req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	data, err := s.render(df.Name, res, req)
	if err != nil {
		writeError(w, r, renderError(err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", df.Type)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": downloadName(res.name, df.Suffix)}))
	h.Set("X-Plancheck-Findings", strconv.Itoa(len(res.findings)))
	w.Write(data)
}

// renderError explains a format that could not be written.
func renderError(err error) error {
	return &userError{Status: http.StatusInternalServerError, Code: "render", Message: "检查已完成，但生成下载文件时出错。请改用其他格式下载。", Detail: err.Error()}
}

// downloadName is the draft's name with its extension replaced by suffix.
func downloadName(name, suffix string) string {
	base := strings.TrimSuffix(name, path.Ext(name))
	if base == "" {
		base = "plancheck"
	}
	return base + suffix
}
