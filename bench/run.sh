#!/usr/bin/env bash
# Load benchmarks: builds the API in Release, starts its own PostgreSQL + Redis (state, cache) and the
# API (Production environment, Bench:Enabled=true), generates the data set (bench/data.sql and a Redis
# pipeline), then runs every "on" line of bench/scenarios.tsv with wrk, baselines first, then the drivers of bench/Driver
# (200 clients holding one start of a 3-therapist vendor; Ombaro's rate limiter against the RedisRateLimiting package).
# Results: bench/results/latest.md, copied into bench/README.md between the result markers.
#   BENCH_SECONDS (15)  BENCH_WARMUP (3)  BENCH_CONNECTIONS (64)  BENCH_THREADS (2)  BENCH_ONLY (regex on names)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/services.sh

duration=${BENCH_SECONDS:-15} warmup=${BENCH_WARMUP:-3}
connections=${BENCH_CONNECTIONS:-64} threads=${BENCH_THREADS:-2} only=${BENCH_ONLY:-.}
customer_sessions=10000 therapists=5000

ensure_installed wrk
command -v curl >/dev/null || ensure_installed curl

dir=$(abs_dir ".local/bench-$$")
data=$dir/data raw=bench/results/raw
mkdir -p "$data" "$raw"
api_pid=
cleanup() {
  if [[ -n $api_pid ]]; then kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; fi
  stop_all "$dir" nosave >/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== build (Release)"
dotnet publish Ombaro.Api -c Release -o "$dir/api" --nologo -v q >/dev/null
dotnet publish bench/Driver -c Release -o "$dir/driver" --nologo -v q >/dev/null

echo "== services"
pg_port=$(free_port); state_port=$(free_port "$pg_port"); cache_port=$(free_port "$pg_port" "$state_port")
api_port=$(free_port "$pg_port" "$state_port" "$cache_port")
start_postgres "$dir" "$pg_port"
start_redis "$dir" "$state_port" state
start_redis "$dir" "$cache_port" cache
psql_bench() { PGPASSWORD=ombaro "$(pg_bindir)/psql" -h 127.0.0.1 -p "$pg_port" -U ombaro -d ombaro -qAtX -v ON_ERROR_STOP=1 "$@"; }
state() { redis-cli -p "$state_port" "$@"; }
used_memory() { redis-cli -p "$1" info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p'; }

echo "== API (Release, Production environment, bench endpoints on)"
# All load comes from one address and a few users: the address and user policies stay on (every request pays for
# the check) but with limits the bench cannot reach. Production requires an OTP secret and an SMS gateway; the bench
# sends no OTP, so the gateway is a dead address.
ASPNETCORE_ENVIRONMENT=Production Bench__Enabled=true Logging__LogLevel__Default=Warning \
  RateLimiting__Policies__default__PermitLimit=1000000000 RateLimiting__Policies__user__PermitLimit=1000000000 \
  Otp__Secret="$(head -c 48 /dev/urandom | base64 -w0)" Sms__Sender=http Sms__Http__Url=http://127.0.0.1:9/unused \
  DATABASE_URL=postgres://ombaro:ombaro@127.0.0.1:$pg_port/ombaro \
  REDIS_URL=redis://127.0.0.1:$state_port/0 REDIS_CACHE_URL=redis://127.0.0.1:$cache_port/0 \
  dotnet "$dir/api/Ombaro.Api.dll" --contentRoot "$dir/api" --urls "http://127.0.0.1:$api_port" >"$dir/api.log" 2>&1 &
api_pid=$!
api=http://127.0.0.1:$api_port
for try in {1..120}; do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$api/health/ready") == 200 ]] && break
  ((try < 120)) || { tail -20 "$dir/api.log"; die "the API did not become ready"; }
  sleep 0.5
done

echo "== data: PostgreSQL (bench/data.sql)"
psql_bench <bench/data.sql
psql_bench -c "SELECT id FROM vendors ORDER BY id" >"$data/vendor_ids"
head -100 "$data/vendor_ids" >"$data/vendor_hot_ids"

# RESP for redis-cli --pipe from tab-separated commands (all values here are plain ASCII).
to_resp() { awk -F'\t' '{ printf "*%d\r\n", NF; for (i = 1; i <= NF; i++) printf "$%d\r\n%s\r\n", length($i), $i }'; }
now_ms=$(($(date +%s%N) / 1000000))

echo "== data: Redis, $therapists live therapists (geo set + last-seen + latest fix)"
mem_empty=$(used_memory "$state_port")
psql_bench -F $'\t' -c "
  WITH t AS (
    SELECT vt.therapist_id AS id, v.latitude + (random() - 0.5) * 0.02 AS lat, v.longitude + (random() - 0.5) * 0.02 AS lng
    FROM vendor_therapists vt JOIN vendors v ON v.id = vt.vendor_id)
  SELECT 'GEOADD', 'ombaro:{geo:therapists}', lng::text, lat::text, id::text FROM t
  UNION ALL SELECT 'ZADD', 'ombaro:{geo:therapists}:seen', '$now_ms', id::text, NULL FROM t
  UNION ALL SELECT 'HSET', 'ombaro:{geo:therapists}:location:' || id, 'lat', lat::text, NULL FROM t
  UNION ALL SELECT 'HSET', 'ombaro:{geo:therapists}:location:' || id, 'lng', lng::text, NULL FROM t
  UNION ALL SELECT 'HSET', 'ombaro:{geo:therapists}:location:' || id, 'accuracy', '15', NULL FROM t
  UNION ALL SELECT 'HSET', 'ombaro:{geo:therapists}:location:' || id, 'timestamp', '$now_ms', NULL FROM t
  UNION ALL SELECT 'PEXPIRE', 'ombaro:{geo:therapists}:location:' || id, '300000', NULL, NULL FROM t" |
  sed 's/\t*$//' | to_resp | redis-cli -p "$state_port" --pipe >/dev/null
mem_therapists=$(used_memory "$state_port")
[[ $(state zcard 'ombaro:{geo:therapists}') == "$therapists" ]] || die "expected $therapists live therapists in Redis"

echo "== data: Redis, $customer_sessions customer and $therapists therapist sessions (SessionStore's layout)"
# token = base64url(sha256(seed)), 43 characters; Redis keeps only base64url(sha256(token)), as the app does
session_sql="
  WITH u AS (
    SELECT id, role, replace(id::text, '-', '') || '.' || translate(rtrim(encode(sha256(convert_to('bench-token-' || id, 'UTF8')), 'base64'), '='), '+/', '-_') AS token
    FROM users WHERE role = '%s' ORDER BY id LIMIT %s),
  s AS (SELECT *, translate(rtrim(encode(sha256(convert_to(token, 'UTF8')), 'base64'), '='), '+/', '-_') AS digest FROM u)"
for spec in "customer $customer_sessions" "therapist $therapists"; do
  read -r role count <<<"$spec"
  # shellcheck disable=SC2059
  psql_bench -c "$(printf "$session_sql" "$role" "$count") SELECT token FROM s" >"$data/${role}_tokens"
  # shellcheck disable=SC2059
  psql_bench -F $'\t' -c "$(printf "$session_sql" "$role" "$count")
    SELECT 'HSET', 'ombaro:session:{' || id || '}:' || digest, 'user_id', id::text, 'role', role, 'login_time', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
           'ip_address', '127.0.0.1', 'user_agent', 'wrk', 'absolute_expiry', '$((now_ms + 12 * 3600 * 1000))', 'touched', '$now_ms' FROM s
    UNION ALL SELECT 'PEXPIRE', 'ombaro:session:{' || id || '}:' || digest, '3600000', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM s
    UNION ALL SELECT 'SADD', 'ombaro:user:{' || id || '}:sessions', digest, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM s
    UNION ALL SELECT 'PEXPIRE', 'ombaro:user:{' || id || '}:sessions', '43200000', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM s" |
    sed 's/\t*$//' | to_resp | redis-cli -p "$state_port" --pipe >/dev/null
  if [[ $role == customer ]]; then mem_sessions=$(used_memory "$state_port"); fi
done
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(head -1 "$data/customer_tokens")" "$api/api/v1/auth/me") == 200 ]] ||
  die "a generated session is not accepted by the API"

# Clustered customers for search: 40 hot spots, everyone within ~300 m of one.
awk 'BEGIN { srand(7); for (c = 0; c < 40; c++) { la[c] = 12.97 + (rand() - 0.5) * 0.3; ln[c] = 77.59 + (rand() - 0.5) * 0.3 }
  for (i = 0; i < 20000; i++) { c = int(rand() * 40); printf "lat=%.5f&lng=%.5f\n", la[c] + (rand() - 0.5) * 0.006, ln[c] + (rand() - 0.5) * 0.006 } }' >"$data/search_points"
# Uncached searches: points all over the area, each with a radius of its own (no two share a cache entry).
awk 'BEGIN { srand(9); for (i = 0; i < 100000; i++) printf "lat=%.5f&lng=%.5f&radiusKm=%.3f\n", 12.97 + (rand() - 0.5) * 0.36, 77.59 + (rand() - 0.5) * 0.36, 3 + rand() * 4 }' >"$data/search_points_uncached"
awk 'BEGIN { srand(11); for (i = 0; i < 20000; i++) printf "%.6f %.6f\n", 12.97 + (rand() - 0.5) * 0.36, 77.59 + (rand() - 0.5) * 0.36 }' >"$data/therapist_fixes"
redis-cli -p "$cache_port" set "ombaro:cache:bench:baseline" "$(head -c 48 /dev/zero | tr '\0' 'x')" EX 86400 >/dev/null

# wrk's "1.23ms" / "850.00us" / "1.02s" in milliseconds
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

# Cache-aside hits and misses of all caches so far, from the API's own /metrics (loopback).
cache_counts() {
  curl -s "$api/metrics" | awk '/^ombaro_cache_hits_total/ { h += $NF } /^ombaro_cache_(misses|fallbacks)_total/ { m += $NF } END { printf "%d %d", h, m }'
}

declare -A rps
results=() notes=()
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== scenarios ($duration s each after $warmup s warm-up, $connections connections, $threads wrk threads)"
while read -r name enabled baseline goal ids tokens method path body; do
  [[ -z $name || $name == \#* ]] && continue
  if [[ $enabled != on ]]; then results+=("| $name | off in scenarios.tsv | | | | | | |"); continue; fi
  [[ $name =~ $only ]] || continue
  export BENCH_PATH=$path BENCH_METHOD=$method BENCH_BODY=${body:-}
  export BENCH_IDS=$([[ $ids != - ]] && echo "$data/$ids" || true)
  export BENCH_TOKENS=$([[ $tokens != - ]] && echo "$data/${tokens}_tokens" || true)
  script=bench/wrk/$name.lua   # a scenario with a script of its own (e.g. location-put), else the generic one
  [[ -f $script ]] || script=bench/wrk/rotate.lua
  if [[ $name == *-miss ]]; then
    redis-cli -p "$cache_port" flushdb >/dev/null   # a cold cache, and no warm-up that would fill it
    redis-cli -p "$cache_port" set "ombaro:cache:bench:baseline" "$(head -c 48 /dev/zero | tr '\0' 'x')" EX 86400 >/dev/null
  else
    wrk -t"$threads" -c"$connections" -d"${warmup}s" -s "$script" "$api" >/dev/null
  fi
  read -r hits0 misses0 <<<"$(cache_counts)"
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$script" "$api" >"$raw/$name.txt"
  sleep 0.4   # the scrape endpoint caches its answer for 300 ms
  read -r hits1 misses1 <<<"$(cache_counts)"
  hit_rate=$(awk -v h=$((hits1 - hits0)) -v m=$((misses1 - misses0)) 'BEGIN { if (h + m == 0) print "-"; else printf "%.1f %% of %d", 100 * h / (h + m), h + m }')
  r=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$raw/$name.txt")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$raw/$name.txt")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$raw/$name.txt")")
  errors=$(awk '/Non-2xx or 3xx responses:/ { print $5 } /Socket errors:/ { print "socket:" $0 }' "$raw/$name.txt" | paste -sd' ')
  rps[$name]=$r
  ratio=- verdict=-
  if [[ $baseline != - ]]; then
    base=${rps[baseline-$baseline]}
    ratio=$(awk -v a="$r" -v b="$base" -v n="$baseline" 'BEGIN { printf "%.2f × %s", a / b, n }')
    [[ $goal != - ]] && verdict=$(awk -v a="$r" -v b="$base" -v g="$goal" 'BEGIN { print (a / b >= g ? "met (≥ " g ")" : "MISSED (goal " g ")") }')
  fi
  printf '  %-20s %8s req/s  p50 %7s ms  p99 %7s ms  %s  cache hits %s %s\n' "$name" "$r" "$p50" "$p99" "$ratio" "$hit_rate" "${errors:+errors: $errors}"
  results+=("| $name | $r | $p50 | $p99 | $ratio | $verdict | $hit_rate | ${errors:-none} |")
  if grep -q '^fixes:' "$raw/$name.txt"; then
    fixes=$(grep '^fixes:' "$raw/$name.txt")
    accepted=$(sed -n 's/.*accepted [0-9]* (\([0-9]*\)\/s).*/\1/p' <<<"$fixes")
    echo "  $fixes"
    notes+=("$name: $r requests/s answered; $fixes; goal ≥ 10 000 accepted fixes/s: $( ((accepted >= 10000)) && echo met || echo "MISSED ($accepted/s)")")
  fi
done <bench/scenarios.tsv

if [[ holds =~ $only ]]; then
  echo "== holds: 200 customers on one start of a 3-therapist vendor at once, 10 rounds (one start each)"
  # vendor1 gets a roster of exactly three therapists (the data set gives each vendor at most one).
  psql_bench -c "UPDATE vendor_therapists SET vendor_id = md5('vendor1')::uuid
    WHERE therapist_id IN (md5('therapist1')::uuid, md5('therapist2')::uuid, md5('therapist3')::uuid)"
  read -r hold_vendor hold_service <<<"$(psql_bench -F ' ' -c "SELECT v.id, s.id FROM vendors v JOIN services s ON s.vendor_id = v.id
    WHERE v.id = md5('vendor1')::uuid ORDER BY s.duration_minutes LIMIT 1")"
  hold_date=$(TZ=Asia/Kolkata date -d tomorrow +%F)
  dotnet "$dir/driver/Ombaro.Bench.Driver.dll" holds "$api" "$data/customer_tokens" "$hold_vendor" "$hold_service" "$hold_date" 200 \
    09:00,10:00,11:00,12:00,13:00,14:00,15:00,16:00,17:00,18:00 3 | tee "$raw/holds.txt" || true
  notes+=("$(grep '^holds:' "$raw/holds.txt" || echo "holds: the driver failed, see bench/results/raw/holds.txt")")
fi
if [[ ratelimit =~ $only ]]; then
  echo "== rate limiter: Ombaro's script against RedisRateLimiting 1.2.1 (sliding window) on the state Redis"
  dotnet "$dir/driver/Ombaro.Bench.Driver.dll" ratelimit "127.0.0.1:$state_port" Ombaro.Api/Infrastructure/Redis/Scripts/rate_limit.lua \
    "$((duration / 3 > 3 ? duration / 3 : 3))" "$connections" | tee "$raw/ratelimit.txt"
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

peak_rss_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$api_pid/status")
per_therapist=$(((mem_therapists - mem_empty) / therapists))
per_session=$(((mem_sessions - mem_therapists) / customer_sessions))

cpu=$(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1)
mem_total=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
others=$(ps -eo comm= | grep -c -E '^(dotnet|redis-server|postgres|chromium|wrk)$' || true)
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($cpu), $mem_total memory, $(uname -sr)."
  echo "Versions: .NET $(dotnet --version), $(redis-server --version | cut -d' ' -f1-3), PostgreSQL $("$(pg_bindir)/postgres" --version | awk '{ print $3 }'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)."
  echo "Load: $connections connections, $threads wrk threads, $duration s per scenario after $warmup s warm-up; wrk, the API, both Redis servers and PostgreSQL share the machine."
  echo "Load average (1/5/15 min) before: $load_start, after: $load_end; dotnet/redis/postgres/chromium/wrk processes on the machine at the end: $others."
  echo
  echo "| scenario | req/s | p50 ms | p99 ms | ratio | goal | app cache hits | errors |"
  echo "|---|---:|---:|---:|---|---|---|---|"
  printf '%s\n' "${results[@]}"
  echo
  echo "Data: $(psql_bench -c "SELECT count(*) FROM vendors") vendors, $(psql_bench -c "SELECT count(*) FROM users WHERE role = 'customer'") customers, $therapists live therapists, $((customer_sessions + therapists)) sessions."
  echo "Redis (state) memory: $per_therapist bytes per live therapist (geo set + last-seen + location hash), $per_session bytes per session (hash + user index)."
  echo "API peak RSS (VmHWM): $((peak_rss_kb / 1024)) MiB."
  if ((${#notes[@]} > 0)); then echo; printf -- '- %s\n' "${notes[@]}"; fi
  if [[ -s $raw/ratelimit.txt ]]; then echo; echo "Rate limiter (bench/Driver ratelimit):"; echo; echo '```'; cat "$raw/ratelimit.txt"; echo '```'; fi
} >bench/results/latest.md
cat bench/results/latest.md

# Copy into the README between the markers.
awk 'FNR == NR { block = block $0 "\n"; next }
  /<!-- results:start -->/ { print; printf "%s", block; skip = 1; next }
  /<!-- results:end -->/ { skip = 0 }
  !skip' bench/results/latest.md bench/README.md >"$dir/README.md" && cp "$dir/README.md" bench/README.md
