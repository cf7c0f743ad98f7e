package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analyst"
	"huajie/internal/collect"
	"huajie/internal/measures"
	"huajie/internal/servqual"
	"huajie/internal/spikewatch"
	"huajie/internal/touchpoints"
)

// InsightOpts says where SeedInsight writes.
type InsightOpts struct {
	// Now is when the demo is built; the surveys are in the 90 days
	// before it. time.Now when zero.
	Now time.Time
	// Zone is the zone days are counted in (the spike alert's day).
	Zone *time.Location
	// Surveys stores survey answers (the store's ImportSurveys).
	Surveys func(ctx context.Context, ss []collect.Survey) (int, error)
	// Posts analyses and stores social-media posts, as huajie collect
	// does; nil stores none.
	Posts func(ctx context.Context, ps []collect.Post) (int, error)
	// Analyst creates the prevention measure.
	Analyst *analyst.Service
	// Spikes raises the spike alert.
	Spikes *spikewatch.Service
}

// InsightResult is what SeedInsight created.
type InsightResult struct {
	Surveys   int
	Posts     int
	MeasureID string
	// SpikeAlertID is the raised spike alert.
	SpikeAlertID string
}

// surveyDays is how far back the demo's surveys go.
const surveyDays = 90

// SeedInsight gives the analyst's pages something to show beside the
// cases: survey answers (NPS, CSAT and SERVQUAL), social-media posts, a
// prevention measure and a spike alert.
//
// The surveys tell one story the pages can find: customers expect
// responsiveness most and perceive it worst at the queue and the counter,
// and empathy on the phone line is the next gap; NPS detractors say so in
// their comments. The measure (service training and first-contact
// ownership, aimed at the service-attitude cause C01) took effect two
// weeks ago, for the measure page's before and after. The demo's few
// dozen cases make no spike of their own, so the spike alert is the one
// the spike watch would raise for a wave of C01 complaints yesterday.
// Everything is deterministic but its dates, which follow Now.
func SeedInsight(ctx context.Context, o InsightOpts) (*InsightResult, error) {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	zone := o.Zone
	if zone == nil {
		zone = time.UTC
	}
	ss := Surveys(now)
	chk := collect.Checker{Touchpoints: touchpoints.Default()}
	for i := range ss {
		if le := chk.CheckSurvey(&ss[i]); le != nil {
			return nil, fmt.Errorf("demo survey %s: %w", ss[i].ID, le)
		}
	}
	n, err := o.Surveys(ctx, ss)
	if err != nil {
		return nil, fmt.Errorf("demo surveys: %w", err)
	}
	res := &InsightResult{Surveys: n}
	if o.Posts != nil {
		ps := Posts(now)
		for i := range ps {
			if le := chk.CheckPost(&ps[i]); le != nil {
				return nil, fmt.Errorf("demo post %s: %w", ps[i].ID, le)
			}
		}
		if res.Posts, err = o.Posts(ctx, ps); err != nil {
			return nil, fmt.Errorf("demo posts: %w", err)
		}
	}
	took := now.In(zone).AddDate(0, 0, -14).Format(time.DateOnly)
	m, err := o.Analyst.CreateMeasure(ctx, "demo-analyst", analyst.MeasureInput{
		Title:         "服务规范培训与首问负责制",
		Owner:         "零售银行部",
		Description:   "全员服务规范培训；首位接待的员工负责到底，不推诿。",
		Due:           took,
		Status:        measures.StatusDone,
		EffectiveFrom: took,
		Target:        measures.Target{Kind: measures.TargetCause, Value: "C01"},
	})
	if err != nil {
		return nil, fmt.Errorf("demo measure: %w", err)
	}
	res.MeasureID = m.ID
	y := now.In(zone).AddDate(0, 0, -1)
	day := y.Format(time.DateOnly)
	key := spikewatch.Key("case", "cause", "C01", day)
	if _, err := o.Spikes.Raise(ctx, []alerts.SpikeAlert{{
		Key: key, Source: "case", By: "cause", Value: "C01",
		Name: "服务态度及服务质量", NameEn: "Service attitude and quality", Day: day,
		Count: 23, Expected: 4.2, Z: 6.8, Link: spikewatch.Link("case", "cause", y),
	}}); err != nil {
		return nil, fmt.Errorf("demo spike alert: %w", err)
	}
	raised, err := o.Spikes.List(ctx, alerts.SpikeFilter{Source: "case", By: "cause", Value: "C01", Limit: 1})
	if err != nil || len(raised) == 0 {
		return nil, fmt.Errorf("demo spike alert not stored: %v", err)
	}
	res.SpikeAlertID = raised[0].ID
	return res, nil
}

