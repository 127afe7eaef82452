#!/usr/bin/env bash
# make faults: servers, a Release build, then the crash and fault scenarios against the real service process.
# Restarts this machine's RabbitMQ and PostgreSQL once each: never part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
eval "$(deploy/local/servers.sh)"
dotnet build src/Remediation.Service -c Release -nologo -clp:ErrorsOnly -v:q
dotnet build tests/Remediation.Faults -c Release -nologo -clp:ErrorsOnly -v:q
dotnet tests/Remediation.Faults/bin/Release/net10.0/remediation-faults.dll "$@"
