// Package rules loads, composes and compiles plancheck's rules: records in
// TOML (id, title, severity, scope, when, check, message, suggestion,
// rationale, tags) whose expressions are expr-lang programs over views of
// a parsed plan.
//
// Loading (LoadBuiltin, LoadFile) merges files in order: extends first
// ("builtin" is the embedded set), then [vocab] lists (appended) and
// [vocab_replace] lists, [[rule]]s (an id seen before is replaced in
// place), [override.<id or glob>] tables and disable. Every problem of
// every file is collected into an ErrorList positioned at the TOML line,
// with a caret under the column of an expression; a broken file is never
// a panic.
//
// Every expression is compiled once, against Env, at load. The scope of a
// rule decides which Env field is set (item, section, paragraph, row and
// table, sentence; plan and vocab always) and using another scope's field
// is a load error, as is an unknown vocab list or a constant regexp that
// does not compile. A check returns a bool (one finding on the unit's
// DefaultSpan) or a list of matches (one finding each); message and
// suggestion are templates with {{ expr }} parts, where match is the
// finding's span.
//
// Programs are shared by all goroutines; a worker evaluates them with its
// own vm.VM (Rule.Eval) over the views of one document (NewDoc), built
// once for all rules. The loader rewrites each program so that its work is
// charged to a Run: loop iterations, string bytes and time are bounded,
// and a rule over budget is stopped for that document (ErrBudget).
//
// The functions rules call are a table (Functions) that drives both
// expr's type checking and `plancheck rules functions`.
package rules
