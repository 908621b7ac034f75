#!/usr/bin/env bash
# The hardware suite on a machine with an NVIDIA GPU (driver installed; no CUDA toolkit needed):
# builds, runs hw-tests against the device, and prints a one-screen summary with the throughput
# figures. Under 5 minutes on one GPU. Without a device every test skips and says why.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
report=$(mktemp)
log=$(mktemp)
trap 'rm -f "$report" "$log"' EXIT
export TARGETS_HW_REPORT="$report"

echo "== device"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: not found"
scripts/ensure-deps.sh
dotnet build hw-tests -c Release -nologo -v quiet
dotnet src/Cli/bin/Release/net10.0/targets.dll devices 2>/dev/null || true

echo "== hardware tests"
status=0
dotnet test hw-tests -c Release --no-build -nologo --logger "console;verbosity=normal" >"$log" 2>&1 || status=$?
grep -E "^\s+(Passed|Failed|Skipped) Targets\.HwTests" "$log" | sed -E 's/^\s+//' || true
grep -E "Error Message|Assert\." -A2 "$log" | head -40 || true

echo "== throughput"
cat "$report" 2>/dev/null || true
echo "== summary"
grep -E "(Passed|Failed)! +-" "$log" || tail -5 "$log"
exit "$status"
