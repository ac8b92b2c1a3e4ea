#!/usr/bin/env bash
# Load benchmarks: builds the API in Release, starts its own PostgreSQL + Redis (state, cache) and the
# API (Production environment, Bench:Enabled=true), generates the data set (bench/data.sql and a Redis
# pipeline), then runs every "on" line of bench/scenarios.tsv with wrk, baselines first, then the drivers of bench/Driver
# (200 clients holding one start of a 3-therapist vendor; Ombaro's rate limiter against the RedisRateLimiting package).
# Results: bench/results/latest.md, copied into bench/README.md between the result markers.
#   BENCH_SECONDS (15)  BENCH_WARMUP (10)  BENCH_CONNECTIONS (64)  BENCH_THREADS (2)  BENCH_ONLY (regex on names)
#   BENCH_REDIS=cluster: each Redis role on a local Redis Cluster (3 masters + 3 replicas, as ./test.sh --redis-cluster);
#   results in bench/results/latest-cluster.md and the README's cluster block. Unset or "standalone": one server per role.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/services.sh

duration=${BENCH_SECONDS:-15} warmup=${BENCH_WARMUP:-10}
connections=${BENCH_CONNECTIONS:-64} threads=${BENCH_THREADS:-2} only=${BENCH_ONLY:-.}
customer_sessions=10000 therapists=30000
mode=${BENCH_REDIS:-standalone}
case $mode in
  standalone) results_file=bench/results/latest.md marker=results mode_text="standalone Redis (one server per role)" ;;
  cluster) results_file=bench/results/latest-cluster.md marker=results-cluster mode_text="Redis Cluster (3 masters + 3 replicas per role)" ;;
  *) echo "BENCH_REDIS must be standalone or cluster, not '$mode'" >&2; exit 2 ;;
esac
# Other processes of the kinds the bench runs, before it starts any: a busy machine shows here.
others_start=$(ps -eo comm= | grep -c -E '^(dotnet|redis-server|postgres|chromium|wrk)$' || true)

ensure_installed wrk
command -v curl >/dev/null || ensure_installed curl

