package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/clusters"
	"huajie/internal/insight"
	"huajie/internal/measures"
	"huajie/internal/reports"
	"huajie/internal/touchpoints"
)

// The analyst's and compliance officer's routes (issue 7). They answer 503
// when the server runs without the analyst service.

type (
	measureList struct {
		Items []measures.Measure `json:"items"`
	}
	touchpointList struct {
		Items []touchpoints.Touchpoint `json:"items"`
	}
)

var (
	rangeParams = []param{
		{"from", "string", "start of the period (RFC 3339 or YYYY-MM-DD, whole days UTC); default 90 days before to"},
		{"to", "string", "end of the period, exclusive; default tomorrow"},
	}
	seriesParams = append([]param{
		{"source", "string", "case (default), message (customer messages of interactions) or post (social media)"},
		{"by", "string", "breakdown: all, channel, channel_code, business, cause, touchpoint, branch, product, team, emotion, servqual"},
		{"top", "boolean", "fold JR/T 0169-2018 codes to their top level (C0102 → C01)"},
	}, rangeParams...)
	volumeParams = append(slices.Clone(seriesParams),
		param{"bucket", "string", "day (default), week (ISO, from Monday) or month"},
		param{"limit", "integer", "values kept, the largest (the rest summed as (other)); default 12, at most 50"})
	spikeParams = append(slices.Clone(seriesParams),
		param{"z", "number", "robust z-score a spike must reach (default 4)"},
		param{"values", "integer", "how many of the largest values are examined (default 20, at most 100)"})
	clusterParams = append(slices.Clone(rangeParams),
		param{"threshold", "number", "estimated Jaccard similarity of character bigrams that links two texts (default 0.3)"},
		param{"min_size", "integer", "smallest cluster reported (default 3)"})
	reportParams = append(slices.Clone(rangeParams), param{"format", "string", "json (default) or csv"})
)

func (a *api) insightRoutes() []route {
	const i, m = "/api/v1/insight", "/api/v1/measures"
	return []route{
		{Method: "GET", Path: i + "/volumes", Perm: auth.PermInsightRead, Tag: "insight", Summary: "Volumes and rates over time by channel, JR/T business type or cause, touchpoint, branch, product, team, emotion or SERVQUAL dimension", Response: analyst.Volumes{}, Query: volumeParams, handler: a.insightVolumes},
		{Method: "GET", Path: i + "/spikes", Perm: auth.PermInsightRead, Tag: "insight", Summary: "Spikes per value of a breakdown, robust to the weekly rhythm", Response: analyst.SpikesResult{}, Query: spikeParams, handler: a.insightSpikes},
		{Method: "GET", Path: i + "/clusters", Perm: auth.PermInsightRead, Tag: "insight", Summary: "Root-cause candidates: clusters of similar complaints (cases and posts) with size, trend, top terms and representative texts", Response: clusters.Result{}, Query: clusterParams, handler: a.insightClusters},
		{Method: "GET", Path: i + "/servqual", Perm: auth.PermInsightRead, Tag: "insight", Summary: "SERVQUAL: expectation–perception gaps per dimension and touchpoint, complaints per dimension, CSAT and NPS by touchpoint", Response: analyst.ServqualView{}, Query: rangeParams, handler: a.insightServqual},
		{Method: "GET", Path: i + "/touchpoints", Perm: auth.PermInsightRead, Tag: "insight", Summary: "The configured touchpoints (moments of truth)", Response: touchpointList{}, handler: a.insightTouchpoints},
		{Method: "GET", Path: i + "/conversations/{id}/peak-end", Perm: auth.PermInsightRead, Tag: "insight", Summary: "Peak-end view of a conversation: its worst moment and its ending", Response: insight.PeakEnd{}, handler: a.insightPeakEnd},
		{Method: "GET", Path: m, Perm: auth.PermInsightRead, Tag: "measures", Summary: "Prevention measures, open ones first by due date", Response: measureList{}, Query: []param{{"status", "string", "planned, in_progress, done or cancelled"}}, handler: a.listMeasures},
		{Method: "POST", Path: m, Perm: auth.PermMeasureWrite, Tag: "measures", Summary: "Create a prevention measure tied to a root cause or touchpoint", Request: analyst.MeasureInput{}, Response: measures.Measure{}, Status: http.StatusCreated, handler: a.createMeasure},
		{Method: "GET", Path: m + "/{id}", Perm: auth.PermInsightRead, Tag: "measures", Summary: "Get a measure", Response: measures.Measure{}, handler: a.getMeasure},
		{Method: "PUT", Path: m + "/{id}", Perm: auth.PermMeasureWrite, Tag: "measures", Summary: "Replace a measure's fields (if_version guards against lost updates)", Request: analyst.MeasureInput{}, Response: measures.Measure{}, handler: a.updateMeasure},
		{Method: "DELETE", Path: m + "/{id}", Perm: auth.PermMeasureWrite, Tag: "measures", Summary: "Delete a measure", Status: http.StatusNoContent, handler: a.deleteMeasure},
		{Method: "GET", Path: m + "/{id}/effect", Perm: auth.PermInsightRead, Tag: "measures", Summary: "The measure's effect: targeted complaints before and after, two-proportion and Poisson rate tests, daily counts", Response: analyst.EffectView{}, Query: []param{{"days", "integer", "length of each window (default 28, at most 365)"}}, handler: a.measureEffect},
		{Method: "GET", Path: "/api/v1/reports/regulatory", Perm: auth.PermReportRead, Tag: "reports", Summary: "Regulatory statistics of a period coded by JR/T 0169-2018 (JSON or CSV)", Response: reports.Regulatory{}, Query: reportParams, handler: a.regulatoryReport},
		{Method: "GET", Path: "/api/v1/reports/deadlines", Perm: auth.PermReportRead, Tag: "reports", Summary: "Deadline performance of a period: decided within 15/30/60 days, FCA closing bands, upheld, redress (JSON or CSV)", Response: reports.Deadlines{}, Query: reportParams, handler: a.deadlineReport},
	}
}

