package web

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/plancheck/plancheck/checker"
	"github.com/plancheck/plancheck/plan"
	"github.com/plancheck/plancheck/report"
	"github.com/plancheck/plancheck/rules"
)

// Defaults of Config's zero fields.
const (
	// DefaultMaxUpload bounds a request body: the draft, the parent plans
	// and the form fields together.
	DefaultMaxUpload = 20 << 20
	// DefaultQueueWait is how long a check waits for a free slot before
	// the server answers 503.
	DefaultQueueWait = 3 * time.Second
)

// RuleSet is one set of rules the page offers.
type RuleSet struct {
	// Name identifies the set in the API (the rules form field): e.g.
	// "builtin" or "config".
	Name string
	// Label is what the page shows, e.g. "内置规则".
	Label string
	Set   *rules.Set
	// Parents are the higher-level plans checked against when a request
	// uploads none (the configuration's `parent` list), read at start-up.
	Parents []*plan.Plan
}

// Config configures a Server. Only RuleSets is required.
type Config struct {
	// RuleSets are the sets a request may choose; the first is the default.
	RuleSets []RuleSet
	// MaxUpload bounds a request body in bytes (DefaultMaxUpload when 0).
	MaxUpload int64
	// MaxConcurrent bounds the checks running at once (2×NumCPU when 0);
	// QueueWait is how long a request waits for a slot (DefaultQueueWait
	// when 0) before it gets 503.
	MaxConcurrent int
	QueueWait     time.Duration
	// ToolVersion is reported by the json and sarif formats and the page.
	ToolVersion string
	// Log receives one line per request (method, path, status, duration,
	// response size): never a file name, a form value or uploaded text.
	// Nil logs nothing.
	Log *log.Logger
}

// Server is the page and its API, an http.Handler. It keeps nothing
// between requests and writes nothing to disk.
type Server struct {
	cfg     Config
	sets    []*ruleSet
	sem     chan struct{}
	mux     *http.ServeMux
	page    *template.Template
	formats []string
}

// ruleSet is a RuleSet with what every check of it shares: the checker,
// the extractor and the rule descriptions for the formats.
type ruleSet struct {
	RuleSet
	checker   *checker.Checker
	extractor *plan.Extractor
	infos     []report.RuleInfo
}

//go:embed static
var static embed.FS

// New checks cfg and returns a server for it.
func New(cfg Config) (*Server, error) {
	if len(cfg.RuleSets) == 0 {
		return nil, fmt.Errorf("web: no rule set")
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = 2 * runtime.NumCPU()
	}
	if cfg.QueueWait <= 0 {
		cfg.QueueWait = DefaultQueueWait
	}
	s := &Server{cfg: cfg, sem: make(chan struct{}, cfg.MaxConcurrent), mux: http.NewServeMux()}
	seen := map[string]bool{}
	for _, rs := range cfg.RuleSets {
		if rs.Set == nil || rs.Name == "" || seen[rs.Name] {
			return nil, fmt.Errorf("web: rule set %q: missing set, missing or duplicate name", rs.Name)
		}
		seen[rs.Name] = true
		s.sets = append(s.sets, &ruleSet{
			RuleSet: rs,
			// A request's rules share the cores: a reviewer waiting on an
			// idle server gets the answer sooner; under load the checks
			// running at once (MaxConcurrent) share them anyway.
			checker:   checker.New(rs.Set).WithWorkers(runtime.GOMAXPROCS(0)),
			extractor: plan.NewExtractor(&rs.Set.Vocab),
			infos:     ruleInfos(rs.Set),
		})
	}
	for _, f := range downloadFormats {
		if slices.Contains(report.Formats(), f.Name) {
			s.formats = append(s.formats, f.Name)
		}
	}
	page, err := template.ParseFS(static, "static/index.html")
	if err != nil {
		return nil, err
	}
	s.page = page
	assets, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	s.mux.HandleFunc("GET /{$}", s.index)
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(assets)))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /api/rules", s.rules)
	s.mux.HandleFunc("POST /api/check", s.check)
	s.mux.HandleFunc("POST /api/review", s.review)
	return s, nil
}

// HTTPServer returns an http.Server for the handler with timeouts that
// bound slow clients: reading a 20 MB upload over a slow office link,
// writing a commented .docx back.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          s.cfg.Log,
	}
}

