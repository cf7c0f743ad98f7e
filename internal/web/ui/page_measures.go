package ui

import (
	"errors"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/i18n"
	"huajie/internal/measures"
)

// measureForm limits: a form body is small; refuse anything larger.
const maxMeasureForm = 16 << 10

// option is one <option> of a picker.
type option struct{ Value, Label string }

// measuresData is the measures list with its forms.
type measuresData struct {
	insightBase
	Statuses []string
	Filter   string
	Items    []measureRow
	Kinds    []string
	Causes   []option
	Points   []option
	// Open says the create form starts open (prefilled or rejected).
	Open bool
}

type measureRow struct {
	ID, Title, Target, Owner, Due, Status, Effective string
	// Overdue: past its due date and neither done nor cancelled.
	Overdue bool
}

// causeOptions lists the JR/T 0169-2018 categories of the three axes,
// indented by depth, for the measure form's target picker.
func causeOptions(lang i18n.Lang) []option {
	var out []option
	for _, c := range builtinTaxonomy().Categories() {
		name := c.Name
		if lang == i18n.EN && c.NameEn != "" {
			name = c.NameEn
		}
		out = append(out, option{c.Code, strings.Repeat("\u00a0\u00a0", c.Depth) + c.Code + " " + name})
	}
	return out
}

func (s *server) touchpointOptions(lang i18n.Lang) []option {
	var out []option
	for _, t := range s.analyst.Touchpoints() {
		out = append(out, option{t.Code, valueName(lang, "touchpoint", t.Code, t.Name, t.NameEn)})
	}
	return out
}

// targetName shows a measure's target: the JR/T category or touchpoint
// by name, a cluster term as it is.
func (s *server) targetName(lang i18n.Lang, t measures.Target) string {
	v := t.Value
	switch t.Kind {
	case measures.TargetCause:
		if c, ok := builtinTaxonomy().Lookup(t.Value); ok {
			v = t.Value + " " + valueName(lang, "cause", t.Value, c.Name, c.NameEn)
		}
	case measures.TargetTouchpoint:
		v = s.touchpointName(lang, t.Value)
	}
	return i18n.T(lang, "ia.kind."+string(t.Kind)) + "：" + v
}

func effectiveOf(m *measures.Measure) time.Time {
	if m.EffectiveFrom.IsZero() {
		return m.Due
	}
	return m.EffectiveFrom
}

// insightMeasures lists the measures (optionally of one status) with the
// form that creates one, prefilled from the query (a cluster's action).
func (s *server) insightMeasures(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	p := &page{Title: "ia.measures", Nav: "insight", Sub: "measures", Form: map[string]string{}}
	q := r.URL.Query()
	for _, k := range []string{"kind", "value", "title"} {
		if v := q.Get(k); v != "" {
			p.Form[k] = clipTo(v, 200)
		}
	}
	if v := p.Form["value"]; v != "" {
		p.Form[p.Form["kind"]+"_value"] = v
	}
	s.renderMeasures(w, r, id, p, http.StatusOK)
}