// surveyPlaces are where the demo's survey answers come from, with how far
// perception falls below the usual on each dimension there.
var surveyPlaces = []struct {
	touchpoint, channel string
	drop                map[servqual.Dimension]float64
}{
	{"queueing", "branch", map[servqual.Dimension]float64{servqual.Responsiveness: 2.2, servqual.Tangibles: 0.5}},
	{"counter", "branch", map[servqual.Dimension]float64{servqual.Responsiveness: 1.6, servqual.Empathy: 1.0}},
	{"phone_service", "phone", map[servqual.Dimension]float64{servqual.Empathy: 1.5, servqual.Responsiveness: 0.8}},
	{"app_login", "app", map[servqual.Dimension]float64{servqual.Reliability: 1.2}},
	{"transfer", "app", map[servqual.Dimension]float64{servqual.Reliability: 0.6}},
	{"atm", "branch", map[servqual.Dimension]float64{servqual.Tangibles: 0.8}},
}

// expectations are what customers expect of each dimension (1–7).
var expectations = map[servqual.Dimension]float64{
	servqual.Reliability: 6.6, servqual.Responsiveness: 6.4, servqual.Assurance: 6.2, servqual.Empathy: 5.8, servqual.Tangibles: 5.2,
}

// detractorComments are what unhappy customers write, by touchpoint.
var detractorComments = map[string][]string{
	"queueing":      {"排队等了一个多小时，只开了两个窗口。", "叫号系统乱，等候区也没有座位。"},
	"counter":       {"柜员态度冷淡，问什么都说不归她管。", "办一张卡跑了三趟，每次要的材料都不一样。"},
	"phone_service": {"客服电话一直转人工转不过去。", "客服只会念话术，根本不解决问题。"},
	"app_login":     {"手机银行更新后总是登录失败。", "人脸识别一直不通过，登录不上。"},
	"transfer":      {"转账显示成功但对方一直没到账。"},
	"atm":           {"ATM吞卡了，等了半天没人管。"},
}

// Surveys returns the demo's survey answers: three a day over the 90 days
// before now, NPS, CSAT and SERVQUAL in turn, from the touchpoints and
// branches of the demo. Deterministic but for the dates.
func Surveys(now time.Time) []collect.Survey {
	rng := rand.New(rand.NewPCG(2020, 1124))
	clamp := func(x, lo, hi float64) float64 { return max(lo, min(hi, x)) }
	var out []collect.Survey
	for d := surveyDays; d >= 1; d-- {
		for k := range 3 {
			i := len(out)
			p := surveyPlaces[rng.IntN(len(surveyPlaces))]
			at := now.Add(-time.Duration(d)*24*time.Hour + time.Duration(9+rng.IntN(9))*time.Hour).UTC().Truncate(time.Second)
			s := collect.Survey{
				ID: fmt.Sprintf("demo-survey-%04d", i), At: at,
				Place: collect.Place{Touchpoint: p.touchpoint, Channel: p.channel, Branch: branches[rng.IntN(len(branches))]},
			}
			// how the visit went: a bad one lowers every answer
			mood := rng.NormFloat64()
			for _, v := range p.drop {
				mood -= v / 4
			}
			switch k {
			case 0:
				s.Kind = collect.KindNPS
				score := int(clamp(8+1.6*mood+rng.NormFloat64(), 0, 10) + 0.5)
				s.Score = &score
				if score <= 6 {
					cs := detractorComments[p.touchpoint]
					s.Comment = cs[rng.IntN(len(cs))]
				}
			case 1:
				s.Kind = collect.KindCSAT
				score := int(clamp(4+0.8*mood+0.5*rng.NormFloat64(), 1, 5) + 0.5)
				s.Score = &score
			default:
				s.Kind = collect.KindServqual
				for _, dim := range servqual.Dimensions {
					e := clamp(float64(int(expectations[dim]+0.6*rng.NormFloat64()+0.5)), 1, 7)
					pc := clamp(float64(int(5.6-p.drop[dim]+0.4*mood+0.7*rng.NormFloat64()+0.5)), 1, 7)
					s.Items = append(s.Items, servqual.Item{Dimension: dim, Expectation: e, Perception: pc})
				}
			}
			out = append(out, s)
		}
	}
	return out
}

