// Package report renders findings in the output formats plancheck offers.
// Formats only render: which findings exist, their order, severity and
// wording are decided before they get here (like the printers of
// golang.org/x/tools/go/analysis/internal/checker).
//
// A run is rendered file by file through a Formatter (Start, File per
// input, Finish), so that text, github, csv, checkstyle, markdown and json
// stream; sarif keeps the findings (never the sources) until Finish because
// its rule table precedes the results. Output is deterministic: nothing
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
