// Package plancheck holds the default rule set, embedded in the binary so
// that a fresh clone checks drafts with no configuration at all.
package plancheck

import _ "embed"

// DefaultRules is rules.toml: the default rules and vocabularies.
//
//go:embed rules.toml
var DefaultRules []byte

// DefaultRulesName names the embedded rule file in error messages.
const DefaultRulesName = "rules.toml (built-in)"
