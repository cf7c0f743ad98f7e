package risk_test

import (
	"fmt"
	"time"

	"huajie/internal/analysis"
	"huajie/internal/risk"
)

// A conversation scored message by message, as the ingest path does. (No
// Output: the figures move when the built-in text models are retrained.)
func ExampleModel_Update() {
	an, err := analysis.Default()
	if err != nil {
		panic(err)
	}
	m := risk.Default()
	var st risk.State // stored between messages (JSON or MarshalBinary)
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	wait := 240.0
	for i, msg := range []risk.Message{
		{Role: risk.RoleCustomer, Text: "我的信用卡账单一直没收到,害我逾期了！", Signals: risk.Signals{WaitSeconds: &wait}},
		{Role: risk.RoleAgent, Text: "这不归我管。"},
		{Role: risk.RoleCustomer, Text: "再不解决我就打12378投诉你们！"},
	} {
		msg.ConversationID, msg.CustomerID, msg.Channel = "c-1", "u-1", "phone"
		msg.Time = start.Add(time.Duration(i) * time.Minute)
		as := m.Update(&st, msg, an.Analyze(msg.Text, false), risk.History{PriorComplaints: 1})
		fmt.Printf("turn %d: %.2f %s\n", as.Turn, as.Risk, as.Level)
		for _, r := range as.Reasons {
			fmt.Printf("  %s %+.2f %s\n", r.Code, r.Weight, r.Zh)
		}
		for _, iv := range as.Interventions {
			fmt.Printf("  → %s\n", iv.Zh)
		}
		if as.Risk >= risk.DefaultAlertThreshold {
			fmt.Println("  alert")
		}
	}
}
