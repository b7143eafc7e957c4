# shellcheck shell=bash
# Sourced by the Alertmanager and monitoring tests: installs Debian packages whose postinst would start a server
# of its own (Alertmanager on :9093, Prometheus on :9090) without letting it start. For the length of the install
# a policy-rc.d denies every start (exit 101); the machine's own policy-rc.d, if it had one, is put back
# afterwards, also by `restore_policy` from the caller's EXIT trap should the install be interrupted.
#
#   apt_install_quiet LOG PACKAGE...   returns apt-get's success; its output goes to LOG

policy_backup=""
policy_ours=""

restore_policy() {  # puts back the machine's own policy-rc.d (or none) after an install
    [ -n "$policy_ours" ] || return 0
    rm -f /usr/sbin/policy-rc.d
    [ -n "$policy_backup" ] && mv -f "$policy_backup" /usr/sbin/policy-rc.d
    policy_ours=""; policy_backup=""
}

apt_install_quiet() {
    local log=$1 ok=0
    shift
    [ -e /usr/sbin/policy-rc.d ] && { policy_backup=/usr/sbin/policy-rc.d.planwatch-test.$$; mv /usr/sbin/policy-rc.d "$policy_backup"; }
    policy_ours=1
    printf '#!/bin/sh\n# planwatch test: no service starts while it installs packages\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    echo "installing $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "$@" >"$log" 2>&1 \
        || { apt-get update >>"$log" 2>&1 && apt-get install -y --no-install-recommends "$@" >>"$log" 2>&1; } \
        || ok=1
    restore_policy
    return $ok
}
