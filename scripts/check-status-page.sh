#!/usr/bin/env bash
# Renders geofa-sync's status page in headless Chromium (Debian: apt-get install chromium) and shows
# what staff would read, e.g. after ./geofa-sync demo --keep-running or with the service running:
#   bash scripts/check-status-page.sh http://localhost:8080/
# Exit 1 when the page does not render or shows no heading. SyncServiceTest does the same in the
# test suite (with a dead letter on the page) whenever /usr/bin/chromium is installed.
set -euo pipefail
url="${1:-http://localhost:8080/}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "check-status-page: chromium is not installed (Debian: apt-get install chromium)" >&2
  exit 2
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
dom="$("$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$profile" --dump-dom "$url" 2>/dev/null)"
if ! grep -q '<h1>geofa-sync</h1>' <<<"$dom"; then
  echo "check-status-page: $url did not render the status page" >&2
  exit 1
fi
# the page as text: summary, dead letters with their messages, recent runs
sed -e '/<style>/,/<\/style>/d' <<<"$dom" | sed -e 's/<\/tr>/\n/g; s/<\/p>/\n/g; s/<\/h[12]>/\n/g; s/<[^>]*>/ /g' | sed -e 's/  */ /g; /^ *$/d'
