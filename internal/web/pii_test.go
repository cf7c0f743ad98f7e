package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/cases"
)

// TestPersonalDataMasking checks that roles without pii:view never receive a
// phone, ID-card or card number in clear, in fields or inside texts, on any
// read route they may use, while handlers see them in full.
func TestPersonalDataMasking(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ctx := context.Background()
	const (
		phone = "13812345678"
		idc   = "110101199003071233"
		card  = "6222021234567890"
	)
	c, err := e.as[auth.RoleAgent].CreateCase(ctx, cases.NewCase{
		Channel:  cases.ChannelSocial,
		Customer: cases.Customer{ID: "C7", Name: "陈静", Phone: phone, IDCard: idc},
		Text:     "骚扰电话打到我的手机" + phone + "，卡号" + card + "的信息也泄露了",
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.as[auth.RoleAgent].AddContact(ctx, c.ID, cases.ContactInput{Channel: cases.ChannelPhone, Direction: cases.Inbound, Content: "客户报身份证" + idc}); err != nil {
		t.Fatal(err)
	}
	// The create response itself is masked for the agent.
	if c.Customer.Phone != "138****5678" || strings.Contains(c.Text, phone) || strings.Contains(c.Text, card) {
		t.Errorf("agent's create response not masked: %+v / %q", c.Customer, c.Text)
	}
	reads := []string{"/api/v1/cases/" + c.ID, "/api/v1/cases?q=骚扰", "/api/v1/cases/" + c.ID + "/audit"}
	for _, role := range auth.Roles {
		for _, p := range reads {
			resp, err := e.as[role].Raw(ctx, "GET", p, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status == 403 {
				continue
			}
			if resp.Status != 200 {
				t.Fatalf("%s GET %s: %d %s", role, p, resp.Status, resp.Body)
			}
			body := string(resp.Body)
			leaks := strings.Contains(body, phone) || strings.Contains(body, idc) || strings.Contains(body, card)
			if role.Can(auth.PermPIIView) {
				if p == reads[0] && !(strings.Contains(body, phone) && strings.Contains(body, idc) && strings.Contains(body, card)) {
					t.Errorf("%s should see personal data in full on %s", role, p)
				}
			} else if leaks {
				t.Errorf("%s sees personal data on %s: %s", role, p, body)
			}
		}
	}
	// Masking keeps the identifiers the client needs to link resources.
	got, err := e.as[auth.RoleAnalyst].GetCase(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(got)
	if got.ID != c.ID || got.Customer.ID != "C7" || got.Customer.IDCard != "110***********1233" || !strings.Contains(string(raw), "138****5678") {
		t.Errorf("analyst view: id %q customer %+v", got.ID, got.Customer)
	}
}
