package models

import (
	"io/fs"
	"math"
	"sync"
	"testing"

	"huajie/internal/dataset"
	"huajie/internal/textclass"
)

func TestBuiltinsLoadWithTheTaskVocabulary(t *testing.T) {
	for _, task := range Tasks() {
		m, err := Load(task)
		if err != nil {
			t.Fatalf("%s: %v", task, err)
		}
		want, _ := dataset.Labels(task)
		got := m.Labels()
		if len(got) != len(want) {
			t.Fatalf("%s: labels %v, want %v", task, got, want)
		}
		for _, l := range want {
			if m.LabelIndex(l) < 0 {
				t.Errorf("%s: label %q missing from %v", task, l, got)
			}
		}
		if m.Config() != textclass.DefaultConfig {
			t.Errorf("%s: featuriser %+v, want the shared %+v", task, m.Config(), textclass.DefaultConfig)
		}
		p := make([]float64, len(got))
		m.Predict("服务太差了，我要投诉！", p)
		sum := 0.0
		for _, v := range p {
			sum += v
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("%s: probabilities sum to %v", task, sum)
		}
	}
	if _, err := Load("nonsense"); err == nil {
		t.Error("unknown task loaded")
	}
}

func TestLoadOnceConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	ms := make([]*textclass.Model, 8)
	for i := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ms[i] = Emotion()
		}()
	}
	wg.Wait()
	for _, m := range ms[1:] {
		if m != ms[0] {
			t.Fatal("the emotion model was decoded more than once")
		}
	}
}

func TestEmbeddedSize(t *testing.T) {
	total := int64(0)
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total > 30<<20 {
		t.Errorf("built-in models take %d bytes, over the 30 MB budget", total)
	}
}

func TestSharedFeaturesScoreEmotionAndSentiment(t *testing.T) {
	f := textclass.NewFeatures()
	f.Extract("排了两个小时的队，还说系统坏了！")
	e := make([]float64, 6)
	s := make([]float64, 2)
	Emotion().PredictFeatures(f, e)
	Sentiment().PredictFeatures(f, s)
	if neg := s[Sentiment().LabelIndex("negative")]; neg < 0.5 {
		t.Errorf("a plain complaint scores P(negative) %.2f", neg)
	}
}

func TestBundleAgreesWithModels(t *testing.T) {
	bu, err := EmotionSentiment()
	if err != nil {
		t.Fatal(err)
	}
	f := textclass.NewFeatures()
	e1, s1 := make([]float64, 6), make([]float64, 2)
	e2, s2 := make([]float64, 6), make([]float64, 2)
	for _, s := range []string{"", "排了两个小时的队，还说系统坏了！", "谢谢你们，服务很好[赞]", "I am not happy with this bank"} {
		f.Extract(s)
		bu.PredictFeatures(f, e1, s1)
		Emotion().PredictFeatures(f, e2)
		Sentiment().PredictFeatures(f, s2)
		for j := range e1 {
			if math.Abs(e1[j]-e2[j]) > 1e-12 {
				t.Fatalf("%q: bundle emotion %v, model %v", s, e1, e2)
			}
		}
		if math.Abs(s1[1]-s2[1]) > 1e-12 {
			t.Fatalf("%q: bundle sentiment %v, model %v", s, s1, s2)
		}
	}
}
