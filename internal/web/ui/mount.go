package ui

import "net/http"

// Mount serves the UI under Prefix, the opening page at "/", and
// everything else from api (the JSON API, probes, metrics).
func Mount(api, ui http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(Prefix, ui)
	mux.Handle("GET /{$}", http.RedirectHandler(Prefix, http.StatusFound))
	mux.Handle("/", api)
	return mux
}
