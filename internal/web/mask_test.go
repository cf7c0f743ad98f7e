package web

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestMaskJSONKeepsShapeAndOrder(t *testing.T) {
	in := `{"id":"HJ1","customer":{"id":"C1","phone":"13812345678","id_card":"110101199003071233","name":"张伟"},` +
		`"text":"卡号6222021234567890","n":12345678901234,"ok":true,"nil":null,"merged":["HJ20261123000000000"],` +
		`"contacts":[{"content":"电话13987654321","at":"2026-11-23T10:00:00Z"},{"content":"无"}],"empty":{},"arr":[],"nested":[[1,"13512345678"]]}`
	got := string(maskJSON([]byte(in)))
	want := `{"id":"HJ1","customer":{"id":"C1","phone":"138****5678","id_card":"110***********1233","name":"张伟"},` +
		`"text":"卡号6222********7890","n":12345678901234,"ok":true,"nil":null,"merged":["HJ20261123000000000"],` +
		`"contacts":[{"content":"电话139****4321","at":"2026-11-23T10:00:00Z"},{"content":"无"}],"empty":{},"arr":[],"nested":[[1,"135****5678"]]}`
	if got != want {
		t.Errorf("maskJSON:\n got %s\nwant %s", got, want)
	}
	var a, b any
	if json.Unmarshal([]byte(got), &a) != nil || json.Unmarshal([]byte(want), &b) != nil || !reflect.DeepEqual(a, b) {
		t.Error("output is not the same JSON document")
	}
}
