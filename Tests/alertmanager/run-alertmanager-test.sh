#!/usr/bin/env bash
# The real-Alertmanager test: planwatch's alert delivery to Alertmanager's v2 API, end to end.
#
#   Tests/alertmanager/run-alertmanager-test.sh              the planwatch scenario (needs a built binary:
#                                                            PLANWATCH_BIN, default .build/debug/planwatch)
#   Tests/alertmanager/run-alertmanager-test.sh --self-test  the harness checks itself with curl, no planwatch
#
# Installs Debian's prometheus-alertmanager when alertmanager/amtool are missing (root; the package's own service
# is never started and is left disabled), starts a private Alertmanager on 127.0.0.1 (free port, its own storage
# in a temporary folder, clustering off) that routes every alert to webhook.py, a receiver recording each
# notification, and counts what Alertmanager notified. Prints "ok   NAME" or "FAIL NAME" per check and a summary
# line; exits 1 when a check failed. Prints "SKIP alertmanager test: REASON" and exits 0 only when Alertmanager
# cannot be had. KEEP=1 keeps the temporary folder (logs, configuration, notifications) and prints its path.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/apt-install-quiet.sh
. "$here/../lib/apt-install-quiet.sh"
# shellcheck source=SCRIPTDIR/../lib/check.sh
. "$here/../lib/check.sh"
passed=0
failed=0

# ---------------------------------------------------------------------------------------------------------------
# Reporting and waiting
# ---------------------------------------------------------------------------------------------------------------

skip() { echo "SKIP alertmanager test: $*"; exit 0; }
now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }  # microseconds since the epoch (bash 5)

wait_for() {  # wait_for SECONDS COMMAND...: true as soon as the command succeeds, false after SECONDS or as soon
              # as it exits 42 (hopeless: no use waiting)
    local deadline=$(($(now_us) + $1 * 1000000)) status; shift
    while :; do
        "$@" >/dev/null 2>&1 && return 0
        status=$?
        [ "$status" -eq 42 ] || [ "$(now_us)" -ge "$deadline" ] && break
        sleep 0.2
    done
    "$@"   # once more, with its output, for the failure message
}

stays() {  # stays SECONDS COMMAND...: true when the command succeeds throughout SECONDS (checked every 0.2 s)
    local deadline=$(($(now_us) + $1 * 1000000)); shift
    while [ "$(now_us)" -lt "$deadline" ]; do
        "$@" >/dev/null 2>&1 || { "$@"; return 1; }
        sleep 0.2
    done
    "$@"
}

equals() {  # equals EXPECTED COMMAND...: the command's output is EXPECTED
    local expected=$1 actual; shift
    actual=$("$@") || true
    [ "$actual" = "$expected" ] && return 0
    echo "expected '$expected', got '$actual' from: $*"
    return 1
}

iso_time() {  # iso_time [OFFSET_SECONDS]: RFC 3339 UTC, now or now + offset (negative for the past)
    date -u -d "@$(($(date +%s) + ${1:-0}))" +%Y-%m-%dT%H:%M:%SZ
}

# ---------------------------------------------------------------------------------------------------------------
# Alertmanager: install, configure, start, stop, restart
# ---------------------------------------------------------------------------------------------------------------

AM_BIN=""

find_tools() {
    AM_BIN=$(command -v alertmanager || command -v prometheus-alertmanager || true)
    [ -n "$AM_BIN" ] && command -v amtool >/dev/null && command -v jq >/dev/null && command -v curl >/dev/null \
        && command -v python3 >/dev/null
}


