#!/usr/bin/env bash
# make bench: servers, a Release build, then `remediation-bench` (the service in-process against a raw baseline).
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/use-servers.sh
dotnet build Remediation.sln -c Release -nologo -clp:ErrorsOnly -v:q
mkdir -p .run
deploy/local/run-schemas.sh list .run/bench-schemas-before
status=0
dotnet tools/Remediation.Bench/bin/Release/net10.0/remediation-bench.dll "$@" || status=$?
deploy/local/run-schemas.sh drop .run/bench-schemas-before
exit $status
