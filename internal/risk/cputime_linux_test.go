//go:build linux

package risk

import "syscall"

// cpuNanos is the process's user+system CPU time: on a shared, loaded
// machine it measures the work where wall-clock ns/op measures the queue.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
