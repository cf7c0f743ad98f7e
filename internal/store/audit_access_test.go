package store_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"huajie/internal/audit"
	"huajie/internal/auth"
	"huajie/internal/store"
)

// accessEntries returns every audit entry that concerns no case.
func accessEntries(t *testing.T, db *store.DB, q auth.AuditQuery) []audit.Entry {
	t.Helper()
	q.Limit = auth.MaxAuditLimit
	es, err := db.AuditEntries(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// decodeJSON turns an entry's Before or After into a map (nil for null).
func decodeJSON(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return m
}

// wantEntry checks an entry's action, actor, role and the listed fields
// of its before and after (nil: the value must be null).
func wantEntry(t *testing.T, e audit.Entry, action string, by auth.Actor, before, after map[string]any) {
	t.Helper()
	if e.Action != action || e.Actor != by.Name || e.Role != string(by.Role) || e.CaseID != "" {
		t.Errorf("entry %d: %s by %s (%s) case %q, want %s by %s (%s), no case", e.Seq, e.Action, e.Actor, e.Role, e.CaseID, action, by.Name, by.Role)
	}
	for _, side := range []struct {
		name string
		raw  json.RawMessage
		want map[string]any
	}{{"before", e.Before, before}, {"after", e.After, after}} {
		got := decodeJSON(t, side.raw)
		if side.want == nil {
			if got != nil {
				t.Errorf("entry %d (%s): %s = %s, want null", e.Seq, e.Action, side.name, side.raw)
			}
			continue
		}
		for k, v := range side.want {
			if fmt.Sprint(got[k]) != fmt.Sprint(v) {
				t.Errorf("entry %d (%s): %s.%s = %v, want %v (%s)", e.Seq, e.Action, side.name, k, got[k], v, side.raw)
			}
		}
	}
}

// TestAccessAudit: creating a user, changing a role or a team, issuing and
// revoking a token each append one entry with the actor, the actor's role
// and the values before and after; unchanged values and a second
// revocation append nothing; a role change revokes the tokens of the old
// role, each audited; the chain with these and the cases' entries
// verifies; cases' trails and the access entries do not mix; no secret,
// token hash or password hash is ever in the log.
func TestAccessAudit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
		svc := auth.New(auth.Opts{Store: db, Now: clk.Now})
		admin := auth.Actor{Name: "张敏", Role: auth.RoleAdmin}
		cli := auth.Actor{Name: "cli:ops"}

		password := "王芳的密码足够长的"
		u, err := svc.AddUser(ctx, auth.NewUser{Name: "王芳", Role: auth.RoleHandler, Team: "投诉处理一组", Password: password, By: admin})
		if err != nil {
			t.Fatal(err)
		}
		exp := clk.Now().Add(90 * 24 * time.Hour)
		plain, tok, _, err := svc.IssueToken(ctx, auth.NewToken{User: "王芳", Role: auth.RoleHandler, By: admin, ExpiresAt: exp})
		if err != nil {
			t.Fatal(err)
		}
		// A case between them: the chain is one, the trails are apart.
		cs := newService(db, clk.Now)
		c, err := cs.Create(ctx, agent, intake("ATM吞卡，客服电话打不通"))
		if err != nil {
			t.Fatal(err)
		}
		// A token for a user that does not exist creates the user too,
		// both by the issuer.
		botPlain, botTok, _, err := svc.IssueToken(ctx, auth.NewToken{User: "ci-bot", Role: auth.RoleAnalyst, By: cli})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.SetUserTeam(ctx, admin, "王芳", "投诉处理二组"); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetUserTeam(ctx, admin, "王芳", "投诉处理二组"); err != nil { // unchanged: no entry
			t.Fatal(err)
		}
		clk.Add(time.Hour)
		revoked, err := svc.SetUserRole(ctx, admin, "王芳", auth.RoleSupervisor)
		if err != nil {
			t.Fatal(err)
		}
		if len(revoked) != 1 || revoked[0].ID != tok.ID || revoked[0].RevokedBy != admin.Name || !revoked[0].RevokedAt.Equal(clk.Now()) {
			t.Errorf("tokens revoked with the role change: %+v, want token %d", revoked, tok.ID)
		}
		if _, err := svc.AuthenticateToken(ctx, plain); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("a handler token after its user became supervisor: %v, want ErrBadCredentials", err)
		}
		if again, err := svc.SetUserRole(ctx, admin, "王芳", auth.RoleSupervisor); err != nil || len(again) != 0 { // unchanged: no entry
			t.Fatalf("same role again: %+v %v", again, err)
		}
		if _, err := svc.RevokeToken(ctx, botTok.ID, admin); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RevokeToken(ctx, botTok.ID, cli); err != nil { // already revoked: no entry
			t.Fatal(err)
		}
		if _, err := svc.SetUserRole(ctx, admin, "nobody", auth.RoleAgent); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("role of an unknown user: %v", err)
		}
		if _, err := svc.SetUserRole(ctx, admin, "王芳", auth.Role("root")); !errors.Is(err, auth.ErrUnknownRole) {
			t.Errorf("unknown role: %v", err)
		}

		es := accessEntries(t, db, auth.AuditQuery{})
		if len(es) != 8 {
			for _, e := range es {
				t.Logf("%d %s %s %s → %s", e.Seq, e.Action, e.Actor, e.Before, e.After)
			}
			t.Fatalf("%d access entries, want 8", len(es))
		}
		wantEntry(t, es[0], auth.ActionUserCreate, admin, nil, map[string]any{"user_id": u.ID, "user": "王芳", "role": "handler",
			"team": "投诉处理一组", "password_sign_in": true, "disabled": false})
		wantEntry(t, es[1], auth.ActionTokenIssue, admin, nil, map[string]any{"token_id": tok.ID, "user_id": u.ID, "user": "王芳",
			"role": "handler", "created_by": admin.Name, "expires_at": exp.UTC().Format(time.RFC3339Nano), "status": "active"})
		wantEntry(t, es[2], auth.ActionUserCreate, cli, nil, map[string]any{"user": "ci-bot", "role": "analyst", "team": "", "password_sign_in": false})
		wantEntry(t, es[3], auth.ActionTokenIssue, cli, nil, map[string]any{"token_id": botTok.ID, "user": "ci-bot", "role": "analyst",
			"created_by": cli.Name, "expires_at": nil})
		wantEntry(t, es[4], auth.ActionUserTeam, admin, map[string]any{"user": "王芳", "team": "投诉处理一组"}, map[string]any{"user": "王芳", "team": "投诉处理二组"})
		wantEntry(t, es[5], auth.ActionUserRole, admin, map[string]any{"user_id": u.ID, "user": "王芳", "role": "handler"}, map[string]any{"user": "王芳", "role": "supervisor"})
		wantEntry(t, es[6], auth.ActionTokenRevoke, admin, map[string]any{"token_id": tok.ID, "status": "active", "revoked_at": nil},
			map[string]any{"token_id": tok.ID, "status": "revoked", "revoked_by": admin.Name, "reason": auth.ReasonRoleChanged,
				"revoked_at": clk.Now().Format(time.RFC3339Nano)})
		wantEntry(t, es[7], auth.ActionTokenRevoke, admin, map[string]any{"token_id": botTok.ID, "user": "ci-bot", "status": "active"},
			map[string]any{"token_id": botTok.ID, "status": "revoked", "revoked_by": admin.Name, "reason": nil})
		for i := 1; i < len(es); i++ {
			if es[i].Seq <= es[i-1].Seq {
				t.Errorf("entries out of order: %d after %d", es[i].Seq, es[i-1].Seq)
			}
		}
		if es[2].Seq != es[1].Seq+2 {
			t.Errorf("the case's entry is not between the first token and ci-bot: seqs %d, %d", es[1].Seq, es[2].Seq)
		}

		// One chain: every entry, the case's too, verifies.
		trail, err := db.AuditTrail(ctx, c.ID)
		if err != nil || len(trail) == 0 {
			t.Fatalf("case trail: %v %v", trail, err)
		}
		for _, e := range trail {
			if strings.HasPrefix(e.Action, "user.") || strings.HasPrefix(e.Action, "token.") {
				t.Errorf("the case's trail holds %s", e.Action)
			}
		}
		if rep := mustVerify(t, db); rep.Entries != int64(len(es)+len(trail)) {
			t.Errorf("chain of %d entries, want %d access + %d case", rep.Entries, len(es), len(trail))
		}

		// Filters and paging.
		for _, tc := range []struct {
			action string
			want   []string
		}{
			{"token.", []string{"token.issue", "token.issue", "token.revoke", "token.revoke"}},
			{"user.", []string{"user.create", "user.create", "user.team", "user.role"}},
			{"user.role", []string{"user.role"}},
			{"token.revoke", []string{"token.revoke", "token.revoke"}},
			{"user", nil}, // an action, not a prefix without its dot
			{"case.", nil},
		} {
			got := []string{}
			for _, e := range accessEntries(t, db, auth.AuditQuery{Action: tc.action}) {
				got = append(got, e.Action)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("action %q: %v, want %v", tc.action, got, tc.want)
			}
		}
		page, err := svc.AccessAudit(ctx, auth.AuditQuery{Action: "token.", After: es[1].Seq, Limit: 2})
		if err != nil || len(page) != 2 || page[0].Seq != es[3].Seq || page[1].Seq != es[6].Seq {
			t.Errorf("page after %d: %+v %v, want entries %d and %d", es[1].Seq, page, err, es[3].Seq, es[6].Seq)
		}
		for _, q := range []auth.AuditQuery{{Action: "token.%"}, {Action: "Token."}, {After: -1}, {Limit: auth.MaxAuditLimit + 1}, {Limit: -1}} {
			if _, err := svc.AccessAudit(ctx, q); !errors.Is(err, auth.ErrInvalidQuery) {
				t.Errorf("query %+v: %v, want ErrInvalidQuery", q, err)
			}
		}

		// No secret, no token hash, no password or its hash, anywhere in
		// the log.
		stored, err := db.UserByName(ctx, "王芳")
		if err != nil {
			t.Fatal(err)
		}
		secrets := map[string]string{"password": password, "password hash": stored.PasswordHash}
		for name, p := range map[string]string{"王芳's token": plain, "ci-bot's token": botPlain} {
			h := auth.HashSecret(p)
			secrets[name] = p
			secrets[name+" without prefix"] = strings.TrimPrefix(p, auth.TokenPrefix)
			secrets[name+" hash (hex)"] = hex.EncodeToString(h)
			secrets[name+" hash (base64)"] = base64.StdEncoding.EncodeToString(h)
		}
		assertNoSecrets(t, db, secrets)
	})
}

