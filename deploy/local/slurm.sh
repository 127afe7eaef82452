#!/usr/bin/env bash
# Installs the Slurm controller, node daemon and client from Debian's packages for the Slurm adapter's tests, which
# start their own slurmctld and one slurmd on free loopback ports (nothing is started here; the tests' slurmd has a
# RebootProgram that only writes to a file).
set -euo pipefail
command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v scontrol >/dev/null && command -v sinfo >/dev/null && exit 0
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
echo "slurm: installing slurmctld, slurmd and slurm-client from Debian packages" >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurmctld slurmd slurm-client >&2 || {
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurmctld slurmd slurm-client >&2
}
