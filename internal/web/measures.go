package web

import (
	"net/http"

	"huajie/internal/analyst"
)

func (a *api) listMeasures(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	if err := checkParams(r, []param{{Name: "status"}}); err != nil {
		a.fail(w, r, err)
		return
	}
	items, err := a.analyst.ListMeasures(r.Context(), r.URL.Query().Get("status"))
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, measureList{Items: items})
}

func (a *api) createMeasure(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	var in analyst.MeasureInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	m, err := a.analyst.CreateMeasure(r.Context(), actor(r).Name, in)
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusCreated, m)
}

func (a *api) getMeasure(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	m, err := a.analyst.GetMeasure(r.Context(), r.PathValue("id"))
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, m)
}

func (a *api) updateMeasure(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	var in analyst.MeasureInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	m, err := a.analyst.UpdateMeasure(r.Context(), r.PathValue("id"), in)
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, m)
}

func (a *api) deleteMeasure(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	if err := a.analyst.DeleteMeasure(r.Context(), r.PathValue("id")); err != nil {
		a.failInsight(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *api) measureEffect(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	days, err := queryInt(r, "days")
	if err == nil {
		err = checkParams(r, []param{{Name: "days"}})
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.analyst.Effect(r.Context(), r.PathValue("id"), days)
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, v)
}
