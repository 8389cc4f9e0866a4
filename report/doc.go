// Package report renders findings in the output formats plancheck offers.
// Formats only render: which findings exist, their order, severity and
// wording are decided before they get here (like the printers of
// golang.org/x/tools/go/analysis/internal/checker).
//
// A run is rendered file by file through a Formatter (Start, File per
// input, Finish), so that text, github, csv, checkstyle, markdown, json and
// docx stream; sarif keeps the findings (never the sources) until Finish
// because its rule table precedes the results, and the feedback formats
// keep their rendered letters, because one input's letter is the whole
// document while several are gathered under one heading. Output is deterministic: nothing
// depends on map order or the clock.
//
// # Formats
//
//   - text: "file:line:col: severity: message [rule-id]", the source line
//     with the span underlined (East Asian Wide and Fullwidth characters
//     are two cells, tabs expand to stops of 8), "  建议：…", and a summary
//     by severity and rule. ANSI colour only when Options.Color.
//   - json: the versioned document described below.
//   - sarif: SARIF 2.1.0 for GitHub code scanning; columns are
//     "unicodeCodePoints", regions also carry the original byte offsets,
//     partialFingerprints["plancheck/v1"] carries the finding's fingerprint,
//     and files that could not be checked are tool execution notifications
//     with executionSuccessful false.
//   - github: GitHub Actions workflow commands (::error, ::warning, ::notice).
//   - checkstyle: Checkstyle 4.3 XML as reviewdog and Jenkins read it.
//   - markdown: a 修改意见 table per file for a reviewer to paste; the 原文
//     column is clipped to 80 characters.
//   - csv: the same columns plus file, rule and severity, UTF-8 with a BOM
//     and CRLF line ends, as Excel expects; a cell Excel would take for a
//     formula (starting with = + - @) gets a leading apostrophe.
//   - docx: the input as a Word document with one comment (批注) per
//     finding, anchored on exactly the finding's span; one input per run.
//     A Word input is copied with the comments added (docx.WithComments);
//     a span on a line of the rendering that is no paragraph's text (the
//     blank lines around table rows) becomes a point at the nearest
//     paragraph start. A text input becomes a new document, one paragraph
//     per line (docx.NewFromText). A comment reads "message", "建议：…"
//     and "[rule-id]" on three lines, signed Options.Author and Initials
//     ("plancheck", "PC" when empty) and dated Options.Date when given.
//   - feedback-md: the 修改意见 a reviewer sends back, in Markdown:
//     "关于《标题》（征求意见稿）的修改意见", the sender and date line
//     (placeholders when Options.Author or Date are empty), then
//     一、总体意见 (the number of comments and the five most frequent
//     problems, counted by rule title) and 二、具体修改意见 (every finding
//     numbered on, grouped under its section, an item's under the item's
//     heading, those outside any section last under 其他: position, 原文
//     clipped to 60 characters, 问题, 建议). Findings of theme-* rules,
//     gaps against a higher-level plan, come first as
//     一、上级部署落实情况. One document per run: several inputs make one
//     letter each under a common heading. A clean input gets
//     "经研究，我单位无修改意见。".
//   - feedback-docx: the same document as a Word file, one paragraph per
//     line of the Markdown without its markup.
//
// # The json format, version 1
//
// One object:
//
//	{
//	  "version": 1,                  // this schema's version; rises only on an incompatible change
//	  "tool": {"name": "plancheck", "version": "…"},   // version "" when unknown
//	  "files": [                     // every input, in the order checked
//	    {
//	      "file": "drafts/a.txt",    // the name as given
//	      "error": "…",              // present only when the file could not be checked
//	      "findings": [              // always an array, sorted by position
//	        {
//	          "rule": "deadline-vague",
//	          "severity": "warning", // "error", "warning" or "info"
//	          "start": {"line": 4, "col": 18, "offset": 144},
//	          "end":   {"line": 4, "col": 20, "offset": 150},
//	          "section": ["一、重点工作", "（一）…", "1"],   // always an array, maybe empty
//	          "excerpt": "年内",       // the span's text as written
//	          "message": "…",        // what is wrong
//	          "suggestion": "…",     // how to fix it; "" when the rule has none
//	          "fingerprint": "…"     // stable across edits, for baselines
//	        }
//	      ]
//	    }
//	  ],
//	  "summary": {
//	    "files": 3,                  // inputs
//	    "failed": 1,                 // inputs with an error
//	    "findings": 6,
//	    "by_severity": {"error": 1, "info": 2, "warning": 3},   // all three keys, always
//	    "by_rule": {"deadline-vague": 2}                       // rules with findings only
//	  }
//	}
//
// Positions: line and col are 1-based, col counts characters (Unicode code
// points) of the line, offset counts bytes of the original input (so a
// GB18030 file gets offsets into its own bytes, a UTF-8 file with a BOM
// counts the BOM). end is exclusive: it is the position just after the
// span's last character, and equals start for an empty span (a place where
// something is missing). Object keys appear in the order shown; map keys
// are sorted.
package report
