#!/usr/bin/env bash
# The proxy test: `planwatch fetch` through a real HTTP proxy, Debian's tinyproxy, on loopback (what an office
# machine without a direct way out has). A tunnel (CONNECT) for https, the whole URL for plain http, the proxy's
# user and password from the proxy URL (tinyproxy's BasicAuth), no_proxy, and the proxy's refusals said plainly.
#
#   Tests/proxy/run-proxy-test.sh      (needs a built binary: PLANWATCH_BIN, default .build/debug/planwatch)
#
# Installs tinyproxy when missing (root; its own service is never started and is left disabled), starts a private
# one on a free port with its own configuration and log, and the fetch test's server (Fixtures/fetch/server.py,
# plain and TLS). Prints "ok   NAME" or "FAIL NAME" per check and a summary; exits 1 when a check failed. Prints
# "SKIP proxy test: REASON" and exits 0 only when tinyproxy cannot be had. KEEP=1 keeps the temporary folder.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/apt-install-quiet.sh
. "$here/../lib/apt-install-quiet.sh"
# shellcheck source=SCRIPTDIR/../lib/check.sh
. "$here/../lib/check.sh"
passed=0 failed=0
scratch=$(mktemp -d /tmp/planwatch-proxy.XXXXXX)
PROXY_PID="" SERVER_PID=""
cleanup() {
    local pid
    for pid in "$PROXY_PID" "$SERVER_PID"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    restore_policy
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip() { echo "SKIP proxy test: $*"; exit 0; }
contains() {  # contains FILE TEXT: FILE holds TEXT (fixed string)
    grep -qF -- "$2" "$1" || { echo "$1 does not contain: $2"; echo "--- it holds:"; tail -15 "$1"; return 1; }
}
lacks() { ! grep -qF -- "$2" "$1" || { echo "$1 contains: $2"; return 1; }; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

binary=${PLANWATCH_BIN:-.build/debug/planwatch}
case "$binary" in /*) ;; *) binary=$repo/$binary ;; esac
[ -x "$binary" ] || { echo "FAIL no planwatch binary at $binary; run swift build first (or set PLANWATCH_BIN)"; exit 1; }

if ! command -v tinyproxy >/dev/null; then
    [ "$(id -u)" -eq 0 ] || skip "tinyproxy is missing and installing it needs root (apt-get install tinyproxy)"
    apt_install_quiet "$scratch/apt.log" tinyproxy || skip "tinyproxy cannot be installed (apt-get failed; see the log above)"
    command -v systemctl >/dev/null && systemctl disable tinyproxy >/dev/null 2>&1
    command -v update-rc.d >/dev/null && update-rc.d tinyproxy disable >/dev/null 2>&1
fi
echo "$(tinyproxy -v 2>&1 | head -1)"

# The proxy: loopback only, a user and password, every port allowed for CONNECT (no ConnectPort line), its log.
port=$(free_port)
{
    echo "Port $port"
    echo "Listen 127.0.0.1"
    echo "Timeout 30"
    echo "Allow 127.0.0.1"
    echo "BasicAuth planwatch s3cret"
    echo "LogFile \"$scratch/tinyproxy.log\""
    echo "LogLevel Info"
    echo "MaxClients 20"
    if [ "$(id -u)" -eq 0 ]; then echo "User nobody"; echo "Group nogroup"; fi
} >"$scratch/tinyproxy.conf"
touch "$scratch/tinyproxy.log"
chmod 666 "$scratch/tinyproxy.log"
chmod 755 "$scratch"
tinyproxy -d -c "$scratch/tinyproxy.conf" >"$scratch/tinyproxy.out" 2>&1 &
PROXY_PID=$!
python3 "$repo/Tests/PlanWatchCLITests/Fixtures/fetch/server.py" "$scratch/server.port" "$scratch/requests.log" &
SERVER_PID=$!
for _ in $(seq 100); do [ -s "$scratch/server.port" ] && python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break; sleep 0.1; done
read -r plain secure _ <"$scratch/server.port"

mkdir -p "$scratch/plans"
cp "$repo"/seeds/plans.d/*.yaml "$scratch/plans/"
cat >>"$scratch/plans/sources.yaml" <<EOF
  - {id: mirror-https, name: Mirror over https, fetch: {url: "https://127.0.0.1:$secure/data.csv", ca_file: $repo/Tests/PlanWatchCLITests/Fixtures/fetch/tls/ca.pem}}
  - {id: mirror-http, name: Mirror over http, fetch: {url: "http://localhost:$plain/last-modified"}}
  - {id: mirror-down, name: Mirror that is down, fetch: {url: "https://127.0.0.1:1/data.csv"}}
EOF
printf 'plans: %s/plans\n' "$scratch" >"$scratch/planwatch.yaml"
fetch() {  # fetch LOGNAME SOURCE...: planwatch fetch --force in its own state folder, stdout and stderr kept
    local log=$1; shift
    "$binary" fetch --config "$scratch/planwatch.yaml" --state-dir "$scratch/state" --log-dir "$scratch/log" --force "$@" \
        >"$scratch/$log.out" 2>"$scratch/$log.err"
    return 0
}
proxy="http://planwatch:s3cret@127.0.0.1:$port"

# 1. Through the proxy with its user and password: https as a tunnel, http as the whole URL.
https_proxy=$proxy http_proxy=$proxy fetch through mirror-https mirror-http
check "https through the proxy: the file arrives, and the message says through what" \
    contains "$scratch/through.out" "mirror-https: 110 bytes from https://127.0.0.1:$secure/data.csv through the proxy 127.0.0.1:$port dropped into the inbox as mirror-https-"
check "plain http through the proxy too" \
    contains "$scratch/through.out" "mirror-http: 110 bytes from http://localhost:$plain/last-modified through the proxy 127.0.0.1:$port dropped into the inbox as mirror-http-"
check "tinyproxy opened a tunnel (CONNECT) to the https server" contains "$scratch/tinyproxy.log" "CONNECT 127.0.0.1:$secure"
check "tinyproxy forwarded the plain request, its whole URL" contains "$scratch/tinyproxy.log" "GET http://localhost:$plain/last-modified"
check "the server got both requests from the proxy" contains "$scratch/requests.log" "GET /last-modified"
check "what arrived over the tunnel is the server's file, byte for byte" sh -c \
    "cmp \"\$(ls $scratch/state/inbox/mirror-https-*.csv)\" - <<'EOF'
indicator,region,period,value,source
urbanization_rate,CN-AH,2023,61.51,Anhui Provincial Bureau of Statistics
EOF"

# 2. Without the password the proxy answers 407, and planwatch says so, with what to do.
https_proxy="http://127.0.0.1:$port" fetch anonymous mirror-https
check "without the proxy's password: its 407, said with the fix" contains "$scratch/anonymous.err" \
    "planwatch: mirror-https: cannot fetch https://127.0.0.1:$secure/data.csv through the proxy 127.0.0.1:$port: the proxy 127.0.0.1:$port did not open a tunnel to 127.0.0.1:$secure: HTTP/1.0 407 Proxy Authentication Required; give its user and password in the proxy URL (http://USER:PASSWORD@HOST:PORT)"

# 3. A server the proxy cannot reach: the proxy's own answer, named.
https_proxy=$proxy fetch down mirror-down
check "a server the proxy cannot reach: the proxy's answer is the reason" contains "$scratch/down.err" \
    "planwatch: mirror-down: cannot fetch https://127.0.0.1:1/data.csv through the proxy 127.0.0.1:$port: the proxy 127.0.0.1:$port did not open a tunnel to 127.0.0.1:1: HTTP/1.1 500 Unable to connect"

# 4. no_proxy: the hosts it lists are asked directly.
lines_before=$(wc -l <"$scratch/tinyproxy.log")
https_proxy=$proxy http_proxy=$proxy no_proxy="example.org,localhost" fetch bypass mirror-http
check "no_proxy=localhost: asked directly, and the message names no proxy" \
    contains "$scratch/bypass.out" "mirror-http: unchanged (http://localhost:$plain/last-modified)"
check "the proxy saw nothing of it" sh -c "[ \"\$(tail -n +$((lines_before + 1)) $scratch/tinyproxy.log | grep -c 'GET http://localhost')\" = 0 ]"

# 5. A proxy URL planwatch cannot use is a failure naming the variable.
https_proxy="socks5://127.0.0.1:$port" fetch socks mirror-https
check "a socks5:// proxy is refused, naming https_proxy" contains "$scratch/socks.err" \
    "cannot fetch https://127.0.0.1:$secure/data.csv: https_proxy is 'socks5://127.0.0.1:$port', not a proxy address planwatch can use; write http://HOST:PORT (or http://USER:PASSWORD@HOST:PORT)"
check "no partial download is left in the inbox" sh -c "! ls -a $scratch/state/inbox | grep -q fetching"

[ "$failed" -eq 0 ] || { echo "--- tinyproxy log (last 15 lines):"; tail -15 "$scratch/tinyproxy.log"; }
echo "proxy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
