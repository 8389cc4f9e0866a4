// Package docx reads Word drafts (.docx, WordprocessingML) into the text
// rendering the plain-text parser reads, and writes Word documents back:
// a copy of a draft with one comment (批注) per finding, or a new document
// made from a plain-text draft.
//
// # The rendering
//
// Read turns word/document.xml into text with one line per paragraph (LF
// line ends). Body paragraphs and table-cell paragraphs are numbered 1, 2,
// … in document order; plan.ParaLine ties every line to its paragraph, so a
// plan.Position gets Para and ParaChar, the character counted in the
// paragraph's own text (rendered numbering and table tabs excluded).
//
//   - Runs: w:t text, w:tab as a tab, w:noBreakHyphen as "-"; w:br (a text
//     wrapping break) and w:cr continue the paragraph on a new line; page
//     and column breaks, w:softHyphen, w:sym, drawings, pictures, math and
//     mc:AlternateContent are skipped.
//   - Text in hyperlinks, smart tags, content controls (w:sdt), custom XML
//     and simple fields is read as it shows; of a complex field
//     (w:fldChar begin/separate/end) only the result is read, never the
//     field code (w:instrText).
//   - Tracked changes read as accepted: w:ins and w:moveTo are kept, w:del
//     and w:moveFrom dropped. Changes recorded in properties (a deleted
//     paragraph mark, a deleted table row) are not applied.
//   - Headers, footers, footnotes, endnotes and comments are not read.
//   - Automatic numbering (numbering.xml, from the paragraph or its style)
//     is written out as the paragraph's label: 一、, （二）, 3、, ①… The
//     number suffix (a tab by default) is not written: a tab after the label
//     would make the line look like a table row. Bullets render nothing.
//   - Tables use the one-cell-per-line layout of plan/table.go: every cell's
//     first line starts with a tab, the cell's further paragraphs follow
//     untabbed, a blank line separates rows, and a blank line stands before
//     and after the table. Inside a table a tab within the text renders as a
//     space, so it cannot start a new cell; empty paragraphs after a cell's
//     first have no line, as a blank line would end the row. A merged cell
//     (w:gridSpan) is one cell; a vertically merged cell's continuation
//     (w:vMerge) is the empty cell it holds. Nested tables are flattened
//     into the cell that holds them.
//
// # Numbering counters
//
// Counters belong to the abstract list (w:abstractNum): every w:num that
// points at the same abstract list continues the same sequence, as Word
// does. A w:lvlOverride restarts its level the first time a paragraph
// of that w:num uses the level: at w:startOverride, or else at the w:start
// of the w:lvl it holds; that w:lvl also replaces the level's definition
// (format, text) for paragraphs of that w:num. An empty w:lvlOverride does
// nothing. A level restarts when a shallower level of the same abstract
// list is used, unless w:lvlRestart says otherwise (0: never; n: only after
// levels 1…n). This reproduces how LibreOffice and Word show lists
// continued across headings with startOverride, as in the drafts they
// save: 003's items run 1–36 through （一）…（九）, and its second top
// heading, whose w:num restarts level 1, shows 一、 again. Labels are
// bounded (w:lvlText cut at 64 characters, letters at 10), so a hostile
// numbering part cannot inflate the rendering.
//
// # Safety
//
// A .docx is a zip of XML parts from an untrusted sender. Read enforces
// Limits on the number of entries, the declared and the actually inflated
// size of every part read (bytes are counted while inflating), the XML
// nesting depth and the number of XML tokens; a DOCTYPE is refused, so no
// entity is ever expanded. Every problem is a wrapped sentinel error.
// Entry names are matched without regard to case, as OPC requires; a
// package naming one entry twice is refused.
//
// # Writing
//
// WithComments changes only word/document.xml (splicing comment markers in
// at byte offsets recorded while reading, splitting runs where a span
// starts or ends inside one), word/comments.xml, and, when the comments
// part is new, word/_rels/document.xml.rels and [Content_Types].xml. Every
// other entry is copied compressed, byte for byte. A range start goes just
// before the run of the span's first character, a range end and the
// comment's reference run just after the run of its last; a run (or a w:t,
// or a CDATA section) is split only where the span starts or ends inside
// it, the second half getting a copy of the run's start tag and w:rPr.
// Output is deterministic: the same document and comments give the same
// bytes.
package docx
