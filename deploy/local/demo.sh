#!/usr/bin/env bash
# make demo: servers, the service, a simulated 64-node fleet with a realistic mix of faults, then one node's timeline.
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/use-servers.sh
dotnet build Remediation.sln -c Release -nologo -clp:ErrorsOnly -v:q
mkdir -p .run
PORT="${DEMO_PORT:-5080}"
export REMEDIATION_API="http://127.0.0.1:$PORT"
# The demo's one operator token; the CLI reads it from REMEDIATION_TOKEN.
export REMEDIATION_TOKEN="${REMEDIATION_TOKEN:-demo-token}"
# A fresh schema per run keeps each demo's timelines its own; risky steps are auto-approved in the demo only.
dotnet src/Remediation.Service/bin/Release/net10.0/Remediation.Service.dll --urls "$REMEDIATION_API" \
  --Schema "demo_$(date +%Y%m%d_%H%M%S)" --Decider:AutoApprove=true --Api:Tokens:demo="$REMEDIATION_TOKEN" --Api:Roles:demo=operator,approver \
  --Rma:WebhookUrl="http://127.0.0.1:${DEMO_TICKET_PORT:-5081}/tickets" --Logging:LogLevel:Default=Warning \
  > .run/service.log 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 60); do curl -sf "$REMEDIATION_API/health" >/dev/null && break; sleep 1; done
curl -sf "$REMEDIATION_API/health" >/dev/null || { echo "the service did not start; see .run/service.log" >&2; exit 1; }
echo "Service is up at $REMEDIATION_API (log: .run/service.log)"
dotnet tools/Remediation.Simulator/bin/Release/net10.0/remediation-simulator.dll --ticket-port "${DEMO_TICKET_PORT:-5081}" "$@"
