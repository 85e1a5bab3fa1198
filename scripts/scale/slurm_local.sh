#!/bin/sh
# slurm_local.sh — a one-node Slurm cluster on this machine, everything in
# one directory: for trying the Slurm recipe (slurm_job.sh) and for
# make test-scale.  Debian packages slurm-wlm and munge; run as root.
#
#   scripts/scale/slurm_local.sh start DIR   # prints: export SLURM_CONF=DIR/slurm.conf
#   scripts/scale/slurm_local.sh stop DIR
#
# start writes DIR/slurm.conf for a node named after this host with the
# CPUs and memory `slurmd -C` finds, a fresh MUNGE key in DIR (no
# /etc/munge or /etc/slurm file is read or written), picks two free TCP
# ports on 127.0.0.1, starts munged, slurmctld and slurmd (each in its own
# session, pid files in DIR) and waits until the node is idle (60 s at
# most).  stop ends exactly the processes named by those pid files and
# waits for them to go.  A cluster already running elsewhere is left alone.
set -eu
cmd=${1:-} dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

stop() {
  for d in slurmd slurmctld munged; do
    f="$dir/$d.pid"
    [ -s "$f" ] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      i=0
      while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

case $cmd in
stop) stop; exit 0 ;;
start) ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac

if [ "$(id -u)" != 0 ]; then
  echo "$0: the daemons run as root here (SlurmUser=root); run as root" >&2
  exit 1
fi
for p in munged mungekey slurmctld slurmd sinfo; do
  command -v "$p" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
  command -v "$p" >/dev/null 2>&1 || { echo "$0: $p not found (apt-get install slurm-wlm munge)" >&2; exit 1; }
done
mkdir -p "$dir/state" "$dir/spool"
dir=$(cd "$dir" && pwd)
# munged wants the socket's directory searchable by everyone
chmod 755 "$dir"
trap 'stop' EXIT

mungekey --create --force --keyfile="$dir/munge.key"
setsid munged --foreground --force --key-file="$dir/munge.key" --socket="$dir/munge.sock" \
  --pid-file="$dir/munged.pid" --seed-file="$dir/munged.seed" --log-file="$dir/munged.log" \
  >"$dir/munged.out" 2>&1 </dev/null &
i=0
while [ ! -S "$dir/munge.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$dir/munge.sock" ] || { echo "$0: munged did not start:" >&2; cat "$dir/munged.out" >&2; exit 1; }

# what this node has, as slurmd itself sees it
node=$(slurmd -C | sed -n 's/^NodeName=\([^ ]*\).*/\1/p')
cpus=$(slurmd -C | sed -n 's/.* CPUs=\([0-9]*\).*/\1/p')
mem=$(slurmd -C | sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p')
# two free ports (the kernel picks them; a race with another program is
# possible but unlikely, and then slurmctld's log says so)
ports=$(python3 -c 'import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
set -- $ports
cat >"$dir/slurm.conf" <<EOF
# written by scripts/scale/slurm_local.sh: a one-node cluster on 127.0.0.1
ClusterName=newsdesk
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$1
SlurmdPort=$2
AuthType=auth/munge
AuthInfo=socket=$dir/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
InactiveLimit=0
KillWait=5
Waittime=0
MinJobAge=0
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=newsdesk Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"
setsid slurmctld -D -i >"$dir/slurmctld.out" 2>&1 </dev/null &
echo $! >"$dir/slurmctld.pid"
setsid slurmd -D -N "$node" >"$dir/slurmd.out" 2>&1 </dev/null &
echo $! >"$dir/slurmd.pid"
i=0
until [ "$(sinfo -h -N -o %t 2>/dev/null)" = idle ]; do
  i=$((i + 1))
  if [ $i -gt 300 ]; then
    echo "$0: the node did not come up in 60 s; logs in $dir:" >&2
    tail -n 5 "$dir"/slurmctld.out "$dir"/slurmd.out "$dir"/slurmctld.log "$dir"/slurmd.log >&2 2>/dev/null || true
    exit 1
  fi
  sleep 0.2
done
trap - EXIT
echo "export SLURM_CONF=$dir/slurm.conf"