// assertNoSecrets reads every column of every audit entry as stored.
func assertNoSecrets(t *testing.T, db *store.DB, secrets map[string]string) {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT seq, case_id, actor, role, action, before, after FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var seq int64
		var cols [6]string
		if err := rows.Scan(&seq, &cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]); err != nil {
			t.Fatal(err)
		}
		n++
		all := strings.Join(cols[:], "\x00")
		for name, s := range secrets {
			if s != "" && strings.Contains(all, s) {
				t.Errorf("audit entry %d holds the %s", seq, name)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no audit entries to look at")
	}
}

// TestAccessAuditAtomic: when the audit append fails, the change it
// records is not made: no user, no team or role change, no token issued
// or revoked. Once the append works again, so does the change, and the
// chain verifies.
func TestAccessAuditAtomic(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := auth.New(auth.Opts{Store: db})
		admin := auth.Actor{Name: "张敏", Role: auth.RoleAdmin}
		if _, err := svc.AddUser(ctx, auth.NewUser{Name: "李强", Role: auth.RoleHandler, Team: "一组", By: admin}); err != nil {
			t.Fatal(err)
		}
		plain, tok, _, err := svc.IssueToken(ctx, auth.NewToken{User: "李强", Role: auth.RoleHandler, By: admin})
		if err != nil {
			t.Fatal(err)
		}
		before := mustVerify(t, db)

		// A row where the next entry goes makes every append fail.
		var head int64
		if err := db.QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&head); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Writer().ExecContext(ctx, db.Rebind(`INSERT INTO audit_log (seq, at, case_id, actor, role, action, before, after, prev_hash, hash)
			VALUES (?, 0, '', 'blocker', '', 'blocker', 'null', 'null', '', 'blocker')`), head+1); err != nil {
			t.Fatal(err)
		}
		fails := func(what string, err error) {
			t.Helper()
			if err == nil || !strings.Contains(err.Error(), "audit") {
				t.Errorf("%s with the append failing: %v, want an audit error", what, err)
			}
		}
		_, err = svc.AddUser(ctx, auth.NewUser{Name: "赵敏", Role: auth.RoleAgent, By: admin})
		fails("create user", err)
		_, _, _, err = svc.IssueToken(ctx, auth.NewToken{User: "孙丽", Role: auth.RoleAgent, By: admin})
		fails("token for a new user", err)
		_, _, _, err = svc.IssueToken(ctx, auth.NewToken{User: "李强", Role: auth.RoleHandler, By: admin})
		fails("issue token", err)
		fails("set team", svc.SetUserTeam(ctx, admin, "李强", "二组"))
		_, err = svc.SetUserRole(ctx, admin, "李强", auth.RoleSupervisor)
		fails("set role", err)
		_, err = svc.RevokeToken(ctx, tok.ID, admin)
		fails("revoke token", err)
		fails("set password", svc.SetPasswordBy(ctx, admin, "李强", "李强的新密码足够长了"))

		for _, name := range []string{"赵敏", "孙丽"} {
			if _, err := db.UserByName(ctx, name); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("user %s exists after a failed append: %v", name, err)
			}
		}
		u, err := db.UserByName(ctx, "李强")
		if err != nil || u.Team != "一组" || u.Role != auth.RoleHandler || u.PasswordHash != "" {
			t.Errorf("李强 after failed changes: %+v %v, want team 一组, handler, no password", u, err)
		}
		ts, err := svc.Tokens(ctx)
		if err != nil || len(ts) != 1 || !ts[0].RevokedAt.IsZero() {
			t.Errorf("tokens after failed changes: %+v %v, want the one, unrevoked", ts, err)
		}
		if _, err := svc.AuthenticateToken(ctx, plain); err != nil {
			t.Errorf("token after a failed revocation and role change: %v", err)
		}

		if _, err := db.Writer().ExecContext(ctx, db.Rebind(`DELETE FROM audit_log WHERE seq = ?`), head+1); err != nil {
			t.Fatal(err)
		}
		if rep := mustVerify(t, db); rep.Entries != before.Entries {
			t.Fatalf("failed appends left %d entries, want %d", rep.Entries, before.Entries)
		}
		if _, err := svc.RevokeToken(ctx, tok.ID, admin); err != nil {
			t.Fatal(err)
		}
		if rep := mustVerify(t, db); rep.Entries != before.Entries+1 {
			t.Fatalf("%d entries after the revocation, want %d", rep.Entries, before.Entries+1)
		}
	})
}

