package jrt

import "math"

// Hit is a keyword found in a message: Keyword indexes Data.Keywords.
type Hit struct {
	Keyword    int
	Start, End int
}

// Pick is one recognised category.
type Pick struct {
	Category int // index into Taxonomy.Categories()
	// Score is 1 - exp(-evidence), evidence being the summed weights of the
	// keywords that support the pick (see Hits).
	Score float64
	// Hits are the indices (into the hits given to Recognize) of the
	// keywords that support the pick.
	Hits []int
}

// Recognition thresholds: a category is reported when its evidence reaches
// MinEvidence (score 0.5: one full-weight keyword), at most MaxPerAxis
// top-level classes per axis.
const (
	MinEvidence = 0.69
	MaxPerAxis  = 3
)

// Scratch is reusable working memory for Recognize; one per goroutine.
type Scratch struct {
	sum   []float64
	cover []int // per hit: a longer hit around it, or -1
	top   [3][MaxPerAxis]int
}

// Recognize turns keyword hits into at most MaxPerAxis picks per axis,
// appended to out in axis order (channel, business, cause) and by score.
// A hit inside a longer keyword hit (账单 in 没收到账单, 电话 in 骚扰电话)
// does not count on the axes the longer one speaks for: the longer term is
// the more specific reading. The Hits
// slices of the picks reuse the capacity of out's elements. It does not
// allocate once s and out have grown to size.
func (d *Data) Recognize(hits []Hit, s *Scratch, out []Pick) []Pick {
	cats := d.Taxonomy.cats
	if cap(s.sum) < len(cats) {
		s.sum = make([]float64, len(cats))
	}
	s.sum = s.sum[:len(cats)]
	for i := range s.sum {
		s.sum[i] = 0
	}
	if cap(s.cover) < len(hits) {
		s.cover = make([]int, len(hits), 2*len(hits))
	}
	s.cover = s.cover[:len(hits)]
	for i, h := range hits {
		s.cover[i] = -1
		for j, g := range hits {
			if j != i && g.Start <= h.Start && h.End <= g.End && g.End-g.Start > h.End-h.Start {
				s.cover[i] = j
				break
			}
		}
		k := &d.Keywords[h.Keyword]
		for _, c := range k.cats {
			if d.shadowed(hits, s.cover[i], c) {
				continue
			}
			// evidence counts for the category and each ancestor
			for a := c; a >= 0; a = cats[a].parent {
				s.sum[a] += k.Weight
			}
		}
	}
	for ax := range s.top {
		for j := range s.top[ax] {
			s.top[ax][j] = -1
		}
	}
	for i := range cats {
		if cats[i].parent >= 0 || s.sum[i] < MinEvidence {
			continue
		}
		ax := axisIndex(cats[i].Axis)
		t := &s.top[ax]
		for j := 0; j < MaxPerAxis; j++ {
			if t[j] < 0 || s.sum[i] > s.sum[t[j]] {
				copy(t[j+1:], t[j:MaxPerAxis-1])
				t[j] = i
				break
			}
		}
	}
	for ax := range s.top {
		first := len(out)
		for _, top := range s.top[ax] {
			if top < 0 {
				continue
			}
			// descend to the most specific child with enough evidence
			best := top
			for {
				next := -1
				for i := best + 1; i < len(cats); i++ {
					if cats[i].parent == best && s.sum[i] >= MinEvidence && (next < 0 || s.sum[i] > s.sum[next]) {
						next = i
					}
				}
				if next < 0 {
					break
				}
				best = next
			}
			var p *Pick
			if len(out) < cap(out) {
				out = out[:len(out)+1]
				p = &out[len(out)-1]
				p.Hits = p.Hits[:0]
			} else {
				out = append(out, Pick{})
				p = &out[len(out)-1]
			}
			p.Category = best
			// The pick is supported by the keywords of its own line in the
			// tree (its ancestors, itself, its descendants), not by
			// siblings: 电话 does not support 营业现场 though both are
			// front-office channels.
			ev := 0.0
			for hi, h := range hits {
				if w := d.support(hits, s.cover[hi], h.Keyword, best); w > 0 {
					p.Hits = append(p.Hits, hi)
					ev += w
				}
			}
			p.Score = 1 - math.Exp(-ev)
		}
		// by score within the axis (insertion sort: at most MaxPerAxis)
		for i := first + 1; i < len(out); i++ {
			for j := i; j > first && out[j].Score > out[j-1].Score; j-- {
				out[j], out[j-1] = out[j-1], out[j]
			}
		}
	}
	return out
}

// shadowed reports whether the evidence of a hit for category c is
// superseded by the longer hit around it (index cover, -1 for none): when
// the longer keyword speaks for the same axis. 转账 inside 转账失败 still
// says payment (B04) because 转账失败 speaks only for the cause.
func (d *Data) shadowed(hits []Hit, cover, c int) bool {
	if cover < 0 {
		return false
	}
	ax := d.Taxonomy.cats[c].Axis
	for _, o := range d.Keywords[hits[cover].Keyword].cats {
		if d.Taxonomy.cats[o].Axis == ax {
			return true
		}
	}
	return false
}

// support is the weight keyword k (a hit with a longer hit cover around
// it, or -1) lends to category best: its weight when one of its categories
// is best, an ancestor of best or a descendant of best; 0 otherwise.
func (d *Data) support(hits []Hit, cover, k, best int) float64 {
	cats := d.Taxonomy.cats
	for _, c := range d.Keywords[k].cats {
		if d.shadowed(hits, cover, c) {
			continue
		}
		for a := c; a >= 0; a = cats[a].parent {
			if a == best {
				return d.Keywords[k].Weight // c is best or below it
			}
		}
		for a := best; a >= 0; a = cats[a].parent {
			if a == c {
				return d.Keywords[k].Weight // c is above best
			}
		}
	}
	return 0
}

func axisIndex(a Axis) int {
	switch a {
	case Channel:
		return 0
	case Business:
		return 1
	}
	return 2
}
