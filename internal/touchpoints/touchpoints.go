// Package touchpoints is the bank's moments of truth (关键时刻) — queueing,
// the counter, the ATM, app login, a transfer, card delivery… — as a
// configurable list with Chinese and English names and the words that
// point to each, so that a complaint, a post or a survey answer without an
// explicit touchpoint can be placed on the customer's journey.
package touchpoints

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// Touchpoint is one moment of truth.
type Touchpoint struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	NameEn string   `json:"name_en"`
	Terms  []string `json:"terms,omitempty"`
}

// List is an ordered list of touchpoints; earlier ones win a tie when
// inferring.
type List struct {
	items  []Touchpoint
	byCode map[string]int
}

// defaults: code<TAB>zh<TAB>en<TAB>terms separated by |
const defaults = `queueing	排队等候	Queueing	排队|叫号|等了|等候|排了
counter	柜台办理	Counter service	柜台|柜员|窗口|大堂经理
atm	自助机具/ATM	ATM and self-service	atm|取款机|自助机|吞卡|存款机
app_login	手机银行登录	App login	登录|登陆|log in|login|验证码|密码锁
transfer	转账汇款	Transfers	转账|汇款|到账|transfer|remittance
card_delivery	卡片寄送	Card delivery	寄卡|卡片寄送|新卡|没收到卡|card delivery|new card
statement	账单与通知	Statements and notices	账单|对账单|短信通知|statement
loan	贷款申请	Loan application	贷款|房贷|放款|loan|mortgage
phone_service	电话客服	Phone service	客服电话|热线|人工客服|hotline|call centre|call center
fees	收费	Fees and charges	年费|手续费|收费|扣费|fee|charge
collection	催收	Debt collection	催收|催款|collection
wealth	理财销售	Wealth products	理财|基金|保险|收益|investment|fund`

// Default returns the built-in list.
func Default() *List {
	l, err := Parse("built-in", strings.NewReader(defaults))
	if err != nil {
		panic(err)
	}
	return l
}

// ErrFormat is wrapped by every error in a touchpoint list.
var ErrFormat = errors.New("touchpoints: bad list")

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Parse reads a list: code, Chinese name, English name and |-separated
// terms, tab-separated; # comments and blank lines skipped.
func Parse(src string, r io.Reader) (*List, error) {
	l := &List{byCode: map[string]int{}}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("%w: %s:%d: %d fields, want 4 (code, zh, en, terms)", ErrFormat, src, n, len(f))
		}
		if !codeRE.MatchString(f[0]) {
			return nil, fmt.Errorf("%w: %s:%d: code %q: lower-case letters, digits and _", ErrFormat, src, n, f[0])
		}
		if _, dup := l.byCode[f[0]]; dup {
			return nil, fmt.Errorf("%w: %s:%d: code %q listed twice", ErrFormat, src, n, f[0])
		}
		tp := Touchpoint{Code: f[0], Name: strings.TrimSpace(f[1]), NameEn: strings.TrimSpace(f[2])}
		for _, t := range strings.Split(f[3], "|") {
			if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
				tp.Terms = append(tp.Terms, t)
			}
		}
		if tp.Name == "" || tp.NameEn == "" {
			return nil, fmt.Errorf("%w: %s:%d: names required", ErrFormat, src, n)
		}
		l.byCode[tp.Code] = len(l.items)
		l.items = append(l.items, tp)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(l.items) == 0 {
		return nil, fmt.Errorf("%w: %s: empty", ErrFormat, src)
	}
	return l, nil
}

// Load reads a list from a file.
func Load(path string) (*List, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(path, f)
}

// All returns the touchpoints in order.
func (l *List) All() []Touchpoint { return l.items }

// Lookup finds a touchpoint by code.
func (l *List) Lookup(code string) (Touchpoint, bool) {
	i, ok := l.byCode[code]
	if !ok {
		return Touchpoint{}, false
	}
	return l.items[i], true
}

// Valid reports whether code is on the list.
func (l *List) Valid(code string) bool { _, ok := l.byCode[code]; return ok }

// Infer places a text on a touchpoint: the one with the most term hits,
// the earlier in the list on a tie; "" when none matches.
func (l *List) Infer(text string) string {
	lower := strings.ToLower(text)
	best, bestN := "", 0
	for _, tp := range l.items {
		n := 0
		for _, t := range tp.Terms {
			n += strings.Count(lower, t)
		}
		if n > bestN {
			best, bestN = tp.Code, n
		}
	}
	return best
}