// TestAccessAuditRoleRace: a token is never stored for a role its user no
// longer has (the role is read again under lock), and one that is (written
// by hand) does not authenticate.
func TestAccessAuditRoleRace(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := auth.New(auth.Opts{Store: db})
		u, err := svc.AddUser(ctx, auth.NewUser{Name: "周杰", Role: auth.RoleHandler})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetUserRole(ctx, auth.Actor{Name: "cli"}, "周杰", auth.RoleAgent); err != nil {
			t.Fatal(err)
		}
		before := mustVerify(t, db)
		// What IssueToken would store had it read the role before the change.
		stale := &auth.Token{UserID: u.ID, UserName: u.Name, Role: auth.RoleHandler, Hash: auth.HashSecret("hj_stale"), CreatedAt: time.Now()}
		if err := db.CreateToken(ctx, stale, auth.Actor{Name: "cli"}); !errors.Is(err, auth.ErrRoleMismatch) {
			t.Errorf("token for the old role: %v, want ErrRoleMismatch", err)
		}
		if ts, _ := svc.Tokens(ctx); len(ts) != 0 {
			t.Errorf("tokens stored: %+v", ts)
		}
		if rep := mustVerify(t, db); rep.Entries != before.Entries {
			t.Errorf("a refused token was audited: %d entries, want %d", rep.Entries, before.Entries)
		}
		if _, err := db.Writer().ExecContext(ctx, db.Rebind(`INSERT INTO api_tokens (user_id, role, hash, created_at) VALUES (?, ?, ?, ?)`),
			u.ID, string(auth.RoleHandler), auth.HashSecret("hj_by-hand"), time.Now().UnixMicro()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AuthenticateToken(ctx, "hj_by-hand"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("token for a role the user does not have: %v, want ErrBadCredentials", err)
		}
	})
}

