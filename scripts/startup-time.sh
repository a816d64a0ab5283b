#!/usr/bin/env bash
# Start-up time and jar size of the service, for the record before and after a change of its
# framework: a broker, the fake GeoFA and the sandbox VK are started first (not timed); then
# `geofa-sync run` is timed from process start to its first 200 on /health/live and on /health/ready.
# Usage: bash scripts/startup-time.sh [ROUNDS]   (needs the built jars and PostgreSQL with PostGIS)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
app="$here/app/target/geofa-sync.jar"
demo="$here/demo/target/geofa-sync-demo.jar"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
kport=19092; gport=18765; hport=18080
java -jar "$demo" kafka --port "$kport" --data-dir "$work/kafka" >"$work/kafka.log" 2>&1 & pids+=($!)
java -jar "$demo" sandbox reset --objects 20 >"$work/reset.log" 2>&1
java -jar "$demo" fake-geofa --port "$gport" >"$work/fake.log" 2>&1 & pids+=($!)
for _ in $(seq 60); do curl -s -o /dev/null "localhost:$gport/api/v4/oauth" -m 1 && break; sleep 1; done
export GEOFA_SYNC_DB_URL="${GEOFA_SYNC_TEST_PG_URL:-jdbc:postgresql://localhost:5432}/geofa_sandbox" GEOFA_SYNC_DB_USER=geofa_sync \
       GEOFA_SYNC_DB_PASSWORD=geofa_sync GEOFA_SYNC_KAFKA_BOOTSTRAP="localhost:$kport" GEOFA_SYNC_KAFKA_REPLICATION_FACTOR=1 \
       GEOFA_SYNC_GEOFA_URL="http://localhost:$gport" GEOFA_SYNC_GEOFA_USER=kom630 GEOFA_SYNC_GEOFA_PASSWORD=sandbox \
       GEOFA_SYNC_MAPPING="$here/config/mapping-vk.yml" GEOFA_SYNC_LOG_DIR="$work/logs"
java -jar "$app" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 2; }
java -jar "$app" capture install >"$work/install.log" 2>&1 || true
echo "jar: $(stat -c %s "$app") bytes ($app)"
for r in $(seq "$rounds"); do
  start=$(date +%s%N)
  java -jar "$app" run --http-port "$hport" >"$work/run$r.log" 2>&1 & run=$!
  live=""; ready=""
  for _ in $(seq 1200); do
    now=$(date +%s%N)
    [ -z "$live" ] && curl -s -o /dev/null -w '%{http_code}' "localhost:$hport/health/live" -m 1 2>/dev/null | grep -q 200 && live=$(( (now - start) / 1000000 ))
    [ -n "$live" ] && curl -s -o /dev/null -w '%{http_code}' "localhost:$hport/health/ready" -m 2 2>/dev/null | grep -q 200 && { ready=$(( (now - start) / 1000000 )); break; }
    sleep 0.05
  done
  kill "$run"; wait "$run" 2>/dev/null || true
  echo "round $r: /health/live after ${live:-?} ms, /health/ready after ${ready:-?} ms"
  [ -z "$ready" ] && tail -20 "$work/run$r.log"
done
