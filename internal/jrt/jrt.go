// Package jrt is the JR/T 0169-2018 taxonomy (金融消费者投诉统计分类及编码,
// the People's Bank of China's statistical classification and coding of
// financial consumer complaints for banking institutions) and the
// recognition of a message's problem on its three axes: channel (A, 业务办理
// 渠道), business type (B, 业务类型) and cause (C, 投诉原因).
//
// The taxonomy and the keyword lists are data: data/taxonomy.tsv holds the
// codes with Chinese and English names, data/keywords.tsv the terms that
// point to each category. Both are embedded; Load(dir) reads edited copies.
//
// Code scheme: the axis letter, then two digits per level in the order in
// which the standard lists the categories, 99 for an "other" class at any
// level (the standard itself uses 99/9 for "other"). A0103 is 电子渠道, the
// third front-office channel; B0302 is 信用卡 under 银行卡; C10 is 消费者信息
// 安全. Categories and order follow the standard; the code digits are
// Huajie's (see data/taxonomy.tsv).
package jrt

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

//go:embed data/*.tsv
var embedded embed.FS

// Axis is one of the standard's three axes.
type Axis string

const (
	Channel  Axis = "channel"  // A
	Business Axis = "business" // B
	Cause    Axis = "cause"    // C
)

// AxisOf returns the axis of a code from its letter.
func AxisOf(code string) (Axis, bool) {
	if code == "" {
		return "", false
	}
	switch code[0] {
	case 'A':
		return Channel, true
	case 'B':
		return Business, true
	case 'C':
		return Cause, true
	}
	return "", false
}

// Category is one node of the taxonomy.
type Category struct {
	Code   string
	Parent string // "" at the top level
	Name   string // Simplified Chinese
	NameEn string
	Axis   Axis
	Depth  int // 0 at the top level

	parent int // index of Parent, -1 at the top
}

// Taxonomy is the three axes' categories.
type Taxonomy struct {
	cats   []Category
	byCode map[string]int
}

// Categories returns all categories in file order (parents first).
func (t *Taxonomy) Categories() []Category { return t.cats }

// Lookup finds a category by code.
func (t *Taxonomy) Lookup(code string) (Category, bool) {
	i, ok := t.byCode[code]
	if !ok {
		return Category{}, false
	}
	return t.cats[i], true
}

// Top returns the top-level ancestor of a code (the code itself at the top).
func (t *Taxonomy) Top(code string) (Category, bool) {
	i, ok := t.byCode[code]
	if !ok {
		return Category{}, false
	}
	for t.cats[i].parent >= 0 {
		i = t.cats[i].parent
	}
	return t.cats[i], true
}

// Keyword is one line of the keyword list.
type Keyword struct {
	Term   string
	Codes  []string
	Lang   string
	Weight float64
	Line   int

	cats []int
}

// Data is a taxonomy with its keywords.
type Data struct {
	Taxonomy *Taxonomy
	Keywords []Keyword
	// Source says where each file came from ("embedded" or a path).
	Source map[string]string
}

// ErrFormat is wrapped by every parse error.
var ErrFormat = errors.New("jrt: bad data")

// Default returns the embedded taxonomy and keywords. It panics only if the
// embedded data is broken, which the package tests rule out.
func Default() *Data {
	d, err := Load("")
	if err != nil {
		panic(err)
	}
	return d
}

// Load reads taxonomy.tsv and keywords.tsv from dir when present there,
// otherwise the embedded ones. dir "" means embedded only.
func Load(dir string) (*Data, error) {
	d := &Data{Source: map[string]string{}}
	open := func(name string) (io.ReadCloser, string, error) {
		if dir != "" {
			p := filepath.Join(dir, name)
			f, err := os.Open(p)
			if err == nil {
				return f, p, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, "", fmt.Errorf("jrt: %w", err)
			}
		}
		f, err := embedded.Open("data/" + name)
		return f, "embedded " + name, err
	}
	r, src, err := open("taxonomy.tsv")
	if err != nil {
		return nil, err
	}
	d.Taxonomy, err = ParseTaxonomy(src, r)
	r.Close()
	if err != nil {
		return nil, err
	}
	d.Source["taxonomy.tsv"] = src
	r, src, err = open("keywords.tsv")
	if err != nil {
		return nil, err
	}
	d.Keywords, err = ParseKeywords(d.Taxonomy, src, r)
	r.Close()
	if err != nil {
		return nil, err
	}
	d.Source["keywords.tsv"] = src
	return d, nil
}

