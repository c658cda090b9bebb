package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heardhq/heard/connectors/zendesk"
)

// floodResult is the slow-upload flood's report.
type floodResult struct {
	Connections   int            `json:"connections"`
	DeclaredBytes int            `json:"declared_bytes_each"`
	TrickleBps    int            `json:"trickle_bytes_per_sec"`
	Seconds       float64        `json:"seconds"`
	Statuses      map[string]int `json:"statuses"` // answers seen while the flood ran ("none": still uploading)
	BaselineRSSMB float64        `json:"baseline_rss_mb"`
	PeakRSSMB     float64        `json:"peak_rss_mb"` // VmHWM of the heard process
}

// runFlood starts heard on SQLite, opens n connections that each declare a
// 1 MiB signed Zendesk delivery and send its body at a trickle, and reports
// heard's peak resident memory and how the uploads were answered.
func runFlood(ctx context.Context, n int) error {
	work, bin, err := build()
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	h, err := startHeard(ctx, bin, work, "")
	if err != nil {
		return err
	}
	defer h.stop()
	const size, trickle, hold = 1 << 20, 4096, 20 * time.Second
	res := floodResult{Connections: n, DeclaredBytes: size, TrickleBps: trickle, Statuses: map[string]int{}}
	if res.BaselineRSSMB, err = rssMB(h.cmd.Process.Pid, "VmRSS"); err != nil {
		return err
	}
	// A valid signature for a body of the declared size: the header check
	// passes, so heard must decide to buffer or to refuse.
	body := []byte(`{"ticket_id":"1","event":"ticket_created","pad":"` + strings.Repeat("x", size-50) + `"}`)
	body = body[:size]
	ts := time.Now().UTC().Format(time.RFC3339)
	sig := zendesk.Sign(secret, ts, body)
	var (
		mu sync.Mutex
		wg sync.WaitGroup
		up atomic.Int64
	)
	start := time.Now()
	deadline := start.Add(hold)
	for range n {
		wg.Go(func() {
			status := flood1(h.addr, body, ts, sig, trickle, deadline, &up)
			mu.Lock()
			res.Statuses[status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	res.Seconds = round(time.Since(start).Seconds())
	if res.PeakRSSMB, err = rssMB(h.cmd.Process.Pid, "VmHWM"); err != nil {
		return err
	}
	line, _ := json.Marshal(res)
	fmt.Println(string(line))
	return nil
}

// flood1 is one slow upload; it returns the status heard answered, or
// "none" if it was still reading when the flood ended.
func flood1(addr string, body []byte, ts, sig string, bps int, deadline time.Time, up *atomic.Int64) string {
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return "dial error"
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(deadline.Add(5 * time.Second))
	head := "POST /v1/webhooks/bench HTTP/1.1\r\nHost: heard\r\nContent-Type: application/json\r\n" +
		zendesk.HeaderSignature + ": " + sig + "\r\n" + zendesk.HeaderSignatureTimestamp + ": " + ts + "\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	if _, err := io.WriteString(c, head); err != nil {
		return "write error"
	}
	up.Add(1)
	answered := make(chan string, 1)
	go func() {
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			answered <- "none"
			return
		}
		_ = resp.Body.Close()
		answered <- strconv.Itoa(resp.StatusCode)
	}()
	chunk := bps / 4
	for off := 0; off < len(body) && time.Now().Before(deadline); off += chunk {
		select {
		case s := <-answered:
			return s
		case <-time.After(250 * time.Millisecond):
		}
		if _, err := c.Write(body[off:min(off+chunk, len(body))]); err != nil {
			break
		}
	}
	_ = c.Close()
	return <-answered
}

// rssMB reads a memory figure (VmRSS, VmHWM) of pid from /proc, in MiB.
func rssMB(pid int, field string) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			if err != nil {
				return 0, err
			}
			return round(kb / 1024), nil
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}
