#!/usr/bin/env bash
# Installs the Slurm controller, node daemon and client from Debian's packages for the Slurm adapter's tests, which
# start their own slurmctld and one slurmd on free loopback ports (nothing is started here; the tests' slurmd has a
# RebootProgram that only writes to a file).
set -euo pipefail
command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v scontrol >/dev/null && command -v sinfo >/dev/null && exit 0
. "$(dirname "$0")/packages.sh"
echo "slurm: installing slurmctld, slurmd and slurm-client from Debian packages" >&2
install_packages slurmctld slurmd slurm-client
