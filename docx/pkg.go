package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits bound what Read accepts from a package, against zip bombs and
// hostile XML. A zero field takes its value from DefaultLimits.
type Limits struct {
	// MaxEntries is the largest number of zip entries.
	MaxEntries int
	// MaxEntryBytes bounds the uncompressed size of every part Read
	// inflates; MaxTotalBytes the declared uncompressed size of the whole
	// package and the bytes actually inflated.
	MaxEntryBytes, MaxTotalBytes int64
	// MaxXMLDepth bounds element nesting, MaxXMLTokens the tokens of one part.
	MaxXMLDepth, MaxXMLTokens int
}

// DefaultLimits are generous for any real draft: 1000 entries, 50 MB per
// part, 200 MB in all, XML 256 elements deep and 5 million tokens per part.
func DefaultLimits() Limits {
	return Limits{
		MaxEntries:    1000,
		MaxEntryBytes: 50 << 20,
		MaxTotalBytes: 200 << 20,
		MaxXMLDepth:   256,
		MaxXMLTokens:  5_000_000,
	}
}

// orDefault fills the zero fields from DefaultLimits.
func (l Limits) orDefault() Limits {
	def := DefaultLimits()
	if l.MaxEntries <= 0 {
		l.MaxEntries = def.MaxEntries
	}
	if l.MaxEntryBytes <= 0 {
		l.MaxEntryBytes = def.MaxEntryBytes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = def.MaxTotalBytes
	}
	if l.MaxXMLDepth <= 0 {
		l.MaxXMLDepth = def.MaxXMLDepth
	}
	if l.MaxXMLTokens <= 0 {
		l.MaxXMLTokens = def.MaxXMLTokens
	}
	return l
}

// Errors of Read, wrapped with detail; test with errors.Is.
var (
	ErrNotZip         = errors.New("not a Word document (.docx): not a zip package")
	ErrCorrupt        = errors.New("corrupt or truncated .docx package")
	ErrNoDocument     = errors.New("not a Word document: no word/document.xml")
	ErrTooManyEntries = errors.New("too many entries in the .docx package")
	ErrTooLarge       = errors.New(".docx package inflates beyond the size limit (zip bomb?)")
	ErrXMLDepth       = errors.New("XML nested too deeply")
	ErrXMLTokens      = errors.New("XML has too many tokens")
	ErrDoctype        = errors.New("XML with a DOCTYPE is refused (no entity expansion)")
	ErrXML            = errors.New("malformed XML")
)

// Part names. Parts are found through word/_rels/document.xml.rels where
// it names them, else under these conventional names.
const (
	partDocument     = "word/document.xml"
	partDocumentRels = "word/_rels/document.xml.rels"
	partContentTypes = "[Content_Types].xml"
	partComments     = "word/comments.xml"
	partNumbering    = "word/numbering.xml"
	partStyles       = "word/styles.xml"
)

// zipMagic starts every zip that begins with a local file header.
var zipMagic = []byte("PK\x03\x04")

// pkg is an opened zip package with its entries indexed by name.
type pkg struct {
	zr    *zip.Reader
	byKey map[string]*zip.File // lower-cased name → entry: OPC names ignore case
	lim   Limits
	total int64 // bytes inflated so far
}

// openPkg opens data as a zip and checks entry count, names and declared
// sizes before anything is inflated.
func openPkg(data []byte, lim Limits) (*pkg, error) {
	lim = lim.orDefault()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		// Insecure names (../x) do not matter: nothing is written to disk.
		if bytes.HasPrefix(data, zipMagic) {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		return nil, fmt.Errorf("%w: %v", ErrNotZip, err)
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("%w: %d entries, at most %d", ErrTooManyEntries, len(zr.File), lim.MaxEntries)
	}
	p := &pkg{zr: zr, byKey: make(map[string]*zip.File, len(zr.File)), lim: lim}
	var declared uint64
	for _, f := range zr.File {
		key := strings.ToLower(f.Name)
		if _, dup := p.byKey[key]; dup {
			return nil, fmt.Errorf("%w: entry %q appears twice", ErrCorrupt, f.Name)
		}
		p.byKey[key] = f
		off, err := f.DataOffset()
		if err != nil {
			return nil, fmt.Errorf("%w: entry %q: %v", ErrCorrupt, f.Name, err)
		}
		if f.CompressedSize64 > uint64(len(data)) || uint64(off)+f.CompressedSize64 > uint64(len(data)) {
			return nil, fmt.Errorf("%w: entry %q runs past the end of the file", ErrCorrupt, f.Name)
		}
		declared += f.UncompressedSize64
		if declared > uint64(lim.MaxTotalBytes) {
			return nil, fmt.Errorf("%w: entries declare more than %d bytes", ErrTooLarge, lim.MaxTotalBytes)
		}
	}
	return p, nil
}

// file returns the entry called name, or nil.
func (p *pkg) file(name string) *zip.File { return p.byKey[strings.ToLower(name)] }

// read inflates the entry called name, counting the bytes as they come:
// the sizes in the zip headers are checked but never trusted. It returns
// nil, nil when there is no such entry.
func (p *pkg) read(name string) ([]byte, error) {
	f := p.file(name)
	if f == nil {
		return nil, nil
	}
	if f.UncompressedSize64 > uint64(p.lim.MaxEntryBytes) {
		return nil, fmt.Errorf("%w: %s declares %d bytes, at most %d", ErrTooLarge, f.Name, f.UncompressedSize64, p.lim.MaxEntryBytes)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, f.Name, err)
	}
	defer rc.Close()
	budget := min(p.lim.MaxEntryBytes, p.lim.MaxTotalBytes-p.total)
	data, err := io.ReadAll(io.LimitReader(rc, budget+1))
	p.total += int64(len(data))
	if int64(len(data)) > budget {
		return nil, fmt.Errorf("%w: %s inflates to more than %d bytes", ErrTooLarge, f.Name, budget)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, f.Name, err)
	}
	return data, nil
}

// IsDocx reports whether data looks like a Word document: a zip package
// holding word/document.xml. It inflates nothing.
func IsDocx(data []byte) bool {
	if !bytes.HasPrefix(data, zipMagic) {
		return false
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return false
	}
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, partDocument) {
			return true
		}
	}
	return false
}