func clipTo(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func (s *server) renderMeasures(w http.ResponseWriter, r *http.Request, id auth.Identity, p *page, status int) {
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	d := measuresData{insightBase: insightBase{Ready: s.analyst != nil}, Kinds: []string{string(measures.TargetCause), string(measures.TargetTouchpoint), string(measures.TargetCluster)}}
	for _, st := range measures.Statuses {
		d.Statuses = append(d.Statuses, string(st))
	}
	d.Filter = r.URL.Query().Get("status")
	if d.Filter != "" && !slices.Contains(d.Statuses, d.Filter) {
		if p.Errors == nil {
			p.Errors = map[string]string{}
		}
		p.Errors["filter"] = i18n.T(lang, "ia.err.choice", i18n.T(lang, "ia.f.status"), clip(d.Filter))
		d.Filter = ""
		status = http.StatusBadRequest
	}
	d.Open = len(p.Form) > 0 || p.Action == "create"
	if s.analyst != nil {
		d.Causes, d.Points = causeOptions(lang), s.touchpointOptions(lang)
		ms, err := s.analyst.ListMeasures(ctx, d.Filter)
		if err != nil {
			s.log.ErrorContext(ctx, "insight measures", "err", err)
			d.Err = true
		}
		for i := range ms {
			m := &ms[i]
			row := measureRow{ID: m.ID, Title: m.Title, Target: s.targetName(lang, m.Target), Owner: m.Owner,
				Due: m.Due.Format(time.DateOnly), Status: string(m.Status), Effective: effectiveOf(m).Format(time.DateOnly)}
			row.Overdue = m.Due.Before(s.today()) && (m.Status == measures.StatusPlanned || m.Status == measures.StatusInProgress)
			d.Items = append(d.Items, row)
		}
	}
	p.Data = d
	s.render(w, r, status, "insight_measures", p)
}

// readMeasureForm reads the create/edit form into the service's input.
// The target's value comes from the picker of the chosen kind.
func readMeasureForm(r *http.Request) (analyst.MeasureInput, map[string]string) {
	f := map[string]string{}
	for _, k := range []string{"title", "description", "owner", "due", "effective_from", "kind", "cause_value", "touchpoint_value", "cluster_value", "status", "version"} {
		f[k] = r.PostFormValue(k)
	}
	in := analyst.MeasureInput{Title: f["title"], Description: f["description"], Owner: f["owner"], Due: f["due"], EffectiveFrom: f["effective_from"],
		Status: measures.Status(f["status"]), Target: measures.Target{Kind: measures.TargetKind(f["kind"]), Value: strings.TrimSpace(f[f["kind"]+"_value"])}}
	in.IfVersion, _ = strconv.ParseInt(f["version"], 10, 64)
	return in, f
}

// measureFieldError maps the service's typed errors to the form's field
// and a translated message; ok is false for other errors.
func measureFieldError(lang i18n.Lang, kind string, err error) (field, msg string, ok bool) {
	var ve *measures.ValidationError
	var ie *analyst.InputError
	switch {
	case errors.As(err, &ve):
		field = ve.Field
		msg = i18n.T(lang, "ia.err.field", i18n.T(lang, "ia.f."+strings.ReplaceAll(ve.Field, ".", "_")), ve.Reason)
	case errors.As(err, &ie):
		field = ie.Field
		msg = i18n.T(lang, "ia.err.field", i18n.T(lang, "ia.f."+strings.ReplaceAll(ie.Field, ".", "_")), ie.Reason)
	case errors.Is(err, measures.ErrConflict):
		return "form", i18n.T(lang, "err.conflict"), true
	default:
		return "", "", false
	}
	switch field {
	case "target.kind":
		field = "kind"
	case "target.value":
		field = kind + "_value"
		if kind == "" {
			field = "kind"
		}
	}
	return field, msg, true
}

// postedMeasureForm reads a posted measure form within its size limit;
// false when the page has already been answered (no analyst, too large).
func (s *server) postedMeasureForm(w http.ResponseWriter, r *http.Request) (analyst.MeasureInput, map[string]string, bool) {
	if s.analyst == nil {
		s.renderError(w, r, http.StatusServiceUnavailable, "ins.off")
		return analyst.MeasureInput{}, nil, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxMeasureForm)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusRequestEntityTooLarge, "err.too_large")
		return analyst.MeasureInput{}, nil, false
	}
	in, form := readMeasureForm(r)
	return in, form, true
}

