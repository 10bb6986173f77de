#!/usr/bin/env bash
# `make cluster`: PostgreSQL and Redis (private data under $CLUSTER_DIR, loopback ports), N
# natterd nodes sharing the store, keys and media, and HAProxy on $LISTEN in front of them, so
# the CLI and the desktop app work against a cluster unchanged. Ctrl-C stops everything; the
# data stays for the next start. Usage: scripts/cluster.sh BUILD_DIR [natterd options...]
set -euo pipefail

build=${1:?usage: cluster.sh BUILD_DIR [natterd options...]}
shift
dir=$(realpath -m "${CLUSTER_DIR:-.natter-cluster}")
listen=${LISTEN:-127.0.0.1:8787}
nodes=${NODES:-3}
pg_port=${PG_PORT:-15432}
redis_port=${REDIS_PORT:-16379}
first_node_port=${NODE_PORT:-8791}
pgbin=/usr/lib/postgresql/15/bin
# Fixed ports stay below the kernel's ephemeral range (32768-60999), where any outgoing
# connection may already hold them.

mkdir -p "$dir"
chmod 0711 "$dir"
pids=()
stop() {
  trap - EXIT INT TERM
  echo "cluster: stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  as_pg "$pgbin/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true
}
trap stop EXIT INT TERM

# PostgreSQL refuses to run as root: as root, run it as the postgres system user.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_user=$( [ "$(id -u)" -eq 0 ] && echo postgres || id -un )

if [ ! -f "$dir/pg/PG_VERSION" ]; then
  echo "cluster: creating a PostgreSQL cluster in $dir/pg"
  mkdir -p "$dir/pg"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pg"
  chmod 0700 "$dir/pg"
  as_pg "$pgbin/initdb" -D "$dir/pg" -A trust -U "$pg_user" >"$dir/initdb.log"
fi
as_pg "$pgbin/pg_ctl" -D "$dir/pg" -w -l "$dir/pg/server.log" \
  -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1" start >/dev/null
as_pg "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U "$pg_user" -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'natter'" | grep -q 1 ||
  as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U "$pg_user" natter
echo "cluster: PostgreSQL on 127.0.0.1:$pg_port (database natter, log $dir/pg/server.log)"

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --tcp-keepalive 10 \
  --logfile "$dir/redis.log" &
pids+=($!)
echo "cluster: Redis on 127.0.0.1:$redis_port"

store="postgres://$pg_user@127.0.0.1:$pg_port/natter"
cfg="$dir/haproxy.cfg"
sed "s|\${NATTER_LISTEN}|$listen|" packaging/cluster/haproxy.cfg >"$cfg"
for i in $(seq 1 "$nodes"); do
  port=$((first_node_port + i - 1))
  "$build/server/natterd" --listen "127.0.0.1:$port" --data-dir "$dir/node$i" --store "$store" \
    --redis "redis://127.0.0.1:$redis_port" --node-id "node$i" --jwt-key "$dir/jwt.key" \
    --verification-key "$dir/verification.key" --media-dir "$dir/media" "$@" \
    2> >(sed -u "s/^/[node$i] /" >&2) > >(sed -u "s/^/[node$i] /") &
  pids+=($!)
  echo "    server node$i 127.0.0.1:$port" >>"$cfg"
done

haproxy -f "$cfg" -db &
pids+=($!)
echo "cluster: $nodes natterd nodes behind HAProxy on http://$listen (Ctrl-C stops everything)"
wait -n "${pids[@]}"
echo "cluster: a process exited; stopping the rest"
