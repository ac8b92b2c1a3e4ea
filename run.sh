#!/usr/bin/env bash
# Start local Postgres + Redis (data in .local/dev, reused across runs) and run the API.
# ./run.sh        start the services and the API
# ./run.sh stop   stop the services
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/services.sh

dir=.local/dev
if [[ ${1:-} == stop ]]; then
  stop_all "$dir"
  exit 0
fi

ensure_installed
start_postgres "$dir" 5432
start_redis "$dir" 6379 state
start_redis "$dir" 6380 cache

export ASPNETCORE_ENVIRONMENT=Development
export DATABASE_URL=postgres://ombaro:ombaro@127.0.0.1:5432/ombaro
export REDIS_URL=redis://127.0.0.1:6379/0
export REDIS_CACHE_URL=redis://127.0.0.1:6380/0

cat <<INFO

  API              http://localhost:5080
  OpenAPI          http://localhost:5080/openapi/v1.json
  API reference    http://localhost:5080/scalar
  Postgres         $DATABASE_URL
  Redis (state)    $REDIS_URL
  Redis (cache)    $REDIS_CACHE_URL
  Data folder      $dir
  Stop the services: ./run.sh stop

INFO
exec dotnet run --project Ombaro.Api --urls http://localhost:5080
