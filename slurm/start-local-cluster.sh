#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (localhost): munged, slurmctld and slurmd, as
# root, with the machine's real CPU count and memory. For CI and for trying the batch scripts on a
# laptop; a real cluster already has all of this.
#
#   apt-get install -y slurm-wlm munge     # Debian / Ubuntu (as root)
#   sudo bash slurm/start-local-cluster.sh
#
# Idempotent: a cluster that already runs this configuration with its node up is left alone;
# otherwise the configuration is (re)written and the daemons (re)started. Writes /etc/slurm/slurm.conf (backing up one it did not
# write) and, where missing, /etc/munge/munge.key. Process tracking is by /proc (no cgroups), so
# it also works inside containers. Exits non-zero with one line when the cluster does not come up.
set -euo pipefail

die() {
  echo "start-local-cluster: $*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || die "run as root (it starts munged, slurmctld and slurmd)"
for b in munged slurmctld slurmd scontrol sinfo; do
  command -v "$b" >/dev/null 2>&1 || die "$b not found: apt-get install -y slurm-wlm munge"
done

NODE="$(hostname -s)"
CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
MARK="# written by rnn-gradbench slurm/start-local-cluster.sh"
STATE=/var/lib/slurm/slurmctld
SPOOL=/var/lib/slurm/slurmd
LOGS=/var/log/slurm

node_up() {
  # The node answers and takes work: idle, mixed or allocated (not down, drained or unknown).
  local state
  state="$(sinfo -h -n "$NODE" -o '%t' 2>/dev/null | head -1)" || return 1
  case "$state" in idle | mix | alloc | comp) return 0 ;; *) return 1 ;; esac
}

# The machine's real size, as slurmd itself measures it.
read -r CPUS MEM < <(slurmd -C | awk '
  /^NodeName=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
  END { print v["CPUs"], v["RealMemory"] }')
[ -n "${CPUS:-}" ] && [ -n "${MEM:-}" ] || die "slurmd -C did not report CPUs and memory"

mkdir -p "$CONF_DIR" "$STATE" "$SPOOL" "$LOGS" /run/munge /var/lib/munge /var/log/munge
cat >"$CONF.tmp" <<EOF
$MARK
ClusterName=local
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# A job credential lives 10 s (default 120): Slurm holds a requeued job back that long, so that
# it does not restart on a node that still remembers the revoked credential of its last start.
AuthInfo=cred_expire=10
StateSaveLocation=$STATE
SlurmdSpoolDir=$SPOOL
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MpiDefault=none
# Jobs stay visible to scontrol for 10 minutes after they end (there is no accounting database).
MinJobAge=600
# Finished or requeued work is rescheduled at once.
SchedulerParameters=sched_interval=2,bf_interval=2,sched_min_interval=100000
KillWait=30
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
if cmp -s "$CONF.tmp" "$CONF" && scontrol ping >/dev/null 2>&1 && node_up; then
  rm -f "$CONF.tmp"
  echo "start-local-cluster: already running ($NODE: $(sinfo -h -n "$NODE" -o '%t %c CPUs %m MB'))"
  exit 0
fi
if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
  cp "$CONF" "$CONF.bak.$(date +%s)"
fi
mv "$CONF.tmp" "$CONF"

# munge: a key (root-readable by munge only) and the daemon.
if [ ! -s /etc/munge/munge.key ]; then
  if command -v mungekey >/dev/null 2>&1; then
    mungekey --create --keyfile=/etc/munge/munge.key
  else
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  fi
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 0700 /etc/munge
chmod 0400 /etc/munge/munge.key
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  pkill_pid() { [ -f "$1" ] && kill "$(cat "$1")" 2>/dev/null || true; }
  pkill_pid /run/munge/munged.pid
  sleep 1
  if id munge >/dev/null 2>&1; then
    runuser -u munge -- munged || die "munged did not start"
  else
    munged --force || die "munged did not start"
  fi
  for _ in $(seq 1 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
  munge -n | unmunge >/dev/null 2>&1 || die "munge does not answer"
fi

# slurmctld and slurmd: restart both so they read the configuration just written.
stop() {
  local pidfile="$1" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  rm -f "$pidfile"
}
stop /run/slurmd.pid
stop /run/slurmctld.pid
slurmctld || die "slurmctld did not start (see $LOGS/slurmctld.log)"
for _ in $(seq 1 40); do scontrol ping >/dev/null 2>&1 && break; sleep 0.5; done
scontrol ping >/dev/null 2>&1 || die "slurmctld does not answer (see $LOGS/slurmctld.log)"
slurmd || die "slurmd did not start (see $LOGS/slurmd.log)"
for _ in $(seq 1 60); do node_up && break; sleep 0.5; done
if ! node_up; then
  # A node left down by an earlier run comes back once its slurmd answers.
  scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true
  for _ in $(seq 1 20); do node_up && break; sleep 0.5; done
fi
node_up || die "node $NODE is not up: $(sinfo -h -N -o '%N %t %E' 2>&1 | head -1)"
echo "start-local-cluster: up ($NODE: $CPUS CPUs, $MEM MB, partition local)"