install_alertmanager() {
    find_tools && return 0
    [ "$(id -u)" -eq 0 ] || skip "alertmanager/amtool are missing and installing them needs root"
    command -v apt-get >/dev/null || skip "alertmanager/amtool are missing and there is no apt-get"
    local packages=(prometheus-alertmanager) started=$SECONDS
    command -v jq >/dev/null || packages+=(jq)
    command -v curl >/dev/null || packages+=(curl)
    command -v python3 >/dev/null || packages+=(python3)
    # Its postinst would start an Alertmanager of its own on :9093: installed with every start denied.
    local ok=1
    apt_install_quiet "$scratch/apt.log" "${packages[@]}" || ok=0
    if [ "$ok" -eq 0 ]; then
        tail -5 "$scratch/apt.log"
        skip "prometheus-alertmanager cannot be installed (apt-get failed)"
    fi
    # Its unit was enabled by the postinst: disable it (and its SysV links), stop it should anything have started it.
    if dpkg-query -W -f='${Status}' prometheus-alertmanager 2>/dev/null | grep -q "install ok installed"; then
        if command -v systemctl >/dev/null; then
            systemctl disable prometheus-alertmanager.service >/dev/null 2>&1
            [ -d /run/systemd/system ] && systemctl stop prometheus-alertmanager.service >/dev/null 2>&1
        elif command -v update-rc.d >/dev/null; then
            update-rc.d prometheus-alertmanager disable >/dev/null 2>&1
        fi
    fi
    find_tools || skip "prometheus-alertmanager installed but alertmanager/amtool/jq/curl/python3 are still missing"
    echo "installed in $((SECONDS - started)) s"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

AM_PID=""
AM_PORT=""
AM_URL=""
WEBHOOK_PID=""
WEBHOOK_URL=""

start_webhook() {
    : >"$scratch/notifications.jsonl"
    python3 "$here/webhook.py" "$scratch/notifications.jsonl" "$scratch/webhook.port" 2>>"$scratch/webhook.log" &
    WEBHOOK_PID=$!
    local _i
    for _i in $(seq 100); do [ -s "$scratch/webhook.port" ] && break; sleep 0.05; done
    [ -s "$scratch/webhook.port" ] || { echo "FAIL the webhook receiver did not start"; cat "$scratch/webhook.log"; exit 1; }
    WEBHOOK_URL="http://127.0.0.1:$(cat "$scratch/webhook.port")/"
}

write_am_config() {
    mkdir -p "$scratch/am/data"
    cat >"$scratch/am/alertmanager.yml" <<EOF
route:
  receiver: webhook
  group_by: [alertname, plan, target]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: webhook
    webhook_configs:
      - url: $WEBHOOK_URL
        send_resolved: true
EOF
    amtool check-config "$scratch/am/alertmanager.yml" >"$scratch/am/check-config.out" 2>&1 \
        || { echo "FAIL amtool check-config"; cat "$scratch/am/check-config.out"; exit 1; }
}

# With AM_WEB_CONFIG set (the TLS scenario), Alertmanager listens with TLS and curl trusts the test CA.
AM_WEB_CONFIG="" CURL_TLS=()
am_ready() { curl -fsS "${CURL_TLS[@]}" -o /dev/null --max-time 2 "$AM_URL/-/ready"; }

am_start() {  # starts Alertmanager on AM_PORT (picks a free one the first time) with the same storage
    local tries=1 _attempt
    [ -z "$AM_PORT" ] && tries=3
    for _attempt in $(seq "$tries"); do
        [ "$tries" -gt 1 ] && AM_PORT=$(free_port)
        AM_URL="$([ -n "$AM_WEB_CONFIG" ] && echo https || echo http)://127.0.0.1:$AM_PORT"
        echo "--- start $(date -u +%H:%M:%S) on $AM_PORT" >>"$scratch/am/alertmanager.log"
        "$AM_BIN" --config.file="$scratch/am/alertmanager.yml" --storage.path="$scratch/am/data" \
            --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= --log.level=debug \
            ${AM_WEB_CONFIG:+--web.config.file="$AM_WEB_CONFIG"} >>"$scratch/am/alertmanager.log" 2>&1 &
        AM_PID=$!
        local _i
        for _i in $(seq 150); do
            am_ready 2>/dev/null && return 0
            kill -0 "$AM_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -TERM "$AM_PID" 2>/dev/null; wait "$AM_PID" 2>/dev/null; AM_PID=""
    done
    echo "Alertmanager did not become ready on $AM_URL:"; tail -20 "$scratch/am/alertmanager.log"
    return 1
}

am_stop() {  # SIGTERM: Alertmanager writes its notification log and silences to the storage before it exits
    [ -n "$AM_PID" ] || return 0
    kill -TERM "$AM_PID" 2>/dev/null
    wait "$AM_PID" 2>/dev/null
    AM_PID=""
    ! curl -fsS "${CURL_TLS[@]}" -o /dev/null --max-time 1 "$AM_URL/-/ready" 2>/dev/null
}

am_restart() { am_stop && am_start; }

# ---------------------------------------------------------------------------------------------------------------
# What Alertmanager holds and what it notified
# ---------------------------------------------------------------------------------------------------------------

am_alerts() {  # the alerts Alertmanager holds that are not resolved (v2 API), as a JSON array
    curl -fsS "${CURL_TLS[@]}" --max-time 5 "$AM_URL/api/v2/alerts?active=true&silenced=false&inhibited=false&unprocessed=true"
}

am_query() {  # am_query TARGET: amtool's view of the alerts with target=TARGET, as a JSON array
    amtool --alertmanager.url="$AM_URL" alert query "target=$1" -o json
}

am_post() {  # am_post JSON_ARRAY: POST /api/v2/alerts; fails unless Alertmanager answers 200
    local code
    code=$(curl -sS --max-time 5 -o "$scratch/post.out" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary "$1" "$AM_URL/api/v2/alerts") || return 1
    [ "$code" = 200 ] || { echo "POST /api/v2/alerts answered $code: $(cat "$scratch/post.out")"; return 1; }
}

notifications() { cat "$scratch/notifications.jsonl"; }  # every webhook notification, one JSON per line

count_notifications() {  # count_notifications STATUS TARGET [ALERTNAME]: notifications of that status for TARGET
    jq -s --arg status "$1" --arg target "$2" --arg name "${3:-PlanTarget}" '
        [ .[] | select(.status == $status)
              | select(any(.alerts[]; .labels.target == $target and .labels.alertname == $name
                                      and .status == $status)) ] | length' "$scratch/notifications.jsonl"
}
# A firing notification: its group has a firing alert for TARGET. A resolved one: the whole group is resolved.
count_firing() { count_notifications firing "$@"; }
count_resolved() { count_notifications resolved "$@"; }

count_notified_state() {  # count_notified_state TARGET STATE: firing notifications with TARGET's alert firing in STATE
    jq -s --arg target "$1" --arg state "$2" '
        [ .[] | select(.status == "firing")
              | select(any(.alerts[]; .labels.target == $target and .labels.alertname == "PlanTarget"
                                      and .labels.state == $state and .status == "firing")) ] | length' \
        "$scratch/notifications.jsonl"
}

# The helpers below look at alerts named PlanTarget only: planwatch's data alerts (PlanData) are other groups.
target_alerts() {  # target_alerts TARGET [JQ_CONDITION]: the unresolved PlanTarget alerts for TARGET (API), a JSON array
    am_alerts | jq -c --arg target "$1" \
        "[ .[] | select(.labels.target == \$target and .labels.alertname == \"PlanTarget\") | select(${2:-true}) ]"
}

active_count() { target_alerts "$@" | jq length; }  # active_count TARGET [JQ_CONDITION]

labels_of() {  # labels_of TARGET: the label set of the one unresolved alert for TARGET, keys sorted, compact
    target_alerts "$1" | jq -S -c --arg target "$1" \
        'if length == 1 then .[0].labels else error("\(length) alerts for \($target), expected 1") end'
}

has_labels() {  # has_labels api|amtool TARGET EXPECTED_JSON: the one alert for TARGET has (at least) these labels
    local json
    if [ "$1" = amtool ]; then json=$(am_query "$2") || return 1; else json=$(am_alerts) || return 1; fi
    echo "$json" | jq -e --arg target "$2" --argjson expected "$3" '
        [ .[] | select(.labels.target == $target and .labels.alertname == "PlanTarget") ] as $alerts
        | if ($alerts | length) != 1 then error("\($alerts | length) alerts for \($target), expected 1")
          elif ($expected | to_entries | all(.[]; $alerts[0].labels[.key] == .value)) then true
          else error("labels \($alerts[0].labels | tojson) do not match \($expected | tojson)") end' >/dev/null
}

alert_is() {  # alert_is TARGET JQ_CONDITION: the one unresolved alert for TARGET satisfies it ($now: the time now)
    local alerts count
    alerts=$(target_alerts "$1") || return 1
    count=$(jq length <<<"$alerts")
    [ "$count" = 1 ] || { echo "$count alerts for $1, expected 1: $alerts"; return 1; }
    jq -e --arg now "$(iso_time)" ".[0] | ($2)" <<<"$alerts" >/dev/null \
        || { echo "the alert for $1 does not satisfy $2: $alerts"; return 1; }
}

last_notification_is() {  # last_notification_is TARGET JQ_CONDITION: of the notifications about TARGET
    jq -s -e --arg target "$1" "[ .[] | select(any(.alerts[]; .labels.target == \$target)) ] | last | ($2)" \
        "$scratch/notifications.jsonl" >/dev/null \
        || { echo "the last notification for $1 does not satisfy $2:"; notifications | tail -1; return 1; }
}

notified_about() {  # notified_about TARGET: how many notifications mention TARGET at all
    jq -s --arg target "$1" '[ .[] | select(any(.alerts[]; .labels.target == $target)) ] | length' "$scratch/notifications.jsonl"
}

above() {  # above NUMBER COMMAND...: the command prints a number greater than NUMBER
    local floor=$1 value; shift
    value=$("$@") || return 1
    [ "$value" -gt "$floor" ] || { echo "expected more than $floor, got $value from: $*"; return 1; }
}

# ---------------------------------------------------------------------------------------------------------------
# Processes: one trap ends everything this script started, by its pid
# ---------------------------------------------------------------------------------------------------------------

PLANWATCH_PID=""
scratch=$(mktemp -d /tmp/planwatch-alertmanager.XXXXXX)
cleanup() {
    local pid
    for pid in "$PLANWATCH_PID" "$AM_PID" "$WEBHOOK_PID"; do
        [ -n "$pid" ] || continue
        kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    restore_policy
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

diagnose() {  # on failure: what Alertmanager and the webhook saw
    echo "--- notifications (status, alerts' target/state/status):"
    jq -c '[.status, [.alerts[] | [.labels.target, .labels.state, .status]]]' "$scratch/notifications.jsonl" 2>/dev/null | tail -20
    echo "--- alertmanager log (last 15 lines):"
    tail -15 "$scratch/am/alertmanager.log"
}

# ---------------------------------------------------------------------------------------------------------------
# Self-test: the whole path with curl, no planwatch
# ---------------------------------------------------------------------------------------------------------------

# target_alert TARGET STATE STARTS_AT ENDS_AT: one alert as planwatch sends it, in a JSON array
target_alert() {
    jq -n -c --arg target "$1" --arg state "$2" --arg starts "$3" --arg ends "$4" '[{
        labels: {alertname: "PlanTarget", plan: "central-region-2021", target: $target, region: "CN-AH",
                 indicator: "urbanization_rate", severity: "warning", state: $state},
        annotations: {summary: "\($target) is \($state)",
                      description: "Off track: changes 1.06 in 2021, 0.76 in 2022 against 1 a period.",
                      report: "/var/lib/planwatch/report/targets/\($target).html"},
        startsAt: $starts, endsAt: $ends}]'
}

