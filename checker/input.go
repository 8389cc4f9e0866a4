package checker

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/plancheck/plancheck/docx"
	"github.com/plancheck/plancheck/plan"
)

// Input is one draft as read: its text (for a Word file, the rendering of
// the document) and, for a Word file, the document itself.
type Input struct {
	Source *plan.Source
	Doc    *docx.Document
}

// ErrUnsupported is returned for formats plancheck cannot read; the
// message says how to convert them.
var ErrUnsupported = errors.New("unsupported format")

// unsupported names the formats people send that plancheck cannot read,
// with how to convert them.
var unsupported = map[string]string{
	".doc": "a legacy Word file: convert it with `libreoffice --headless --convert-to docx FILE`",
	".wps": "a WPS file: save it as .docx from WPS, or `libreoffice --headless --convert-to docx FILE`",
	".pdf": "a PDF: convert the original document to .docx, or copy its text into a .txt file (`pdftotext -layout FILE`)",
}

// ReadInput decodes data read from name: a Word package (by its content,
// whatever its name) is rendered, anything else decoded as text (UTF-8,
// GB18030 or UTF-16). Errors name the input and say what is wrong.
func ReadInput(name string, data []byte) (Input, error) {
	if hint, ok := unsupported[strings.ToLower(filepath.Ext(name))]; ok {
		return Input{}, fmt.Errorf("%s: %w: %s", name, ErrUnsupported, hint)
	}
	if docx.IsDocx(data) || strings.EqualFold(filepath.Ext(name), ".docx") {
		doc, err := docx.Read(name, data, docx.DefaultLimits())
		if err != nil {
			return Input{}, err // docx.Read names the file
		}
		return Input{Source: doc.Source(), Doc: doc}, nil
	}
	src, err := plan.NewSource(name, data)
	if err != nil {
		return Input{}, fmt.Errorf("%s: %w", name, err)
	}
	return Input{Source: src}, nil
}
