package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"huajie/internal/cases"
	"huajie/internal/deadlines"
	"huajie/internal/insight"
	"huajie/internal/interactions"
)

// GenerateOpts sizes a generated data set for speed measurements.
type GenerateOpts struct {
	Interactions int
	Cases        int
	// Days the data spans, ending at End (default 365 days to now).
	Days int
	End  time.Time
	Seed uint64
	// Zone is the zone days are counted in (insight.DefaultZone when nil);
	// the weekly rhythm follows its weekdays.
	Zone *time.Location
	// Progress is called with what has been written so far.
	Progress func(kind string, done, total int)
}

// genTemplate is a complaint with its JR/T codes and the product it is
// about.
type genTemplate struct {
	text, cause, business, channel, product string
}

var genTemplates = []genTemplate{
	{"这个月信用卡账单没有收到，还款日快到了", "C02", "B0302", "app", "信用卡"},
	{"ATM吞卡了，等了一个小时没人理", "C02", "B0301", "atm", "借记卡"},
	{"手机银行登录不了，验证码一直收不到", "C02", "B04", "app", "手机银行"},
	{"柜员态度很差，办业务还不耐烦", "C01", "B01", "branch", "储蓄存款"},
	{"排队等了两个小时，窗口只开了一个", "C01", "B01", "branch", "储蓄存款"},
	{"转账三天还没到账，客服说在处理", "C03", "B04", "online_banking", "网上银行"},
	{"理财经理推销的产品收益和说的不一样", "C04", "B99", "branch", "理财产品"},
	{"贷款利率比合同上写的高，多扣了利息", "C08", "B0202", "phone", "个人住房贷款"},
	{"年费没有提前告知就扣了", "C11", "B0302", "phone", "信用卡"},
	{"催收电话打到我单位去了，影响很坏", "C12", "B0202", "phone", "个人消费贷款"},
	{"个人信息被泄露，天天接到推销电话", "C10", "B06", "phone", ""},
	{"挂失补卡要回开户行办理太不方便", "C03", "B0301", "branch", "借记卡"},
}

var genCalm = []string{"请问怎么开通手机银行", "我想查一下余额", "好的，谢谢", "信用卡额度怎么提高", "营业时间是几点"}

// genBranches are the branches of the generated data, busiest first; a
// conversation's branch is drawn with weight 1/rank (a few large branches,
// a long tail), as a city bank's branch network looks.
var genBranches = []string{"深圳分行营业部", "南山支行", "福田支行", "罗湖支行", "宝安支行", "龙岗支行",
	"前海支行", "蛇口支行", "龙华支行", "坪山支行", "光明支行", "盐田支行"}

// genHandlers are the generated cases' assignees and their teams.
var genHandlers = [][2]string{{"王芳", "投诉处理一组"}, {"李强", "投诉处理一组"}, {"张敏", "投诉处理二组"}, {"刘洋", "投诉处理二组"}, {"陈静", "消保专班"}}

// genProducts are the products of calm messages (questions about them).
var genProducts = []string{"储蓄存款", "借记卡", "信用卡", "手机银行", "理财产品", "个人住房贷款"}

// genBranchPicker returns a draw from genBranches with weight 1/rank.
func genBranchPicker(r *rand.Rand) func() string {
	cum := make([]float64, len(genBranches))
	total := 0.0
	for i := range genBranches {
		total += 1 / float64(i+1)
		cum[i] = total
	}
	return func() string {
		x := r.Float64() * total
		for i, c := range cum {
			if x < c {
				return genBranches[i]
			}
		}
		return genBranches[len(genBranches)-1]
	}
}

