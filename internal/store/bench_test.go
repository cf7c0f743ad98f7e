package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"huajie/internal/cases"
	"huajie/internal/store"
)

// seedCases inserts n synthetic cases with multi-row INSERTs (500 rows a
// statement, one transaction per 10 statements). It bypasses the service
// and the audit trail: it measures queries, not intake.
func seedCases(tb testing.TB, db *store.DB, n int) {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{
		"信用卡账单一直没有收到，产生了滞纳金，要求减免",
		"柜员服务态度冷漠，排队两个小时没人理",
		"我的个人信息被泄露，每天接到骚扰电话",
		"理财产品收益与宣传不符，要求赔偿损失",
		"手机银行转账失败但钱被扣了",
		"贷款提前还款被收取高额违约金",
		"ATM吞卡后一直没有归还",
		"The fee on my account was charged twice",
	}
	states := []cases.State{cases.StateReceived, cases.StateAssessing, cases.StateInvestigating,
		cases.StateResolutionProposed, cases.StateAwaitingCustomer, cases.StateFollowUp, cases.StateClosed, cases.StateClosed, cases.StateClosed}
	sev := []cases.Severity{cases.SeverityLow, cases.SeverityMedium, cases.SeverityHigh, cases.SeverityCritical}
	start := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	const cols = 21
	const batch = 500
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	for done := 0; done < n; {
		err := db.WithTx(ctx, func(tx *store.Tx) error {
			for k := 0; k < 10 && done < n; k++ {
				m := min(batch, n-done)
				args := make([]any, 0, m*cols)
				docArgs := make([]any, 0, 2*m)
				for i := range m {
					id := done + i
					recv := start.Add(time.Duration(id) * 5 * time.Minute).Add(time.Duration(rng.IntN(300)) * time.Second)
					st := states[rng.IntN(len(states))]
					text := fmt.Sprintf("%s（第%d次反映）", texts[rng.IntN(len(texts))], rng.IntN(5)+1)
					c := &cases.Case{ID: fmt.Sprintf("HJB-%07d", id), Version: 1, State: st, Channel: cases.Channels[rng.IntN(len(cases.Channels))],
						Customer:   cases.Customer{ID: fmt.Sprintf("C%06d", rng.IntN(40000)), Name: fmt.Sprintf("客户%d", rng.IntN(40000))},
						ReceivedAt: recv, CreatedAt: recv, UpdatedAt: recv, Text: text,
						Assignee: fmt.Sprintf("handler%02d", rng.IntN(20))}
					c.Assessment.Severity = sev[rng.IntN(len(sev))]
					c.Assessment.CauseCode = fmt.Sprintf("C%02d", rng.IntN(12)+1)
					c.Assessment.BusinessCode = fmt.Sprintf("B%02d", rng.IntN(8)+1)
					bits := rng.IntN(16) & rng.IntN(16) // about a third with any flag
					c.Assessment.Difficulty = cases.Difficulty{StrongEmotion: bits&1 != 0, SeveralDepartments: bits&2 != 0, UnclearDemands: bits&4 != 0, WideImpact: bits&8 != 0}
					var due any
					if st.Open() {
						due = recv.Add(16 * 24 * time.Hour).UnixMicro()
					}
					doc, _ := json.Marshal(c)
					args = append(args, c.ID, c.Version, string(c.State), string(c.Channel), c.Customer.ID, c.Customer.Name,
						recv.UnixMicro(), recv.UnixMicro(), recv.UnixMicro(), cases.Title(text), c.Assignee,
						string(c.Assessment.Severity), c.Assessment.CauseCode, c.Assessment.BusinessCode, bits, rng.IntN(2)*rng.IntN(4),
						due, "ok", "", c.Customer.Name+"\n\n"+text, store.SearchGrams(c.Customer.Name+"\n\n"+text))
					docArgs = append(docArgs, c.ID, string(doc))
				}
				q := `INSERT INTO cases (id, version, state, channel, customer_id, customer_name, received_at, created_at,
					updated_at, title, assignee, severity, cause_code, business_code, difficulty, escalation, next_due,
					deadline_status, merged_into, search, grams) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", m), ", ")
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					return err
				}
				q = `INSERT INTO case_docs (id, doc) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", m), ", ")
				if _, err := tx.ExecContext(ctx, q, docArgs...); err != nil {
					return err
				}
				done += m
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	if db.Dialect() == store.Postgres {
		if _, err := db.Writer().ExecContext(ctx, `ANALYZE cases`); err != nil {
			tb.Fatal(err)
		}
	} else if _, err := db.Writer().ExecContext(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkList100k measures filtered list queries (one page of 50) over
// 100,000 cases on SQLite and PostgreSQL.
//
//	go test ./internal/store -run '^$' -bench List100k -benchtime 200x
func BenchmarkList100k(b *testing.B) {
	const n = 100_000
	due := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	filters := []struct {
		name string
		f    cases.ListFilter
	}{
		{"newest", cases.ListFilter{}},
		{"state", cases.ListFilter{States: []cases.State{cases.StateInvestigating}}},
		{"state+channel+cause", cases.ListFilter{States: []cases.State{cases.StateInvestigating, cases.StateAssessing},
			Channels: []cases.Channel{cases.ChannelPhone}, CauseCode: "C03"}},
		{"assignee+open", cases.ListFilter{Assignee: "handler07", States: []cases.State{cases.StateReceived, cases.StateAssessing, cases.StateInvestigating}}},
		{"difficulty", cases.ListFilter{Difficulty: []string{cases.FlagStrongEmotion, cases.FlagWideImpact}}},
		{"due_before", cases.ListFilter{DueBefore: due}},
		{"search_zh_4chars", cases.ListFilter{Query: "骚扰电话"}},
		{"search_zh_2chars", cases.ListFilter{Query: "吞卡"}},
		{"search_rare+state", cases.ListFilter{Query: "客户1234", States: []cases.State{cases.StateClosed}}},
		{"customer", cases.ListFilter{CustomerID: "C012345"}},
		{"search_2chars_rare", cases.ListFilter{Query: "客户1"}},
		{"search_none_worst", cases.ListFilter{Query: "龙虾"}},
	}
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			var db *store.DB
			if dialect == "sqlite" {
				db = openSQLite(b)
			} else {
				db = openPostgres(b)
			}
			seedCases(b, db, n)
			s := cases.New(cases.Opts{Repo: db.Cases()})
			ctx := context.Background()
			for _, fl := range filters {
				b.Run(fl.name, func(b *testing.B) {
					p, err := s.List(ctx, fl.f)
					if err != nil {
						b.Fatal(err)
					}
					if len(p.Items) == 0 && !strings.HasSuffix(fl.name, "_worst") {
						b.Fatalf("filter %s matched nothing", fl.name)
					}
					b.ResetTimer()
					for b.Loop() {
						if _, err := s.List(ctx, fl.f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run("page_100_deep", func(b *testing.B) {
				for b.Loop() {
					f := cases.ListFilter{States: []cases.State{cases.StateClosed}, Limit: 50}
					for range 100 {
						p, err := s.List(ctx, f)
						if err != nil {
							b.Fatal(err)
						}
						f.Cursor = p.Next
					}
				}
			})
		})
	}
}
