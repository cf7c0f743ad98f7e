package ui

import (
	"context"
	"net/url"

	"huajie/internal/auth"
	"huajie/internal/i18n"
)

// SessionCookie is the API's session cookie (web.SessionCookie; package
// web mounts this one, so it cannot be imported here): one sign-in serves
// the pages and the API calls their scripts make.
const SessionCookie = "huajie_session"

type ctxKey int

const reqKey ctxKey = 0

// reqInfo is what every page needs about the request.
type reqInfo struct {
	id       auth.Identity
	signedIn bool
	lang     i18n.Lang
	csrf     string
}

func withRequest(ctx context.Context, ri *reqInfo) context.Context {
	return context.WithValue(ctx, reqKey, ri)
}

func infoFrom(ctx context.Context) *reqInfo {
	if ri, ok := ctx.Value(reqKey).(*reqInfo); ok {
		return ri
	}
	return &reqInfo{lang: i18n.Default}
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext accepts only a local UI path as a post-sign-in destination, so
// the sign-in form cannot be used to redirect elsewhere.
func safeNext(next string) string {
	if len(next) > 1 && next[0] == '/' && next[1] != '/' && next[1] != '\\' {
		if u, err := url.Parse(next); err == nil && u.Host == "" && u.Scheme == "" && len(u.Path) >= 4 && u.Path[:4] == "/ui/" {
			return next
		}
	}
	return ""
}
