#!/usr/bin/env bash
# bench/run.sh measures complaintbot as a whole on this machine and prints the table that
# docs/BENCHMARKS.md records: the bot in webhook mode (one or two replicas sharing one Redis) against
# the load generator's fake Bot API, at 1, 50, 200 and 1,000 simulated users.
#
#   bash bench/run.sh            the table
#   bash bench/run.sh profile    CPU and allocation profiles of one bot at 50 users, and loadgen's CPU profile
#
# Settings (environment): USERS ("1 50 200 1000"), REPLICAS ("1 2"), WARMUP (3s), DURATION (15s),
# MAX_CONNECTIONS (40: webhook connections open at once, as setWebhook's max_connections caps them),
# OUT (a directory to keep the reports, logs and profiles in; default a temporary one, removed).
# It needs Go and redis-server; redis-server is installed from Debian's packages when missing
# (as root). Everything listens on 127.0.0.1 and is stopped on exit.
set -euo pipefail

cd "$(dirname "$0")/.."
USERS=${USERS:-"1 50 200 1000"}
REPLICAS=${REPLICAS:-"1 2"}
WARMUP=${WARMUP:-3s}
DURATION=${DURATION:-15s}
MAX_CONNECTIONS=${MAX_CONNECTIONS:-40}
MODE=${1:-table}
TOKEN=123456:bench-token-abcdefgh
SECRET=bench-secret-0123456789

WORK=$(mktemp -d "${TMPDIR:-/tmp}/complaintbot-bench.XXXXXX")
OUT=${OUT:-}
KEEP=1
if [ -z "$OUT" ]; then OUT=$WORK/out; KEEP=0; fi
mkdir -p "$OUT"

PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$WORK" # OUT, when set, is elsewhere
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { echo "bench: $*" >&2; }

# free_port prints a TCP port nobody listens on at 127.0.0.1.
free_port() {
	local p
	for _ in $(seq 1 100); do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	say "no free port"
	exit 1
}

# wait_for runs a command until it succeeds, for at most $1 tenths of a second.
wait_for() {
	local n=$1
	shift
	for _ in $(seq 1 "$n"); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	return 1
}

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
	if [ "$(id -u)" != 0 ]; then
		say "redis-server is not installed; as root: apt-get update && apt-get install -y redis-server"
		exit 1
	fi
	say "installing redis-server"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

say "building into $WORK/bin"
mkdir -p "$WORK/bin"
go build -o "$WORK/bin/complaintbot" .
go build -o "$WORK/bin/loadgen" ./bench/loadgen

# A private Redis, durable as the README asks (append-only file, fsync every second).
mkdir -p "$WORK/redis"
for attempt in 1 2 3 4 5; do
	RPORT=$(free_port)
	redis-server --port "$RPORT" --bind 127.0.0.1 --dir "$WORK/redis" --save '' \
		--appendonly yes --appendfsync everysec --logfile "$WORK/redis/redis.log" --daemonize no &
	rpid=$!
	if wait_for 100 redis-cli -p "$RPORT" ping; then
		PIDS+=($rpid)
		break
	fi
	kill "$rpid" 2>/dev/null || true
	wait "$rpid" 2>/dev/null || true
	if [ "$attempt" = 5 ]; then say "redis-server did not start"; cat "$WORK/redis/redis.log" >&2; exit 1; fi
done
REDIS_URL=redis://127.0.0.1:$RPORT

