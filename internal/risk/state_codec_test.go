package risk

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func sampleState(t testing.TB) State {
	t.Helper()
	_, st := run(t, History{PriorComplaints: 1},
		turn{s: "c:我这个月的信用卡账单一直没收到,害我逾期了,你们怎么搞的！", at: time.Second, sig: Signals{WaitSeconds: ptr(200.0), Loudness: ptr(1.4)}},
		turn{s: "a:非常抱歉,我理解您的感受。我们会在24小时内为您补发账单。", at: time.Minute},
		turn{s: "c:上次也是这么说的,到现在还没解决,再这样我就向银保监会投诉！", at: 3 * time.Minute, sig: Signals{AppFailures: ptr(2)}},
		turn{s: "a:这不归我管,您自己操作错误。", at: 4 * time.Minute},
	)
	return st
}

func TestStateBinaryRoundTrip(t *testing.T) {
	for _, st := range []State{{}, sampleState(t)} {
		b, err := st.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got State
		if err := got.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		if st.Version == 0 {
			st.Version = StateVersion // decoding always yields the current version
		}
		j1, _ := json.Marshal(st)
		j2, _ := json.Marshal(got)
		if string(j1) != string(j2) {
			t.Errorf("binary round trip:\n%s\nwant\n%s", j2, j1)
		}
		js, _ := json.Marshal(st)
		t.Logf("state: %d bytes binary, %d JSON", len(b), len(js))
		// the model continues identically from the decoded state
		m := Default()
		msg := Message{Role: RoleCustomer, Text: "还要等多久？", Time: t0.Add(10 * time.Minute)}
		r := testAnalyzer(t).Analyze(msg.Text, false)
		a1 := m.Update(&st, msg, r, History{})
		a2 := m.Update(&got, msg, r, History{})
		x1, _ := json.Marshal(a1)
		x2, _ := json.Marshal(a2)
		if string(x1) != string(x2) {
			t.Errorf("after decoding:\n%s\nwant\n%s", x2, x1)
		}
	}
}

func TestStateBinaryErrors(t *testing.T) {
	st := sampleState(t)
	b, _ := st.MarshalBinary()
	keep := st
	for _, c := range [][]byte{nil, {'X', 1}, b[:len(b)-1], append(append([]byte{}, b...), 0), {'R', 4}} {
		got := keep
		if err := got.UnmarshalBinary(c); !errors.Is(err, ErrState) {
			t.Errorf("%d bytes: error %v, want ErrState", len(c), err)
		}
		j1, _ := json.Marshal(got)
		j2, _ := json.Marshal(keep)
		if string(j1) != string(j2) {
			t.Error("a failed decode changed the state")
		}
	}
}

func FuzzStateUnmarshal(f *testing.F) {
	st := sampleState(f)
	b, _ := st.MarshalBinary()
	f.Add(b)
	f.Add([]byte{'R', 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		var s State
		if s.UnmarshalBinary(data) != nil {
			return
		}
		b, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var s2 State
		if err := s2.UnmarshalBinary(b); err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
		Default().Update(&s, Message{Role: RoleCustomer, Text: "x"}, testAnalyzer(t).Analyze("x", false), History{})
	})
}

func BenchmarkStateCodec(b *testing.B) {
	st := sampleState(b)
	bin, _ := st.MarshalBinary()
	js, _ := json.Marshal(&st)
	b.Run("binary-marshal", func(b *testing.B) {
		buf := make([]byte, 0, 1024)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			buf, _ = st.AppendBinary(buf[:0])
		}
	})
	b.Run("binary-unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		var s State
		for i := 0; i < b.N; i++ {
			if err := s.UnmarshalBinary(bin); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json-marshal", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			json.Marshal(&st)
		}
	})
	b.Run("json-unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var s State
			if err := json.Unmarshal(js, &s); err != nil {
				b.Fatal(err)
			}
		}
	})
}
