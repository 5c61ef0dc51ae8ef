//go:build unix

package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sampleCPU returns the CPU time used so far by this process (the server),
// by its children that have ended (wrk and hey), and by the whole machine
// (Linux only; zero elsewhere).
func sampleCPU() cpuSample {
	return cpuSample{self: rusage(syscall.RUSAGE_SELF), children: rusage(syscall.RUSAGE_CHILDREN), machine: machineCPU()}
}

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machineCPU reads the time all CPUs spent on processes, or stolen by the
// hypervisor, from /proc/stat, counted in ticks of 1/100 s. Interrupts are
// left out: on loopback most are the run's own traffic, which the kernel
// may charge to no process.
func machineCPU() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0
	}
	var busy int64
	for i, v := range f[1:9] {
		if i == 3 || i == 4 || i == 5 || i == 6 { // idle, iowait, irq, softirq
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0
		}
		busy += n
	}
	return time.Duration(busy) * 10 * time.Millisecond
}
