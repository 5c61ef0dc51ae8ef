//go:build !unix

package main

// sampleCPU is unknown here.
func sampleCPU() cpuSample { return cpuSample{} }