func eachLine(src string, r io.Reader, fields int, fn func(n int, f []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	n := 0
	for sc.Scan() {
		n++
		if !utf8.Valid(sc.Bytes()) {
			return fmt.Errorf("%w: %s:%d: invalid UTF-8", ErrFormat, src, n)
		}
		s := strings.TrimRight(sc.Text(), "\r")
		if t := strings.TrimSpace(s); t == "" || t[0] == '#' {
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != fields {
			return fmt.Errorf("%w: %s:%d: want %d tab-separated fields, got %d", ErrFormat, src, n, fields, len(f))
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if err := fn(n, f); err != nil {
			return fmt.Errorf("%w: %s:%d: %v", ErrFormat, src, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%w: %s:%d: %v", ErrFormat, src, n+1, err)
	}
	return nil
}

// ParseTaxonomy reads code, parent, zh and en name per line; parents come
// before their children.
func ParseTaxonomy(src string, r io.Reader) (*Taxonomy, error) {
	t := &Taxonomy{byCode: map[string]int{}}
	err := eachLine(src, r, 4, func(n int, f []string) error {
		code, parent := f[0], f[1]
		ax, ok := AxisOf(code)
		if !ok {
			return fmt.Errorf("code %q does not start with A, B or C", code)
		}
		if _, dup := t.byCode[code]; dup {
			return fmt.Errorf("code %q listed twice", code)
		}
		if f[2] == "" || f[3] == "" {
			return fmt.Errorf("code %q needs a Chinese and an English name", code)
		}
		c := Category{Code: code, Parent: parent, Name: f[2], NameEn: f[3], Axis: ax, parent: -1}
		if parent != "" {
			pi, ok := t.byCode[parent]
			if !ok {
				return fmt.Errorf("parent %q of %q is not listed before it", parent, code)
			}
			if t.cats[pi].Axis != ax {
				return fmt.Errorf("parent %q of %q is on another axis", parent, code)
			}
			c.parent = pi
			c.Depth = t.cats[pi].Depth + 1
		}
		t.byCode[code] = len(t.cats)
		t.cats = append(t.cats, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(t.cats) == 0 {
		return nil, fmt.Errorf("%w: %s: no categories", ErrFormat, src)
	}
	return t, nil
}

// ParseKeywords reads term, codes, lang and weight per line.
func ParseKeywords(t *Taxonomy, src string, r io.Reader) ([]Keyword, error) {
	var out []Keyword
	seen := map[string]int{}
	err := eachLine(src, r, 4, func(n int, f []string) error {
		term := f[0]
		if term == "" || len(term) > 256 {
			return fmt.Errorf("term empty or longer than 256 bytes")
		}
		key := strings.ToLower(term)
		if prev, dup := seen[key]; dup {
			return fmt.Errorf("term %q already on line %d (list all its codes on one line)", term, prev)
		}
		seen[key] = n
		k := Keyword{Term: term, Lang: f[2], Line: n}
		if k.Lang != "zh" && k.Lang != "en" && k.Lang != "any" {
			return fmt.Errorf("lang %q not zh, en or any", k.Lang)
		}
		for _, c := range strings.Split(f[1], ",") {
			c = strings.TrimSpace(c)
			i, ok := t.byCode[c]
			if !ok {
				return fmt.Errorf("code %q not in the taxonomy", c)
			}
			k.Codes = append(k.Codes, c)
			k.cats = append(k.cats, i)
		}
		w, err := strconv.ParseFloat(f[3], 64)
		if err != nil || w != w || w <= 0 || w > 10 {
			return fmt.Errorf("weight %q is not a number in (0, 10]", f[3])
		}
		k.Weight = w
		out = append(out, k)
		return nil
	})
	return out, err
}

// WriteDefaults copies the embedded taxonomy.tsv and keywords.tsv into dir,
// for an administrator to edit. Existing files are not overwritten.
func WriteDefaults(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range []string{"taxonomy.tsv", "keywords.tsv"} {
		b, err := embedded.ReadFile("data/" + name)
		if err != nil {
			return err
		}
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			continue
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
