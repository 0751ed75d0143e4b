#!/usr/bin/env bash
# Checks the layout rules of docs/architecture.md ("Layers and names"): retired names are gone,
# and no module imports from a layer above it. Exits 1 and names each offence.
# Usage: scripts/check-layout.sh   (run by .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
offence() { echo "layout: $*" >&2; fail=1; }

# Code and the documents that describe it (the benchmark journal is history and keeps old names).
code=(server/src client/src shared/src tests/src tests/tests tests/node/lib scripts docs/architecture.md README.md)
grep_code() { grep -rnE --include='*.rs' --include='*.mjs' --include='*.sh' --include='*.md' "$1" "${code[@]}" | grep -v '^scripts/check-layout.sh:' || true; }

# 1. Retired names: each once meant two things or said nothing about what it does.
retired=(
  'crate::backend\b' 'server/src/backend' '\bBackendHandle\b' '\btrait Backend\b' 'api::backend\b'
  'sync_fast' 'syncmsg' 'sync::core\b' 'sync/core\.rs' '\bDocCore\b'
  'crate::admin::' 'kompromiss_server::admin::' 'crate::health::' 'server/src/health\.rs' 'server/src/admin\.rs'
  'sync::authz\b' 'sync/authz\.rs' 'db::authz::' 'db/authz\.rs' 'auth::layer\b' 'auth/layer\.rs'
  'auth::doc_access' 'sync_access' 'crate::app::use_lang' 'shared/data' '\.\./shared/'
)
for name in "${retired[@]}"; do
  hits=$(grep_code "$name")
  [ -z "$hits" ] || offence "retired name /$name/ still used:"$'\n'"$hits"
done

# 2. Layers of the server, lowest first: db ← auth ← sync ← everything else. A module may import
#    its own layer and the ones below it, never one above.
above_db='crate::(auth|sync|concepts|comments|moderation|notifications|pages|routes|router|state|cli|config|error)\b'
above_auth='crate::(sync|concepts|comments|moderation|notifications|pages|routes|router|state|cli|config|error)\b'
above_sync='crate::(concepts|comments|moderation|notifications|pages|routes|router|state|cli|config|error)\b'
check_layer() { # folder, pattern of what lies above it
  local hits
  hits=$(grep -rnE "$2" "$1" || true)
  [ -z "$hits" ] || offence "$1 imports from a layer above it:"$'\n'"$hits"
}
check_layer server/src/db "$above_db"
check_layer server/src/auth "$above_auth"
check_layer server/src/sync "$above_sync"

# 3. Circles named in the seams issue, kept broken: the template is data the schema reads; the
#    client's pages read the language from i18n, not from the app that routes to them.
grep -qE 'crate::schema' shared/src/template.rs && offence "shared/src/template.rs imports the schema (circle)"
grep -rqE 'crate::app\b' client/src/pages client/src/components && offence "client pages/components import app.rs (circle)"
# The command line and the server's configuration do not know each other's commands.
grep -qE 'crate::cli' server/src/config.rs && offence "server/src/config.rs imports the command line"

# 4. The meters are a leaf: every layer counts into them, so they import nothing of the crate.
grep -qE "crate::" server/src/meters.rs server/src/meters/*.rs && offence "server/src/meters imports from the crate (it must stay a leaf)"

exit "$fail"
