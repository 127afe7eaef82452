#!/usr/bin/env bash
# The schemas a test or bench run leaves behind. Each test class and bench scenario writes into a schema of its own,
# and a database that keeps thousands of them slows PostgreSQL for everyone (measured: 6,735 left schemas made parsing
# one statement take half a second). make test and make bench drop what their run added.
#   run-schemas.sh list FILE      the schemas there are now, one a line, into FILE
#   run-schemas.sh drop FILE      drops the schemas not in FILE named as tests and the bench name theirs (a GUID's hex
#                                 at the end, 12 digits or more; bench_<run>_<scenario>): never the service's, the demo's or what
#                                 make faults keeps of a failed scenario
set -uo pipefail
action=${1:?list or drop}
file=${2:?a file}
command -v psql >/dev/null || exit 0   # no client here (servers in containers): nothing is dropped
export PGPASSWORD=remediation
db=(psql -h 127.0.0.1 -U remediation -d remediation -qAtX -v ON_ERROR_STOP=1)
list() { "${db[@]}" -c "select nspname from pg_namespace where nspname !~ '^(pg_|information_schema$|public$|remediation$)' order by 1"; }
case $action in
  list) list > "$file" ;;
  drop)
    left=$(list | grep -vxF -f "$file" | grep -E '^([a-z_]*[0-9a-f]{12,32}|bench_[0-9]{8}_[0-9]{6}_[a-z_]+)$' || true)
    [ -z "$left" ] && exit 0
    # One transaction per schema keeps the locks (and the shared memory for them) small.
    while read -r schema; do echo "drop schema if exists \"$schema\" cascade;"; done <<< "$left" | "${db[@]}" >/dev/null 2>&1 \
      || echo "could not drop every schema this run left (they slow PostgreSQL as they add up)" >&2
    ;;
  *) echo "run-schemas.sh: list or drop, not $action" >&2; exit 2 ;;
esac
