package ui

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"testing"

	"huajie/internal/alerts"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/deadlines"
	"huajie/internal/goodwill"
	"huajie/internal/i18n"
	"huajie/internal/insight"
	"huajie/internal/interactions"
	"huajie/internal/jrt"
	"huajie/internal/measures"
)

// literalKey finds {{$.T "key"}}, {{.T "key"}} and {{$p.T "key"}} calls.
var literalKey = regexp.MustCompile(`\.T "([^"]+)"`)

// enumKey finds {{$.TK "prefix" …}} calls.
var enumKey = regexp.MustCompile(`\.TK "([^"]+)"`)

// TestTemplateKeysInCatalog fails when a template uses a key that is not
// in the catalog, or an enum prefix the test does not know the values of.
func TestTemplateKeysInCatalog(t *testing.T) {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatal(err, files)
	}
	enums := enumValues()
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for _, m := range literalKey.FindAllStringSubmatch(string(b), -1) {
			if !i18n.Has(m[1]) {
				t.Errorf("%s: key %q is not in the catalog", f, m[1])
			}
		}
		for _, m := range enumKey.FindAllStringSubmatch(string(b), -1) {
			vals, ok := enums[m[1]]
			if !ok {
				t.Errorf("%s: enum prefix %q: the test does not list its values", f, m[1])
			}
			for _, v := range vals {
				if !i18n.Has(m[1] + "." + v) {
					t.Errorf("%s: key %q is not in the catalog", f, m[1]+"."+v)
				}
			}
		}
	}
}

// TestGoKeysInCatalog covers the keys built in Go code.
func TestGoKeysInCatalog(t *testing.T) {
	var keys []string
	for _, k := range draftKeys {
		keys = append(keys, "draft."+k+".name", "draft."+k+".text")
	}
	for i := 1; i <= 5; i++ {
		keys = append(keys, fmt.Sprintf("home.step%d.title", i), fmt.Sprintf("home.step%d.body", i))
	}
	for _, e := range emotions {
		keys = append(keys, "emotion."+string(e))
	}
	for _, c := range cases.Channels {
		keys = append(keys, "channel."+string(c))
	}
	// The insight section: verdict texts, and the fields the pickers and
	// the services' typed errors name.
	for _, v := range []string{"fall", "rise", "none"} {
		keys = append(keys, "ia.verdict_text."+v)
	}
	for _, f := range []string{"source", "by", "bucket", "level", "chart", "limit", "days", "from", "to", "z", "threshold", "status",
		"title", "description", "owner", "due", "effective_from", "target_kind", "target_value", "cause_value", "touchpoint_value", "cluster_value"} {
		keys = append(keys, "ia.f."+f)
	}
	keys = append(keys, "ia.alerts_off", "ia.alert_state", "ia.alert_note")
	keys = append(keys, "err.not_found", "err.conflict", "err.illegal", "err.invalid", "err.too_large",
		"err.unsupported_type", "err.internal", "err.csrf", "err.forbidden", "err.signin_required")
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("key %q is not in the catalog", k)
		}
	}
}

func enumValues() map[string][]string {
	str := func(vs ...any) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = fmt.Sprint(v)
		}
		return append(out, "none")
	}
	m := map[string][]string{}
	var roles, states, channels, remedies, types, emos []any
	for _, r := range auth.Roles {
		roles = append(roles, r)
	}
	for _, s := range cases.States {
		states = append(states, s)
	}
	for _, c := range cases.Channels {
		channels = append(channels, c)
	}
	for _, r := range cases.RemedyKinds {
		remedies = append(remedies, r)
	}
	for _, c := range cases.ComplaintTypes {
		types = append(types, c)
	}
	for _, e := range emotions {
		emos = append(emos, e)
	}
	m["role"] = str(roles...)
	m["role_desc"] = str(roles...)[:len(roles)]
	m["state"] = str(states...)
	m["move"] = str(states...)[:len(states)]
	m["channel"] = str(channels...)
	m["remedy"] = str(remedies...)[:len(remedies)]
	m["ctype"] = str(types...)[:len(types)]
	m["emotion"] = str(emos...)
	m["severity"] = str(cases.SeverityLow, cases.SeverityMedium, cases.SeverityHigh, cases.SeverityCritical)
	m["dl"] = str(deadlines.StatusOK, deadlines.StatusWarning, deadlines.StatusBreached, deadlines.StatusMet, deadlines.StatusMetLate, deadlines.StatusLapsed)
	m["dlkind"] = str(deadlines.KindDecision, deadlines.KindResponse, deadlines.KindFinal, deadlines.KindSummary, deadlines.KindReview)[:5]
	m["dir"] = str(cases.Inbound, cases.Outbound)[:2]
	m["cue"] = str(cases.CueRegulator, cases.CueMedia, cases.CueLegal, cases.CueChurn, cases.CueRepeat, cases.CueAbuse, cases.CueComplaint)[:7]
	m["speaker"] = []string{"customer", "agent", "none"}
	m["channel"] = append(m["channel"], interactions.Channels...)
	m["gw"] = []string{"none"}
	for _, r := range goodwill.Results {
		m["gw"] = append(m["gw"], string(r))
	}
	m["queue"] = queues
	m["queue_desc"] = queues
	// The insight page: a cluster's trend direction, a measure's status.
	m["ins.dir"] = []string{"rising", "falling", "steady", "none"}
	for _, st := range measures.Statuses {
		m["ins.st"] = append(m["ins.st"], string(st))
	}
	m["ins.st"] = append(m["ins.st"], "none")
	// The insight section's pickers and tables.
	m["ia.src"] = append(slices.Clone(pickSources), "none")
	m["ia.dim"] = append(slices.Clone(insight.Dims), "none")
	m["ia.bucket"] = append(slices.Clone(pickBuckets), "none")
	m["ia.level"] = append(slices.Clone(pickLevels), "none")
	m["ia.chart"] = append(slices.Clone(pickCharts), "none")
	m["ia.kind"] = str(measures.TargetCause, measures.TargetTouchpoint, measures.TargetCluster)
	m["ia.verdict"] = []string{"fall", "rise", "none"}
	m["ia.astate"] = []string{"none"}
	for _, st := range alerts.SpikeStates {
		m["ia.astate"] = append(m["ia.astate"], string(st))
	}
	m["ia.axis"] = str(jrt.Channel, jrt.Business, jrt.Cause)
	m["ia.band"] = []string{"within_15_days", "within_30_days", "within_60_days", "later", "not_decided",
		"within_3_business_days", "within_4_weeks", "within_8_weeks", "open", "none"}
	return m
}
