#!/usr/bin/env bash
# Gives one GPU node its own broker user, with exactly the least-privilege permissions of definitions.json, and its
# command queue and binding (the agent runs with --no-declare). Prints the node's broker URI, to be written to
# /etc/remediation-agent/rabbitmq.uri on that node (mode 0600) by your provisioning.
#   usage: mint-agent-user.sh NODE [AMQP-HOST[:PORT]] [VHOST]
set -euo pipefail
node=${1:?usage: mint-agent-user.sh NODE [AMQP-HOST[:PORT]] [VHOST]}
host=${2:-127.0.0.1:5672}
vhost=${3:-/}
[[ $node =~ ^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$ ]] || { echo "mint-agent-user: '$node' is not a host name" >&2; exit 2; }
password=$(openssl rand -hex 24)
escaped=${node//./\\.}
if rabbitmqctl -q list_users | awk '{print $1}' | grep -qxF "$node"; then
  rabbitmqctl -q change_password "$node" "$password"
else
  rabbitmqctl -q add_user "$node" "$password"
fi
rabbitmqctl -q set_permissions -p "$vhost" "$node" '^$' '^remediation\.(faults|step-results)$' "^remediation\\.agent\\.${escaped}\$"
# A node may keep a few connections (agent and a manual probe), never enough to exhaust the broker.
rabbitmqctl -q set_user_limits "$node" '{"max-connections": 4, "max-channels": 16}'
rabbitmqadmin -V "$vhost" declare queue name="remediation.agent.$node" durable=true >/dev/null
rabbitmqadmin -V "$vhost" declare binding source=remediation.commands destination="remediation.agent.$node" routing_key="$node" >/dev/null
v=${vhost#/}
echo "amqp://$node:$password@$host/${v//\//%2F}"
