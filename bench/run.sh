#!/usr/bin/env bash
# Reproducible speed and memory figures for plancheck (issue 8). Generates
# the inputs from ../shared/corpus (or fixtures/ when that is absent),
# builds the binary, and prints wall time and peak memory per target.
# Usage: bench/run.sh [OUTDIR]   (default bench/out, git-ignored)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/out}
mkdir -p "$out"
if [ ! -x /usr/bin/time ]; then
  echo "bench: /usr/bin/time is needed (apt-get install -y time)" >&2
  exit 2
fi

corpus=../shared/corpus
if ls "$corpus"/*.txt >/dev/null 2>&1; then
  files=("$corpus"/*.txt)
else
  echo "bench: ../shared absent, using fixtures/ drafts" >&2
  files=(fixtures/samples/*.txt fixtures/rules/*.txt)
fi

go build -o "$out/plancheck" ./cmd/plancheck
bin=$out/plancheck

# Inputs: one file; all files concatenated 100 times; 2,000 copies of each
# (and 200 of each, to see that memory does not grow with the file count).
one=${files[0]}
big=$out/big.txt
if [ ! -f "$big" ]; then
  for _ in $(seq 100); do cat "${files[@]}"; done > "$big"
fi
many=$out/many
if [ ! -d "$many" ]; then
  mkdir -p "$many"
  for f in "${files[@]}"; do
    base=$(basename "$f" .txt)
    for i in $(seq 2000); do cp "$f" "$many/$base-$i.txt"; done
  done
fi
many1k=$out/many1k
if [ ! -d "$many1k" ]; then
  mkdir -p "$many1k"
  for f in "${files[@]}"; do
    base=$(basename "$f" .txt)
    for i in $(seq 200); do cp "$f" "$many1k/$base-$i.txt"; done
  done
fi

# measure NAME TARGET RUNS CMD...: runs CMD RUNS times and prints the
# fastest wall time (to the millisecond: /usr/bin/time only gives
# hundredths) and the largest peak RSS.
measure() {
  local name=$1 target=$2 runs=$3; shift 3
  local best="" mem=0
  for _ in $(seq "$runs"); do
    local start end rss
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || true
    end=$(date +%s%N)
    rss=$(tail -n 1 "$out/time.txt")
    local wall=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$wall" -lt "$best" ]; then best=$wall; fi
    if [ "$rss" -gt "$mem" ]; then mem=$rss; fi
  done
  printf '| %-34s | %8.3f s | %7.1f MB | %-22s |\n' "$name" "$(awk "BEGIN{print $best/1000}")" "$(awk "BEGIN{print $mem/1024}")" "$target"
}

size() { du -b "$1" | cut -f1; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), $(go version | cut -d' ' -f3)"
echo "inputs: one file $(size "$one") B; big.txt $(size "$big") B ($(wc -l < "$big") lines); many/ $(ls "$many" | wc -l) files"
echo
echo "| target                             |     wall |   peak RSS | goal                   |"
echo "|------------------------------------|----------|------------|------------------------|"
measure "plancheck version (start-up only)" "(for reference)" 20 "$bin" version
measure "one corpus file (process start)" "< 0.01 s" 20 "$bin" check --format json --fail-on never "$one"
measure "big.txt, full rule set" "< 0.3 s, < 100 MB" 2 "$bin" check --format json --fail-on never "$big"
measure "big.txt, text format" "(for reference)" 1 "$bin" check --fail-on never "$big"
measure "10,000 files, --jobs 2" "< 5 s, flat memory" 1 "$bin" check --format json --fail-on never --jobs 2 "$many"
measure "1,000 files, --jobs 2" "(memory vs 10,000)" 1 "$bin" check --format json --fail-on never --jobs 2 "$many1k"

# The page: the same corpus file checked by a running `plancheck serve`,
# whose rules were compiled once at start-up; best of 20 requests, as
# curl times them (needs curl).
if command -v curl >/dev/null 2>&1; then
  "$bin" serve --addr 127.0.0.1:0 --quiet >"$out/serve.txt" 2>&1 &
  serve_pid=$!
  url=""
  for _ in $(seq 100); do
    url=$(grep -o 'http://[^ ]*/' "$out/serve.txt" || true)
    if [ -n "$url" ]; then break; fi
    sleep 0.05
  done
  best=""
  for _ in $(seq 20); do
    t=$(curl -s -o /dev/null -w '%{time_total}' -F "draft=@$one" -F format=json "${url}api/check")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  kill "$serve_pid"
  printf '| %-34s | %8.3f s | %10s | %-22s |\n' "one corpus file, plancheck serve" "$best" "-" "(the page; < 0.01 s)"
else
  echo "bench: curl absent, the plancheck serve row is skipped" >&2
fi

# Where the time and memory of the big run go: CPU and allocation profiles
# (kept in $out for `go tool pprof`), the heaviest of the project's own
# functions by cumulative time, and the largest allocators.
"$bin" check --format json --fail-on never --cpuprofile "$out/big.cpu" --memprofile "$out/big.mem" "$big" >/dev/null
echo
echo "profile of big.txt (go tool pprof -top -cum $out/plancheck $out/big.cpu):"
go tool pprof -top -cum -nodecount 200 "$bin" "$out/big.cpu" 2>/dev/null \
  | grep -E 'plancheck/(plan|rules|checker|report)\.|expr/vm|regexp\.\(\*Regexp\)\.(doExecute|FindAll)|runtime\.gcBgMarkWorker|runtime\.mallocgc$' | head -25
echo
echo "allocations of big.txt (go tool pprof -sample_index=alloc_space -top $out/plancheck $out/big.mem):"
go tool pprof -sample_index=alloc_space -top -nodecount 12 "$bin" "$out/big.mem" 2>/dev/null | sed -n '5,18p'
