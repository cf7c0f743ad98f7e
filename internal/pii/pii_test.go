package pii_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"huajie/internal/pii"
)

func TestMaskText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"mobile in Chinese text", "我的手机号13812345678一直接到骚扰电话", "我的手机号138****5678一直接到骚扰电话"},
		{"mobile with separators", "请回电 138-1234-5678 谢谢", "请回电 138-****-5678 谢谢"},
		{"mobile with country code", "+8613812345678", "+86138****5678"},
		{"id card 18", "身份证110101199003071234已提交", "身份证110***********1234已提交"},
		{"id card with X", "证件号11010119900307123X。", "证件号110***********123X。"},
		{"id card old 15", "旧证件110101900307123", "旧证件110********7123"},
		{"bank card grouped", "卡号 6222 0212 3456 7890 123 未收到账单", "卡号 6222 **** **** ***0 123 未收到账单"},
		{"bank card plain 16", "card 6222021234567890 stolen", "card 6222********7890 stolen"},
		{"date untouched", "2026-01-15 收到账单", "2026-01-15 收到账单"},
		{"amount untouched", "补偿金额 1000 元, 12345 积分", "补偿金额 1000 元, 12345 积分"},
		{"short number untouched", "工号 10086 处理", "工号 10086 处理"},
		{"reference token untouched", "工单ORD20261123000123", "工单ORD20261123000123"},
		{"two numbers", "13812345678 和 13987654321", "138****5678 和 139****4321"},
		{"english", "call me on 13812345678.", "call me on 138****5678."},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pii.MaskText(tt.in); got != tt.want {
				t.Errorf("MaskText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskFields(t *testing.T) {
	tests := []struct {
		name string
		f    func(string) string
		in   string
		want string
	}{
		{"phone", pii.MaskPhone, "13812345678", "138****5678"},
		{"phone landline", pii.MaskPhone, "010-8888-6666", "010-****-6666"},
		{"phone short hidden", pii.MaskPhone, "12345", "*****"},
		{"id", pii.MaskIDCard, "11010119900307123X", "110***********123X"},
		{"card", pii.MaskCard, "6222 0212 3456 7890", "6222 **** **** 7890"},
		{"empty", pii.MaskPhone, "  ", ""},
		{"non-ascii kept valid", pii.MaskPhone, "电话一三八一二三四五六七八", "电话一******五六七八"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHandlerMasksEverything(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(pii.NewHandler(slog.NewJSONHandler(&buf, nil)))
	log = log.With("customer_phone", "13812345678")
	log.WithGroup("case").Info("intake from 13987654321",
		"id_card", "110101199003071234",
		"err", errors.New("lookup 6222021234567890 failed"),
		"phone_num", int64(13512345678),
		slog.Group("c", "card", "6222 0212 3456 7890"),
		"count", 3)
	out := buf.String()
	for _, leak := range []string{"13812345678", "13987654321", "110101199003071234", "6222021234567890", "13512345678", "0212 3456"} {
		if strings.Contains(out, leak) {
			t.Errorf("log leaks %q: %s", leak, out)
		}
	}
	for _, keep := range []string{"138****5678", "139****4321", `"count":3`, "110***********1234"} {
		if !strings.Contains(out, keep) {
			t.Errorf("log lacks %q: %s", keep, out)
		}
	}
}