// measureCreate creates a measure from the form; a refused field is shown
// next to it with the form refilled, nothing stored.
func (s *server) measureCreate(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	lang := infoFrom(r.Context()).lang
	in, form, ok := s.postedMeasureForm(w, r)
	if !ok {
		return
	}
	in.Status = measures.StatusPlanned
	m, err := s.analyst.CreateMeasure(r.Context(), id.Name, in)
	if err != nil {
		field, msg, ok := measureFieldError(lang, form["kind"], err)
		if !ok {
			s.log.ErrorContext(r.Context(), "creating a measure", "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "err.internal")
			return
		}
		s.renderMeasures(w, r, id, &page{Title: "ia.measures", Nav: "insight", Sub: "measures", Errors: map[string]string{field: msg}, Form: form, Action: "create"}, http.StatusUnprocessableEntity)
		return
	}
	http.Redirect(w, r, "/ui/insight/measures/"+m.ID+"?created=1", http.StatusSeeOther)
}

// nextStatuses are the statuses a measure may be moved to from st
// (planned → in progress → done, or cancelled before it is done).
func nextStatuses(st measures.Status) []string {
	switch st {
	case measures.StatusPlanned:
		return []string{"planned", "in_progress", "cancelled"}
	case measures.StatusInProgress:
		return []string{"in_progress", "done", "cancelled"}
	}
	return []string{string(st)}
}

// measureData is one measure's page: its fields, the edit form and the
// effect of the measure.
type measureData struct {
	Ready    bool
	M        *measures.Measure
	Target   string
	Kinds    []string
	Causes   []option
	Points   []option
	Next     []string
	Effect   *analyst.EffectView
	NotYet   string // why there is no effect to show
	Chart    chartSpec
	Verdict  string // fall, rise, none
	Created  bool
	EffErr   bool
	Days     int
	DayNames []int
}

// measurePage shows a measure and its effect: targeted complaints per day
// before and after the effective day (marked), the rates, the z-test and
// the Poisson test, and a verdict in plain words.
func (s *server) measurePage(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	s.renderMeasure(w, r, id, &page{}, http.StatusOK)
}

func (s *server) renderMeasure(w http.ResponseWriter, r *http.Request, id auth.Identity, p *page, status int) {
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	if s.analyst == nil {
		s.renderError(w, r, http.StatusServiceUnavailable, "ins.off")
		return
	}
	m, err := s.analyst.GetMeasure(ctx, r.PathValue("id"))
	if errors.Is(err, measures.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, "err.not_found")
		return
	} else if err != nil {
		s.log.ErrorContext(ctx, "measure page", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "err.internal")
		return
	}
	d := measureData{Ready: true, M: m, Target: s.targetName(lang, m.Target), Causes: causeOptions(lang), Points: s.touchpointOptions(lang),
		Kinds: []string{string(measures.TargetCause), string(measures.TargetTouchpoint), string(measures.TargetCluster)},
		Next:  nextStatuses(m.Status), Created: r.URL.Query().Get("created") != "", DayNames: []int{14, 28, 56, 90}}
	d.Days = analyst.DefaultEffectDays
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 365 {
			d.NotYet = i18n.T(lang, "ia.err.number", i18n.T(lang, "ia.f.days"), clip(v), "1", "365")
			status = http.StatusBadRequest
		} else {
			d.Days = n
		}
	}
	if d.NotYet == "" {
		e, err := s.analyst.Effect(ctx, m.ID, d.Days)
		if msg, ok := inputMessage(lang, err); ok {
			d.NotYet = msg
		} else if err != nil {
			s.log.ErrorContext(ctx, "measure effect", "err", err)
			d.EffErr = true
		} else {
			d.Effect = e
			d.Chart = chartSpec{Kind: "bar", NoAnim: s.noAnim, Marker: e.Effect.Effective.Format(time.DateOnly), YName: i18n.T(lang, "ins.count")}
			targ, other := make([]float64, 0, len(e.Days)), make([]float64, 0, len(e.Days))
			for _, day := range e.Days {
				d.Chart.X = append(d.Chart.X, day.Day.Format(time.DateOnly))
				targ = append(targ, float64(day.Targeted))
				other = append(other, float64(day.Total-day.Targeted))
			}
			d.Chart.Series = []chartSeries{{Name: i18n.T(lang, "ins.targeted"), Data: targ}, {Name: i18n.T(lang, "ia.other_complaints"), Data: other, Type: "line"}}
			d.Verdict = verdict(e.Effect.PerDay)
		}
	}
	if p.Form == nil {
		p.Form = map[string]string{}
	}
	p.Title, p.Nav, p.Sub, p.Data = "ia.measure", "insight", "measures", d
	s.render(w, r, status, "insight_measure", p)
}

