package touchpoints

import (
	"errors"
	"strings"
	"testing"
)

func TestInfer(t *testing.T) {
	l := Default()
	for text, want := range map[string]string{
		"网点排队叫号等了两个小时":                  "queueing",
		"ATM吞卡了":                        "atm",
		"手机银行登录不了，验证码收不到":               "app_login",
		"转账三天还没到账":                      "transfer",
		"这个月信用卡账单没收到":                   "statement",
		"I could not log in to the app": "app_login",
		"谢谢":                            "",
	} {
		if got := l.Infer(text); got != want {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
	if !l.Valid("counter") || l.Valid("moon") {
		t.Error("Valid")
	}
	if tp, ok := l.Lookup("atm"); !ok || tp.NameEn == "" {
		t.Error("Lookup")
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]string{
		"a\tb\tc":                     "3 fields",
		"Bad\t排队\tQueue\tx":           "code",
		"q\t排队\tQueue\tx\nq\t排\tQ\ty": "listed twice",
		"q\t\tQueue\tx":               "names",
		"# nothing":                   "empty",
	} {
		if _, err := Parse("t", strings.NewReader(in)); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v", in, err)
		}
	}
	l, err := Parse("t", strings.NewReader("# custom\nlobby\t大堂\tLobby\t大堂|lobby\n"))
	if err != nil || l.Infer("大堂很乱") != "lobby" {
		t.Fatal(err)
	}
}
