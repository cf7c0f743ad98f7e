package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/demo"
	"huajie/internal/insight"
	"huajie/internal/web/ui/browser"
)

func init() {
	register(command{
		name:    "screenshots",
		summary: "write PNG screenshots of the main web pages on demo data (needs chromium)",
		run:     runScreenshots,
	})
}

// shot is one screenshot: who is signed in, which page, at what width.
type shot struct {
	file  string
	role  auth.Role // "" for signed out
	path  string    // may contain {case}
	lang  string
	width int64
	// wait is a JavaScript condition that holds once the page is drawn.
	wait string
	// full captures the whole page rather than the first screen.
	full bool
	// click, when set, is clicked after loading (then wait is awaited).
	click string
}

var shots = []shot{
	{file: "home.png", path: "/ui/", lang: "zh-CN", width: 1280},
	{file: "login.png", path: "/ui/login", lang: "zh-CN", width: 1280},
	{file: "workstation.png", role: auth.RoleAgent, path: "/ui/workstation", lang: "zh-CN", width: 1280,
		click: `li.conv[data-customer="C100001"] [data-show-customer]`, wait: `document.querySelector("#customer-panel [data-customer-panel]") !== null`},
	{file: "desk.png", role: auth.RoleSupervisor, path: "/ui/desk?queue=team", lang: "zh-CN", width: 1280},
	{file: "case.png", role: auth.RoleHandler, path: "/ui/cases/{case}", lang: "zh-CN", width: 1280, full: true},
	{file: "dashboard.png", role: auth.RoleSupervisor, path: "/ui/dashboard", lang: "zh-CN", width: 1280, wait: `document.body.dataset.chartsReady === "1"`, full: true},
	{file: "case-en.png", role: auth.RoleHandler, path: "/ui/cases/{case}", lang: "en", width: 1280},
	{file: "desk-tablet.png", role: auth.RoleHandler, path: "/ui/desk?queue=team", lang: "zh-CN", width: 768},
	// The insight section (issue 7).
	{file: "insight.png", role: auth.RoleAnalyst, path: "/ui/insight?by=cause&bucket=day&days=90", lang: "zh-CN", width: 1280, wait: chartsDrawn, full: true},
	{file: "insight-en.png", role: auth.RoleAnalyst, path: "/ui/insight?source=case&by=channel&bucket=week&chart=stack&days=365", lang: "en", width: 1280, wait: chartsDrawn},
	{file: "insight-spikes.png", role: auth.RoleSupervisor, path: "/ui/insight/spikes?by=channel&z=2&days=90", lang: "zh-CN", width: 1280},
	{file: "insight-clusters.png", role: auth.RoleAnalyst, path: "/ui/insight/clusters?days=90", lang: "zh-CN", width: 1280, wait: chartsDrawn},
	{file: "insight-servqual.png", role: auth.RoleAnalyst, path: "/ui/insight/servqual", lang: "zh-CN", width: 1280, wait: chartsDrawn, full: true},
	{file: "insight-measure.png", role: auth.RoleAnalyst, path: "/ui/insight/measures/{measure}", lang: "zh-CN", width: 1280, wait: chartsDrawn, full: true},
	{file: "insight-peak-end.png", role: auth.RoleSupervisor, path: "/ui/insight/conversations/demo-conv-1", lang: "zh-CN", width: 1280, wait: chartsDrawn},
	{file: "reports.png", role: auth.RoleCompliance, path: "/ui/reports?days=365", lang: "zh-CN", width: 1280, full: true},
}

// chartsDrawn holds once an insight page has drawn its charts.
const chartsDrawn = `document.body.dataset.chartsReady === "1"`

