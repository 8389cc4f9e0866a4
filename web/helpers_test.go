package web

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/plancheck/plancheck"
	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/rules"
	"github.com/plancheck/plancheck/themes"
)

const (
	draftPath  = "../fixtures/samples/draft.txt"
	parentPath = "testdata/parent.txt"
	// astralPath has characters outside the BMP before its findings.
	astralPath = "testdata/astral.txt"
)

func builtinSet(t testing.TB) *rules.Set {
	t.Helper()
	set, err := rules.LoadBuiltin(plancheck.DefaultRules, plancheck.DefaultRulesName)
	require.NoError(t, err)
	return set
}

// newServer serves the built-in rules with cfg's other settings.
func newServer(t testing.TB, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.RuleSets == nil {
		cfg.RuleSets = []RuleSet{{Name: "builtin", Label: "内置规则", Set: builtinSet(t)}}
	}
	s, err := New(cfg)
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

// direct checks a draft the way plancheck check does, without the server.
func direct(t testing.TB, set *rules.Set, name string, data []byte, parents ...[]byte) ([]rules.Finding, []themes.Result) {
	t.Helper()
	in, err := checker.ReadInput(name, data)
	require.NoError(t, err)
	var ps []*plan.Plan
	for _, p := range parents {
		pin, err := checker.ReadInput("parent.txt", p)
		require.NoError(t, err)
		ps = append(ps, plan.Parse(pin.Source, &set.Vocab))
	}
	findings, coverage, errs := checker.New(set).CheckAgainst(plan.Parse(in.Source, &set.Vocab), ps)
	require.Empty(t, errs)
	return findings, coverage
}

// formFile is a file of a multipart form.
type formFile struct {
	field, name string
	data        []byte
}

// form encodes files and fields as multipart/form-data.
func form(t testing.TB, files []formFile, fields map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, f := range files {
		fw, err := w.CreateFormFile(f.field, f.name)
		require.NoError(t, err)
		_, err = fw.Write(f.data)
		require.NoError(t, err)
	}
	for k, v := range fields {
		require.NoError(t, w.WriteField(k, v))
	}
	require.NoError(t, w.Close())
	return &b, w.FormDataContentType()
}

// post sends a form and returns the status, headers and body.
func post(t testing.TB, url string, body io.Reader, contentType string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, data
}

// reportDoc is the part of the json format the tests read.
type reportDoc struct {
	Files []struct {
		File     string `json:"file"`
		Findings []struct {
			Rule     string        `json:"rule"`
			Severity string        `json:"severity"`
			Start    plan.Position `json:"start"`
			End      plan.Position `json:"end"`
			Excerpt  string        `json:"excerpt"`
			Message  string        `json:"message"`
		} `json:"findings"`
	} `json:"files"`
	Summary struct {
		Findings int            `json:"findings"`
		ByRule   map[string]int `json:"by_rule"`
	} `json:"summary"`
}

func decodeReport(t testing.TB, data []byte) reportDoc {
	t.Helper()
	var r reportDoc
	require.NoError(t, json.Unmarshal(data, &r), "%s", data)
	require.Len(t, r.Files, 1)
	return r
}

// hanRe finds a Chinese character: error messages are for people who read Chinese.
var hanRe = regexp.MustCompile(`\p{Han}`)