// demoPosts are what customers post about the bank, with where it
// happened: the seeds' complaints as they read on social media.
var demoPosts = []struct {
	platform, touchpoint, text string
}{
	{"weibo", "statement", "信用卡账单这个月又没收到，差点逾期，打客服电话半天没人接，这银行真是服了[怒]"},
	{"weibo", "queueing", "周六去网点办业务，排队等了一个半小时，十个窗口只开两个，大堂经理也不管。"},
	{"douyin", "counter", "柜员态度太冷漠了，问什么都说不归她管，以后再也不来这家银行了！"},
	{"xiaohongshu", "app_login", "手机银行更新以后一直登录失败，人脸识别不通过，急着转账都转不了，太耽误事了。"},
	{"weibo", "phone_service", "客服电话转人工等了二十分钟，接通后只会念话术，问题一点没解决。"},
	{"weibo", "transfer", "跨行转账显示成功，对方三天了还没到账，客服说让我再等等。"},
	{"douyin", "atm", "ATM吞卡了，周末没人管，要等周一才能取，真是无语。"},
	{"xiaohongshu", "fees", "莫名其妙被扣了300元年费，办卡时客户经理明明说终身免年费，这是误导销售吧。"},
	{"weibo", "card_delivery", "新卡寄了两周还没收到，查物流也查不到，客服一问三不知。"},
	{"xiaohongshu", "counter", "今天在网点遇到一位很耐心的柜员，帮我把问题一次解决了，点赞！"},
	{"weibo", "wealth", "理财经理推荐的产品说保本，结果亏了，现在找不到人负责，要去监管投诉。"},
	{"douyin", "loan", "房贷放款一拖再拖，材料交了三次，每次要的都不一样，到底怎么回事？"},
}

// Posts returns the demo's social-media posts: four a week over the 90
// days before now, the latest weeks with more of the statement complaints
// (the bills that never arrived). Deterministic but for the dates.
func Posts(now time.Time) []collect.Post {
	rng := rand.New(rand.NewPCG(2020, 3003))
	var out []collect.Post
	for d := surveyDays; d >= 1; d -= 2 {
		p := demoPosts[rng.IntN(len(demoPosts))]
		if d <= 14 && rng.IntN(2) == 0 {
			p = demoPosts[0]
		}
		at := now.Add(-time.Duration(d)*24*time.Hour + time.Duration(8+rng.IntN(14))*time.Hour).UTC().Truncate(time.Second)
		out = append(out, collect.Post{
			ID: fmt.Sprintf("demo-post-%03d", len(out)), Platform: p.platform, At: at, Text: p.text,
			Author: fmt.Sprintf("用户%04d", 1000+rng.IntN(9000)),
			Place:  collect.Place{Touchpoint: p.touchpoint},
		})
	}
	return out
}
