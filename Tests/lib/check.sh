# shellcheck shell=bash
# Sourced by the shell tests (Alertmanager, monitoring, proxy): one check, counted and printed.
#
#   check NAME COMMAND...   runs the command; prints "ok   NAME", or "FAIL NAME" and the command's output
#                           (its last CHECK_LINES lines, 25 unless the caller sets it; CHECK_TAIL=0 prints the first
#                           instead); counts into $passed and $failed. Needs $scratch, the test's temporary folder.

passed=${passed:-0}
failed=${failed:-0}

check() {
    local name=$1; shift
    if "$@" >"$scratch/check.out" 2>&1; then
        passed=$((passed + 1)); echo "ok   $name"
    else
        failed=$((failed + 1)); echo "FAIL $name"
        if [ "${CHECK_TAIL:-1}" = 0 ]; then
            sed 's/^/     /' "$scratch/check.out" | head -"${CHECK_LINES:-25}"
        else
            sed 's/^/     /' "$scratch/check.out" | tail -"${CHECK_LINES:-25}"
        fi
    fi
}
