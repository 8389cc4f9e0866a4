package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadTest sends 200 checks of the corpus drafts from 8 concurrent
// clients over loopback, alternating api/check and api/review, and reports throughput, latency and memory. Run
// it with PLANCHECK_LOADTEST=1 go test -run LoadTest -v ./web/.
func TestLoadTest(t *testing.T) {
	if os.Getenv("PLANCHECK_LOADTEST") != "1" {
		t.Skip("load test: set PLANCHECK_LOADTEST=1 to run it")
	}
	names, err := filepath.Glob("../../shared/corpus/*.txt")
	require.NoError(t, err)
	if len(names) == 0 {
		t.Skip("load test: ../shared absent")
	}
	// The forms are encoded once: the clients' goroutines only send them.
	type draft struct {
		body        []byte
		contentType string
	}
	var drafts []draft
	for _, n := range names {
		b, ct := form(t, []formFile{{"draft", filepath.Base(n), readFile(t, n)}}, nil)
		drafts = append(drafts, draft{b.Bytes(), ct})
	}
	const (
		requests = 200
		clients  = 8
	)
	s, ts := newServer(t, Config{})
	client := &http.Client{Timeout: 30 * time.Second}
	// Half the requests are the page's (api/review), half the API's json.
	send := func(d draft, i int) (int, error) {
		url := ts.URL + "/api/check"
		if i%2 == 1 {
			url = ts.URL + "/api/review"
		}
		resp, err := client.Post(url, d.contentType, bytes.NewReader(d.body))
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}
	// Warm up (compiled patterns, pools), then measure the idle heap.
	for i, d := range drafts {
		status, err := send(d, i)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status)
	}
	client.CloseIdleConnections()
	baseline := heapAfterGC()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	jobs := make(chan int)
	latencies := make([]time.Duration, requests)
	statuses := make([]int, requests)
	var wg sync.WaitGroup
	var peak uint64
	var mu sync.Mutex
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t0 := time.Now()
				status, err := send(drafts[i%len(drafts)], i)
				latencies[i] = time.Since(t0)
				if err != nil {
					status = -1
				}
				statuses[i] = status
				var ms runtime.MemStats
				if i%20 == 0 {
					runtime.ReadMemStats(&ms)
					mu.Lock()
					peak = max(peak, ms.HeapAlloc)
					mu.Unlock()
				}
			}
		}()
	}
	sent := 0
	for i := 0; i < requests; i++ {
		select {
		case jobs <- i:
			sent++
		case <-ctx.Done():
			i = requests
		}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	require.Equal(t, requests, sent, "the load test ran out of time")

	ok := 0
	for _, st := range statuses {
		if st == http.StatusOK {
			ok++
		}
	}
	sorted := slices.Clone(latencies)
	slices.Sort(sorted)
	pct := func(p float64) time.Duration { return sorted[int(p*float64(len(sorted)-1))] }
	client.CloseIdleConnections()
	after := heapAfterGC()
	report := fmt.Sprintf("load test: %d checks of %d corpus drafts, %d clients, %d slots, %d CPUs: %d OK in %s, %.1f checks/s; latency p50 %s, p95 %s, max %s; heap after GC %.1f MB before, peak %.1f MB, %.1f MB after",
		requests, len(drafts), clients, cap(s.sem), runtime.NumCPU(), ok, elapsed.Round(time.Millisecond),
		float64(requests)/elapsed.Seconds(), pct(.5).Round(time.Millisecond), pct(.95).Round(time.Millisecond),
		sorted[len(sorted)-1].Round(time.Millisecond), mb(baseline), mb(peak), mb(after))
	t.Log(report)
	fmt.Println(report)
	assert.Equal(t, requests, ok, "every check succeeds: the queue absorbs 8 clients")
	assert.Less(t, pct(.95), 5*time.Second)
	// Nothing is kept between requests: the heap returns to where it was
	// (a few MB of slack for the runtime's and the HTTP stack's own).
	assert.Less(t, after, baseline+8<<20, "heap after the load test")
}

func heapAfterGC() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