machine() {
	echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, Linux $(uname -r)"
	echo "- $(go version | cut -d' ' -f3-), redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') (appendonly yes, appendfsync everysec)"
	echo "- load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# bot_url FILE LOG waits until the bot logging to LOG says where it listens, and writes its
# webhook URL to FILE for loadgen (ports are the bots' own choice: no race for a free one).
bot_url() {
	local file=$1 log=$2 addr=""
	for _ in $(seq 1 300); do
		addr=$(sed -n 's/^complaintbot serving (webhook) on //p' "$log" 2>/dev/null)
		if [ -n "$addr" ]; then
			echo "http://$addr/webhook" >"$file.tmp" && mv "$file.tmp" "$file"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# run_one REPLICAS USERS [PPROF]: one loadgen run against REPLICAS fresh bots; its report goes
# to $OUT/r<REPLICAS>-u<USERS>.txt.
run_one() {
	local replicas=$1 users=$2 pprof=${3:-}
	local name=r$replicas-u$users
	local bots="" pidfiles="" i lg
	redis-cli -p "$RPORT" flushall >/dev/null
	for i in $(seq 1 "$replicas"); do
		bots+="${bots:+,}@$WORK/$name-bot$i.url"
		pidfiles+="${pidfiles:+,}$WORK/$name-bot$i.pid"
		rm -f "$WORK/$name-bot$i.pid" "$WORK/$name-bot$i.url"
	done
	say "$replicas replica(s), $users users (load average $(cut -d' ' -f1 /proc/loadavg))"
	timeout 600 "$WORK/bin/loadgen" -api 127.0.0.1:0 -token "$TOKEN" -secret "$SECRET" \
		-bots "$bots" -pidfiles "$pidfiles" -redis "$REDIS_URL" -users "$users" -max-connections "$MAX_CONNECTIONS" \
		-warmup "$WARMUP" -duration "$DURATION" -label "$name" ${pprof:+-cpuprofile "$OUT/loadgen-cpu.pprof"} \
		>"$OUT/$name.txt" 2>"$OUT/$name.err" &
	lg=$!
	PIDS+=($lg)
	wait_for 100 grep -q '^fakeapi ' "$OUT/$name.txt" || { say "loadgen did not start"; cat "$OUT/$name.err" >&2; exit 1; }
	local api
	api=$(sed -n 's/^fakeapi //p' "$OUT/$name.txt")
	local bot_pids=()
	for i in $(seq 1 "$replicas"); do
		env TELEGRAM_BOT_TOKEN="$TOKEN" TELEGRAM_API_URL="$api" REDIS_URL="$REDIS_URL" \
			WEBHOOK_URL="https://bench.invalid/webhook" WEBHOOK_SECRET="$SECRET" \
			LISTEN_ADDR="127.0.0.1:0" TELEGRAM_SEND_LIMITS=off LOG_LEVEL=warn \
			PPROF_ADDR="${pprof:+127.0.0.1:$pprof}" \
			"$WORK/bin/complaintbot" serve >"$OUT/$name-bot$i.log" 2>&1 &
		bot_pids+=($!)
		PIDS+=($!)
		echo $! >"$WORK/$name-bot$i.pid"
	done
	for i in $(seq 1 "$replicas"); do
		bot_url "$WORK/$name-bot$i.url" "$OUT/$name-bot$i.log" || { say "bot $i did not start"; tail -5 "$OUT/$name-bot$i.log" >&2; exit 1; }
	done
	if [ -n "$pprof" ]; then
		local secs=${DURATION%s}
		wait_for 300 curl -sf "http://127.0.0.1:$pprof/debug/pprof/" || { say "no pprof"; exit 1; }
		sleep "${WARMUP%s}"
		curl -sf -o "$OUT/cpu.pprof" "http://127.0.0.1:$pprof/debug/pprof/profile?seconds=$((secs - 2))"
		curl -sf -o "$OUT/allocs.pprof" "http://127.0.0.1:$pprof/debug/pprof/allocs"
	fi
	local rc=0
	wait "$lg" || rc=$?
	for i in "${bot_pids[@]}"; do kill -TERM "$i" 2>/dev/null || true; done
	for i in "${bot_pids[@]}"; do wait "$i" 2>/dev/null || true; done
	if [ "$rc" != 0 ]; then
		say "loadgen failed ($rc)"
		cat "$OUT/$name.err" >&2
		tail -5 "$OUT/$name-bot1.log" >&2
		exit 1
	fi
	grep -v '^[{]' "$OUT/$name.txt" | sed 's/^/    /' >&2
}

case "$MODE" in
table)
	machine >"$OUT/machine.txt"
	reports=()
	for r in $REPLICAS; do
		for u in $USERS; do
			run_one "$r" "$u"
			reports+=("$OUT/r$r-u$u.txt")
		done
	done
	echo
	cat "$OUT/machine.txt"
	echo "- each run: $WARMUP warm-up, $DURATION measured; at most $MAX_CONNECTIONS webhook connections (max_connections); a fresh bot process per run, Redis emptied"
	echo
	"$WORK/bin/loadgen" table "${reports[@]}"
	;;
profile)
	port=$(free_port)
	run_one 1 50 "$port"
	cp "$WORK/bin/complaintbot" "$WORK/bin/loadgen" "$OUT/"
	echo
	go tool pprof -top -nodecount=30 "$OUT/complaintbot" "$OUT/cpu.pprof" 2>/dev/null | sed -n '1,40p'
	echo
	go tool pprof -sample_index=alloc_space -top -nodecount=20 "$OUT/complaintbot" "$OUT/allocs.pprof" 2>/dev/null | sed -n '1,30p'
	echo
	echo "load generator (with the fake Bot API):"
	go tool pprof -top -cum -nodecount=25 "$OUT/loadgen" "$OUT/loadgen-cpu.pprof" 2>/dev/null | sed -n '1,32p'
	say "profiles in $OUT (kept only when OUT is set)"
	;;
*)
	say "usage: bash bench/run.sh [table|profile]"
	exit 2
	;;
esac
if [ "$KEEP" = 1 ]; then say "reports in $OUT"; fi
