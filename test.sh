#!/usr/bin/env bash
# The project's test command: installs what the tests need, then vets, checks formatting and
# runs every test with the race detector against a real redis-server.
#   ./test.sh            the whole suite
#   FUZZTIME=60s ./test.sh   also runs every fuzz target for that long each
#   RELIABILITY=long ./test.sh   runs the fault runs (docs/RELIABILITY.md) in their long version:
#                                200 users, 24 kills, a 30-second Redis outage
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests need, installed with one apt-get update when any is missing.
need=()
if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
	need+=(redis-server redis-tools)
fi
# ocr: Tesseract with its Simplified Chinese model, and the CJK fonts the tests draw their
# screenshots with.
if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -x chi_sim >/dev/null; then
	need+=(tesseract-ocr tesseract-ocr-chi-sim)
fi
if [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] ||
	[ ! -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ]; then
	need+=(fonts-noto-cjk fonts-droid-fallback)
fi
if [ ${#need[@]} -gt 0 ]; then
	echo "test.sh: installing ${need[*]} from Debian's packages" >&2
	if [ "$(id -u)" -ne 0 ]; then
		echo "test.sh: run as root or install them (apt-get install ${need[*]})" >&2
		exit 1
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
	echo "test.sh: not gofmt'ed:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
timeout=15m
if [ "${RELIABILITY:-}" = long ]; then timeout=60m; fi
go test -race -count=1 -timeout "$timeout" ./...

if [ -n "${FUZZTIME:-}" ]; then
	for pkg in $(go list ./...); do
		for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
			go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME"
		done
	done
fi
