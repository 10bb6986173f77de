#!/usr/bin/env bash
# The cluster benchmarks (BENCHMARKS.md, "Cluster"): 1:1 msg/s on one node with SQLite, one node
# on PostgreSQL, and 2 and 3 nodes on PostgreSQL + Redis; open-loop latency with the two ends of
# each pair on different nodes vs on one node; PostgreSQL commits and WAL syncs and Redis
# commands per message; a node killed with SIGKILL (natter-bench --scenario node-kill: resync
# time of its clients, time until its users show offline, loss). Starts a private PostgreSQL and
# Redis, each run on a fresh database.
# Usage: tools/bench/run_cluster.sh BUILD_DIR [OUT]
#   NODE_ARGS: more natterd flags; DURATION: seconds of load per run (node-kill: before the kill);
#   ONLY=node-kill: only the node-kill runs; KILL_PRESENCE_TIMEOUT: the nodes' --presence-timeout
#   in the node-kill runs (default 10 s; --heartbeat-interval is a third of it), 600 s elsewhere.
set -euo pipefail
build=${1:?build dir}
out=${2:-$build/bench-cluster.jsonl}
bench="$build/tools/bench/natter-bench"
natterd="$build/server/natterd"
pgbin=/usr/lib/postgresql/15/bin
# Fixed ports stay below the kernel's ephemeral range (32768-60999), where any outgoing
# connection may already hold them.
pg_port=${PG_PORT:-25442}
redis_port=${REDIS_PORT:-26389}
duration=${DURATION:-5}
only=${ONLY:-}
[ -z "$only" ] || [ "$only" = node-kill ] || { echo "ONLY must be node-kill or unset" >&2; exit 2; }
kill_presence=${KILL_PRESENCE_TIMEOUT:-10}
work=$(mktemp -d /tmp/natter-cluster-bench.XXXXXX)
chmod 0711 "$work"
: >"$out"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_user=$([ "$(id -u)" -eq 0 ] && echo postgres || id -un)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  as_pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/pg" && { [ "$(id -u)" -ne 0 ] || chown postgres: "$work/pg"; } && chmod 0700 "$work/pg"
as_pg "$pgbin/initdb" -D "$work/pg" -A trust -U "$pg_user" >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/pg" -w -l "$work/pg/log" \
  -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200 ${PG_OPTS:-}" start >/dev/null
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --logfile "$work/redis.log" &
pids+=($!)
psql() { as_pg "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U "$pg_user" -tAc "$1" "${2:-postgres}"; }

# The limits natter-bench's own natterd runs with (tools/bench/server_process.cpp).
flags=(--verification fixed:123456 --push log --log-level warn --message-rate 10000000
       --group-message-rate 10000000 --codes-per-address 100000000 --codes-global 100000000
       --account-request-rate 10000000 --account-request-burst 10000000
       --max-connections-per-address 1000000 ${NODE_ARGS:-})
# Users' presence expires this long after their node dies; clients ping at the heartbeat interval.
presence_timeout=600 heartbeat=15
nodes_pids=()
start_nodes() { # N DB [--redis]
  local n=$1 db=$2; shift 2
  nodes_pids=(); urls=(); pid_args=()
  # A fresh Redis too: user and node ids repeat on every fresh database, and presence left by an
  # earlier run (pres:users only ever raises an expiry) would keep those users online.
  redis-cli -p "$redis_port" flushall >/dev/null
  for i in $(seq 1 "$n"); do
    local port=$((18900 + i))
    "$natterd" --listen "127.0.0.1:$port" --data-dir "$work/n$i-$db" --node-id "n$i" \
      --store "postgres://$pg_user@127.0.0.1:$pg_port/$db" --jwt-key "$work/jwt.key" \
      --verification-key "$work/verification.key" --media-dir "$work/media" "${flags[@]}" \
      --presence-timeout "$presence_timeout" --heartbeat-interval "$heartbeat" "$@" >/dev/null 2>"$work/n$i.log" &
    nodes_pids+=($!); urls+=(--url "http://127.0.0.1:$port"); pid_args+=(--server-pid "$!")
  done
  for i in $(seq 1 "$n"); do
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$((18900 + i))/healthz" >/dev/null && break; sleep 0.1; done
  done
}
stop_nodes() { for pid in "${nodes_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
pg_counters() { psql "SELECT (SELECT sum(xact_commit) FROM pg_stat_database) || ' ' || (SELECT wal_sync FROM pg_stat_wal)"; }
redis_commands() { redis-cli -p "$redis_port" info stats | sed -n 's/^total_commands_processed:\([0-9]*\).*/\1/p'; }

# One run on a fresh database: prints the table row, appends JSON with per-message costs.
run=0
cluster_run() { # LABEL NODES REDIS(yes|no) natter-bench args...
  local label=$1 n=$2 redis=$3; shift 3
  run=$((run + 1)); local db="bench$run"
  psql "CREATE DATABASE $db" >/dev/null
  if [ "$redis" = yes ]; then start_nodes "$n" "$db" --redis "redis://127.0.0.1:$redis_port"; else start_nodes "$n" "$db"; fi
  read -r commits0 syncs0 <<<"$(pg_counters)"; local cmds0; cmds0=$(redis_commands)
  local line
  line=$("$bench" "${urls[@]}" "${pid_args[@]}" --json "$@" | tail -n 1)
  read -r commits1 syncs1 <<<"$(pg_counters)"; local cmds1; cmds1=$(redis_commands)
  stop_nodes
  echo "$line" | jq -c --arg name "$label" --argjson c $((commits1 - commits0)) --argjson w $((syncs1 - syncs0)) \
    --argjson r $((cmds1 - cmds0)) \
    '. + {label: $name, pg_commits: $c, wal_syncs: $w, redis_commands: $r,
          messages: (.messages_per_s * .elapsed_s | floor)}' | tee -a "$out" |
    jq -r '"\(.label): \(.messages_per_s|floor) msg/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, p99.9 \(.p999_ms) ms, lost \(.lost), " +
           "commits/msg \(if .messages > 0 then (.pg_commits / .messages * 100 | round / 100) else 0 end), " +
           "WAL syncs/msg \(if .messages > 0 then (.wal_syncs / .messages * 100 | round / 100) else 0 end), " +
           "Redis cmds/msg \(if .messages > 0 then (.redis_commands / .messages * 100 | round / 100) else 0 end)"'
}

# A node of N (PostgreSQL + Redis) gets SIGKILL under load: half its clients reconnect to the
# others at once, half stay away until their partners see them offline (presence timeout).
status=0
node_kill_run() { # LABEL NODES natter-bench args...
  local label=$1 n=$2; shift 2
  local presence_timeout=$kill_presence heartbeat=$(( kill_presence / 3 > 0 ? kill_presence / 3 : 1 ))
  run=$((run + 1)); local db="bench$run"
  psql "CREATE DATABASE $db" >/dev/null
  start_nodes "$n" "$db" --redis "redis://127.0.0.1:$redis_port"
  local line rc=0
  line=$("$bench" "${urls[@]}" "${pid_args[@]}" --kill-node 1 --json --scenario node-kill "$@" | tail -n 1) || rc=$?
  stop_nodes
  [ "$rc" -eq 0 ] || status=1
  [ -n "$line" ] || { echo "$label: natter-bench printed nothing (exit $rc)"; return; }
  echo "$line" | jq -c --arg name "$label" --argjson t "$presence_timeout" --argjson h "$heartbeat" \
    '. + {label: $name, presence_timeout_s: $t, heartbeat_interval_s: $h}' | tee -a "$out" |
    jq -r '"\(.label): resync p50 \(.resync_p50_ms|round) ms, p99 \(.resync_p99_ms|round) ms, max \(.resync_max_ms|round) ms " +
           "(\(.resynced_clients) of \(.moved_clients) moved clients); offline seen p50 \(.offline_p50_ms|round) ms, " +
           "p99 \(.offline_p99_ms|round) ms, max \(.offline_max_ms|round) ms (\(.offline_seen) of \(.away_clients), " +
           "presence timeout \(.presence_timeout_s) s); lost \(.lost), duplicates \(.duplicates), " +
           "redelivered after reconnect \(.redelivered_after_reconnect)\(if .ok then "" else ", FAILED: \(.note)" end)"'
}

echo "natter-bench cluster set ($(nproc) cores); load before: $(uptime)"
if [ "$only" != node-kill ]; then
"$bench" --natterd "$natterd" --data-dir "$work/sqlite" --json --scenario one-to-one 100 --window 10 \
  --duration "$duration" | tail -n 1 | jq -c '. + {label: "1 node, SQLite"}' | tee -a "$out" |
  jq -r '"\(.label): \(.messages_per_s|floor) msg/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms, lost \(.lost)"'
cluster_run "1 node, PostgreSQL" 1 no --scenario one-to-one 100 --window 10 --duration "$duration"
cluster_run "2 nodes, PostgreSQL + Redis, pairs across nodes" 2 yes --scenario one-to-one 100 --window 10 --duration "$duration"
cluster_run "3 nodes, PostgreSQL + Redis, pairs across nodes" 3 yes --scenario one-to-one 100 --window 10 --duration "$duration"
for rate in 1000 5000; do
  cluster_run "open-loop $rate msg/s, 2 nodes, cross-node" 2 yes --scenario open-loop "$rate" --pairs 100 --duration "$duration" --placement spread
  cluster_run "open-loop $rate msg/s, 2 nodes, same node" 2 yes --scenario open-loop "$rate" --pairs 100 --duration "$duration" --placement together
done
fi
node_kill_run "node-kill, 2 nodes, PostgreSQL + Redis" 2 100 --window 5 --duration "$duration"
node_kill_run "node-kill, 3 nodes, PostgreSQL + Redis" 3 100 --window 5 --duration "$duration"
echo "load after: $(uptime)"
echo "JSON lines: $out"
exit $status
