#!/usr/bin/env bash
# make test: servers, then every test project against them; ends with one line of totals.
set -uo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/use-servers.sh
deploy/local/slurm.sh || exit 1
deploy/local/chromium.sh || exit 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
dotnet build Remediation.sln -nologo -clp:ErrorsOnly -v:q || exit 1
mkdir -p .run
deploy/local/run-schemas.sh list .run/schemas-before
dotnet test Remediation.sln --no-build -nologo 2>&1 | tee .run/test.log
status=${PIPESTATUS[0]}
deploy/local/run-schemas.sh drop .run/schemas-before
sum() { grep -oE "$1: +[0-9]+" .run/test.log | awk '{ s += $NF } END { print s + 0 }'; }
passed=$(sum Passed)
failed=$(sum Failed)
echo "${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${passed:-0}" -gt 0 ] && [ "${failed:-0}" -eq 0 ]
