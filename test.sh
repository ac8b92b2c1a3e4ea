#!/usr/bin/env bash
# Run the test suite against throwaway Postgres + Redis servers on free ports.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter Name~Otp
# ./test.sh --redis-cluster [ARGS...] (or OMBARO_REDIS_CLUSTER=1): each Redis role on a local Redis
# Cluster of its own (3 masters, 1 replica each) instead of a standalone server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/services.sh

cluster=${OMBARO_REDIS_CLUSTER:-0}
if [[ ${1:-} == --redis-cluster ]]; then cluster=1; shift; fi

ensure_installed chromium npm openssl   # ops page and CORS: headless Chromium; web client: Node; Redis TLS: certificates
# The generated web client (clients/web) is compiled and run by the tests: its npm packages, as locked.
web=clients/web
cmp -s "$web/package-lock.json" "$web/node_modules/.ombaro-lock" 2>/dev/null \
  || { npm ci --prefix "$web" --no-audit --no-fund --loglevel=error && cp "$web/package-lock.json" "$web/node_modules/.ombaro-lock"; }
dir=.local/test-$$
trap 'stop_all "$dir" nosave >/dev/null || true; rm -rf "$dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_port=$(free_port)
start_postgres "$dir" "$pg_port"
if ((cluster)); then
  start_redis_cluster_fresh "$dir" state "$pg_port"
  ports=("${cluster_started[@]}")
  start_redis_cluster_fresh "$dir" cache "$pg_port" "${ports[@]}"
  ports+=("${cluster_started[@]}")
  seeds=$(printf '127.0.0.1:%s,' "${ports[@]:0:3}")
  redis_state=redis://${seeds%,}/0
  seeds=$(printf '127.0.0.1:%s,' "${ports[@]:6:3}")
  redis_cache=redis://${seeds%,}/0
  export OMBARO_REDIS_MASTERS=3
  echo "Test services: postgres 127.0.0.1:$pg_port, redis clusters (3 masters + 3 replicas each): state 127.0.0.1:${ports[*]:0:6}, cache 127.0.0.1:${ports[*]:6:6}"
else
  state_port=$(free_port "$pg_port")
  cache_port=$(free_port "$pg_port" "$state_port")
  start_redis "$dir" "$state_port" state
  start_redis "$dir" "$cache_port" cache
  redis_state=redis://127.0.0.1:$state_port/0
  redis_cache=redis://127.0.0.1:$cache_port/0
  echo "Test services: postgres 127.0.0.1:$pg_port, redis state 127.0.0.1:$state_port, redis cache 127.0.0.1:$cache_port"
fi

export ASPNETCORE_ENVIRONMENT=Testing
export DATABASE_URL=postgres://ombaro:ombaro@127.0.0.1:$pg_port/ombaro
export REDIS_URL=$redis_state
export REDIS_CACHE_URL=$redis_cache

status=0
dotnet test Ombaro.sln "$@" || status=$?
exit "$status"