self_test() {
    local one=selftest-anhui-urbanization two=selftest-after-restart three=selftest-never-firing
    local started expected
    started=$(iso_time)
    expected='{"alertname":"PlanTarget","indicator":"urbanization_rate","plan":"central-region-2021","region":"CN-AH","severity":"warning","state":"off_track","target":"'$one'"}'

    # 1. A firing alert, endsAt = now + 4 × resend_interval (1m), as planwatch sends it.
    check "POST a firing alert (200)" am_post "$(target_alert "$one" off_track "$started" "$(iso_time 240)")"
    check "the API lists it with exactly the labels sent" wait_for 5 equals "$expected" labels_of "$one"
    check "amtool alert query target=$one shows it with the labels" has_labels amtool "$one" "$expected"
    check "its annotations arrived (summary, description, report)" alert_is "$one" \
        '.annotations | (.summary | length > 0) and (.description | length > 0) and (.report | endswith(".html"))'
    check "the webhook got one firing notification" wait_for 10 equals 1 count_firing "$one"
    check "the notification carries group labels, labels and annotations" last_notification_is "$one" \
        '.status == "firing" and .groupLabels == {alertname: "PlanTarget", plan: "central-region-2021", target: "'$one'"}
         and .alerts[0].labels.state == "off_track" and (.alerts[0].annotations.report | length > 0)'

    # 2. The re-send: the same labels, a later endsAt. Alertmanager merges it and does not notify again.
    check "POST the same alert again with a later endsAt (a re-send)" am_post "$(target_alert "$one" off_track "$started" "$(iso_time 300)")"
    check "no second notification within 3 s of the re-send" stays 3 equals 1 count_firing "$one"
    check "the re-send kept startsAt and moved endsAt later" alert_is "$one" \
        '(.startsAt | startswith("'"${started:0:19}"'")) and .endsAt > "'"$(iso_time 270)"'"'

    # 3. The resolve: endsAt in the past.
    check "POST it with endsAt in the past (the resolve)" am_post "$(target_alert "$one" off_track "$started" "$(iso_time -1)")"
    check "the webhook got one resolved notification" wait_for 10 equals 1 count_resolved "$one"
    check "exactly one: no second resolved notification within 3 s" stays 3 equals 1 count_resolved "$one"
    check "the API no longer lists it as active" equals 0 active_count "$one"
    check "amtool shows nothing for it either" equals '[]' am_query "$one"
    check "still one firing notification in all" equals 1 count_firing "$one"

    # 4. A resolve of an alert Alertmanager never saw firing is accepted and notifies nobody.
    check "POST a resolve for an alert never seen firing (200)" am_post "$(target_alert "$three" off_track "$(iso_time -60)" "$(iso_time -1)")"
    check "it is not listed and the webhook hears nothing of it within 3 s" \
        stays 3 both equals 0 notified_about "$three" -- equals 0 active_count "$three"

    # 5. Stop and restart on the same port and storage: a new alert arrives exactly once.
    check "Alertmanager stops (SIGTERM) and its port closes" am_stop
    check "a POST while it is down fails (what planwatch's outbox retries)" not am_post '[]'
    check "Alertmanager restarts on the same port and storage" am_start
    check "POST a new alert after the restart (200)" am_post "$(target_alert "$two" at_risk "$(iso_time)" "$(iso_time 240)")"
    check "it is listed with its labels" wait_for 5 has_labels api "$two" \
        '{"alertname":"PlanTarget","plan":"central-region-2021","target":"'$two'","region":"CN-AH","indicator":"urbanization_rate","state":"at_risk"}'
    check "the webhook got it once" wait_for 10 equals 1 count_firing "$two"
    check "exactly once: nothing more within 3 s" stays 3 equals 1 count_firing "$two"

    # 6. What survives a restart: not the alerts (memory only), but the notification log, so a re-send of an
    #    alert notified before the restart does not notify again.
    check "stop and restart once more" am_restart
    check "the firing alert is gone from the API after the restart" equals 0 active_count "$two"
    check "a re-send after the restart (200)" am_post "$(target_alert "$two" at_risk "$(iso_time -5)" "$(iso_time 300)")"
    check "it is listed again" wait_for 5 equals 1 active_count "$two"
    check "no second notification: the notification log survived the restart" stays 4 equals 1 count_firing "$two"
    check "the resolved alert stays resolved: nothing more about it" equals 2 notified_about "$one"
    check "every notification is JSON with a status, 3 in all" equals 3 jq -s \
        'if all(.[]; .status == "firing" or .status == "resolved") then length else "bad" end' "$scratch/notifications.jsonl"
}