// Generate writes a synthetic data set straight into the tables: cases
// (with their documents and facts) and customer and agent messages (with
// their analysis summaries and the daily roll-up), and moves the refresh
// watermarks past them. It is for measuring the analyst's views on a
// million interactions, not for demos: there is no audit trail.
func (db *DB) Generate(ctx context.Context, o GenerateOpts) error {
	if o.Days <= 0 {
		o.Days = 365
	}
	if o.End.IsZero() {
		o.End = time.Now().UTC()
	}
	start := o.End.AddDate(0, 0, -o.Days)
	r := rand.New(rand.NewPCG(o.Seed, 0x9e37))
	d := insight.NewDeriver(nil, nil, o.Zone)
	// The roll-up written below must be in the generated facts' zone.
	if _, _, err := db.ensureZone(ctx, d); err != nil {
		return err
	}
	weekly := [7]float64{0.45, 1.35, 1.15, 1.05, 1.0, 1.1, 0.6} // Sun..Sat
	// A wave of one complaint on one day, as a failure would make.
	waveDay := o.Days - 20
	pickTime := func() (time.Time, int) {
		for {
			day := r.IntN(o.Days)
			t := start.AddDate(0, 0, day)
			if r.Float64() < weekly[t.In(d.Zone()).Weekday()]/1.35 {
				return t.Add(time.Duration(r.Int64N(int64(24 * time.Hour)))), day
			}
		}
	}
	pickTemplate := func(day int) genTemplate {
		if day == waveDay && r.IntN(2) == 0 {
			return genTemplates[0]
		}
		return genTemplates[r.IntN(len(genTemplates))]
	}
	// Cases.
	var facts []insight.CaseFact
	var maxUpd int64
	var lastCase string
	flushCases := func(cs []*cases.Case) error {
		return db.WithTx(ctx, func(tx *Tx) error {
			args := make([]any, 0, len(cs)*26)
			docs := make([]any, 0, len(cs)*2)
			for _, c := range cs {
				doc, err := json.Marshal(c)
				if err != nil {
					return err
				}
				var closed any
				args = append(args, c.ID, string(c.Channel), c.Customer.ID, c.Customer.Name, micros(c.ReceivedAt), micros(c.CreatedAt), c.Text, c.Text, SearchGrams(c.Text),
					1, string(c.State), micros(c.UpdatedAt), c.Assignee, "medium", c.Assessment.CauseCode, c.Assessment.BusinessCode, 0, 0, closed, "", "", "", 0, 0, c.Team, c.Branch)
				docs = append(docs, c.ID, string(doc))
			}
			q := multiRow(db.dialect, "gencases", `INSERT INTO cases (id, channel, customer_id, customer_name, received_at,
created_at, title, search, grams, version, state, updated_at, assignee, severity, cause_code, business_code,
difficulty, escalation, next_due, deadline_status, merged_into, goodwill_result, goodwill_pending, goodwill_reviews, team, branch) VALUES `, "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", "", len(cs))
			if _, err := tx.Tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("store: generate cases: %w", err)
			}
			q = multiRow(db.dialect, "gendocs", `INSERT INTO case_docs (id, doc) VALUES `, "(?,?)", "", len(cs))
			if _, err := tx.Tx.ExecContext(ctx, q, docs...); err != nil {
				return fmt.Errorf("store: generate case docs: %w", err)
			}
			if err := upsertCaseFacts(ctx, tx.Tx, tx.d, facts); err != nil {
				return err
			}
			facts = facts[:0]
			return setWatermark(ctx, tx, "cases", maxUpd, lastCase)
		})
	}
	batch := make([]*cases.Case, 0, 250)
	pickCaseBranch := genBranchPicker(r)
	for i := range o.Cases {
		at, day := pickTime()
		tp := pickTemplate(day)
		// Handlers in three teams; a case is assigned to one, and counted
		// for the handler's team.
		h := r.IntN(len(genHandlers))
		c := &cases.Case{ID: fmt.Sprintf("gen-%07d", i), Version: 1, Channel: cases.Channel(tp.channel), ReceivedAt: at, CreatedAt: at,
			Branch: pickCaseBranch(), Assignee: genHandlers[h][0], Team: genHandlers[h][1], ProductRef: tp.product,
			Customer: cases.Customer{ID: "cu" + strconv.Itoa(r.IntN(o.Cases/3+1)), Name: "客户"}, Text: tp.text,
			Assessment: cases.Assessment{CauseCode: tp.cause, BusinessCode: tp.business, Negative: 0.6 + 0.4*r.Float64(), Emotion: "anger"}}
		c.State = cases.StateReceived
		c.UpdatedAt = at
		if age := o.End.Sub(at); age > 2*24*time.Hour || r.IntN(3) > 0 {
			dec := at.Add(time.Duration(r.ExpFloat64() * float64(7*24*time.Hour)))
			if dec.Before(o.End) {
				c.Deadline.Milestones = deadlines.Milestones{deadlines.MilestoneDecision: dec}
				cl := dec.Add(time.Duration(r.ExpFloat64() * float64(3*24*time.Hour)))
				if cl.Before(o.End) {
					c.State, c.ClosedAt, c.UpdatedAt = cases.StateClosed, cl, cl
					sub := r.IntN(2) == 0
					c.Findings = []cases.Finding{{ID: "f1", At: dec, Text: "核实", Substantiated: &sub}}
					if sub {
						c.Solutions = []cases.Solution{{ID: "s1", At: dec, Summary: "补偿", Remedies: []cases.Remedy{{Kind: cases.RemedyCompensation, AmountMinor: int64(1000 * (1 + r.IntN(50)))}}}}
						c.Responses = []cases.CustomerResponse{{ID: "r1", At: cl, SolutionID: "s1", Accepted: true}}
					}
				}
			}
		}
		f := d.Case(c)
		facts = append(facts, f)
		if u := micros(c.UpdatedAt); u > maxUpd {
			maxUpd = u
		}
		lastCase = "~" // every generated case is before the watermark
		batch = append(batch, c)
		if len(batch) == cap(batch) || i == o.Cases-1 {
			if err := flushCases(batch); err != nil {
				return err
			}
			batch = batch[:0]
			if o.Progress != nil {
				o.Progress("cases", i+1, o.Cases)
			}
		}
	}
	// Interactions: conversations of 4 messages (customer, agent, ...).
	type cached struct {
		an   string
		fact insight.Fact
	}
	cache := map[string]*cached{}
	var maxRecv int64
	roll := Rollup{}
	const cols = 14
	rows := make([]any, 0, 500*cols)
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		err := db.WithTx(ctx, func(tx *Tx) error {
			q := multiRow(db.dialect, "genmsgs", `INSERT INTO interactions (id, conversation_id, customer_id, channel, role, at, received_at, team, branch, product, text, analysis, risk, level) VALUES `,
				"(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", "", n)
			if _, err := tx.Tx.ExecContext(ctx, q, rows...); err != nil {
				return fmt.Errorf("store: generate interactions: %w", err)
			}
			return nil
		})
		rows, n = rows[:0], 0
		return err
	}
	teams := []string{"电话一组", "电话二组", "在线客服", "网点服务"}
	pickBranch := genBranchPicker(r)
	for i := 0; i < o.Interactions; {
		at, day := pickTime()
		conv := fmt.Sprintf("gc%07d", i/4)
		team := teams[r.IntN(len(teams))]
		branch := pickBranch()
		complaint := r.IntN(3) == 0 || day == waveDay
		tp := pickTemplate(day)
		product := tp.product
		if !complaint {
			product = genProducts[r.IntN(len(genProducts))]
		}
		for turn := 0; turn < 4 && i < o.Interactions; turn++ {
			role, text := "customer", genCalm[r.IntN(len(genCalm))]
			if turn%2 == 1 {
				role, text = "agent", "您好，我来帮您处理"
			} else if complaint {
				text = tp.text
			}
			key := role + text + tp.channel
			c := cache[key]
			if c == nil {
				a := interactions.Analysis{Lang: "zh", Emotion: "neutral", Negative: 0.1}
				if role == "customer" && complaint && text == tp.text {
					a = interactions.Analysis{Lang: "zh", Emotion: "anger", Negative: 0.85, Problems: []interactions.Problem{{Axis: "cause", Code: tp.cause, Score: 0.8}, {Axis: "business", Code: tp.business, Score: 0.7}}}
				}
				b, _ := json.Marshal(a)
				c = &cached{an: string(b), fact: d.Message(insight.Place{Channel: tp.channel}, text, at, a, 0, "")}
				cache[key] = c
			}
			risk, level := 0.1, "low"
			if complaint && role == "customer" {
				risk, level = 0.5+0.4*r.Float64(), "medium"
				if risk > 0.75 {
					level = "high"
				}
			}
			mat := at.Add(time.Duration(turn) * time.Minute)
			recv := micros(start) + int64(i) // unique, increasing, before the data's end
			if recv > maxRecv {
				maxRecv = recv
			}
			rows = append(rows, fmt.Sprintf("gm%08d", i), conv, "cu"+strconv.Itoa(i%50000), tp.channel, role, micros(mat), recv, team, branch, product, text, c.an, risk, level)
			n++
			if role == "customer" {
				f := c.fact
				f.At, f.Day, f.Risk, f.High = mat, d.Day(mat), risk, level == "high"
				// The cached map is shared: set this message's place on it
				// just before it is counted.
				f.Values[insight.DimTeam] = team
				f.Values[insight.DimBranch] = branch
				f.Values[insight.DimProduct] = product
				roll.Add(f)
			}
			i++
			if n == 500 {
				if err := flush(); err != nil {
					return err
				}
				if o.Progress != nil && i%20000 == 0 {
					o.Progress("interactions", i, o.Interactions)
				}
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if o.Progress != nil {
		o.Progress("interactions", o.Interactions, o.Interactions)
	}
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := writeRollup(ctx, tx.Tx, tx.d, insight.SourceMessage, roll); err != nil {
			return err
		}
		return setWatermark(ctx, tx, "interactions", maxRecv, "~")
	})
	if err != nil {
		return err
	}
	// Fresh statistics after a bulk load, so the planner uses the indexes.
	_, err = db.Writer().ExecContext(ctx, "ANALYZE")
	return err
}
