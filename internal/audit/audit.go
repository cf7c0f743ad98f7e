// Package audit is the tamper-evident audit trail of every change to a case:
// who, when, what, and the value before and after. Entries are appended,
// never updated; each entry's hash is SHA-256 over the previous entry's hash
// and a canonical encoding of the entry, so changing, removing or reordering
// an entry breaks every hash after it, and Verify finds the first break.
//
// The chain is global (one chain for the whole store), not per case, so a
// deleted case cannot take its history with it unnoticed. Appends must be
// serialised by the store: two writers appending to the same head would fork
// the chain.
package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// GenesisHash is the previous hash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Change is what a domain operation wants recorded; the store turns it into
// an Entry when it appends.
type Change struct {
	CaseID string `json:"case_id"`
	Actor  string `json:"actor"`
	Role   string `json:"role"`
	// Action names the operation: "case.create", "case.transition" …
	Action string `json:"action"`
	// Before and After are JSON values (null when absent).
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

// Entry is one appended, hash-chained audit record.
type Entry struct {
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	CaseID   string          `json:"case_id"`
	Actor    string          `json:"actor"`
	Role     string          `json:"role"`
	Action   string          `json:"action"`
	Before   json.RawMessage `json:"before"`
	After    json.RawMessage `json:"after"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// JSON encodes v for a Change's Before or After; nil becomes null.
func JSON(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Only values the domain controls are recorded; failing to encode
		// one is a programming error worth surfacing in the trail.
		b, _ = json.Marshal(map[string]string{"encode_error": err.Error()})
	}
	return b
}

// canonicalJSON re-encodes a JSON value with sorted object keys and no
// insignificant space, so a hash does not depend on how a value was written.
func canonicalJSON(raw json.RawMessage) []byte {
	if len(bytes.TrimSpace(raw)) == 0 {
		return []byte("null")
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		// Not valid JSON: hash the bytes as they are, so the chain still
		// detects any change to them.
		return raw
	}
	b, _ := json.Marshal(v) // maps marshal with sorted keys
	return b
}

// field appends a length-prefixed field, so "ab"+"c" and "a"+"bc" differ.
func field(h []byte, b []byte) []byte {
	h = binary.BigEndian.AppendUint64(h, uint64(len(b)))
	return append(h, b...)
}

// Canonical returns the bytes the entry's hash covers: every field except
// Hash itself, in a fixed order.
func (e *Entry) Canonical() []byte {
	var b []byte
	b = field(b, []byte("huajie-audit-v1"))
	b = binary.BigEndian.AppendUint64(b, uint64(e.Seq))
	b = field(b, []byte(e.At.UTC().Format(time.RFC3339Nano)))
	b = field(b, []byte(e.CaseID))
	b = field(b, []byte(e.Actor))
	b = field(b, []byte(e.Role))
	b = field(b, []byte(e.Action))
	b = field(b, canonicalJSON(e.Before))
	b = field(b, canonicalJSON(e.After))
	return b
}

// ComputeHash returns SHA-256(prev hash ‖ canonical entry) in hex.
func (e *Entry) ComputeHash() string {
	h := sha256.New()
	h.Write([]byte(e.PrevHash))
	h.Write(e.Canonical())
	return hex.EncodeToString(h.Sum(nil))
}

// Seal fills in PrevHash and Hash for an entry appended after prev (nil for
// the first entry) and sets Seq to follow it.
func (e *Entry) Seal(prev *Entry) {
	if prev == nil {
		e.Seq = 1
		e.PrevHash = GenesisHash
	} else {
		e.Seq = prev.Seq + 1
		e.PrevHash = prev.Hash
	}
	e.At = e.At.UTC().Truncate(time.Microsecond) // what both databases keep
	e.Hash = e.ComputeHash()
}

// Report is the outcome of verifying a chain.
type Report struct {
	OK      bool  `json:"ok"`
	Entries int64 `json:"entries"`
	// FirstBroken is the sequence number of the first entry that does not
	// verify (0 when OK), and Problem says why.
	FirstBroken int64  `json:"first_broken,omitempty"`
	Problem     string `json:"problem,omitempty"`
}

// Verifier checks a chain entry by entry, in sequence order, so a store can
// stream millions of entries through it.
type Verifier struct {
	prevHash string
	prevSeq  int64
	n        int64
	broken   *Report
}

// NewVerifier returns a verifier for a chain starting at the genesis.
func NewVerifier() *Verifier { return &Verifier{prevHash: GenesisHash} }

// Add checks the next entry. It returns false once the chain is broken;
// later entries are then ignored.
func (v *Verifier) Add(e *Entry) bool {
	if v.broken != nil {
		return false
	}
	v.n++
	var problem string
	switch {
	case e.Seq != v.prevSeq+1:
		problem = fmt.Sprintf("sequence gap: expected %d, found %d", v.prevSeq+1, e.Seq)
	case e.PrevHash != v.prevHash:
		problem = "previous hash does not match the preceding entry"
	case e.ComputeHash() != e.Hash:
		problem = "hash does not match the entry's content"
	}
	if problem != "" {
		v.broken = &Report{OK: false, FirstBroken: e.Seq, Problem: problem}
		return false
	}
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	return true
}

// Report returns the result so far.
func (v *Verifier) Report() Report {
	if v.broken != nil {
		r := *v.broken
		r.Entries = v.n
		return r
	}
	return Report{OK: true, Entries: v.n}
}

// Verify checks a whole chain held in memory.
func Verify(entries []Entry) Report {
	v := NewVerifier()
	for i := range entries {
		if !v.Add(&entries[i]) {
			break
		}
	}
	return v.Report()
}