// verdict reads the per-day rate test: a significant fall, a significant
// rise, or no significant change.
func verdict(t measures.Test) string {
	switch {
	case !t.Significant || math.IsNaN(t.P):
		return "none"
	case t.AfterRate < t.BeforeRate:
		return "fall"
	case t.AfterRate > t.BeforeRate:
		return "rise"
	}
	return "none"
}

// measureUpdate saves the edit form (fields and status); the status may
// only move forward (planned → in progress → done, or cancelled).
func (s *server) measureUpdate(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	in, form, ok := s.postedMeasureForm(w, r)
	if !ok {
		return
	}
	mid := r.PathValue("id")
	cur, err := s.analyst.GetMeasure(ctx, mid)
	if errors.Is(err, measures.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, "err.not_found")
		return
	} else if err != nil {
		s.log.ErrorContext(ctx, "measure update", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "err.internal")
		return
	}
	reject := func(field, msg string) {
		s.renderMeasure(w, r, id, &page{Errors: map[string]string{field: msg}, Form: form, Action: "edit"}, http.StatusUnprocessableEntity)
	}
	if in.Status == "" {
		in.Status = cur.Status
	}
	if !slices.Contains(nextStatuses(cur.Status), string(in.Status)) {
		reject("status", i18n.T(lang, "ia.err.status", i18n.T(lang, "ins.st."+string(cur.Status)), clip(string(in.Status))))
		return
	}
	if in.IfVersion == 0 {
		in.IfVersion = cur.Version
	}
	if _, err := s.analyst.UpdateMeasure(ctx, mid, in); err != nil {
		field, msg, ok := measureFieldError(lang, form["kind"], err)
		if !ok {
			s.log.ErrorContext(ctx, "measure update", "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "err.internal")
			return
		}
		reject(field, msg)
		return
	}
	http.Redirect(w, r, "/ui/insight/measures/"+mid, http.StatusSeeOther)
}

// measureFormView is the create or edit form with its values and errors.
type measureFormView struct {
	Prefix, Action, Submit string
	V                      map[string]string
	Errors                 map[string]string
	Kinds                  []string
	Causes, Points         []option
	// Statuses is the status picker (edit only).
	Statuses []string
}

// Err is a field's error.
func (f measureFormView) Err(k string) string { return f.Errors[k] }

func newMeasureForm(prefix, action, submit string, vals, errs map[string]string, kinds []string, causes, points []option, statuses []string) measureFormView {
	// The kind is written into the Alpine state: only a known one.
	if !slices.Contains(kinds, vals["kind"]) {
		vals["kind"] = string(measures.TargetCause)
	}
	return measureFormView{Prefix: prefix, Action: action, Submit: submit, V: vals, Errors: errs, Kinds: kinds, Causes: causes, Points: points, Statuses: statuses}
}

// CreateForm is the list page's create form.
func (d measuresData) CreateForm(p *page) measureFormView {
	vals := map[string]string{}
	for k, v := range p.Form {
		vals[k] = v
	}
	return newMeasureForm("m", "/ui/insight/measures", "ia.create", vals, p.Errors, d.Kinds, d.Causes, d.Points, nil)
}

// EditForm is the measure page's edit form, refilled when rejected.
func (d measureData) EditForm(p *page) measureFormView {
	m := d.M
	vals := map[string]string{"title": m.Title, "description": m.Description, "owner": m.Owner, "due": m.Due.Format(time.DateOnly),
		"kind": string(m.Target.Kind), string(m.Target.Kind) + "_value": m.Target.Value, "status": string(m.Status),
		"version": strconv.FormatInt(m.Version, 10)}
	if !m.EffectiveFrom.IsZero() {
		vals["effective_from"] = m.EffectiveFrom.Format(time.DateOnly)
	}
	if p.Action == "edit" {
		for k, v := range p.Form {
			vals[k] = v
		}
	}
	return newMeasureForm("e", "/ui/insight/measures/"+m.ID, "ia.save", vals, p.Errors, d.Kinds, d.Causes, d.Points, d.Next)
}
