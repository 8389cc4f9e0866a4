// Package web is `plancheck serve`: a page for the drafters and reviewers
// of a bureau who never open a terminal, and the JSON API under it, served
// by the same binary on an office intranet with no internet access.
//
// The page (static/, embedded) is plain HTML, CSS and JavaScript: no CDN,
// no web font, no build step. It uploads a draft (.txt in UTF-8, GB18030
// or UTF-16, or .docx) or pasted text, optionally the higher-level plans
// (上级工作要点), and shows the draft as the reader parsed it, every
// finding's span highlighted by severity, the comments beside it, and the
// coverage of the parents' tasks. Downloads are generated from the same
// inputs, posted again: nothing is kept between requests.
//
// # Privacy and limits
//
// A request body is read into memory part by part (never through
// Request.ParseMultipartForm, which spills files to disk), bounded by
// Config.MaxUpload with http.MaxBytesReader; nothing uploaded is written
// to disk or logged: the log has method, path, status, size and duration.
// At most Config.MaxConcurrent checks run at once (2×NumCPU); a request
// waits Config.QueueWait for a slot, then gets 503 with Retry-After.
// HTTPServer sets read, write and idle timeouts.
//
// # API
//
// Every error is JSON with a plain-Chinese message for the page, and an
// HTTP status of 4xx for what the request did wrong, 5xx for the server:
//
//	{"error": {"code": "binary", "message": "草稿“a.bin”：这不是文本文件……", "detail": "…"}}
//
// Codes: no-draft, bad-request (415 for a body that is not a form),
// bad-date, unknown-format and unknown-rules (400); too-large (413, over
// MaxUpload); a draft or parent that cannot be read (422): unsupported
// (.doc, .wps, .pdf), empty, binary, encoding, docx-too-large (a zip
// bomb), docx-corrupt, docx-xml, unreadable; busy (503); render and
// internal (500).
// A browser's own form submission (Accept: text/html) gets the message as
// a page instead.
//
// POST /api/check takes a multipart/form-data (or urlencoded) form:
//
//	draft     the draft file (.txt or .docx); or
//	text      the draft's text, pasted (the file wins when both are sent)
//	parent    a higher-level plan file; repeat for several (at most 8);
//	          without one, the rule set's configured parents are used
//	format    json (default), sarif, csv, markdown, text, docx (the draft
//	          with one Word comment per finding), feedback-md and
//	          feedback-docx (the 修改意见 letter)
//	rules     the rule set's name (GET /api/rules lists them); default: the first
//	author, initials, date (YYYY-MM-DD)
//	          who signs and dates the Word comments and the 修改意见
//
// and answers with the report in that format, as `plancheck check
// --format FORMAT` would write it for the same file, as an attachment
// named after the draft; X-Plancheck-Findings carries the number of
// findings. For example:
//
//	curl -F draft=@draft.txt -F format=sarif http://127.0.0.1:8080/api/check
//
// POST /api/review takes the same form and answers with what the page
// shows, version 1:
//
//	{
//	  "version": 1,
//	  "rule_set": {"name": "builtin", "label": "内置规则"},
//	  "draft": {                     // the draft as the reader parsed it
//	    "name": "draft.txt", "encoding": "UTF-8", "title": "…", "docx": false,
//	    "lines": ["…", …],           // without line ends; findings' line n is lines[n-1]
//	    "paras": [1, 2, …]           // Word files only: each line's paragraph, 0 for none
//	  },
//	  "parents": [ … ],              // the higher-level plans, shaped like draft
//	  "rules": [ … ],                // the rules run, as in GET /api/rules
//	  "report": { … },               // the json format, exactly as /api/check gives it
//	  "coverage": [                  // one row per theme, when there are parents or declared themes
//	    {"id": "p1:4", "kind": "item", "label": "4.", "title": "…",
//	     "parent": 1,                // 1-based index into parents; 0 for a theme declared in the rules
//	     "span": {"start": {…}, "end": {…}},   // where the theme is in its parent
//	     "verdict": "covered",       // covered, weak, missing or not-applicable
//	     "score": 0.21,
//	     "matches": [{"start": {…}, "end": {…}, "label": "3.", "path": […], "score": 0.21, "evidence": ["…"]}]}
//	  ],
//	  "run_errors": [],              // rules that failed at run time (the check goes on)
//	  "formats": ["docx", …]         // the formats /api/check offers
//	}
//
// Positions are those of the json format: line and col 1-based, col in
// characters (Unicode code points: the page counts them with Array.from,
// not in UTF-16 units), end exclusive, offset in bytes of the original
// input; for a Word file, line and col index the rendering in draft.lines.
//
// GET /api/rules?rules=NAME lists the rules in force in a set (the
// default set without the parameter): {"rule_set": {…}, "rule_sets":
// [{"name", "label"}…], "rules": [{"id", "title", "severity", "scope",
// "tags", "rationale"}…]}.
//
// GET /healthz answers {"status": "ok", "version": "…"}.
//
// # Tests
//
// server_test.go checks the API against the checker run directly and
// hostile uploads (a zip bomb, a 100 MB body streamed, a binary file) with
// HOME and TMPDIR pointed at an empty directory that must stay empty.
// e2e_test.go drives the page in headless Chromium through e2e/e2e.js
// (playwright-core, `npm ci` in e2e/), skipping when chromium or node is
// absent. load_test.go (PLANCHECK_LOADTEST=1 go test -run LoadTest
// ./web/) measures throughput, latency and memory on the corpus.
package web
