// Package browser starts the headless Chromium that the UI's browser tests
// and `huajie screenshots` drive through chromedp, with the flags this
// project needs: no sandbox (tests may run as root), no GPU, no network
// side traffic (the test machines are offline) and a fresh profile.
package browser

import (
	"context"
	"errors"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// ErrNoBrowser: no Chromium or Chrome executable was found.
var ErrNoBrowser = errors.New("browser: no chromium found (apt-get install chromium fonts-wqy-microhei)")

// candidates are the executables tried, in order; $HUAJIE_CHROMIUM first.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// Find returns the path of a Chromium executable.
func Find() (string, error) {
	if p := os.Getenv("HUAJIE_CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Start starts a headless browser with a window of width × height and a
// fresh profile in profileDir (which the caller creates and removes). The
// returned context is an allocator context: derive tab contexts from it
// with chromedp.NewContext. cancel stops the browser.
func Start(ctx context.Context, profileDir string, width, height int) (context.Context, context.CancelFunc, error) {
	path, err := Find()
	if err != nil {
		return nil, nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profileDir),
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("lang", "zh-CN"),
	}
	actx, cancel := chromedp.NewExecAllocator(ctx, opts...)
	return actx, cancel, nil
}
