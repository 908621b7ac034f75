#!/usr/bin/env bash
# The hardware suite on a developer's machine with an NVIDIA GPU (driver installed; no CUDA toolkit
# needed) and the .NET SDK: builds, runs the suite (an xunit v3 program) against the device, and
# prints each test and the throughput figures. Under 5 minutes on one GPU. Without a device every
# device test skips and says why. On a GPU machine without .NET: hw-tests/bundle.sh, device-run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
scripts/ensure-deps.sh

echo "== device"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: not found"
dotnet build hw-tests -c Release -nologo -v quiet
dotnet build src/Cli -c Release -nologo -v quiet
dotnet src/Cli/bin/Release/net10.0/targets.dll devices 2>/dev/null || true

echo "== hardware tests"
exec hw-tests/bin/Release/net10.0/Targets.HwTests -noColor
