#!/usr/bin/env bash
# make faults: servers, a Release build, then the crash and fault scenarios against the real service process.
# Restarts this machine's RabbitMQ and PostgreSQL once each: never part of `make test`.
#   --own-rabbitmq   run the scenarios on a RabbitMQ node of their own (rabbit-faults, AMQP 5673, management 15673),
#                    started here if it is not running, so the broker restarts disturb nobody else on this machine
#   --repeat N       run each chosen scenario N times in a row
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/local/use-servers.sh
args=()
for arg in "$@"; do
  if [ "$arg" = "--own-rabbitmq" ]; then own=1; else args+=("$arg"); fi
done
if [ "${own:-}" = 1 ]; then
  node="rabbit-faults@$(hostname -s)"
  if ! rabbitmqctl -n "$node" -q status >/dev/null 2>&1; then
    echo "faults: starting RabbitMQ node $node" >&2
    RABBITMQ_NODENAME="$node" RABBITMQ_NODE_PORT=5673 RABBITMQ_DIST_PORT=25673 \
      RABBITMQ_SERVER_START_ARGS="-rabbitmq_management listener [{port,15673}]" rabbitmq-server -detached >&2
    for _ in $(seq 1 60); do rabbitmqctl -n "$node" -q await_startup >/dev/null 2>&1 && break; sleep 2; done
    rabbitmqctl -n "$node" -q await_startup >&2
  fi
  rabbitmqctl -n "$node" -q list_users 2>/dev/null | grep -q '^remediation' || {
    # list_users can answer empty while a node that just started is still loading its users: one that exists is fine.
    rabbitmqctl -n "$node" -q add_user remediation remediation 2>&1 | grep -v 'already exists' >&2 || true
    rabbitmqctl -n "$node" -q set_user_tags remediation administrator >&2
    rabbitmqctl -n "$node" -q set_permissions -p / remediation '.*' '.*' '.*' >&2
  }
  export FAULTS_RABBITMQ_NODE="$node"
  export REMEDIATION_RABBITMQ='amqp://remediation:remediation@127.0.0.1:5673/'
  export REMEDIATION_RABBITMQ_MANAGEMENT='http://127.0.0.1:15673'
fi
dotnet build src/Remediation.Service -c Release -nologo -clp:ErrorsOnly -v:q
dotnet build tests/Remediation.Faults -c Release -nologo -clp:ErrorsOnly -v:q
dotnet tests/Remediation.Faults/bin/Release/net10.0/remediation-faults.dll ${args[@]+"${args[@]}"}
