#!/usr/bin/env bash
# Starts PostgreSQL and RabbitMQ on loopback for the demo and the tests, and prints the connection settings
# as shell exports. Uses docker compose when a Docker engine answers, Debian packages otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."

PG="Host=127.0.0.1;Port=5432;Username=remediation;Password=remediation;Database=remediation"
MQ="amqp://remediation:remediation@127.0.0.1:5672/"
MQ_ADMIN="http://127.0.0.1:15672"

log() { echo "servers: $*" >&2; }
failed() {
  log "failed at line $1: $2"
  # What the servers said, for a failure on a machine nobody can log in to afterwards (CI).
  tail -n 15 /var/log/rabbitmq/*.log /var/log/postgresql/*.log 2>/dev/null >&2 || true
}
trap 'failed $LINENO "$BASH_COMMAND"' ERR

wait_for_port() {
  for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 1; done
  log "nothing listens on port $1"; return 1
}

if docker info >/dev/null 2>&1; then
  log "Docker engine found: docker compose up postgres rabbitmq"
  docker compose up -d postgres rabbitmq >&2
else
  . deploy/local/packages.sh
  if ! command -v rabbitmq-server >/dev/null || ! command -v pg_ctlcluster >/dev/null; then
    log "installing rabbitmq-server and postgresql from Debian packages"
    install_packages rabbitmq-server postgresql
  fi
  as_root service postgresql start >&2
  deploy/local/tune-postgres.sh
  if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
    log "starting rabbitmq-server"
    as_root rabbitmq-plugins -q --offline enable rabbitmq_management >&2
    as_root rabbitmq-server -detached >&2
    # await_startup fails at once until the node has registered with epmd, so ask until it answers.
    for _ in $(seq 1 60); do as_root rabbitmqctl -q await_startup >/dev/null 2>&1 && break; sleep 2; done
    as_root rabbitmqctl -q await_startup >&2
  fi
  # A node started without the management plugin (by the package's own start script, say) gets it now: the tests
  # create their vhosts through its API.
  (exec 3<>/dev/tcp/127.0.0.1/15672) 2>/dev/null || as_root rabbitmq-plugins -q enable rabbitmq_management >&2
  as_root rabbitmqctl -q list_users 2>/dev/null | grep -q '^remediation' || {
    # Another run of this script may add the user between the look and the add: that is as good as adding it.
    as_root rabbitmqctl -q add_user remediation remediation >/dev/null 2>&1 || as_root rabbitmqctl -q list_users | grep -q '^remediation'
    as_root rabbitmqctl -q set_user_tags remediation administrator >&2
    as_root rabbitmqctl -q set_permissions -p / remediation '.*' '.*' '.*' >&2
  }
  psql_root() { as_root su postgres -c "psql -qtAX -c \"$1\""; }
  [ "$(psql_root "select 1 from pg_roles where rolname='remediation'")" = 1 ] ||
    psql_root "create role remediation login createdb password 'remediation'" >&2
  [ "$(psql_root "select 1 from pg_database where datname='remediation'")" = 1 ] ||
    psql_root "create database remediation owner remediation" >&2
fi
wait_for_port 5432
wait_for_port 5672
wait_for_port 15672
echo "export REMEDIATION_POSTGRES='$PG'"
echo "export REMEDIATION_RABBITMQ='$MQ'"
echo "export REMEDIATION_RABBITMQ_MANAGEMENT='$MQ_ADMIN'"