// failInsight maps the analyst's errors to statuses, then the shared ones.
func (a *api) failInsight(w http.ResponseWriter, r *http.Request, err error) {
	var (
		ie *analyst.InputError
		ve *measures.ValidationError
	)
	switch {
	case errors.As(err, &ie):
		err = &requestError{status: http.StatusBadRequest, code: "bad_query", msg: ie.Error()}
	case errors.As(err, &ve):
		err = &requestError{status: http.StatusUnprocessableEntity, code: "invalid_field", msg: ve.Field + ": " + ve.Reason}
	case errors.Is(err, measures.ErrNotFound):
		err = &requestError{status: http.StatusNotFound, code: "not_found", msg: "measure not found"}
	case errors.Is(err, measures.ErrConflict):
		err = &requestError{status: http.StatusConflict, code: "conflict", msg: err.Error()}
	case errors.Is(err, reports.ErrPeriod):
		err = &requestError{status: http.StatusBadRequest, code: "bad_query", msg: err.Error()}
	case errors.Is(err, analyst.ErrUnavailable):
		err = &requestError{status: http.StatusServiceUnavailable, code: "unavailable", msg: "not configured on this server"}
	}
	a.fail(w, r, err)
}

// analystReady answers 503 when the service is missing.
func (a *api) analystReady(w http.ResponseWriter, r *http.Request) bool {
	if a.analyst == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "the analyst service is not configured on this server")
		return false
	}
	return true
}

// checkParams refuses unknown query parameters (a typo would otherwise
// silently change the answer).
func checkParams(r *http.Request, ps []param) error {
	for k := range r.URL.Query() {
		if !slices.ContainsFunc(ps, func(p param) bool { return p.Name == k }) {
			return badRequest("bad_query", "unknown query parameter %q", k)
		}
	}
	return nil
}

func queryRange(r *http.Request) (analyst.Range, error) {
	var rg analyst.Range
	var err error
	if rg.From, err = queryTime(r, "from"); err != nil {
		return rg, err
	}
	rg.To, err = queryTime(r, "to")
	return rg, err
}

func queryFloat(r *http.Request, name string) (float64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f != f {
		return 0, badRequest("bad_query", "query parameter %s=%q: expected a non-negative number", name, v)
	}
	return f, nil
}

func (a *api) insightVolumes(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	q := analyst.VolumeQuery{Source: r.URL.Query().Get("source"), Dim: r.URL.Query().Get("by"), Bucket: r.URL.Query().Get("bucket")}
	err := checkParams(r, volumeParams)
	if err == nil {
		q.Range, err = queryRange(r)
	}
	if err == nil {
		q.Top, err = queryBool(r, "top")
	}
	if err == nil {
		q.Limit, err = queryInt(r, "limit")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.analyst.Volumes(r.Context(), q)
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, v)
}

func (a *api) insightSpikes(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	q := analyst.SpikeQuery{Source: r.URL.Query().Get("source"), Dim: r.URL.Query().Get("by")}
	err := checkParams(r, spikeParams)
	if err == nil {
		q.Range, err = queryRange(r)
	}
	if err == nil {
		q.Top, err = queryBool(r, "top")
	}
	if err == nil {
		q.Z, err = queryFloat(r, "z")
	}
	if err == nil {
		q.Values, err = queryInt(r, "values")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.analyst.Spikes(r.Context(), q)
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, v)
}

func (a *api) insightClusters(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	var o clusters.Opts
	rg, err := queryRange(r)
	if err == nil {
		err = checkParams(r, clusterParams)
	}
	if err == nil {
		o.Threshold, err = queryFloat(r, "threshold")
	}
	if err == nil {
		o.MinSize, err = queryInt(r, "min_size")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.analyst.Clusters(r.Context(), rg, o)
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, v)
}

func (a *api) insightServqual(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	rg, err := queryRange(r)
	if err == nil {
		err = checkParams(r, rangeParams)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.analyst.Servqual(r.Context(), rg)
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, v)
}

func (a *api) insightTouchpoints(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	writeJSON(w, r, http.StatusOK, touchpointList{Items: a.analyst.Touchpoints()})
}

func (a *api) insightPeakEnd(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	v, err := a.analyst.PeakEnd(r.Context(), r.PathValue("id"))
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, v)
}