dir=$(abs_dir ".local/bench-$$")
data=$dir/data raw=bench/results/raw
[[ $mode == cluster ]] && raw=bench/results/raw/cluster
mkdir -p "$data" "$raw"
rm -f "$raw"/*.txt   # no figures of an earlier run (e.g. ratelimit.txt when BENCH_ONLY skips the driver)
api_pid= step_pid=
cleanup() {
  if [[ -n $step_pid ]]; then pkill -TERM -P "$step_pid" 2>/dev/null || true; kill "$step_pid" 2>/dev/null || true; fi
  if [[ -n $api_pid ]]; then kill "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; fi
  stop_all "$dir" nosave >/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# step COMMAND...: run a long step in the background and wait for it. wrk and psql handle Ctrl-C themselves (wrk ends
# the run early, psql stops printing) and exit normally, so bash would carry on with the next step; `wait` is
# interrupted by the INT/TERM traps at once instead, and cleanup stops the step.
step() {
  local rc=0
  "$@" &
  step_pid=$!
  wait "$step_pid" || rc=$?
  step_pid=
  return "$rc"
}

echo "== build (Release)"
dotnet publish Ombaro.Api -c Release -o "$dir/api" --nologo -v q >/dev/null
dotnet publish bench/Driver -c Release -o "$dir/driver" --nologo -v q >/dev/null

echo "== services"
pg_port=$(free_port)
start_postgres "$dir" "$pg_port"
if [[ $mode == cluster ]]; then
  start_redis_cluster_fresh "$dir" state "$pg_port"
  ports=("${cluster_started[@]}")
  start_redis_cluster_fresh "$dir" cache "$pg_port" "${ports[@]}"
  ports+=("${cluster_started[@]}")
  state_port=${ports[0]} cache_port=${ports[6]}   # one node of each: redis-cli -c follows MOVED from it
  state_seeds=$(printf '127.0.0.1:%s,' "${ports[@]:0:3}") cache_seeds=$(printf '127.0.0.1:%s,' "${ports[@]:6:3}")
  state_seeds=${state_seeds%,} cache_seeds=${cache_seeds%,}
  buses=(); for p in "${ports[@]}"; do buses+=($((p + 10000))); done
  api_port=$(free_port "$pg_port" "${ports[@]}" "${buses[@]}")
else
  state_port=$(free_port "$pg_port"); cache_port=$(free_port "$pg_port" "$state_port")
  start_redis "$dir" "$state_port" state
  start_redis "$dir" "$cache_port" cache
  state_seeds=127.0.0.1:$state_port cache_seeds=127.0.0.1:$cache_port
  api_port=$(free_port "$pg_port" "$state_port" "$cache_port")
fi
echo "   postgres 127.0.0.1:$pg_port, $mode_text: state $state_seeds, cache $cache_seeds"
psql_bench() { PGPASSWORD=ombaro "$(pg_bindir)/psql" -h 127.0.0.1 -p "$pg_port" -U ombaro -d ombaro -qAtX -v ON_ERROR_STOP=1 "$@"; }
state() { redis-cli -c -p "$state_port" "$@"; }
# The masters of the Redis (cluster or server) that PORT belongs to: a server is its own master.
masters() {
  if [[ $mode == cluster ]]; then
    redis-cli -p "$1" cluster nodes | awk '$3 ~ /master/ && $3 !~ /fail/ { split($2, a, "[:@]"); print a[2] }'
  else echo "$1"; fi
}
# used_memory summed over the masters (replicas hold copies; what the data costs is counted once), less the
# replication backlog and replica output buffers, which grow with the write stream, not the data (0 standalone).
used_memory() {
  local m total=0
  for m in $(masters "$1"); do
    total=$((total + $(redis-cli -p "$m" info memory | tr -d '\r' |
      awk -F: '$1 == "used_memory" { u = $2 } $1 == "mem_replication_backlog" || $1 == "mem_clients_slaves" { r += $2 } END { print u - r }')))
  done
  echo "$total"
}
# The baseline's 48-byte value on the cache Redis (redis-cli -c follows MOVED to the key's master).
set_baseline_key() {
  [[ $(redis-cli -c -p "$cache_port" set "ombaro:cache:bench:baseline" "$(head -c 48 /dev/zero | tr '\0' 'x')" EX 86400) == OK ]] ||
    die "could not write the baseline key"
}
# Redis commands per request, per role: the stats are reset on every master before a scenario is measured and summed
# after it (INFO commandstats), then divided by wrk's request count: where a request's Redis round trips go.
reset_stats() { local m; for m in $(masters "$state_port") $(masters "$cache_port"); do redis-cli -p "$m" config resetstat >/dev/null; done; }
commands_per_request() {   # ROLE_PORT REQUESTS
  local m
  for m in $(masters "$1"); do redis-cli -p "$m" info commandstats; done | tr -d '\r' |
    awk -F'[:=,]' -v n="$2" '/^cmdstat_/ { c[substr($1, 9)] += $3 }
      END { for (k in c) if (c[k] / n >= 0.01) printf "%s %.2f, ", k, c[k] / n }' | sed 's/, $//'
}
flush_cache() { local m; for m in $(masters "$cache_port"); do redis-cli -p "$m" flushdb >/dev/null; done; }
# Tab-separated Redis commands on stdin, routed by key to the owning master (bench/Driver/Seed.cs).
seed_pipe() { psql_bench -F $'\t' -c "$1" | dotnet "$dir/driver/Ombaro.Bench.Driver.dll" seed "$state_seeds" >/dev/null; }
# seed_state SQL: the query's rows (tab-separated Redis commands) loaded into the state Redis, routed by key.
seed_state() { step seed_pipe "$1"; }

echo "== API (Release, Production environment, bench endpoints on)"
# All load comes from one address and a few users: the address and user policies stay on (every request pays for
# the check) but with limits the bench cannot reach. Production requires an OTP secret and an SMS gateway; the bench
# sends no OTP, so the gateway is a dead address.
ASPNETCORE_ENVIRONMENT=Production Bench__Enabled=true Logging__LogLevel__Default=Warning \
  RateLimiting__Policies__default__PermitLimit=1000000000 RateLimiting__Policies__user__PermitLimit=1000000000 \
  Otp__Secret="$(head -c 48 /dev/urandom | base64 -w0)" Sms__Sender=http Sms__Http__Url=http://127.0.0.1:9/unused \
  DATABASE_URL=postgres://ombaro:ombaro@127.0.0.1:$pg_port/ombaro \
  REDIS_URL=redis://$state_seeds/0 REDIS_CACHE_URL=redis://$cache_seeds/0 \
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

now_ms=$(($(date +%s%N) / 1000000))

echo "== data: Redis, $therapists live therapists (geo set + last-seen + latest fix)"
mem_empty=$(used_memory "$state_port")
# Therapists on a roster near their vendor, the others anywhere in the area; the fix hash as the location script writes it.
seed_state "
  WITH t AS (
    SELECT u.id, coalesce(v.latitude, 12.97 + (random() - 0.5) * 0.36) + (random() - 0.5) * 0.02 AS lat,
           coalesce(v.longitude, 77.59 + (random() - 0.5) * 0.36) + (random() - 0.5) * 0.02 AS lng
    FROM users u LEFT JOIN vendor_therapists vt ON vt.therapist_id = u.id AND vt.active LEFT JOIN vendors v ON v.id = vt.vendor_id
    WHERE u.role = 'therapist' ORDER BY u.id LIMIT $therapists)
  SELECT 'GEOADD', 'ombaro:{geo:therapists}', lng::text, lat::text, id::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM t
  UNION ALL SELECT 'ZADD', 'ombaro:{geo:therapists}:seen', '$now_ms', id::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM t
  UNION ALL SELECT 'HSET', 'ombaro:{geo:therapists}:location:' || id, 'lat', lat::text, 'lng', lng::text, 'accuracy', '15',
                   'timestamp', '$now_ms', 'received', '$now_ms' FROM t
  UNION ALL SELECT 'PEXPIRE', 'ombaro:{geo:therapists}:location:' || id, '300000', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM t"
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
  seed_state "$(printf "$session_sql" "$role" "$count")
    SELECT 'HSET', 'ombaro:session:{' || id || '}:' || digest, 'user_id', id::text, 'role', role, 'login_time', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
           'ip_address', '127.0.0.1', 'user_agent', 'wrk', 'absolute_expiry', '$((now_ms + 12 * 3600 * 1000))', 'touched', '$now_ms' FROM s
    UNION ALL SELECT 'PEXPIRE', 'ombaro:session:{' || id || '}:' || digest, '3600000', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM s
    UNION ALL SELECT 'SADD', 'ombaro:user:{' || id || '}:sessions', digest, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM s
    UNION ALL SELECT 'PEXPIRE', 'ombaro:user:{' || id || '}:sessions', '43200000', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM s"
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
set_baseline_key

# wrk's "1.23ms" / "850.00us" / "1.02s" in milliseconds
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

# Cache-aside hits and misses of all caches so far, from the API's own /metrics (loopback).
cache_counts() {
  # A lookup ends as an L1 hit, a Redis hit, or a Redis miss/fallback (an L1 miss goes on to Redis and is counted there).
  curl -s "$api/metrics" | awk '/^ombaro_cache_(l1_)?hits_total/ { h += $NF } /^ombaro_cache_(misses|fallbacks)_total/ { m += $NF } END { printf "%d %d", h, m }'
}

# judge NAME GOAL VALUE BASE: one goal term of scenarios.tsv against the scenario's baseline, as "what: MET|MISSED".
#   0.8         req/s ≥ 0.8 × the baseline's req/s
#   p99:2       p99 ≤ 2 × the baseline's p99
#   fixes:0.35  accepted location fixes/s ≥ 0.35 × the baseline's req/s
judge() {
  awk -v term="$1" -v base_name="$2" -v r="$3" -v base_r="$4" -v p99="$5" -v base_p99="$6" -v fixes="$7" 'BEGIN {
    split(term, t, ":"); kind = t[2] == "" ? "rps" : t[1]; g = (t[2] == "" ? t[1] : t[2]) + 0
    if (kind == "p99") { x = p99 / base_p99; ok = x <= g
      printf "p99 %.2f ms = %.2f × %s (goal ≤ %s): %s", p99, x, base_name, g, ok ? "MET" : "MISSED"; exit }
    if (kind == "fixes") { x = fixes / base_r; ok = x >= g
      printf "accepted fixes %d/s = %.2f × %s req/s (goal ≥ %s): %s", fixes, x, base_name, g, ok ? "MET" : "MISSED"; exit }
    x = r / base_r; ok = x >= g
    printf "req/s %d = %.2f × %s (goal ≥ %s): %s", r, x, base_name, g, ok ? "MET" : "MISSED" }'
}

declare -A rps p99s
results=() notes=() goals=() redis_calls=() cpu_use=()
# Busy CPU time in clock ticks: the whole machine (every core; user, system, interrupts, steal), the API process, and
# every redis-server (the header counts those running before the bench started any: none on a quiet machine).
cpu_ticks() {
  local p redis=0
  for p in $(pgrep -x redis-server); do redis=$((redis + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat) $(awk '{ print $14 + $15 }' "/proc/$api_pid/stat") $redis"
}
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== scenarios ($duration s each after $warmup s warm-up, $connections connections, $threads wrk threads)"
while read -r name enabled baseline goal ids tokens method path body; do
  [[ -z $name || $name == \#* ]] && continue
  if [[ $enabled != on ]]; then results+=("| $name | off in scenarios.tsv | | | | | | | |"); continue; fi
  [[ $name =~ $only ]] || continue
  export BENCH_PATH=$path BENCH_METHOD=$method BENCH_BODY=${body:-} BENCH_THREADS=$threads BENCH_CURSOR=$data/$name.cursor
  export BENCH_IDS=$([[ $ids != - ]] && echo "$data/$ids" || true)
  export BENCH_TOKENS=$([[ $tokens != - ]] && echo "$data/${tokens}_tokens" || true)
  script=bench/wrk/$name.lua   # a scenario with a script of its own (e.g. location-put), else the generic one
  [[ -f $script ]] || script=bench/wrk/rotate.lua
  if [[ $name == *-miss ]]; then
    flush_cache   # a cold cache (every master), and no warm-up that would fill it
    set_baseline_key
  fi
  # Every user the scenario rotates over has been active before (its auth snapshot cached), as in production.
  [[ -n $BENCH_TOKENS ]] && step dotnet "$dir/driver/Ombaro.Bench.Driver.dll" warm "$api" "$BENCH_TOKENS" "$connections" >/dev/null
  if [[ $name != *-miss ]]; then
    step wrk -t"$threads" -c"$connections" -d"${warmup}s" -s "$script" "$api" >/dev/null
  fi
  read -r hits0 misses0 <<<"$(cache_counts)"
  reset_stats
  read -r machine0 api0 redis0 <<<"$(cpu_ticks)"
  step wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$script" "$api" >"$raw/$name.txt"
  read -r machine1 api1 redis1 <<<"$(cpu_ticks)"
  sleep 0.4   # the scrape endpoint caches its answer for 300 ms
  read -r hits1 misses1 <<<"$(cache_counts)"
  hit_rate=$(awk -v h=$((hits1 - hits0)) -v m=$((misses1 - misses0)) 'BEGIN { if (h + m == 0) print "-"; else printf "%.1f %% of %d", 100 * h / (h + m), h + m }')
  r=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$raw/$name.txt")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$raw/$name.txt")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$raw/$name.txt")")
  errors=$(awk '/Non-2xx or 3xx responses:/ { print $5 } /Socket errors:/ { print "socket:" $0 }' "$raw/$name.txt" | paste -sd' ')
  rps[$name]=$r p99s[$name]=$p99
  requests=$(awk '/requests in/ { print $1 }' "$raw/$name.txt")
  tick_us=$((1000000 / $(getconf CLK_TCK)))
  cpu_use+=("$(awk -v n="$name" -v r="$requests" -v u="$tick_us" -v m=$((machine1 - machine0)) -v a=$((api1 - api0)) -v d=$((redis1 - redis0)) \
    'BEGIN { printf "%s: %.0f µs (API %.0f, Redis %.0f, the rest %.0f)", n, m * u / r, a * u / r, d * u / r, (m - a - d) * u / r }')")
  redis_calls+=("$name: state $(commands_per_request "$state_port" "$requests"); cache $(commands_per_request "$cache_port" "$requests")")
  fixes=$(grep '^fixes:' "$raw/$name.txt" || true)
  accepted=$(sed -n 's/.*accepted [0-9]* (\([0-9]*\)\/s).*/\1/p' <<<"$fixes")
  bare=${rps[baseline-bare]:-}
  to_bare=$([[ -n $bare ]] && awk -v a="$r" -v b="$bare" 'BEGIN { printf "%.2f", a / b }' || echo -)
  ratio=- verdict=-
  if [[ $baseline != - ]]; then
    base=${rps[baseline-$baseline]:-}
    if [[ -z $base ]]; then
      ratio="baseline-$baseline not run" verdict=-
    else
      ratio=$(awk -v a="$r" -v b="$base" -v n="$baseline" 'BEGIN { printf "%.2f × %s", a / b, n }')
      if [[ $goal != - ]]; then
        verdicts=()
        IFS=, read -ra terms <<<"$goal"
        for term in "${terms[@]}"; do
          verdicts+=("$(judge "$term" "baseline-$baseline" "$r" "$base" "$p99" "${p99s[baseline-$baseline]}" "${accepted:-0}")")
        done
        verdict=$(printf '%s; ' "${verdicts[@]}") verdict=${verdict%; }
        goals+=("$name: $verdict")
      fi
    fi
  fi
  printf '  %-20s %8s req/s  p50 %7s ms  p99 %7s ms  %s  %s × bare  cache hits %s %s\n' "$name" "$r" "$p50" "$p99" "$ratio" "$to_bare" "$hit_rate" "${errors:+errors: $errors}"
  [[ $verdict != - ]] && echo "    $verdict"
  results+=("| $name | $r | $p50 | $p99 | $ratio | $to_bare | $verdict | $hit_rate | ${errors:-none} |")
  if [[ -n $fixes ]]; then
    echo "  $fixes"
    notes+=("$name: $r requests/s answered; $fixes")
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
  notes+=("$(grep '^holds:' "$raw/holds.txt" || echo "holds: the driver failed, see $raw/holds.txt")")
