package auth

import (
	"strings"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	h, err := hashPassword("正确的马电池订书钉", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "pbkdf2-sha256$1000$") {
		t.Fatalf("encoding %q lacks scheme and cost", h)
	}
	if !VerifyPassword(h, "正确的马电池订书钉") {
		t.Error("right password rejected")
	}
	for _, wrong := range []string{"", "正确的马电池订书", "正确的马电池订书钉 "} {
		if VerifyPassword(h, wrong) {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	h2, _ := hashPassword("正确的马电池订书钉", 1000)
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, enc := range []string{"", "plain", "pbkdf2-sha256$x$a$b", "pbkdf2-sha256$1000$!!$??", "md5$1$a$b", "pbkdf2-sha256$99999999999$AA$AA"} {
		if VerifyPassword(enc, "whatever1") {
			t.Errorf("malformed %q verified", enc)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	if CheckPassword("short") == nil {
		t.Error("short password accepted")
	}
	if CheckPassword(strings.Repeat("a", MaxPasswordLen+1)) == nil {
		t.Error("over-long password accepted")
	}
	if err := CheckPassword("八个汉字的密码啊"); err != nil {
		t.Errorf("8 Chinese characters rejected: %v", err)
	}
}

func TestPermissionTable(t *testing.T) {
	for _, r := range Roles {
		if !r.Can(PermPublic) || !r.Can(PermAuthenticated) {
			t.Errorf("%s lacks public/authenticated", r)
		}
		if !r.Can(PermCaseRead) {
			t.Errorf("%s cannot read cases", r)
		}
	}
	// The decisions the package doc states.
	want := map[Role]map[Permission]bool{
		RoleAgent:      {PermPIIView: false, PermCaseCreate: true, PermCaseWork: false},
		RoleAnalyst:    {PermPIIView: false, PermCaseCreate: false, PermEvidenceRead: false},
		RoleHandler:    {PermPIIView: true, PermCaseWork: true, PermCaseExtend: false, PermCaseAssign: false},
		RoleSupervisor: {PermPIIView: true, PermCaseExtend: true, PermCaseMerge: true, PermAuditRead: true},
		RoleCompliance: {PermPIIView: true, PermAuditRead: true, PermCaseWork: false, PermCaseCreate: false},
		RoleAdmin:      {PermPIIView: true, PermCaseExtend: true},
	}
	for r, perms := range want {
		for p, ok := range perms {
			if r.Can(p) != ok {
				t.Errorf("%s.Can(%s) = %v, want %v", r, p, !ok, ok)
			}
		}
	}
	if Role("root").Can(PermAuthenticated) || Role("").Can(PermCaseRead) {
		t.Error("unknown role holds a permission")
	}
}

func TestParseRoleAndName(t *testing.T) {
	if r, err := ParseRole(" Supervisor "); err != nil || r != RoleSupervisor {
		t.Errorf("ParseRole = %q, %v", r, err)
	}
	if _, err := ParseRole("root"); err == nil || !strings.Contains(err.Error(), "agent") {
		t.Errorf("ParseRole(root) error %v should list roles", err)
	}
	for _, ok := range []string{"wang.li", "王丽", "agent1", "a@b.cn"} {
		if err := CheckName(ok); err != nil {
			t.Errorf("CheckName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "-x", "a b", strings.Repeat("x", 65), "x/y"} {
		if CheckName(bad) == nil {
			t.Errorf("CheckName(%q) accepted", bad)
		}
	}
}

func TestSecrets(t *testing.T) {
	p1, h1 := newSecret(TokenPrefix)
	p2, _ := newSecret(TokenPrefix)
	if p1 == p2 || !strings.HasPrefix(p1, "hj_") || len(p1) < 40 {
		t.Fatalf("weak or repeated secrets %q %q", p1, p2)
	}
	if string(HashSecret(p1)) != string(h1) {
		t.Error("HashSecret disagrees with newSecret")
	}
}