// ServeHTTP sets the headers every response carries and logs the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h := w.Header()
	// Everything is served from here: no CDN, no inline script.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(rec, r)
	if s.cfg.Log != nil {
		s.cfg.Log.Printf("%s %s %d %dB %s", r.Method, r.URL.Path, rec.status, rec.size, time.Since(start).Round(time.Millisecond))
	}
}

// statusRecorder remembers the status and size of a response for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	size   int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.size += n
	return n, err
}

// pageData fills index.html.
type pageData struct {
	Version   string
	RuleSets  []RuleSet
	Formats   map[string]bool
	MaxUpload int64
	MaxLabel  string
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	d := pageData{Version: s.cfg.ToolVersion, MaxUpload: s.cfg.MaxUpload, MaxLabel: sizeLabel(s.cfg.MaxUpload), Formats: map[string]bool{}}
	for _, rs := range s.sets {
		d.RuleSets = append(d.RuleSets, rs.RuleSet)
	}
	for _, f := range s.formats {
		d.Formats[f] = true
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.page.Execute(w, d); err != nil && s.cfg.Log != nil {
		s.cfg.Log.Printf("index: %v", err)
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.ToolVersion})
}

// ruleJSON describes a rule in GET /api/rules.
type ruleJSON struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Severity  string   `json:"severity"`
	Scope     string   `json:"scope"`
	Tags      []string `json:"tags"`
	Rationale string   `json:"rationale"`
}

// setJSON names a rule set.
type setJSON struct {
	Name  string `json:"name"`
	Label string `json:"label"`
}

// rulesResponse is the body of GET /api/rules.
type rulesResponse struct {
	RuleSet  setJSON    `json:"rule_set"`
	RuleSets []setJSON  `json:"rule_sets"`
	Rules    []ruleJSON `json:"rules"`
}

func (s *Server) rules(w http.ResponseWriter, r *http.Request) {
	rs, err := s.ruleSet(r.URL.Query().Get("rules"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	resp := rulesResponse{RuleSet: setJSON{rs.Name, rs.Label}, Rules: []ruleJSON{}}
	for _, x := range s.sets {
		resp.RuleSets = append(resp.RuleSets, setJSON{x.Name, x.Label})
	}
	for _, ru := range rs.checker.Rules() {
		resp.Rules = append(resp.Rules, ruleJSON{
			ID: ru.ID, Title: ru.Title, Severity: ru.Severity.String(), Scope: string(ru.Scope),
			Tags: append([]string{}, ru.Tags...), Rationale: ru.Rationale,
		})
	}
	writeJSON(w, http.StatusOK, resp)
}

// ruleSet finds a set by name; "" is the default set.
func (s *Server) ruleSet(name string) (*ruleSet, error) {
	if name == "" {
		return s.sets[0], nil
	}
	for _, rs := range s.sets {
		if rs.Name == name {
			return rs, nil
		}
	}
	return nil, userErrorf(http.StatusBadRequest, "unknown-rules", "没有名为“%s”的规则集。", name)
}

// acquire takes a check slot, waiting at most QueueWait; release gives it back.
func (s *Server) acquire(ctx context.Context) (release func(), err error) {
	release = func() { <-s.sem }
	select {
	case s.sem <- struct{}{}:
		return release, nil
	default:
	}
	t := time.NewTimer(s.cfg.QueueWait)
	defer t.Stop()
	select {
	case s.sem <- struct{}{}:
		return release, nil
	case <-t.C:
		return nil, errBusy
	case <-ctx.Done():
		return nil, errBusy
	}
}

func ruleInfos(set *rules.Set) []report.RuleInfo {
	var out []report.RuleInfo
	for _, r := range set.Enabled() {
		out = append(out, report.RuleInfo{ID: r.ID, Title: r.Title, Severity: r.Severity, Rationale: r.Rationale, Tags: r.Tags})
	}
	return out
}

// writeJSON writes v as the response, without HTML escaping (the text is
// Chinese prose read by a script, not markup).
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	w.Write(data)
}

func marshal(v any) ([]byte, error) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// sizeLabel writes a byte count for people: "20 MB", "512 KB".
func sizeLabel(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// sizeUnits are the suffixes ParseSize accepts, longest first.
var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10},
	{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10},
	{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1},
}

// ParseSize reads a byte count: 20MB, 512KB, 1GB, or plain bytes. The
// units are binary (1 MB = 1 048 576 bytes), as file managers show them.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("%q is not a size such as 20MB", s)
	}
	return n * mult, nil
}
