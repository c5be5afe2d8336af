#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, for the Slurm executor's tests: Debian's slurm-wlm (22.05)
# with munge, no accounting daemon, no systemd. Run as root.
#   build/slurm/test-cluster.sh install   apt packages (slurm-wlm, munge)
#   build/slurm/test-cluster.sh start     write /etc/slurm, start munged, slurmctld and slurmd, wait for an idle node
#   build/slurm/test-cluster.sh stop      stop the daemons this script started (a cluster already running is left alone)
# Any failure exits non-zero with the daemon's log tail: inside CI a cluster that does not come up is a failure.
set -euo pipefail

log_dir=/var/log/slurm
state=/run/reproduce-test-cluster

fail() {
    echo "test-cluster: $*" >&2
    for log in "$log_dir/slurmctld.log" "$log_dir/slurmd.log"; do
        [ -f "$log" ] && { echo "--- last lines of $log" >&2; tail -n 20 "$log" >&2; }
    done
    exit 1
}

install_packages() {
    if command -v slurmctld >/dev/null && command -v munged >/dev/null; then
        return
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge >/dev/null
}

configure() {
    local host cpus memory
    host=$(hostname -s)
    cpus=$(nproc)
    # slurmd -C reports RealMemory in MB; keep 10% for the system.
    memory=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
    memory=$(( memory * 9 / 10 ))
    install -d /etc/slurm
    cat > /etc/slurm/slurm.conf <<CONF
ClusterName=reproduce-test
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/munge
SlurmUser=root
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$log_dir/slurmctld.log
SlurmdLogFile=$log_dir/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$log_dir/jobcomp.log
ReturnToService=2
MinJobAge=3600
MaxArraySize=10001
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    # slurmd 22.05 always initialises a cgroup plugin; this machine kind has cgroup v1 and no systemd.
    if [ -d /sys/fs/cgroup/cpu ]; then
        echo "CgroupPlugin=cgroup/v1" > /etc/slurm/cgroup.conf
    else
        printf 'CgroupPlugin=cgroup/v2\nIgnoreSystemd=yes\n' > /etc/slurm/cgroup.conf
    fi
}

start() {
    command -v slurmctld >/dev/null || fail "slurmctld is not installed: run '$0 install' first"
    if sinfo -h -o '%T' 2>/dev/null | grep -qx idle; then
        echo "test-cluster: a cluster is already running; left as it is"
        return
    fi
    configure
    install -d "$state" "$log_dir" /var/spool/slurmctld /var/spool/slurmd
    test -f /etc/munge/munge.key || mungekey --create
    chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
    install -d -o munge -g munge /run/munge
    if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
        runuser -u munge -- /usr/sbin/munged
        echo started > "$state/munged"
    fi
    munge -n | unmunge | grep -q "STATUS: *Success" || fail "munge does not authenticate"
    slurmctld || fail "slurmctld did not start"
    echo started > "$state/slurm"
    slurmd || fail "slurmd did not start"
    for _ in $(seq 1 60); do
        if sinfo -h -o '%T' 2>/dev/null | grep -qx idle; then
            echo "test-cluster: node $(hostname -s) idle"
            return
        fi
        sleep 1
    done
    fail "the node did not become idle within 60 s: $(sinfo -h -o '%T %E' 2>&1)"
}

stop() {
    if [ -f "$state/slurm" ]; then
        pkill -x slurmd 2>/dev/null || true
        pkill -x slurmctld 2>/dev/null || true
        rm -f "$state/slurm"
    fi
    if [ -f "$state/munged" ]; then
        pkill -u munge -x munged 2>/dev/null || true
        rm -f "$state/munged"
    fi
    # Gone before returning, so that a start right after does not find daemons still shutting down.
    for _ in $(seq 1 30); do
        pgrep -x slurmd >/dev/null || pgrep -x slurmctld >/dev/null || return 0
        sleep 1
    done
    echo "test-cluster: the Slurm daemons did not stop within 30 s" >&2
    return 1
}

case "${1:-}" in
    install) install_packages ;;
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
