#!/usr/bin/env bash
# Sizes the local Debian PostgreSQL's shared memory for the node store, and restarts it when that changes.
#
# The packaged defaults, 128 MB of shared buffers on 4 kB pages, fit any machine and serve a store of millions of
# events poorly. Each PostgreSQL backend maps shared memory page by page the first time it touches it: reading a
# node's first timeline page (100 events on 100 heap pages) cost about 190 page faults and 6 to 8 ms on this machine,
# where the same read already mapped took 0.7 ms. So the buffers get a quarter of the memory (at most 8 GB, as
# PostgreSQL's own guidance suggests for a dedicated server) on 2 MB huge pages, which map that memory 512 times
# fewer times. Reserving huge pages needs root; without them PostgreSQL falls back to ordinary pages (huge_pages=try).
#
# Usage: deploy/local/tune-postgres.sh (run by servers.sh; safe to run again: it changes nothing that is right).
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/packages.sh

log() { echo "tune-postgres: $*" >&2; }
psql_root() { as_root su postgres -c "psql -qtAX -c \"$1\""; }

memory_mb=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 ))
buffers_mb=$(( memory_mb / 4 ))
(( buffers_mb > 8192 )) && buffers_mb=8192
(( buffers_mb < 128 )) && buffers_mb=128
# The buffers plus PostgreSQL's other shared memory (WAL buffers, locks: a few percent) in 2 MB pages.
pages=$(( buffers_mb * 105 / 100 / 2 + 64 ))

if (( $(cat /proc/sys/vm/nr_hugepages) < pages )); then
  # A container may not write it, a fragmented machine may give fewer: either way PostgreSQL still starts.
  echo "$pages" | as_root tee /proc/sys/vm/nr_hugepages >/dev/null 2>&1 || true
  got=$(cat /proc/sys/vm/nr_hugepages)
  (( got >= pages )) || log "reserved $got of $pages huge pages; PostgreSQL may use ordinary pages"
fi

want="${buffers_mb}MB"
current=$(psql_root "select setting::bigint * 8 / 1024 || 'MB' from pg_settings where name = 'shared_buffers'")
current_huge=$(psql_root "show huge_pages")
changes=()
[ "$current" = "$want" ] || changes+=("shared_buffers $current -> $want")
[ "$current_huge" = "try" ] || changes+=("huge_pages $current_huge -> try")
if (( ${#changes[@]} > 0 )); then
  log "$(IFS=,; echo "${changes[*]}" | sed 's/,/, /g'); restarting PostgreSQL"
  psql_root "alter system set shared_buffers = '$want'" >&2
  psql_root "alter system set huge_pages = 'try'" >&2
  as_root service postgresql restart >&2
fi
