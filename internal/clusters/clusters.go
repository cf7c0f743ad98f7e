// Package clusters groups similar complaints as root-cause candidates: a
// wave of "没有收到账单" after a statement system failure shows up as one
// cluster that grows, with its top terms and representative texts.
//
// Similarity works on Chinese without a word segmenter: a text is the set
// of its character bigrams (Han runs) and words (Latin letters and
// digits), the shingles common to a large share of all texts (我们, 银行…)
// are dropped, and two texts are similar when the Jaccard similarity of
// their sets, estimated by MinHash, reaches a threshold. Locality-sensitive
// hashing over the MinHash signatures finds the candidate pairs without
// comparing every pair; clusters are the connected components.
package clusters

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
)

// Doc is one complaint text.
type Doc struct {
	ID   string    `json:"id"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Opts tunes clustering; the zero value means the defaults.
type Opts struct {
	// Threshold is the estimated Jaccard similarity that links two texts
	// (default 0.3).
	Threshold float64
	// MinSize is the smallest cluster reported (default 3).
	MinSize int
	// MaxDF drops shingles found in more than this share of the texts
	// (default 0.5), when there are at least 50 texts: a wave of one
	// complaint can be a third of a period's texts and must keep its terms.
	MaxDF float64
	// Terms and Representatives per cluster (defaults 8 and 3).
	Terms, Representatives int
}

func (o Opts) withDefaults() Opts {
	if o.Threshold <= 0 {
		o.Threshold = 0.3
	}
	if o.MinSize <= 0 {
		o.MinSize = 3
	}
	if o.MaxDF <= 0 {
		o.MaxDF = 0.5
	}
	if o.Terms <= 0 {
		o.Terms = 8
	}
	if o.Representatives <= 0 {
		o.Representatives = 3
	}
	return o
}

// Term is a cluster's characteristic shingle with the share of the
// cluster's texts that contain it.
type Term struct {
	Term  string  `json:"term"`
	Share float64 `json:"share"`
	Score float64 `json:"score"`
}

// DayCount is a day's number of texts.
type DayCount struct {
	Day   time.Time `json:"day"`
	Count int       `json:"count"`
}

// Cluster is one root-cause candidate.
type Cluster struct {
	Size            int        `json:"size"`
	Members         []string   `json:"members"`
	TopTerms        []Term     `json:"top_terms"`
	Representatives []Doc      `json:"representatives"`
	First           time.Time  `json:"first"`
	Last            time.Time  `json:"last"`
	Daily           []DayCount `json:"daily"`
	// Trend compares the second half of the period with the first:
	// (second − first) / max(first, 1); Direction is rising, falling or
	// steady (within ±25%).
	Trend     float64 `json:"trend"`
	Direction string  `json:"direction"`
}

// Result is the clusters, largest first, with the texts not clustered.
type Result struct {
	Docs       int       `json:"docs"`
	Clustered  int       `json:"clustered"`
	Clusters   []Cluster `json:"clusters"`
	From       time.Time `json:"from,omitzero"`
	To         time.Time `json:"to,omitzero"`
	Threshold  float64   `json:"threshold"`
	DroppedDF  int       `json:"dropped_common_shingles"`
	Signatures int       `json:"-"`
}

// MaxDocs bounds one clustering run.
const MaxDocs = 100_000

// ErrTooMany is returned for more than MaxDocs texts.
var ErrTooMany = errors.New("clusters: too many texts")

const (
	numHash = 64
	rows    = 2 // rows per LSH band: P(candidate | J) = 1 − (1 − J²)³²
	bands   = numHash / rows
)

// StopPhrases are the courtesy and boilerplate of complaints (greetings,
// "please handle it", "or I go to the regulator") and function words: they
// are cut out before shingling, because two short complaints on different
// matters that share a long closing phrase would otherwise look alike.
var StopPhrases = []string{
	"不然我就向监管部门投诉", "向监管部门投诉", "监管部门", "给个说法", "这已经是", "第二次了",
	"太让人失望了", "让人失望", "我想投诉", "麻烦处理", "尽快处理", "请尽快", "客服你好", "你好", "您好",
	"请问", "一下", "我想", "投诉", "麻烦", "处理", "谢谢", "希望", "说法", "已经", "真的", "很生气",
	"生气", "客服", "不然", "失望", "你们", "我们", "他们", "这个", "那个", "什么", "怎么", "为什么",
	"就是", "还是", "但是", "因为", "所以", "而且", "然后", "现在", "一个", "自己", "可以",
	"的", "了", "吗", "呢", "啊", "吧", "呀", "哦", "嗯", "我", "你", "他", "她", "是", "在", "和", "就", "都", "也", "还", "又",
}

var stopper = func() *strings.Replacer {
	ps := slices.Clone(StopPhrases)
	sort.SliceStable(ps, func(i, j int) bool { return len(ps[i]) > len(ps[j]) })
	args := make([]string, 0, 2*len(ps))
	for _, p := range ps {
		args = append(args, p, " ")
	}
	return strings.NewReplacer(args...)
}()

// Shingles returns a text's shingles after the stop phrases are cut out:
// character bigrams of Han runs (a lone Han character as itself),
// lower-cased Latin/digit words.
func Shingles(text string) []string {
	text = stopper.Replace(text)
	var out []string
	var run []rune
	var word strings.Builder
	flushRun := func() {
		if len(run) == 1 {
			out = append(out, string(run))
		}
		for i := 0; i+1 < len(run); i++ {
			out = append(out, string(run[i:i+2]))
		}
		run = run[:0]
	}
	digits := 0
	flushWord := func() {
		// A word of seven or more digits is an identifier (a phone, card,
		// ID, account or order number): it names a customer or a
		// transaction, never a cause, would pull one customer's repeats
		// together, and must not surface as a cluster's top term.
		if word.Len() > 1 && digits < 7 {
			out = append(out, word.String())
		}
		word.Reset()
		digits = 0
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			run = append(run, r)
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			flushRun()
			word.WriteRune(unicode.ToLower(r))
			if r >= '0' && r <= '9' {
				digits++
			}
		default:
			flushRun()
			flushWord()
		}
	}
	flushRun()
	flushWord()
	slices.Sort(out)
	return slices.Compact(out)
}

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func mix(x uint64) uint64 { // splitmix64 finalizer
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

var seeds = func() [numHash]uint64 {
	var s [numHash]uint64
	for i := range s {
		s[i] = mix(uint64(i+1) * 0x9e3779b97f4a7c15)
	}
	return s
}()

type uf []int32

func (u uf) find(x int32) int32 {
	for u[x] != x {
		u[x] = u[u[x]]
		x = u[x]
	}
	return x
}

func (u uf) union(a, b int32) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		if ra < rb {
			u[rb] = ra
		} else {
			u[ra] = rb
		}
	}
}

// Run groups docs into clusters.
func Run(docs []Doc, o Opts) (Result, error) {
	if len(docs) > MaxDocs {
		return Result{}, fmt.Errorf("%w: %d, at most %d", ErrTooMany, len(docs), MaxDocs)
	}
	o = o.withDefaults()
	res := Result{Docs: len(docs), Threshold: o.Threshold}
	n := len(docs)
	sh := make([][]string, n)
	df := map[string]int{}
	for i, d := range docs {
		sh[i] = Shingles(d.Text)
		for _, s := range sh[i] {
			df[s]++
		}
		if !d.At.IsZero() {
			if res.From.IsZero() || d.At.Before(res.From) {
				res.From = d.At
			}
			if d.At.After(res.To) {
				res.To = d.At
			}
		}
	}
	if n >= 50 {
		limit := int(o.MaxDF * float64(n))
		for s, c := range df {
			if c > limit {
				delete(df, s)
				res.DroppedDF++
			}
		}
	}
	sigs := make([][numHash]uint64, n)
	empty := make([]bool, n)
	for i := range docs {
		sig := &sigs[i]
		for k := range sig {
			sig[k] = math.MaxUint64
		}
		kept := 0
		for _, s := range sh[i] {
			if _, ok := df[s]; !ok {
				continue
			}
			kept++
			h := hash(s)
			for k := range sig {
				if v := mix(h ^ seeds[k]); v < sig[k] {
					sig[k] = v
				}
			}
		}
		empty[i] = kept < 2
	}
	similar := func(a, b int) bool {
		eq := 0
		for k := range numHash {
			if sigs[a][k] == sigs[b][k] {
				eq++
			}
		}
		return float64(eq)/numHash >= o.Threshold
	}
	u := make(uf, n)
	for i := range u {
		u[i] = int32(i)
	}
	buckets := map[uint64][]int32{}
	for b := range bands {
		clear(buckets)
		for i := range n {
			if empty[i] {
				continue
			}
			key := uint64(b)
			for r := range rows {
				key = mix(key ^ sigs[i][b*rows+r])
			}
			buckets[key] = append(buckets[key], int32(i))
		}
		for _, m := range buckets {
			if len(m) < 2 {
				continue
			}
			// Each member is checked against the bucket's first and the
			// one before it: linear in the bucket, and connectivity is
			// all the components need.
			for j := 1; j < len(m); j++ {
				if u.find(m[j]) == u.find(m[0]) {
					continue
				}
				if similar(int(m[0]), int(m[j])) {
					u.union(m[0], m[j])
				} else if similar(int(m[j-1]), int(m[j])) {
					u.union(m[j-1], m[j])
				}
			}
		}
	}
	groups := map[int32][]int{}
	for i := range n {
		if !empty[i] {
			r := u.find(int32(i))
			groups[r] = append(groups[r], i)
		}
	}
	for _, g := range groups {
		if len(g) < o.MinSize {
			continue
		}
		res.Clustered += len(g)
		res.Clusters = append(res.Clusters, describe(docs, sh, df, n, g, res.From, res.To, o))
	}
	sort.Slice(res.Clusters, func(i, j int) bool {
		a, b := res.Clusters[i], res.Clusters[j]
		if a.Size != b.Size {
			return a.Size > b.Size
		}
		return a.Members[0] < b.Members[0]
	})
	return res, nil
}

func describe(docs []Doc, sh [][]string, df map[string]int, n int, g []int, from, to time.Time, o Opts) Cluster {
	c := Cluster{Size: len(g)}
	cdf := map[string]int{}
	for _, i := range g {
		c.Members = append(c.Members, docs[i].ID)
		for _, s := range sh[i] {
			if _, ok := df[s]; ok {
				cdf[s]++
			}
		}
	}
	for s, k := range cdf {
		share := float64(k) / float64(len(g))
		if k < 2 {
			continue
		}
		score := share * math.Log(float64(n+1)/float64(df[s]))
		c.TopTerms = append(c.TopTerms, Term{Term: s, Share: share, Score: score})
	}
	sort.Slice(c.TopTerms, func(i, j int) bool {
		a, b := c.TopTerms[i], c.TopTerms[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.Term < b.Term
	})
	c.TopTerms = mergeTerms(c.TopTerms, docs, g)
	if len(c.TopTerms) > o.Terms {
		c.TopTerms = c.TopTerms[:o.Terms]
	}
	// Representatives: the texts carrying most of the top terms, the
	// shorter first on a tie (easier to read).
	type rep struct{ i, score int }
	reps := make([]rep, 0, len(g))
	for _, i := range g {
		s := 0
		for _, t := range c.TopTerms {
			if strings.Contains(strings.ToLower(docs[i].Text), t.Term) {
				s++
			}
		}
		reps = append(reps, rep{i, s})
	}
	sort.SliceStable(reps, func(a, b int) bool {
		if reps[a].score != reps[b].score {
			return reps[a].score > reps[b].score
		}
		return len(docs[reps[a].i].Text) < len(docs[reps[b].i].Text)
	})
	for _, r := range reps[:min(o.Representatives, len(reps))] {
		c.Representatives = append(c.Representatives, docs[r.i])
	}
	// Daily counts and trend over the whole run's period.
	days := map[time.Time]int{}
	var first, second int
	mid := from.Add(to.Sub(from) / 2)
	for _, i := range g {
		at := docs[i].At
		if at.IsZero() {
			continue
		}
		if c.First.IsZero() || at.Before(c.First) {
			c.First = at
		}
		if at.After(c.Last) {
			c.Last = at
		}
		y, m, d := at.UTC().Date()
		days[time.Date(y, m, d, 0, 0, 0, 0, time.UTC)]++
		if at.Before(mid) {
			first++
		} else {
			second++
		}
	}
	for d, k := range days {
		c.Daily = append(c.Daily, DayCount{d, k})
	}
	sort.Slice(c.Daily, func(i, j int) bool { return c.Daily[i].Day.Before(c.Daily[j].Day) })
	c.Trend = float64(second-first) / float64(max(first, 1))
	switch {
	case c.Trend > 0.25:
		c.Direction = "rising"
	case c.Trend < -0.25:
		c.Direction = "falling"
	default:
		c.Direction = "steady"
	}
	return c
}

// mergeTerms joins top bigrams that chain (账单 + 单未 → 账单未) when the
// longer string is in at least as many of the cluster's texts as half the
// shorter's, so that terms read as words.
func mergeTerms(ts []Term, docs []Doc, g []int) []Term {
	count := func(s string) int {
		k := 0
		for _, i := range g {
			if strings.Contains(strings.ToLower(docs[i].Text), s) {
				k++
			}
		}
		return k
	}
	limit := min(len(ts), 24)
	top := ts[:limit]
	used := make([]bool, limit)
	var out []Term
	for i := range top {
		if used[i] {
			continue
		}
		t := top[i]
		for changed := true; changed; {
			changed = false
			for j := range top {
				if used[j] || j == i {
					continue
				}
				o := top[j].Term
				var joined string
				switch {
				case lastRune(t.Term) == firstRune(o) && len([]rune(o)) == 2:
					joined = t.Term + string([]rune(o)[1:])
				case lastRune(o) == firstRune(t.Term) && len([]rune(o)) == 2:
					joined = string([]rune(o)[:1]) + t.Term
				default:
					continue
				}
				if k := count(joined); float64(k) >= 0.5*t.Share*float64(len(g)) && k >= 2 {
					t = Term{Term: joined, Share: float64(k) / float64(len(g)), Score: t.Score + top[j].Score}
					used[j] = true
					changed = true
				}
			}
		}
		used[i] = true
		out = append(out, t)
	}
	return append(out, ts[limit:]...)
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func lastRune(s string) rune {
	r := []rune(s)
	if len(r) == 0 {
		return 0
	}
	return r[len(r)-1]
}
