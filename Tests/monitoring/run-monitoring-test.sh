#!/usr/bin/env bash
# The monitoring test: planwatch's Prometheus alerting rules, their unit tests, its metrics file and the Grafana
# dashboard, checked with the real promtool.
#
#   Tests/monitoring/run-monitoring-test.sh [METRICS_FILE...]
#
# Installs Debian's prometheus package when promtool is missing (root; no Prometheus server is started by the
# install, and its service is left disabled), then checks:
#   - systemd/planwatch.rules.yml          promtool check rules
#   - systemd/planwatch.rules.test.yml     promtool test rules, and that it shows every rule firing and not firing
#   - Tests/monitoring/fixture/planwatch.prom and every METRICS_FILE (e.g. one the daemon wrote):
#                                          promtool check metrics (no lint problem at all), and the documented
#                                          metric names, types, labels and states (one state at 1 per target)
#   - contrib/grafana-planwatch.json       valid JSON; every panel queries the ${DS_PROMETHEUS} data source with
#                                          PromQL that promtool parses and that names only planwatch's metrics;
#                                          plan and target variables from label_values
# Prints "ok   NAME" or "FAIL NAME" (with the tool's output) per check and a summary line; exits 1 when a check
# failed. Prints "SKIP monitoring test: REASON" and exits 0 only when promtool cannot be had. PROMTOOL=path uses
# that promtool; KEEP=1 keeps the temporary folder and prints its path.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/apt-install-quiet.sh
. "$here/../lib/apt-install-quiet.sh"
# shellcheck source=SCRIPTDIR/../lib/check.sh
. "$here/../lib/check.sh"
passed=0
failed=0

rules="$repo/systemd/planwatch.rules.yml"
rules_test="$repo/systemd/planwatch.rules.test.yml"
fixture="$here/fixture/planwatch.prom"
dashboard="$repo/contrib/grafana-planwatch.json"

