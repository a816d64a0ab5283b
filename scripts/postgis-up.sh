#!/usr/bin/env bash
# Makes sure a PostgreSQL server with PostGIS runs on localhost:5432 and has the role the tests and
# the demo use (geofa_sync, password geofa_sync, allowed to create databases and extensions).
# Idempotent and quick when all is there already. On Debian/Ubuntu it installs what is missing.
#
# Skipped when GEOFA_SYNC_TEST_PG_URL names another server. The role is for a local test server
# only: never run this against a production database.
set -euo pipefail

ROLE="${GEOFA_SYNC_TEST_PG_USER:-geofa_sync}"
PASSWORD="${GEOFA_SYNC_TEST_PG_PASSWORD:-geofa_sync}"

if [ -n "${GEOFA_SYNC_TEST_PG_URL:-}" ]; then
  echo "postgis-up: using $GEOFA_SYNC_TEST_PG_URL (GEOFA_SYNC_TEST_PG_URL); nothing to start"
  exit 0
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "postgis-up: needs root for: $*" >&2; exit 1
  fi
}
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres "$@"
  fi
}

# The server's major version: the one installed, else 15 (Debian 12's).
pg_version() { ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1; }
version="$(pg_version)"
version="${version:-15}"

if ! dpkg -s "postgresql-$version-postgis-3" >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "postgis-up: no apt-get here. Install PostgreSQL and PostGIS yourself, then set" >&2
    echo "  GEOFA_SYNC_TEST_PG_URL, GEOFA_SYNC_TEST_PG_USER and GEOFA_SYNC_TEST_PG_PASSWORD" >&2
    exit 1
  fi
  echo "postgis-up: installing PostgreSQL $version and PostGIS from Debian packages (about a minute)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$version" "postgresql-$version-postgis-3" >/dev/null
fi

if ! pg_isready -q -h localhost -p 5432; then
  echo "postgis-up: starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h localhost -p 5432 && break; sleep 1; done
  pg_isready -q -h localhost -p 5432 || { echo "postgis-up: PostgreSQL did not start on localhost:5432" >&2; exit 1; }
fi

# CREATE EXTENSION postgis needs a superuser (PostGIS is not a trusted extension).
as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres -v role="$ROLE" -v password="$PASSWORD" <<'SQL'
select format('create role %I login superuser password %L', :'role', :'password')
 where not exists (select 1 from pg_roles where rolname = :'role') \gexec
SQL

PGPASSWORD="$PASSWORD" psql -q -h localhost -U "$ROLE" -d postgres -tAc \
  "select 'postgis-up: ready: PostgreSQL ' || current_setting('server_version') || ', PostGIS ' || default_version || ' available, role ' || current_user from pg_available_extensions where name = 'postgis'"
