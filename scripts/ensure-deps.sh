#!/usr/bin/env bash
# Installs what the build and tests need and says what it does. Sourced or run by ./run.sh.
#   - the .NET 10 SDK must already be on PATH (we cannot install it from Debian's registry);
#   - libllvm19 (Debian bookworm main) via apt;
#   - NVIDIA's ptxas and libdevice, unpacked from Debian's non-free nvidia-cuda-toolkit .deb into
#     .tools/cuda without touching the system's apt configuration (a private sources folder).
# When not root and something is missing, it stops and prints the exact command to run.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$repo/.tools"
say() { printf '[deps] %s\n' "$*" >&2; }

if ! command -v dotnet >/dev/null 2>&1; then
    say "the .NET SDK is not on PATH: install the .NET 10 SDK (https://dot.net) and run again"
    exit 1
fi

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; return; fi
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"; return; fi
    say "need root for: $*"
    say "run it yourself, then run this command again:  sudo $*"
    exit 1
}

# libLLVM.so.19.1 comes from libllvm19; nothing else of LLVM is needed at run time.
if ! ldconfig -p 2>/dev/null | grep -q 'libLLVM.so.19.1' && [ ! -e /usr/lib/x86_64-linux-gnu/libLLVM.so.19.1 ]; then
    say "installing libllvm19 (LLVM 19's shared library) with apt"
    if [ "$(id -u)" -ne 0 ] && ! { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
        say "not root: run 'sudo apt-get update && sudo apt-get install -y libllvm19', then run this command again"
        exit 1
    fi
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq libllvm19 >/dev/null
    say "libllvm19 installed"
else
    say "libllvm19: present"
fi

# ptxas + libdevice: checks PTX without a GPU. Optional for building, used by the tests.
if [ -x "$tools/cuda/usr/bin/ptxas" ]; then
    say "ptxas: present in .tools/cuda"
elif [ "${TARGETS_SKIP_PTXAS:-}" = 1 ]; then
    say "ptxas: skipped (TARGETS_SKIP_PTXAS=1); PTX tests will say they were skipped"
else
    say "fetching ptxas and libdevice from Debian's non-free nvidia-cuda-toolkit .deb into .tools/cuda"
    work="$tools/apt"
    rm -rf "$work" && mkdir -p "$work/lists/partial" "$work/parts" "$work/archives/partial"
    src=/etc/apt/sources.list.d/debian.sources
    if [ -f "$src" ]; then
        sed -E 's/^Components:.*$/Components: main non-free/' "$src" > "$work/parts/debian.sources"
    else
        echo "deb http://deb.debian.org/debian bookworm main non-free" > "$work/parts/debian.list"
    fi
    apt_private=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/parts"
                 -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
                 -o APT::Sandbox::User=root)
    if apt-get "${apt_private[@]}" update -qq >/dev/null 2>&1 &&
       (cd "$work" && apt-get "${apt_private[@]}" download nvidia-cuda-toolkit >/dev/null 2>&1); then
        rm -rf "$tools/cuda" && mkdir -p "$tools/cuda"
        dpkg -x "$work"/nvidia-cuda-toolkit_*.deb "$tools/cuda"
        rm -rf "$work"
        say "ptxas: $("$tools/cuda/usr/bin/ptxas" --version | tail -1)"
    else
        rm -rf "$work"
        say "ptxas: could not be fetched (no Debian non-free mirror reachable); PTX tests skip outside CI and fail under CI=true (set TARGETS_SKIP_PTXAS=1 to run without them)"
    fi
fi
