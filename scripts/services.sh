#!/usr/bin/env bash
# Local Postgres + Redis for development and tests, without Docker or systemd.
# Source it for the functions below, or run: scripts/services.sh stop [DIR]
set -euo pipefail

OMBARO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)

die() { echo "error: $*" >&2; exit 1; }

as_root() { if ((EUID == 0)); then "$@"; else sudo "$@"; fi; }

# Run a Postgres binary as the `postgres` OS user when we are root (Postgres refuses root).
as_pg() {
  if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_bindir() {
  local dirs
  mapfile -t dirs < <(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V)
  ((${#dirs[@]})) || return 1
  dirname "${dirs[-1]}"
}

# mkdir -p DIR and print its absolute physical path.
abs_dir() { mkdir -p "$1" && (cd "$1" && pwd -P); }

# True when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port [EXCLUDED_PORT...]: print a free port in 20000-40000.
free_port() {
  local port try
  for try in {1..100}; do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 20001))
    [[ " $* " == *" $port "* ]] && continue
    port_in_use "$port" || { echo "$port"; return 0; }
  done
  die "no free TCP port found in 20000-40000 after $try tries"
}

# cluster_ports COUNT [EXCLUDED_PORT...]: print COUNT free ports for Redis Cluster nodes on one line. A node also
# listens on its port + 10000 (the cluster bus). The buses stay below the kernel's ephemeral range (32768 by default),
# so an outgoing connection of any process cannot be handed a bus port between choosing it and the node binding it:
# nodes from 20000, buses from 30000, all free and not excluded.
cluster_ports() {
  local count=$1 p ports=() top
  shift
  top=$(($(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768) - 10000))
  ((top > 20000 + 4 * count)) || top=30000   # an unusual ephemeral range: back to nodes below 30000
  while ((${#ports[@]} < count)); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % (top - 20000)))
    [[ " $* ${ports[*]} " == *" $p "* || " $* " == *" $((p + 10000)) "* ]] && continue
    port_in_use "$p" || port_in_use $((p + 10000)) || ports+=("$p")
  done
  echo "${ports[*]}"
}

# record_port DIR KEY PORT: remember ports in DIR/ports.env for stop_all.
record_port() {
  local file=$1/ports.env
  touch "$file"
  { grep -v "^$2=" "$file" || true; echo "$2=$3"; } >"$file.tmp"
  mv "$file.tmp" "$file"
}

# ensure_installed [COMMAND...]: redis-server and postgresql, plus the Debian package of the same
# name for each COMMAND that is missing (test.sh: chromium for the ops page test; bench: wrk).
ensure_installed() {
  local pkgs=() cmd
  command -v redis-server >/dev/null || pkgs+=(redis-server)
  pg_bindir >/dev/null || pkgs+=(postgresql)
  for cmd in "$@"; do command -v "$cmd" >/dev/null || pkgs+=("$cmd"); done
  ((${#pkgs[@]})) || return 0
  echo "Installing ${pkgs[*]} (Debian packages; their system services are not used)..."
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}"
}

# start_postgres DIR PORT: cluster in DIR/pg, listening on 127.0.0.1:PORT only.
start_postgres() {
  local dir port=$2 bin pgdata sock running
  dir=$(abs_dir "$1")
  bin=$(pg_bindir) || die "PostgreSQL is not installed (run ensure_installed)"
  pgdata=$dir/pg sock=$dir/pg-socket

  if [[ -f $pgdata/PG_VERSION ]] && as_pg "$bin/pg_ctl" status -D "$pgdata" >/dev/null; then
    running=$(sed -n 4p "$pgdata/postmaster.pid")
    [[ $running == "$port" ]] ||
      die "the postgres of $dir runs on port $running, not $port; stop it: scripts/services.sh stop $dir"
  else
    ! port_in_use "$port" || die "port $port is in use by another process (not the postgres of $dir)"
    mkdir -p "$pgdata" "$sock"
    touch "$dir/postgres.log"
    chmod 700 "$pgdata" "$sock"
    if ((EUID == 0)); then chown postgres: "$pgdata" "$sock" "$dir/postgres.log"; fi
    as_pg test -w "$pgdata" ||
      die "the postgres OS user cannot reach $pgdata: give its parent folders o+x, or move the repo"
    if [[ ! -f $pgdata/PG_VERSION ]]; then
      as_pg "$bin/initdb" -D "$pgdata" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >>"$dir/postgres.log"
      echo "include_if_exists = 'ombaro.conf'" | as_pg tee -a "$pgdata/postgresql.conf" >/dev/null
    fi
    # Rewritten on each start, so the port given now is the one used.
    printf '%s\n' "listen_addresses = '127.0.0.1'" "port = $port" \
      "unix_socket_directories = '$sock'" | as_pg tee "$pgdata/ombaro.conf" >/dev/null
    as_pg "$bin/pg_ctl" start -D "$pgdata" -l "$dir/postgres.log" -w -t 60 >/dev/null ||
      die "postgres did not start; see $dir/postgres.log"
  fi
  record_port "$dir" PG_PORT "$port"

  local try
  for try in {1..30}; do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    ((try < 30)) || die "postgres on port $port is not ready; see $dir/postgres.log"
    sleep 1
  done

  local psql=(as_pg "$bin/psql" -h "$sock" -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1)
  [[ $("${psql[@]}" -c "select 1 from pg_roles where rolname = 'ombaro'") == 1 ]] ||
    "${psql[@]}" -c "create role ombaro login createdb password 'ombaro'"
  [[ $("${psql[@]}" -c "select 1 from pg_database where datname = 'ombaro'") == 1 ]] ||
    "${psql[@]}" -c "create database ombaro owner ombaro"
}

redis_ping() { [[ $(redis-cli -p "$1" ping 2>/dev/null) == PONG ]]; }

redis_dir() { redis-cli -p "$1" config get dir 2>/dev/null | sed -n 2p; }

# redis_conf ROLE PORT DATA_DIR PID_LOG_STEM: a server of ROLE's settings (deploy/redis/ROLE.conf) on loopback, daemonized.
redis_conf() {
  cat <<CONF
include "$OMBARO_ROOT/deploy/redis/$1.conf"
port $2
bind 127.0.0.1
protected-mode yes
dir "$3"
daemonize yes
pidfile "$4.pid"
logfile "$4.log"
CONF
}

# start_redis DIR PORT ROLE: ROLE is state or cache (settings in deploy/redis/ROLE.conf).
start_redis() {
  local dir port=$2 role=$3 data conf try
  dir=$(abs_dir "$1")
  data=$dir/redis-$role conf=$dir/redis-$role.conf
  [[ -f $OMBARO_ROOT/deploy/redis/$role.conf ]] || die "unknown redis role: $role"

  if redis_ping "$port"; then
    [[ $(redis_dir "$port") == "$data" ]] ||
      die "port $port is used by another Redis (data in $(redis_dir "$port")), not the $role Redis of $dir"
  else
    ! port_in_use "$port" || die "port $port is in use by another process (not the $role Redis of $dir)"
    mkdir -p "$data"
    redis_conf "$role" "$port" "$data" "$dir/redis-$role" >"$conf"
    redis-server "$conf" >/dev/null || die "redis ($role) did not start; see $dir/redis-$role.log"
    for try in {1..50}; do
      redis_ping "$port" && break
      ((try < 50)) || die "redis ($role) on port $port is not answering; see $dir/redis-$role.log"
      sleep 0.2
    done
  fi
  record_port "$dir" "REDIS_${role^^}_PORT" "$port"
}

# start_redis_cluster_fresh DIR ROLE [EXCLUDED_PORT...]: start_redis_cluster on 6 fresh ports (cluster_ports), up to 3
# tries: on a busy machine another process may still take a chosen port before the node binds it. A failed try's nodes
# are shut down before the next. The ports end up in the array cluster_started.
start_redis_cluster_fresh() {
  local dir=$1 role=$2 try list p
  shift 2
  for try in 1 2 3; do
    list=$(cluster_ports 6 "$@")
    if (start_redis_cluster "$dir" "$role" $list); then read -ra cluster_started <<<"$list"; return 0; fi
    for p in $list; do
      [[ $(redis_dir "$p") == "$(abs_dir "$dir")/redis-$role-$p" ]] && redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true
    done
    echo "   retrying the $role Redis Cluster on other ports" >&2
  done
  die "could not start the $role Redis Cluster"
}

# start_redis_cluster DIR ROLE PORT...: a Redis Cluster of the given nodes (6 ports: 3 masters with a
# replica each) using ROLE's settings, node timeout 2 s so a failover takes seconds, data in DIR.
start_redis_cluster() {
  local dir role=$2 port conf data try nodes=()
  dir=$(abs_dir "$1")
  shift 2
  [[ -f $OMBARO_ROOT/deploy/redis/$role.conf ]] || die "unknown redis role: $role"
  # Recorded first, so stop_all also stops the nodes of a cluster whose creation failed or was interrupted.
  record_port "$dir" "REDIS_CLUSTER_${role^^}_PORTS" "$*"
  for port in "$@"; do
    ! port_in_use "$port" || die "port $port is in use by another process"
    data=$dir/redis-$role-$port conf=$data.conf
    mkdir -p "$data"
    { redis_conf "$role" "$port" "$data" "$data"; cat <<CONF; } >"$conf"
cluster-enabled yes
cluster-config-file "$data/nodes.conf"
cluster-node-timeout 2000
cluster-replica-validity-factor 0
appendonly no
save ""
CONF
    redis-server "$conf" >/dev/null || die "redis cluster node $port did not start; see $data.log"
    nodes+=("127.0.0.1:$port")
  done
  for port in "$@"; do
    for try in {1..150}; do
      redis_ping "$port" && break
      ((try < 150)) || die "redis cluster node $port is not answering: $(tail -3 "$dir/redis-$role-$port.log" 2>/dev/null)"
      sleep 0.2
    done
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$dir/redis-$role-cluster.log" 2>&1 ||
    die "redis-cli --cluster create failed; see $dir/redis-$role-cluster.log"
  for port in "$@"; do
    for try in {1..100}; do
      redis-cli -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && break
      ((try < 100)) || die "redis cluster node $port never reported cluster_state:ok"
      sleep 0.2
    done
  done
}

# read_port DIR KEY: a port recorded by record_port (empty if none).
read_port() { sed -n "s/^$2=//p" "$1/ports.env" 2>/dev/null || true; }

# stop_all DIR [nosave]: stop the postgres and redis servers whose data is in DIR.
stop_all() {
  [[ -d $1 ]] || return 0
  local dir mode=${2:-} bin role port
  dir=$(abs_dir "$1")

  if bin=$(pg_bindir) && [[ -f $dir/pg/PG_VERSION ]] &&
    as_pg "$bin/pg_ctl" status -D "$dir/pg" >/dev/null; then
    as_pg "$bin/pg_ctl" stop -D "$dir/pg" -m fast >/dev/null
    echo "stopped postgres (port $(read_port "$dir" PG_PORT))"
  fi
  for role in state cache; do
    port=$(read_port "$dir" "REDIS_${role^^}_PORT")
    if [[ -n $port ]] && redis_ping "$port" && [[ $(redis_dir "$port") == "$dir/redis-$role" ]]; then
      redis-cli -p "$port" shutdown ${mode:+"$mode"} >/dev/null 2>&1 || true
      for _ in {1..100}; do redis_ping "$port" || break; sleep 0.1; done
      echo "stopped redis $role (port $port)"
    fi
    for port in $(read_port "$dir" "REDIS_CLUSTER_${role^^}_PORTS"); do
      if redis_ping "$port" && [[ $(redis_dir "$port") == "$dir/redis-$role-$port" ]]; then
        redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
      fi
    done
  done
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  case ${1:-} in
    stop) stop_all "${2:-$OMBARO_ROOT/.local/dev}" ;;
    *) echo "usage: $0 stop [DIR]   (default DIR: .local/dev)" >&2; exit 2 ;;
  esac
fi