both() {  # both COMMAND1... -- COMMAND2...: true when both commands succeed
    local first=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do first+=("$1"); shift; done
    shift
    "${first[@]}" && "$@"
}
not() { ! "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# The planwatch scenario: the daemon delivers a target's alerts through its outbox
# ---------------------------------------------------------------------------------------------------------------

# Anhui's urbanization rate 2020-2024 as the Anhui Provincial Bureau of Statistics published it (58.33, 59.39,
# 60.15, 61.51, 62.57; also Tests/systemd/anhui-urbanization.csv), then two revisions for the test: one with
# changes of 0.2 a year (below the target's 1 pp), one back to changes of at least 1 pp.
write_csv() {  # write_csv FILE PERIOD=VALUE...: the canonical CSV, indicator,region,period,value,source
    local file=$1 cell; shift
    { echo "indicator,region,period,value,source"
      for cell in "$@"; do echo "urbanization_rate,CN-AH,${cell%%=*},${cell#*=},Anhui Provincial Bureau of Statistics"; done
    } >"$file"
}

drop() {  # drop NAME PERIOD=VALUE...: writes aside (a dotfile, which the inbox ignores), renames it into place,
          # and waits until planwatch has taken it (moved to processed/)
    local name=$1; shift
    write_csv "$state/inbox/.$name.tmp" "$@" || return 1
    mv "$state/inbox/.$name.tmp" "$state/inbox/$name" || return 1
    wait_for 30 taken "$name"
}
taken() {  # taken NAME: planwatch moved NAME to processed/; a rejection ends the wait with planwatch's report
    if [ -e "$state/rejected/$1" ]; then
        echo "planwatch rejected $1:"; cat "$state/rejected/$1".* 2>/dev/null | head -20; return 42
    fi
    [ ! -e "$state/inbox/$1" ] && ls "$state"/processed/*/"$1" >/dev/null 2>&1 \
        || { echo "$1 is not in processed/ yet:"; find "$state" -maxdepth 3 -not -path '*/report*' | head -30; return 1; }
}

planwatch_ready() {
    grep -q "watching " "$scratch/planwatch.log" \
        || { echo "planwatch has not said 'watching' yet:"; tail -20 "$scratch/planwatch.log"; return 1; }
}
planwatch_alive() {
    kill -0 "$PLANWATCH_PID" 2>/dev/null || { echo "planwatch exited:"; tail -20 "$scratch/planwatch.log"; return 1; }
}

planwatch_scenario() {
    local binary=${PLANWATCH_BIN:-.build/debug/planwatch} target=anhui-urbanization-1pp config
    case "$binary" in /*) ;; *) binary=$repo/$binary ;; esac
    if [ ! -x "$binary" ]; then
        echo "FAIL no planwatch binary at $binary; run swift build first (or set PLANWATCH_BIN)"
        failed=$((failed + 1)); return
    fi
    config=$scratch/config; state=$scratch/state
    mkdir -p "$config" "$state" "$scratch/log"
    # stale_grace: as of today (after April 2026) Anhui's 2024 figure is the latest and its 2025 one is overdue,
    # which flags the target stale whatever the drops say, and overdue data fires PlanTarget in any state: nothing
    # would ever resolve. A grace of a century keeps the alerts the states' own (the target's rule is "年均", an
    # average of at least 1 pp a year): at_risk (0.9 a year), off_track (0.19 a year), on_track (1.015 a year).
    cat >"$config/planwatch.yaml" <<EOF
plans: $repo/seeds/plans.d
evaluation:
  stale_grace: P100Y
report:
  enabled: false
alerts:
  alertmanager:
    url: $AM_URL
    timeout: 5s
    resend_interval: 2s
EOF
    local labels='"alertname":"PlanTarget","plan":"central-region-2021","target":"'$target'","region":"CN-AH","indicator":"urbanization_rate"'
    local bad='(.labels.state | IN("off_track", "missed", "at_risk")) and .labels.stale == "false"'

    "$binary" run --config "$config" --state-dir "$state" --log-dir "$scratch/log" >"$scratch/planwatch.log" 2>&1 &
    PLANWATCH_PID=$!
    check "planwatch run starts and watches its inbox" wait_for 60 planwatch_ready
    check "nothing is notified for $target before any data arrives" stays 2 equals 0 notified_about "$target"

    # Worse: a series (insufficient_data before) rising (61.93 − 58.33) / 4 = 0.9 a year on average: at_risk.
    check "drop a series rising 0.9 a year 2020-2024" \
        drop anhui-published.csv 2020=58.33 2021=59.39 2022=60.15 2023=61.21 2024=61.93
    check "the webhook got the firing alert for $target" wait_for 30 equals 1 count_firing "$target"
    check "the API lists it with plan, target, region, indicator, alertname" has_labels api "$target" "{$labels}"
    check "amtool alert query target=$target shows the same labels" has_labels amtool "$target" "{$labels}"
    check "its state label is a bad state (at_risk) and its severity is set" alert_is "$target" \
        "$bad and .labels.state == \"at_risk\" and (.labels.severity | IN(\"info\", \"warning\", \"critical\"))"
    check "its annotations summary, description and report are set" alert_is "$target" \
        '.annotations | [.summary, .description, .report] | all(type == "string" and length > 0)'
    # Past 4 × resend_interval (8 s) only the re-sends keep it active, and they must not notify again.
    check "re-sends keep it active past 4 x resend_interval, without notifying again" \
        stays 10 both equals 1 active_count "$target" -- equals 1 count_firing "$target"
    check "its endsAt is in the future (now + 4 x resend_interval)" alert_is "$target" '.endsAt > $now'

    # Worse still: the changes of 2021-2024 fall to 0.2 a year, (59.1 − 58.33) / 4 = 0.19 on average: off_track.
    check "drop a revision with changes of 0.2 a year" \
        drop anhui-revised-low.csv 2021=58.5 2022=58.7 2023=58.9 2024=59.1
    check "the alert for $target is now off_track" wait_for 30 equals 1 active_count "$target" '.labels.state == "off_track"'
    check "and it is the only one for $target (the at_risk one is gone)" wait_for 30 equals 1 active_count "$target"
    # Waited for, or the next drop may resolve it within the same group_interval and off_track is never notified.
    check "the webhook got $target firing as off_track" wait_for 30 equals 1 count_notified_state "$target" off_track

    # Better: changes of 1.06, 1, 1, 1, on average 1.015: on_track, not a bad state: a resolve.
    local resolved_before
    resolved_before=$(count_resolved "$target")
    check "drop a revision back to changes of at least 1 pp" \
        drop anhui-revised-back.csv 2021=59.39 2022=60.39 2023=61.39 2024=62.39
    check "the API no longer lists an alert for $target" wait_for 30 equals 0 active_count "$target"
    check "the webhook got the resolved notification for $target" wait_for 30 above "$resolved_before" count_resolved "$target"
    check "the last notification for $target is that resolve" last_notification_is "$target" \
        '.status == "resolved" and all(.alerts[]; .status == "resolved")'

    # Alertmanager down: the next alert waits in planwatch's outbox and arrives once Alertmanager is back.
    local firing_before
    firing_before=$(count_firing "$target")
    check "Alertmanager stops" am_stop
    # The cells and values of anhui-revised-low.csv, rows in another order: planwatch refuses a file whose bytes
    # it has ingested before (a duplicate), and this one must be taken.
    check "drop the low revision again while Alertmanager is down" \
        drop anhui-revised-low-again.csv 2024=59.1 2023=58.9 2022=58.7 2021=58.5
    check "planwatch keeps running while Alertmanager is down (retrying)" stays 6 planwatch_alive
    # kill -9 with the alert still in the outbox: the outbox is in the database, the next planwatch sends it.
    kill_and_restart() {
        kill -9 "$PLANWATCH_PID" && wait "$PLANWATCH_PID" 2>/dev/null
        "$binary" run --config "$config" --state-dir "$state" --log-dir "$scratch/log" >>"$scratch/planwatch.log" 2>&1 &
        PLANWATCH_PID=$!
        sleep 1
        planwatch_alive
    }
    check "planwatch is killed (kill -9) with the alert in its outbox, and started again" kill_and_restart
    check "Alertmanager restarts on the same port and storage" am_start
    # Up to 2 minutes: planwatch's outbox backs off while Alertmanager is down, and the next try may be that far.
    check "the pending alert for $target arrives" wait_for 120 equals $((firing_before + 1)) count_firing "$target"
    check "exactly once: nothing more within 3 x resend_interval" stays 6 equals $((firing_before + 1)) count_firing "$target"
    check "what arrived is $target firing as off_track" equals 2 count_notified_state "$target" off_track
    check "the API lists it again, off_track, with the labels" has_labels api "$target" "{$labels,\"state\":\"off_track\"}"
    check "planwatch is still running" planwatch_alive
}

# Alertmanager behind TLS (its --web.config.file, the test certificate for 127.0.0.1 of Tests/PlanWatchCLITests/
# Fixtures/fetch/tls): planwatch posts over https through the system OpenSSL. Without ca_file the test CA is
# unknown: the alert waits in the outbox and the log says why; with ca_file it arrives.
tls_scenario() {
    local binary=${PLANWATCH_BIN:-.build/debug/planwatch} target=anhui-urbanization-1pp tls=$repo/Tests/PlanWatchCLITests/Fixtures/fetch/tls
    case "$binary" in /*) ;; *) binary=$repo/$binary ;; esac
    [ -n "$PLANWATCH_PID" ] && kill -TERM "$PLANWATCH_PID" 2>/dev/null && wait "$PLANWATCH_PID" 2>/dev/null
    PLANWATCH_PID=""
    check "Alertmanager stops, to listen with TLS" am_stop
    printf 'tls_server_config:\n  cert_file: %s\n  key_file: %s\n' "$tls/server.pem" "$tls/server.key" >"$scratch/am/web.yml"
    AM_WEB_CONFIG=$scratch/am/web.yml CURL_TLS=(--cacert "$tls/ca.pem")
    check "Alertmanager restarts with TLS on the same port" am_start
    check "its URL is https://" equals https echo "${AM_URL%%:*}"
    local config=$scratch/config-tls state=$scratch/state-tls
    mkdir -p "$config" "$state"
    write_tls_config() {  # write_tls_config [CA_FILE]
        printf '%s\n' "plans: $repo/seeds/plans.d" "evaluation:" "  stale_grace: P100Y" "report:" "  enabled: false" \
            "alerts:" "  alertmanager:" "    url: $AM_URL" "    timeout: 5s" "    resend_interval: 2s" ${1:+"    ca_file: $1"} >"$config/planwatch.yaml"
    }
    start_planwatch() {
        "$binary" run --config "$config" --state-dir "$state" --log-dir "$scratch/log-tls" >>"$scratch/planwatch-tls.log" 2>&1 &
        PLANWATCH_PID=$!
    }
    untrusted_logged() {
        grep -q "cannot deliver .* to Alertmanager at $AM_URL: the server's certificate is not trusted: unable to get local issuer certificate" "$scratch/planwatch-tls.log" \
            || { echo "planwatch has not said why it cannot deliver:"; tail -5 "$scratch/planwatch-tls.log"; return 1; }
    }
    write_tls_config
    start_planwatch
    check "planwatch (https, no ca_file) starts" wait_for 60 grep -q "watching " "$scratch/planwatch-tls.log"
    check "drop a series rising 0.9 a year 2020-2024" \
        drop anhui-published-tls.csv 2020=58.33 2021=59.39 2022=60.15 2023=61.21 2024=61.93
    check "the system's CA store does not know the test CA: the log says so" wait_for 30 untrusted_logged
    check "and nothing reached Alertmanager" equals 0 active_count "$target"
    kill -TERM "$PLANWATCH_PID" 2>/dev/null && wait "$PLANWATCH_PID" 2>/dev/null
    write_tls_config "$tls/ca.pem"
    start_planwatch
    # The outbox kept the alert; the retry may be up to a backoff away.
    check "with ca_file the waiting alert arrives over https, at_risk, with its labels" wait_for 120 equals 1 \
        active_count "$target" '.labels.state == "at_risk" and .labels.plan == "central-region-2021"'
    check "planwatch is still running" planwatch_alive

    # planwatch fetch, a process of its own beside the daemon: three failures in a row raise fetch_failed, which
    # goes into the outbox at once; the daemon's sender delivers it.
    mkdir -p "$scratch/plans-fetch"
    cp "$repo"/seeds/plans.d/*.yaml "$scratch/plans-fetch/"
    printf '  - {id: office-down, name: Office (down), fetch: {url: "http://127.0.0.1:1/anhui.csv"}}\n' >>"$scratch/plans-fetch/sources.yaml"
    sed "s|^plans: .*|plans: $scratch/plans-fetch|" "$config/planwatch.yaml" >"$config/fetch.yaml"
    fetch_fails() { ! "$binary" fetch --config "$config/fetch.yaml" --state-dir "$state" --log-dir "$scratch/log-tls" office-down 2>>"$scratch/fetch.log"; }
    check "planwatch fetch of an unreachable source fails three times" both fetch_fails -- both fetch_fails -- fetch_fails
    fetch_failed_alerts() {
        am_alerts | jq '[ .[] | select(.labels.alertname == "PlanData" and .labels.kind == "fetch_failed")
                              | select(.annotations.summary | startswith("Source office-down failed 3 times in a row: cannot connect")) ] | length'
    }
    check "Alertmanager has the fetch_failed alert (PlanData) within a few resend intervals" wait_for 30 equals 1 fetch_failed_alerts
}

# ---------------------------------------------------------------------------------------------------------------

case "${1:-}" in
    "") mode=planwatch ;;
    --self-test) mode=self-test ;;
    *) echo "usage: $0 [--self-test]" >&2; exit 2 ;;
esac
install_alertmanager
echo "$("$AM_BIN" --version 2>&1 | head -1); $(amtool --version 2>&1 | head -1)"
start_webhook
write_am_config
am_start || { echo "FAIL Alertmanager did not start"; exit 1; }
echo "$mode: Alertmanager $AM_URL (pid $AM_PID), storage $scratch/am/data, webhook $WEBHOOK_URL"

if [ "$mode" = self-test ]; then self_test; else planwatch_scenario; tls_scenario; fi

[ "$failed" -eq 0 ] || diagnose
echo "alertmanager: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