// runScreenshots serves a fresh demo in-process, drives headless Chromium
// through the main pages and writes one PNG per page.
func runScreenshots(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("screenshots", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	out := fs.String("out", "docs/screenshots", "directory for the PNG files (created if missing)")
	full := fs.Bool("full", false, "capture every page whole (by default only the case page and the dashboard are, the others show the first screen: 1280×800 or 768×1024)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: "unexpected arguments: " + strings.Join(fs.Args(), " ")}
	}
	if _, err := browser.Find(); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "huajie-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	log, _ := newLogger(io.Discard, "error")
	db, err := openStore(ctx, filepath.Join(tmp, "demo.db"), log)
	if err != nil {
		return err
	}
	defer db.Close()
	_, as := services(db, log)
	res, err := demo.Seed(ctx, demo.Opts{Auth: as, Now: time.Now(), NewCases: func(clock func() time.Time) *cases.Service {
		return newCasesService(db, log, clock)
	}})
	if err != nil {
		return err
	}
	caseID, err := showcaseCase(ctx, db)
	if err != nil {
		return err
	}
	ins, err := seedDemoInsight(ctx, db, insight.DefaultZone())
	if err != nil {
		return err
	}
	passwords := map[auth.Role]demo.SignIn{}
	for _, u := range res.Users {
		passwords[u.Role] = u
	}

	srvCtx, stop := context.WithCancel(ctx)
	defer stop()
	ready := make(chan string, 1)
	served := make(chan error, 1)
	go func() {
		served <- serveHTTP(srvCtx, &cmdEnv{stdin: env.stdin, stdout: io.Discard, stderr: env.stderr}, log, db, "127.0.0.1:0", time.Hour, func(base string) { ready <- base })
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-served:
		return err
	}

	if err := postDemoConversations(ctx, base, res.Token); err != nil {
		return err
	}

	actx, cancel, err := browser.Start(ctx, filepath.Join(tmp, "profile"), 1280, 800)
	if err != nil {
		return err
	}
	defer cancel()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	if err := chromedp.Do(bctx); err != nil {
		return fmt.Errorf("starting chromium: %w", err)
	}
	for _, s := range shots {
		png, err := capture(bctx, base, s, passwords[s.role], caseID, ins.MeasureID, *full)
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		p := filepath.Join(*out, s.file)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "wrote %s (%d KiB)\n", p, len(png)/1024)
	}
	stop()
	if err := <-served; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// capture takes one screenshot in a fresh browser context (own cookies).
func capture(parent context.Context, base string, s shot, u demo.SignIn, caseID, measureID string, full bool) ([]byte, error) {
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, cancel2 := context.WithTimeout(ctx, time.Minute)
	defer cancel2()
	height := int64(800)
	if s.width < 1000 {
		height = 1024
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(s.width, height)); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": s.lang}}); err != nil {
		return nil, err
	}
	if s.role != "" {
		if err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/ui/login"),
			chromedp.WaitVisible(chromedp.ID("name")),
			chromedp.SendKeys(chromedp.ID("name"), u.Name),
			chromedp.SendKeys(chromedp.ID("password"), u.Password+"\r"),
			chromedp.WaitReady(chromedp.ID("whoami")),
		); err != nil {
			return nil, fmt.Errorf("signing in as %s: %w", s.role, err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+strings.NewReplacer("{case}", caseID, "{measure}", measureID).Replace(s.path)), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
		return nil, err
	}
	if s.click != "" {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(s.click))); err != nil {
			return nil, err
		}
	}
	if s.wait != "" {
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](s.wait)); err != nil {
			return nil, err
		}
	}
	// Fonts: wait until the CJK font is loaded so no glyph is drawn as a box.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.fonts.status === "loaded"`)); err != nil {
		return nil, err
	}
	if full || s.full {
		return chromedp.Run(ctx, chromedp.FullScreenshot(100))
	}
	return chromedp.Run(ctx, chromedp.CaptureScreenshot())
}

// showcaseCase picks the demo case with the richest timeline: contacts,
// findings and a solution, still open.
func showcaseCase(ctx context.Context, db interface{ Cases() cases.Repo }) (string, error) {
	svc := cases.New(cases.Opts{Repo: db.Cases()})
	pg, err := svc.List(ctx, cases.ListFilter{States: []cases.State{cases.StateAwaitingCustomer, cases.StateResolutionProposed, cases.StateInvestigating}, Limit: cases.MaxListLimit})
	if err != nil {
		return "", err
	}
	best, score := "", -1
	for _, it := range pg.Items {
		c, err := svc.Get(ctx, it.ID)
		if err != nil {
			return "", err
		}
		if n := len(c.Contacts) + 2*len(c.Findings) + 3*len(c.Solutions) + len(c.Evidence); n > score {
			best, score = c.ID, n
		}
	}
	if best == "" {
		return "", errors.New("screenshots: no open demo case to show")
	}
	return best, nil
}
