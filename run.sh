#!/usr/bin/env bash
# The two commands of the README:
#   ./run.sh bench   install what is missing, build, run `targets bench` across the targets
#                    (the table on stdout; JSON, markdown and the chart in bench-results/)
#   ./run.sh test    install what is missing, build once, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

case "${1:-}" in
    bench)
        scripts/ensure-deps.sh
        echo "[run] building (Release)" >&2
        dotnet build src/Cli -c Release -nologo -v quiet
        mkdir -p bench-results
        exec dotnet src/Cli/bin/Release/net10.0/targets.dll bench \
            --json bench-results/bench.json --markdown bench-results/bench.md --chart bench-results/bench.png
        ;;
    test)
        scripts/ensure-deps.sh
        echo "[run] building and testing Targets.sln (Release)" >&2
        log=$(mktemp)
        # One compile cache for the whole run (test processes share it, as users' processes would), never the user's.
        TARGETS_CACHE_DIR=$(mktemp -d)
        export TARGETS_CACHE_DIR
        trap 'rm -f "$log"; rm -rf "$TARGETS_CACHE_DIR"' EXIT
        status=0
        dotnet test Targets.sln -c Release -nologo 2>&1 | tee "$log" || status=$?
        # dotnet test prints one summary per test assembly; add them up into one closing line.
        awk '/(Passed|Failed|Skipped)! +- +Failed: /{ gsub(",", ""); f += $4; p += $6; s += $8 }
             END { printf "Total: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
        exit "$status"
        ;;
    *)
        echo "usage: ./run.sh bench | ./run.sh test" >&2
        exit 2
        ;;
esac
