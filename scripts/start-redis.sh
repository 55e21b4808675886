#!/usr/bin/env bash
# Installs (when missing) and starts a throwaway Redis for the fleet tests on a free loopback port,
# then prints its URL. Used by .ci/run; handy locally:
#   export CONDUIT_TEST_REDIS_URL=$(bash scripts/start-redis.sh)
# Stop it with: redis-cli -u "$CONDUIT_TEST_REDIS_URL" shutdown nosave
set -euo pipefail
log() { echo "start-redis: $*" >&2; }

if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "redis-server is not installed and cannot be installed here (needs root and apt-get)"; exit 1
  fi
  log "installing redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq redis-server >&2
fi

port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
dir=$(mktemp -d "${TMPDIR:-/tmp}/conduit-redis.XXXXXX")
chmod 700 "$dir"
redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --save '' --appendonly no \
  --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2
for _ in $(seq 1 50); do
  redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break
  sleep 0.1
done
redis-cli -p "$port" ping | grep -q PONG || { log "redis did not start (see $dir/redis.log)"; exit 1; }
echo "redis://127.0.0.1:$port/0"