// TestAccessAuditConcurrent: access changes and case changes appended at
// the same time queue on the one chain head: none lost, none forked.
func TestAccessAuditConcurrent(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := auth.New(auth.Opts{Store: db})
		cs := newService(db, time.Now)
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for i := range n {
			wg.Go(func() {
				if _, _, _, err := svc.IssueToken(ctx, auth.NewToken{User: fmt.Sprintf("bot-%d", i), Role: auth.RoleAgent, By: auth.Actor{Name: "cli"}}); err != nil {
					errs <- err
				}
			})
			wg.Go(func() {
				if _, err := cs.Create(ctx, agent, intake(fmt.Sprintf("第%d次投诉：转账失败", i))); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		rep := mustVerify(t, db)
		access := accessEntries(t, db, auth.AuditQuery{})
		if len(access) != 2*n { // a user and a token each
			t.Errorf("%d access entries, want %d", len(access), 2*n)
		}
		if rep.Entries <= int64(2*n) {
			t.Errorf("chain of %d entries: the cases' are missing", rep.Entries)
		}
	})
}

// TestAccessAuditPassword: setting a password is audited as user.password
// by whoever did it, before and after saying only whether password sign-in
// was enabled; neither the password nor its hash is in the log.
func TestAccessAuditPassword(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := auth.New(auth.Opts{Store: db})
		admin := auth.Actor{Name: "张敏", Role: auth.RoleAdmin}
		// A user without a password (created with a token), then one set.
		if _, _, _, err := svc.IssueToken(ctx, auth.NewToken{User: "李雷", Role: auth.RoleHandler, By: admin}); err != nil {
			t.Fatal(err)
		}
		const first, second = "李雷的第一个密码够长", "李雷的第二个密码也够长"
		if err := svc.SetPasswordBy(ctx, admin, "李雷", first); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetPasswordBy(ctx, auth.Actor{Name: "cli:ops"}, "李雷", second); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetPasswordBy(ctx, admin, "nobody", second); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("password of an unknown user: %v", err)
		}
		es := accessEntries(t, db, auth.AuditQuery{Action: auth.ActionUserPassword})
		if len(es) != 2 {
			t.Fatalf("%d user.password entries, want 2", len(es))
		}
		wantEntry(t, es[0], auth.ActionUserPassword, admin, map[string]any{"user": "李雷", "password_sign_in": false}, map[string]any{"user": "李雷", "password_sign_in": true})
		wantEntry(t, es[1], auth.ActionUserPassword, auth.Actor{Name: "cli:ops"}, map[string]any{"user": "李雷", "password_sign_in": true}, map[string]any{"user": "李雷", "password_sign_in": true})
		u, err := db.UserByName(ctx, "李雷")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range accessEntries(t, db, auth.AuditQuery{}) {
			all := string(e.Before) + string(e.After)
			for _, secret := range []string{first, second, u.PasswordHash} {
				if strings.Contains(all, secret) {
					t.Errorf("entry %d (%s) holds a password or its hash", e.Seq, e.Action)
				}
			}
		}
		mustVerify(t, db)
	})
}