fi
if [[ ratelimit =~ $only ]]; then
  echo "== rate limiter: Ombaro's script against RedisRateLimiting 1.2.1 (sliding window) on the state Redis"
  # The script as the API sends it: the GCRA library first (RedisScript.Named("rate_limit", "gcra")).
  scripts=Ombaro.Api/Infrastructure/Redis/Scripts
  { cat "$scripts/gcra.lua"; echo; cat "$scripts/rate_limit.lua"; } >"$dir/rate_limit.lua"
  dotnet "$dir/driver/Ombaro.Bench.Driver.dll" ratelimit "$state_seeds" "$dir/rate_limit.lua" \
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
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') against $mode_text, on $(nproc) cores ($cpu), $mem_total memory, $(uname -sr)."
  echo "Versions: .NET $(dotnet --version), $(redis-server --version | cut -d' ' -f1-3), PostgreSQL $("$(pg_bindir)/postgres" --version | awk '{ print $3 }'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)."
  echo "Load: $connections connections, $threads wrk threads, $duration s per scenario after $warmup s warm-up; wrk, the API, all Redis servers and PostgreSQL share the machine."
  echo "Load average (1/5/15 min) before: $load_start, after: $load_end; dotnet/redis/postgres/chromium/wrk processes on the machine before this run started any: $others_start, at the end (with this run's): $others."
  echo
  echo "| scenario | req/s | p50 ms | p99 ms | ratio | × bare | goal | app cache hits | errors |"
  echo "|---|---:|---:|---:|---|---:|---|---|---|"
  printf '%s\n' "${results[@]}"
  if ((${#goals[@]} > 0)); then echo; echo "Goals (bench/scenarios.tsv):"; printf -- '- %s\n' "${goals[@]}"; fi
  echo
  echo "Data: $(psql_bench -c "SELECT count(*) FROM vendors") vendors, $(psql_bench -c "SELECT count(*) FROM users WHERE role = 'customer'") customers, $therapists live therapists, $((customer_sessions + therapists)) sessions ($customer_sessions customer, $therapists therapist)."
  echo "Redis (state) memory, summed over its masters: $per_therapist bytes per live therapist (geo set + last-seen + location hash), $per_session bytes per session (hash + user index)."
  echo "API peak RSS (VmHWM): $((peak_rss_kb / 1024)) MiB."
  if ((${#notes[@]} > 0)); then echo; printf -- '- %s\n' "${notes[@]}"; fi
  if ((${#redis_calls[@]} > 0)); then
    echo; echo "Redis commands per request (INFO commandstats over the measured seconds, every master, counting the commands scripts run inside EVALSHA; ≥ 0.01 shown):"
    echo; printf -- '- %s\n' "${redis_calls[@]}"
  fi
  if ((${#cpu_use[@]} > 0)); then
    echo; echo "CPU per request (busy CPU time over the measured seconds divided by the requests: the whole machine, of which the API process, every redis-server, and the rest: wrk, PostgreSQL, the kernel's own work):"
    echo; printf -- '- %s\n' "${cpu_use[@]}"
  fi
  if [[ -s $raw/ratelimit.txt ]]; then echo; echo "Rate limiter (bench/Driver ratelimit):"; echo; echo '```'; cat "$raw/ratelimit.txt"; echo '```'; fi
} >"$results_file"
cat "$results_file"

# Copy into the README between the markers of this mode.
awk -v start="<!-- $marker:start -->" -v end="<!-- $marker:end -->" 'FNR == NR { block = block $0 "\n"; next }
  $0 == start { print; printf "%s", block; skip = 1; next }
  $0 == end { skip = 0 }
  !skip' "$results_file" bench/README.md >"$dir/README.md" && cp "$dir/README.md" bench/README.md
