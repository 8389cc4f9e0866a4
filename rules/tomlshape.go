package rules

import "fmt"

// maxKeyParts bounds a dotted key (a.b.c…): toml's decoder spends time and
// memory quadratic in the parts.
const maxKeyParts = 32

// tomlShapeError refuses rule files whose shape would make the TOML
// decoder itself run away — arrays or inline tables nested deeper than
// maxNesting, dotted keys of more than maxKeyParts parts — before it sees
// them (BurntSushi/toml recurses and copies per level). It returns the
// 1-based line and a message, or 0 when the file is fine.
func tomlShapeError(data string) (int, string) {
	line, depth, keyDots := 1, 0, 0
	inKey := true // at the start of a line, before '='
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			line++
			keyDots = 0
			inKey = depth == 0
		case c == '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			i--
		case c == '"' || c == '\'':
			end, lines := skipTOMLString(data, i)
			line += lines
			i = end
		case c == '[' || c == '{':
			depth++
			if depth > maxNesting {
				return line, fmt.Sprintf("arrays or inline tables nested more than %d deep", maxNesting)
			}
		case c == ']' || c == '}':
			depth--
		case c == '=':
			inKey = false
		case c == '.' && inKey:
			keyDots++
			if keyDots >= maxKeyParts {
				return line, fmt.Sprintf("a dotted key of more than %d parts", maxKeyParts)
			}
		}
	}
	return 0, ""
}

// skipTOMLString returns the index of the last byte of the string that
// starts at data[i] (basic or literal, single or multi-line) and the line
// breaks inside it.
func skipTOMLString(data string, i int) (int, int) {
	q := data[i]
	delim := string(q)
	if i+2 < len(data) && data[i+1] == q && data[i+2] == q {
		delim = string([]byte{q, q, q})
	}
	lines := 0
	for j := i + len(delim); j < len(data); j++ {
		switch {
		case data[j] == '\\' && q == '"':
			j++
		case data[j] == '\n':
			if len(delim) == 1 {
				return j - 1, lines // an unterminated string: the decoder reports it
			}
			lines++
		case data[j] == q && len(data)-j >= len(delim) && data[j:j+len(delim)] == delim:
			return j + len(delim) - 1, lines
		}
	}
	return len(data) - 1, lines
}
