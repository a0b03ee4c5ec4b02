package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sampler watches this process's descendants (the pulumi CLI and the
// plugins it starts) every 100 ms: their summed resident memory and the
// provider plugin processes among them.
type sampler struct {
	done chan struct{}
	wg   sync.WaitGroup

	peak    int64
	plugins map[int]bool
	atOnce  int
}

func startSampler() *sampler {
	s := &sampler{done: make(chan struct{}), plugins: map[int]bool{}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-s.done:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// stop ends sampling and returns the peak memory in bytes, the plugin
// processes seen and the most alive at once.
func (s *sampler) stop() (int64, int, int) {
	close(s.done)
	s.wg.Wait()
	return s.peak, len(s.plugins), s.atOnce
}

type proc struct {
	ppid int
	comm string
	rss  int64
}

func (s *sampler) sample() {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	procs := map[int]proc{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readProc(pid); ok {
			procs[pid] = p
		}
	}
	self := os.Getpid()
	var total int64
	alive := 0
	for pid, p := range procs {
		if !descends(procs, pid, self) {
			continue
		}
		total += p.rss
		if strings.HasPrefix(p.comm, "pulumi-resource") {
			s.plugins[pid] = true
			alive++
		}
	}
	s.peak = max(s.peak, total)
	s.atOnce = max(s.atOnce, alive)
}

func descends(procs map[int]proc, pid, ancestor int) bool {
	for i := 0; i < 64 && pid > 1; i++ {
		p, ok := procs[pid]
		if !ok {
			return false
		}
		if p.ppid == ancestor {
			return true
		}
		pid = p.ppid
	}
	return false
}

// readProc reads a process's parent, command name and resident memory.
func readProc(pid int) (proc, bool) {
	dir := filepath.Join("/proc", strconv.Itoa(pid))
	stat, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return proc{}, false
	}
	// pid (comm) state ppid ...; comm may hold spaces and parentheses.
	open, end := strings.IndexByte(string(stat), '('), strings.LastIndexByte(string(stat), ')')
	if open < 0 || end < open {
		return proc{}, false
	}
	fields := strings.Fields(string(stat[end+1:]))
	if len(fields) < 2 {
		return proc{}, false
	}
	ppid, _ := strconv.Atoi(fields[1])
	statm, err := os.ReadFile(filepath.Join(dir, "statm"))
	if err != nil {
		return proc{}, false
	}
	sf := strings.Fields(string(statm))
	if len(sf) < 2 {
		return proc{}, false
	}
	pages, _ := strconv.ParseInt(sf[1], 10, 64)
	return proc{ppid: ppid, comm: string(stat[open+1 : end]), rss: pages * int64(os.Getpagesize())}, true
}
