package pii

import (
	"context"
	"log/slog"
)

// Handler is a slog.Handler that masks personal numbers in the message and
// in every string attribute before passing the record on. Logs are masked
// for everyone: they are read by operators and shipped to other systems,
// neither of which has a reason to see a customer's phone or ID card.
type Handler struct {
	next slog.Handler
}

// NewHandler wraps next so that everything it receives is masked.
func NewHandler(next slog.Handler) *Handler { return &Handler{next: next} }

// Enabled reports whether the wrapped handler handles level.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle masks r's message and attributes and passes it on.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	nr := slog.NewRecord(r.Time, r.Level, MaskText(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		nr.AddAttrs(maskAttr(a))
		return true
	})
	return h.next.Handle(ctx, nr)
}

// WithAttrs masks attrs once, when they are attached.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	m := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		m[i] = maskAttr(a)
	}
	return &Handler{next: h.next.WithAttrs(m)}
}

// WithGroup opens a group on the wrapped handler.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name)}
}

func maskAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, MaskText(v.String()))
	case slog.KindGroup:
		g := v.Group()
		m := make([]any, len(g))
		for i, ga := range g {
			m[i] = maskAttr(ga)
		}
		return slog.Group(a.Key, m...)
	case slog.KindAny:
		// Errors and Stringers carry free text too (an error message may
		// quote a complaint); render and mask them.
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, MaskText(x.Error()))
		case interface{ String() string }:
			return slog.String(a.Key, MaskText(x.String()))
		}
		return slog.Attr{Key: a.Key, Value: v}
	case slog.KindInt64, slog.KindUint64:
		// A phone number logged as a number is still a phone number;
		// ordinary counts stay numbers.
		if s := v.String(); len(s) >= 11 {
			return slog.String(a.Key, MaskText(s))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
