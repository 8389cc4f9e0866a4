package rules

import (
	"strings"
)

// tomlIndex records the line of every key of a rule file. toml's MetaData
// keeps key positions private and keys the entries of [[rule]] by name
// only, so a second, light scan of the lines recovers them: table
// headers, "key =" lines, and multi-line strings (skipped, so that their
// contents are never taken for keys).
type tomlIndex struct {
	// rules holds one table per [[rule]] header, in order.
	rules []*tomlTable
	// themes are the [[theme]] tables, in order.
	themes []*tomlTable
	// tables holds the other tables by dotted path ("" is the top level,
	// "override.deadline-*" an override).
	tables map[string]*tomlTable
}

// tomlTable is where a table's header and keys are written.
type tomlTable struct {
	line int // header line; 0 for the top level
	keys map[string]keyPos
}

// keyPos is where a key's value is written. firstLine is the line the
// value's text starts on: the key's line, or the next one for a
// multi-line string opened at the end of the key's line (TOML drops that
// first newline).
type keyPos struct {
	line, firstLine int
}

// firstLine returns the line where the top-level name is first written:
// as a key, or as (the start of) a table header.
func (idx *tomlIndex) firstLine(name string) int {
	if k, ok := idx.tables[""].keys[name]; ok {
		return k.line
	}
	first := 0
	for path, t := range idx.tables {
		if (path == name || strings.HasPrefix(path, name+".")) && (first == 0 || t.line < first) {
			first = t.line
		}
	}
	return first
}

func (t *tomlTable) key(name string) keyPos {
	if t == nil {
		return keyPos{}
	}
	if k, ok := t.keys[name]; ok {
		return k
	}
	return keyPos{line: t.line, firstLine: t.line}
}

// indexTOML scans data for table headers and keys.
func indexTOML(data string) *tomlIndex {
	idx := &tomlIndex{tables: map[string]*tomlTable{}}
	cur := &tomlTable{keys: map[string]keyPos{}}
	idx.tables[""] = cur
	inString := "" // the closing delimiter of an open multi-line string
	for i, raw := range strings.Split(data, "\n") {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if inString != "" {
			if closesString(line, inString) {
				inString = ""
			}
			continue
		}
		switch {
		case line == "" || line[0] == '#':
			continue
		case strings.HasPrefix(line, "[["):
			end := strings.Index(line, "]]")
			if end < 0 {
				continue
			}
			cur = &tomlTable{line: n, keys: map[string]keyPos{}}
			switch strings.Join(splitKey(line[2:end]), ".") {
			case "rule":
				idx.rules = append(idx.rules, cur)
			case "theme":
				idx.themes = append(idx.themes, cur)
			}
			continue
		case line[0] == '[':
			end := strings.LastIndex(line, "]")
			if end < 0 {
				continue
			}
			cur = &tomlTable{line: n, keys: map[string]keyPos{}}
			idx.tables[strings.Join(splitKey(line[1:end]), ".")] = cur
			continue
		}
		eq := keyEnd(line)
		if eq < 0 {
			continue
		}
		name := strings.Join(splitKey(line[:eq]), ".")
		value := strings.TrimSpace(line[eq+1:])
		pos := keyPos{line: n, firstLine: n}
		for _, delim := range []string{`"""`, `'''`} {
			if !strings.HasPrefix(value, delim) {
				continue
			}
			rest := value[len(delim):]
			if rest == "" {
				pos.firstLine = n + 1
			}
			if !closesString(rest, delim) {
				inString = delim
			}
		}
		if _, dup := cur.keys[name]; !dup {
			cur.keys[name] = pos
		}
	}
	return idx
}

// closesString reports whether s contains the closing delimiter of a
// multi-line string (not escaped, for basic strings).
func closesString(s, delim string) bool {
	for i := 0; i+len(delim) <= len(s); i++ {
		if delim == `"""` && s[i] == '\\' {
			i++
			continue
		}
		if s[i:i+len(delim)] == delim {
			return true
		}
	}
	return false
}

// keyEnd returns the index of the "=" that ends the key at the start of
// line, or -1 when the line does not start with a key.
func keyEnd(line string) int {
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '=':
			return i
		case c == '"' || c == '\'':
			j := strings.IndexByte(line[i+1:], c)
			if j < 0 {
				return -1
			}
			i += j + 1
		case c == ' ' || c == '\t' || c == '.' || c == '_' || c == '-' ||
			c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
		default:
			return -1
		}
	}
	return -1
}

// splitKey splits a dotted TOML key into its parts, unquoting quoted parts.
func splitKey(s string) []string {
	var parts []string
	var b strings.Builder
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			b.WriteByte(c)
		case c == '"' || c == '\'':
			quote = c
		case c == '.':
			parts = append(parts, b.String())
			b.Reset()
		case c == ' ' || c == '\t':
		default:
			b.WriteByte(c)
		}
	}
	return append(parts, b.String())
}
