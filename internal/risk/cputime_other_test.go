//go:build !linux

package risk

func cpuNanos() int64 { return 0 }
