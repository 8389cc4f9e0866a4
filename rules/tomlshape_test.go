package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTOMLShape(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		line       int
	}{
		{"ordinary", "[vocab]\nx = [\"a.b\", '[[[', \"\"\"\n{{{\n\"\"\"]\n[[rule]]\nid = \"a\" # [[[[\n", 0},
		{"deep inline tables", "x = " + strings.Repeat("{a=", 200) + "1" + strings.Repeat("}", 200) + "\n", 1},
		{"deep arrays on line 3", "a = 1\n\nx = " + strings.Repeat("[", 101) + strings.Repeat("]", 101) + "\n", 3},
		{"long dotted key", "\n" + strings.Repeat("a.", 40) + "b = 1\n", 2},
		{"dots in values", "x = \"" + strings.Repeat(".", 100) + "\"\ny = 1.5\n", 0},
	} {
		line, _ := tomlShapeError(tc.data)
		assert.Equal(t, tc.line, line, tc.name)
	}
}