extra_files=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        /*) extra_files+=("$arg") ;;
        *) extra_files+=("$PWD/$arg") ;;
    esac
done

scratch=$(mktemp -d /tmp/planwatch-monitoring.XXXXXX)
cleanup() {
    restore_policy
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------------------------

# The first 60 lines of a failing check's output (promtool's reports start with what matters).
CHECK_TAIL=0 CHECK_LINES=60
skip() { echo "SKIP monitoring test: $*"; exit 0; }
note() { echo "     $*"; }

# ---------------------------------------------------------------------------------------------------------------
# promtool: find or install (Debian's prometheus package), never leaving a Prometheus server running or enabled
# ---------------------------------------------------------------------------------------------------------------

PROMTOOL=${PROMTOOL:-}

find_tools() {
    [ -n "$PROMTOOL" ] || PROMTOOL=$(command -v promtool || true)
    [ -n "$PROMTOOL" ] && [ -x "$PROMTOOL" ] && command -v python3 >/dev/null
}


install_promtool() {
    find_tools && return 0
    [ "$(id -u)" -eq 0 ] || skip "promtool is missing and installing it needs root"
    command -v apt-get >/dev/null || skip "promtool is missing and there is no apt-get"
    local packages=() started=$SECONDS
    [ -n "$PROMTOOL" ] || packages+=(prometheus)
    command -v python3 >/dev/null || packages+=(python3)
    # Its postinst would start a Prometheus server on :9090 (systemd unit or SysV script): installed with every start denied.
    local ok=1
    apt_install_quiet "$scratch/apt.log" "${packages[@]}" || ok=0
    if [ "$ok" -eq 0 ]; then
        tail -5 "$scratch/apt.log" | sed 's/^/     /'
        skip "${packages[*]} cannot be installed (apt-get failed)"
    fi
    # The postinst enabled the unit (and SysV links): disable them; stop it should anything have started it.
    if dpkg-query -W -f='${Status}' prometheus 2>/dev/null | grep -q "install ok installed"; then
        if command -v systemctl >/dev/null; then
            systemctl disable prometheus.service >/dev/null 2>&1
            [ -d /run/systemd/system ] && systemctl stop prometheus.service >/dev/null 2>&1
        fi
        command -v update-rc.d >/dev/null && update-rc.d prometheus disable >/dev/null 2>&1
    fi
    PROMTOOL=""
    find_tools || skip "prometheus installed but promtool (or python3) is still missing"
    echo "installed in $((SECONDS - started)) s"
}

# ---------------------------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------------------------

# The metrics planwatch documents, with their types and labels (docs/configuration.md, MetricsFile.swift).
METRICS_SPEC='
planwatch_target_state                       gauge   plan,target,region,indicator,state
planwatch_target_pace_ratio                  gauge   plan,target,region,indicator
planwatch_target_latest_value                gauge   plan,target,region,indicator
planwatch_target_latest_period_year          gauge   plan,target,region,indicator
planwatch_target_value                       gauge   plan,target,region,indicator
planwatch_target_projected_value             gauge   plan,target,region,indicator
planwatch_target_projected_reference         gauge   plan,target,region,indicator
planwatch_target_time_elapsed_ratio          gauge   plan,target,region,indicator
planwatch_target_distance_covered_ratio      gauge   plan,target,region,indicator
planwatch_target_stale                       gauge   plan,target,region,indicator
planwatch_target_deadline_year               gauge   plan,target,region,indicator
planwatch_files_total                        counter outcome
planwatch_rows_total                         counter outcome
planwatch_last_ingest_timestamp_seconds      gauge   -
planwatch_last_evaluation_timestamp_seconds  gauge   -
planwatch_alerts_pending                     gauge   -
'
export METRICS_SPEC

promtool_quiet() {  # promtool_quiet ARGS... <INPUT: promtool succeeds and prints nothing (no lint problem)
    local out status
    out=$("$PROMTOOL" "$@" 2>&1); status=$?
    [ -n "$out" ] && printf '%s\n' "$out"
    [ "$status" -eq 0 ] || { echo "(promtool $* exited $status)"; return 1; }
    [ -z "$out" ] || { echo "(promtool $* printed problems)"; return 1; }
}

check_metrics_lint() { promtool_quiet check metrics <"$1"; }

check_metrics_content() {  # check_metrics_content FILE [--fixture]: names, types, labels, states
    python3 - "$@" <<'EOF'
import os, re, sys
path, fixture = sys.argv[1], "--fixture" in sys.argv[2:]
spec = {}
for line in os.environ["METRICS_SPEC"].strip().splitlines():
    name, kind, labels = line.split()
    spec[name] = (kind, set() if labels == "-" else set(labels.split(",")))
STATES = ["achieved", "met", "on_track", "at_risk", "off_track", "missed", "insufficient_data"]
OUTCOMES = {"planwatch_files_total": {"ingested", "rejected", "duplicate", "refused"},
            "planwatch_rows_total": {"new", "revised", "unchanged", "rejected"}}
problems = []
helps, types, samples, seen_series = {}, {}, [], {}
label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
with open(path, encoding="utf-8") as f:
    text = f.read()
if not text.endswith("\n"):
    problems.append("the file does not end with a line feed")
for number, line in enumerate(text.splitlines(), 1):
    if not line.strip():
        continue
    if line.startswith("# HELP "):
        name = line.split(" ", 3)[2]
        if name in helps: problems.append(f"line {number}: a second HELP for {name}")
        helps[name] = line
        continue
    if line.startswith("# TYPE "):
        parts = line.split(" ")
        if len(parts) != 4: problems.append(f"line {number}: malformed TYPE line"); continue
        if parts[2] in types: problems.append(f"line {number}: a second TYPE for {parts[2]}")
        types[parts[2]] = parts[3]
        continue
    if line.startswith("#"):
        continue
    m = re.fullmatch(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?', line)
    if not m:
        problems.append(f"line {number}: not a sample line: {line!r}"); continue
    name, labels_text, value = m.group(1), m.group(3) or "", m.group(4)
    labels = dict(label_re.findall(labels_text))
    try:
        number_value = float(value)
    except ValueError:
        problems.append(f"line {number}: {name}: value {value!r} is not a number"); continue
    if name not in types:
        problems.append(f"line {number}: {name} has no TYPE line before it")
    series = (name, tuple(sorted(labels.items())))
    if series in seen_series:
        problems.append(f"line {number}: {name}{'{' + labels_text + '}' if labels_text else ''} again (first on line {seen_series[series]})")
    seen_series.setdefault(series, number)
    samples.append((number, name, labels, number_value))

names = {s[1] for s in samples}
for name in sorted(names | set(types)):
    if name not in spec:
        problems.append(f"{name} is not one of planwatch's documented metrics"); continue
    kind, want = spec[name]
    if types.get(name) != kind: problems.append(f"{name} has {'TYPE ' + types[name] if name in types else 'no TYPE'}, documented as {kind}")
    if name not in helps: problems.append(f"{name} has no HELP line")
for number, name, labels, value in samples:
    if name not in spec: continue
    kind, want = spec[name]
    if set(labels) != want:
        problems.append(f"line {number}: {name} has labels {sorted(labels)}, documented: {sorted(want)}")
    if name in OUTCOMES and labels.get("outcome") not in OUTCOMES[name]:
        problems.append(f"line {number}: {name} outcome {labels.get('outcome')!r} is not one of {sorted(OUTCOMES[name])}")
    if kind == "counter" and (value < 0 or value != int(value)):
        problems.append(f"line {number}: {name} counts {value}, not a whole number")
    if name.endswith("_timestamp_seconds") and not 1e9 < value < 1e11:
        problems.append(f"line {number}: {name} is {value}, not a Unix time in seconds")
    if name.endswith("_year") and not 1900 <= value <= 2200:
        problems.append(f"line {number}: {name} is {value}, not a year")
for required in ["planwatch_files_total", "planwatch_rows_total", "planwatch_last_evaluation_timestamp_seconds", "planwatch_alerts_pending"]:
    if required not in names: problems.append(f"{required} is missing")
for name, outcomes in OUTCOMES.items():
    seen = {labels.get("outcome") for _, n, labels, _ in samples if n == name}
    if name in names and seen != outcomes:
        problems.append(f"{name} has outcomes {sorted(seen)}, documented: {sorted(outcomes)}")

targets = {}
for number, name, labels, value in samples:
    if name == "planwatch_target_state":
        key = tuple(labels.get(k, "") for k in ("plan", "target", "region", "indicator"))
        targets.setdefault(key, {})[labels.get("state")] = value
current = {}
for key, states in targets.items():
    who = "/".join(key[:2])
    if sorted(states) != sorted(STATES):
        problems.append(f"target {who} has states {sorted(states)}, expected all of {STATES}")
    if sorted(states.values()) != [0.0] * (len(states) - 1) + [1.0]:
        problems.append(f"target {who} is not at 1 in exactly one state (others 0): {states}")
    current[key] = [s for s, v in states.items() if v == 1.0]
for number, name, labels, value in samples:
    if name == "planwatch_target_stale" and value not in (0.0, 1.0):
        problems.append(f"line {number}: planwatch_target_stale is {value}, not 0 or 1")
    if name.startswith("planwatch_target_") and name != "planwatch_target_state":
        key = tuple(labels.get(k, "") for k in ("plan", "target", "region", "indicator"))
        if key not in targets: problems.append(f"line {number}: {name} for {key[0]}/{key[1]}, a target without planwatch_target_state")
if fixture:
    shown = {s for states in current.values() for s in states}
    missing = [s for s in STATES if s not in shown]
    if missing: problems.append(f"the fixture has no target in {missing}")
    flags = {value for _, name, _, value in samples if name == "planwatch_target_stale"}
    if flags != {0.0, 1.0}: problems.append(f"the fixture's stale flags are {sorted(flags)}, not both 0 and 1")
    if not any(name == "planwatch_last_ingest_timestamp_seconds" for _, name, _, _ in samples):
        problems.append("the fixture has no planwatch_last_ingest_timestamp_seconds")
if problems:
    print("\n".join(problems)); sys.exit(1)
print(f"{len(samples)} samples, {len(targets)} targets, {len(names)} metrics")
EOF
}

rules_test_covers_every_rule() {  # every alert of the rules file is expected both firing and quiet in the test
    python3 - "$rules" "$rules_test" <<'EOF'
import re, sys
rules = re.findall(r'^\s*-\s*alert:\s*(\S+)\s*$', open(sys.argv[1]).read(), re.M)
firing, quiet, name = set(), set(), None
for line in open(sys.argv[2]):
    m = re.match(r'\s*alertname:\s*(\S+)\s*$', line)
    if m: name = m.group(1); continue
    m = re.match(r'\s*exp_alerts:\s*(\[\])?\s*$', line)
    if m and name:
        (quiet if m.group(1) else firing).add(name); name = None
problems = [f"{r}: no test expects it firing" for r in rules if r not in firing]
problems += [f"{r}: no test expects it quiet (exp_alerts: [])" for r in rules if r not in quiet]
problems += [f"the test names {r}, which is not a rule" for r in sorted((firing | quiet) - set(rules))]
if not rules: problems.append("no alert rule found")
print("\n".join(problems) or f"{len(rules)} rules, each expected firing and quiet")
sys.exit(1 if problems else 0)
EOF
}

dashboard_json() { python3 -m json.tool "$dashboard" >/dev/null; }

dashboard_queries() {  # every query names only planwatch's metrics; writes the queries as recording rules to parse
    python3 - "$dashboard" "$scratch/dashboard.rules.yml" <<'EOF'
import json, os, re, sys
known = {line.split()[0] for line in os.environ["METRICS_SPEC"].strip().splitlines()}
board = json.load(open(sys.argv[1]))
problems, queries = [], []
KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right",
            "inf", "nan", "atan2"}
def metric_names(expr):
    e = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)   # strings
    e = re.sub(r'\{[^}]*\}', '', e)                                             # label matchers
    e = re.sub(r'\[[^\]]*\]', '', e)                                            # ranges, subqueries
    e = re.sub(r'\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)', ' ', e)  # label lists
    e = re.sub(r'\$\{[^}]*\}|\$\w+', '1', e)                                    # Grafana variables
    names = []
    for m in re.finditer(r'(?<![\w:.])[a-zA-Z_:][\w:]*', e):            # whole identifiers, not after a digit
        if m.group(0) not in KEYWORDS and not re.match(r'\s*\(', e[m.end():]):   # a call is a function
            names.append(m.group(0))
    return names
def for_promtool(expr):  # Grafana's variables replaced so that promtool can parse the query
    e = re.sub(r'\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}', '5m', expr)
    return re.sub(r'\$\{[^}]*\}|\$\w+', '.*', e)
def panels(items):
    for p in items:
        yield p
        yield from panels(p.get("panels", []))
ds_uid = "${DS_PROMETHEUS}"
if not any(i.get("name") == "DS_PROMETHEUS" and i.get("pluginId") == "prometheus" for i in board.get("__inputs", [])):
    problems.append("no __inputs entry DS_PROMETHEUS for a Prometheus data source")
variables = {v.get("name"): v for v in board.get("templating", {}).get("list", [])}
for name in ("plan", "target"):
    v = variables.get(name)
    q = v and (v.get("query", {}).get("query") if isinstance(v.get("query"), dict) else v.get("query"))
    m = q and re.fullmatch(r'label_values\(\s*([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s*,\s*' + name + r'\s*\)', q)
    if not m:
        problems.append(f"template variable {name}: expected label_values(METRIC, {name}), got {q!r}")
    elif m.group(1) not in known:
        problems.append(f"template variable {name} reads {m.group(1)}, not a planwatch metric")
    if v and (v.get("datasource") or {}).get("uid") != ds_uid:
        problems.append(f"template variable {name} does not use the data source {ds_uid}")
count = 0
for p in panels(board.get("panels", [])):
    if p.get("type") in ("row", "text"):
        continue
    title = p.get("title", f"panel {p.get('id')}")
    if (p.get("datasource") or {}).get("uid") != ds_uid:
        problems.append(f"panel {title!r}: data source is not {ds_uid}")
    targets = [t for t in p.get("targets", []) if t.get("expr")]
    if not targets:
        problems.append(f"panel {title!r}: no query")
    for t in targets:
        count += 1
        expr = t["expr"]
        bad = sorted({n for n in metric_names(expr) if n not in known})
        if bad: problems.append(f"panel {title!r} query {t.get('refId')}: {', '.join(bad)} not among planwatch's metrics: {expr}")
        if not any(n in known for n in metric_names(expr)): problems.append(f"panel {title!r} query {t.get('refId')}: names no planwatch metric: {expr}")
        queries.append((f"dashboard:panel_{p.get('id')}_{t.get('refId')}", for_promtool(expr)))
with open(sys.argv[2], "w") as out:
    out.write("groups:\n  - name: dashboard\n    rules:\n")
    for record, expr in queries:
        out.write(f"      - record: {record}\n        expr: {json.dumps(expr)}\n")
print("\n".join(problems) or f"{count} queries in {sum(1 for p in panels(board.get('panels', [])) if p.get('type') != 'row')} panels")
sys.exit(1 if problems else 0)
EOF
}

dashboard_promql_parses() { "$PROMTOOL" check rules "$scratch/dashboard.rules.yml"; }

# ---------------------------------------------------------------------------------------------------------------

cd "$repo" || exit 1
if [ -n "$PROMTOOL" ] && [ ! -x "$PROMTOOL" ]; then
    echo "FAIL PROMTOOL=$PROMTOOL is not an executable"; exit 1
fi
install_promtool
echo "promtool: $("$PROMTOOL" --version 2>&1 | head -1)"

check "promtool check rules systemd/planwatch.rules.yml" "$PROMTOOL" check rules "$rules"
check "promtool test rules systemd/planwatch.rules.test.yml" "$PROMTOOL" test rules "$rules_test"
check "the rules test expects every rule both firing and quiet" rules_test_covers_every_rule

for file in "$fixture" "${extra_files[@]}"; do
    shown=${file#"$repo/"}
    if [ ! -r "$file" ]; then
        failed=$((failed + 1)); echo "FAIL $shown: cannot be read"; continue
    fi
    check "promtool check metrics < $shown" check_metrics_lint "$file"
    if [ "$file" = "$fixture" ]; then
        check "$shown: documented metrics, labels and states; every state shown" check_metrics_content "$file" --fixture
    else
        check "$shown: documented metrics, labels and states" check_metrics_content "$file"
    fi
done

check "contrib/grafana-planwatch.json is valid JSON" dashboard_json
check "contrib/grafana-planwatch.json: data source, variables, queries name only planwatch metrics" dashboard_queries
if [ -s "$scratch/dashboard.rules.yml" ]; then
    check "contrib/grafana-planwatch.json: every query parses (promtool)" dashboard_promql_parses
fi

echo "monitoring: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
