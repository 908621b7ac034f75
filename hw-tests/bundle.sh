#!/usr/bin/env bash
# Makes the hardware bundle on a CPU machine: .hw-bundle/bundle.tar.xz (git-ignored), all that
# hw-tests/device-run.sh needs on a GPU machine that has no .NET, no LLVM and no network:
#   app/    the hardware suite published self-contained for linux-x64 (the .NET runtime inside; an
#           xunit v3 program that runs its own tests), ILGPU with it;
#   cache/  the compile cache holding the PTX of every kernel the suite launches, compiled here for
#           sm_90 (TARGETS_HW_SM=80,90 for more): the device run loads it without LLVM or libdevice;
#   ptx/    the same PTX, readable;
#   sass/   bench/PtxComparison's six kernels as PTX, ours and ILGPU's, for the SASS comparison with
#           nvcc that device-run.sh makes on the device.
# About 35 MiB; the device call carries it with the working tree (64 MiB at most). hw-tests/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
say() { printf '[bundle] %s\n' "$*" >&2; }

scripts/ensure-deps.sh
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
started=$SECONDS

say "publishing hw-tests self-contained for linux-x64"
dotnet publish hw-tests -c Release -r linux-x64 --self-contained -p:InvariantGlobalization=true \
    -p:SatelliteResourceLanguages=en -o "$stage/app" -nologo -v quiet
# Support for debuggers, dumps and LTTng tracing: nothing a test run loads.
rm -f "$stage/app"/{libmscordaccore.so,libmscordbi.so,createdump,libcoreclrtraceptprovider.so}

say "compiling the suite's kernels to PTX for sm_${TARGETS_HW_SM:-90} (with the published suite itself: its build is the cache key's)"
libdevice=$(find "$PWD/.tools/cuda" -name libdevice.10.bc 2>/dev/null | head -1)
[ -n "$libdevice" ] && [ -z "${TARGETS_LIBDEVICE:-}" ] && export TARGETS_LIBDEVICE="$libdevice"
mkdir -m 700 "$stage/cache"
TARGETS_CACHE_DIR="$stage/cache" TARGETS_HW_PTX_DIR="$stage/ptx" "$stage/app/Targets.HwTests" -noColor -noLogo -class Targets.HwTests.PrecompiledKernels >"$stage/precompile.log" 2>&1 \
    || { cat "$stage/precompile.log" >&2; say "the kernels did not compile"; exit 1; }
rm "$stage/precompile.log"

say "writing the SASS comparison's PTX (bench ptx-files 90)"
[ -f bench/bin/Release/net10.0/Targets.Bench.dll ] || dotnet build bench -c Release -nologo -v quiet
TARGETS_CACHE=0 dotnet bench/bin/Release/net10.0/Targets.Bench.dll ptx-files 90 "$stage/sass" </dev/null

say "compressing"
mkdir -p .hw-bundle
tar -C "$stage" -cf - app cache ptx sass | xz -T0 -9 >.hw-bundle/bundle.tar.xz.tmp
mv .hw-bundle/bundle.tar.xz.tmp .hw-bundle/bundle.tar.xz
bytes=$(stat -c %s .hw-bundle/bundle.tar.xz)
say "$(awk -v b="$bytes" 'BEGIN { printf "%.1f MiB", b / 1048576 }') in .hw-bundle/bundle.tar.xz, made in $((SECONDS - started)) s"
if [ "$bytes" -gt $((48 << 20)) ]; then
    say "over 48 MiB: with the working tree it would not fit the device call's 64 MiB"
    exit 1
fi
