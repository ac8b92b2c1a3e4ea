#!/usr/bin/env bash
# Regenerate the web client from the API as it is now, in one command:
#   1. openapi.json  <- the document the API serves at /openapi/v1.json (the test host writes it; it starts its own
#                       throwaway Redis and PostgreSQL through ../../test.sh, so nothing needs to be running)
#   2. src/schema.d.ts <- openapi-typescript from openapi.json; then the client is compiled.
# Commit the changed files: the test suite fails while either is stale.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
OMBARO_WRITE_OPENAPI=1 ../../test.sh --filter "FullyQualifiedName~ServedDocumentTests"
cmp -s package-lock.json node_modules/.ombaro-lock 2>/dev/null || { npm ci --no-audit --no-fund && cp package-lock.json node_modules/.ombaro-lock; }
npm run generate
npm run build
echo "Regenerated clients/web/openapi.json and clients/web/src/schema.d.ts"
