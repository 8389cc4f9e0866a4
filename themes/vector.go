package themes

import (
	"math"
	"slices"
)

// part is a piece of normalised text counted into a document's vector,
// with a multiplier: a title is counted once more than the body around it.
type part struct {
	cs   []char
	mult float64
}

// svec is a sparse vector: ids ascending, weights divided by the norm
// once the corpus is finished.
type svec struct {
	ids []int32
	w   []float64
}

// corpus turns documents into TF-IDF vectors over character bigrams, the IDF taken over the documents added to it.
type corpus struct {
	m       *Matcher
	vocab   map[uint64]int32
	df      []int32
	acc     []float64 // scratch: term frequency by id for the document being added
	stamp   []int32   // scratch: 1 + the index of the last document that used the id
	touched []int32
	docs    []svec
}

func newCorpus(m *Matcher, sizeHint int) *corpus {
	return &corpus{m: m, vocab: make(map[uint64]int32, sizeHint)}
}

// key2 packs a bigram's two runes (each below 1<<21).
func key2(a, b rune) uint64 { return uint64(a)<<21 | uint64(b) }

// factor is the weight of one occurrence of a bigram whose characters
// have the union of flags f.
func (m *Matcher) factor(f uint8) float64 {
	w := 1.0
	if f&flagFiller != 0 {
		w *= m.p.filler
	}
	if f&(flagNamed|flagQuoted) != 0 {
		w *= m.p.named
	}
	return w
}

// grams calls emit for every bigram of cs that crosses no break.
func (m *Matcher) grams(cs []char, mult float64, emit func(uint64, float64)) {
	for i := 0; i+1 < len(cs); i++ {
		a, b := cs[i], cs[i+1]
		if a.r != brk && b.r != brk {
			emit(key2(a.r, b.r), mult*m.factor(a.flags|b.flags))
		}
	}
}

// add counts a document's bigrams and returns its index.
func (c *corpus) add(parts ...part) int {
	emit := func(k uint64, w float64) {
		id, ok := c.vocab[k]
		if !ok {
			id = int32(len(c.df))
			c.vocab[k] = id
			c.df = append(c.df, 0)
			c.acc = append(c.acc, 0)
			c.stamp = append(c.stamp, 0)
		}
		if c.stamp[id] != int32(len(c.docs)+1) {
			c.stamp[id] = int32(len(c.docs) + 1)
			c.touched = append(c.touched, id)
		}
		c.acc[id] += w
	}
	for _, p := range parts {
		c.m.grams(p.cs, p.mult, emit)
	}
	slices.Sort(c.touched)
	v := svec{ids: make([]int32, 0, len(c.touched)), w: make([]float64, 0, len(c.touched))}
	for _, id := range c.touched {
		if tf := c.acc[id]; tf > 0 {
			v.ids = append(v.ids, id)
			v.w = append(v.w, tf)
			c.df[id]++
		}
		c.acc[id] = 0
	}
	c.touched = c.touched[:0]
	c.docs = append(c.docs, v)
	return len(c.docs) - 1
}

// finish weighs every document's bigrams by ln(1+tf)·idf and normalises
// the vectors to unit length, so that a dot product is a cosine.
func (c *corpus) finish() {
	n := float64(len(c.docs))
	idf := make([]float64, len(c.df))
	for id, df := range c.df {
		d := float64(df)
		idf[id] = math.Log(1 + (n-d+0.5)/(d+0.5))
	}
	for _, v := range c.docs {
		var norm float64
		for i, id := range v.ids {
			v.w[i] = math.Log1p(v.w[i]) * idf[id]
			norm += v.w[i] * v.w[i]
		}
		if norm == 0 {
			continue
		}
		norm = math.Sqrt(norm)
		for i := range v.w {
			v.w[i] /= norm
		}
	}
}

// cosine is the dot product of two finished vectors.
func cosine(a, b svec) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a.ids) && j < len(b.ids) {
		switch {
		case a.ids[i] < b.ids[j]:
			i++
		case a.ids[i] > b.ids[j]:
			j++
		default:
			s += a.w[i] * b.w[j]
			i++
			j++
		}
	}
	return s
}
