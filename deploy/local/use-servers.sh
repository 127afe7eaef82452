# Sourced by make's scripts: starts the local servers and exports their settings, or stops the caller with a clear
# message. (`eval "$(servers.sh)"` alone would carry on without the settings when servers.sh fails.)
if ! REMEDIATION_SERVERS_ENV=$(deploy/local/servers.sh); then
  echo "could not start PostgreSQL and RabbitMQ: deploy/local/servers.sh failed (its messages are above)" >&2
  exit 1
fi
eval "$REMEDIATION_SERVERS_ENV"
