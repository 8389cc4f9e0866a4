package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/docx"
	"github.com/plancheck/plancheck/plan"
)

// userError is a request that cannot be served, told in plain Chinese for
// the person at the page; Code is a stable identifier for scripts and
// Detail the underlying error (for the reporter of a bug, never logged).
type userError struct {
	Status  int
	Code    string
	Message string
	Detail  string
}

func (e *userError) Error() string { return e.Code + ": " + e.Message }

func userErrorf(status int, code, format string, args ...any) *userError {
	return &userError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

var errBusy = &userError{Status: http.StatusServiceUnavailable, Code: "busy", Message: "服务器正忙，请稍后再试。"}

// inputErrors maps what reading an upload can fail with to what the page
// says; the first match wins, so specific errors come before general ones.
var inputErrors = []struct {
	err     error
	code    string
	message string
}{
	{docx.ErrTooLarge, "docx-too-large", "这个 Word 文件解压后过大（可能是压缩炸弹），已拒绝。请另存为新的 .docx 文件后重试。"},
	{docx.ErrTooManyEntries, "docx-too-large", "这个 Word 文件包含的部件过多，已拒绝。请另存为新的 .docx 文件后重试。"},
	{docx.ErrNotZip, "docx-corrupt", "这个文件不是有效的 Word 文档（.docx）。请用 Word 或 WPS 打开后另存为 .docx 再上传。"},
	{docx.ErrCorrupt, "docx-corrupt", "这个 Word 文件已损坏或不完整。请用 Word 或 WPS 打开后另存为 .docx 再上传。"},
	{docx.ErrNoDocument, "docx-corrupt", "这个文件不是 Word 文档（缺少正文部分）。"},
	{docx.ErrXMLDepth, "docx-xml", "这个 Word 文件的内容结构异常，无法读取。请另存为新的 .docx 文件后重试。"},
	{docx.ErrXMLTokens, "docx-xml", "这个 Word 文件的内容结构异常，无法读取。请另存为新的 .docx 文件后重试。"},
	{docx.ErrDoctype, "docx-xml", "这个 Word 文件含有不允许的 XML 声明，已拒绝。"},
	{docx.ErrXML, "docx-xml", "这个 Word 文件的内容无法解析，可能已损坏。"},
	{plan.ErrEmpty, "empty", "文件是空的，没有可检查的文字。"},
	{plan.ErrBinary, "binary", "这不是文本文件（含有二进制内容）。请上传 .txt 或 .docx 文件，或直接粘贴文字。"},
	{plan.ErrEncoding, "encoding", "无法识别文件的文字编码。支持 UTF-8、GB18030（GBK）和带 BOM 的 UTF-16，请另存为其中一种后再上传。"},
	{plan.ErrTooLarge, "too-large", "文件过大，超过了允许的大小。"},
}

// unsupportedHints say how to convert the formats ReadInput refuses.
var unsupportedHints = map[string]string{
	".doc": "这是旧版 Word 文件（.doc）。请用 Word 或 WPS 打开后“另存为” .docx 再上传。",
	".wps": "这是 WPS 文件（.wps）。请在 WPS 中“另存为” .docx 再上传。",
	".pdf": "暂不支持 PDF。请上传原始的 Word 文件（.docx），或把文字复制粘贴到文本框中。",
}

// inputError turns an error of checker.ReadInput into a userError; what
// names the input for the reader ("草稿", "上级工作要点 2").
func inputError(what, name string, err error) *userError {
	ue := &userError{Status: http.StatusUnprocessableEntity, Code: "unreadable", Detail: err.Error()}
	switch {
	case errors.Is(err, checker.ErrUnsupported):
		ue.Code = "unsupported"
		ue.Message = "不支持的文件格式。"
		for ext, hint := range unsupportedHints {
			if strings.HasSuffix(strings.ToLower(name), ext) {
				ue.Message = hint
			}
		}
	default:
		ue.Message = "无法读取这个文件。"
		for _, ie := range inputErrors {
			if errors.Is(err, ie.err) {
				ue.Code, ue.Message = ie.code, ie.message
				break
			}
		}
	}
	ue.Message = what + "“" + name + "”：" + ue.Message
	return ue
}

// errorJSON is the body of every error response.
type errorJSON struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Detail  string `json:"detail,omitempty"`
	} `json:"error"`
}

// errorPage is what a browser that submitted the form without script
// (a download button) gets instead of JSON. It is served under api/, so
// its links go one level up, which also holds behind a proxy's prefix.
var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>无法完成 - plancheck</title>
<link rel="stylesheet" href="../static/style.css"></head>
<body><main class="error-page"><h1>无法完成</h1><p role="alert">{{.Message}}</p>
<p><a href="../">返回检查页面</a></p></main></body></html>
`))

// writeError answers with err: a userError as it says, anything else as
// an internal error. Browsers navigating (not fetching) get a page.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ue *userError
	if !errors.As(err, &ue) {
		ue = &userError{Status: http.StatusInternalServerError, Code: "internal", Message: "服务器内部错误，检查没有完成。请把出错的文件交给维护人员。", Detail: err.Error()}
	}
	if ue.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	if wantsHTML(r) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(ue.Status)
		errorPage.Execute(w, ue)
		return
	}
	var body errorJSON
	body.Error.Code, body.Error.Message, body.Error.Detail = ue.Code, ue.Message, ue.Detail
	writeJSON(w, ue.Status, body)
}

// wantsHTML is true for a browser's own navigation (a form submitted
// without script), whose Accept header puts text/html first.
func wantsHTML(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Accept"), "text/html")
}
