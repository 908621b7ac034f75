#!/usr/bin/env bash
# Builds and runs the C reference for the MatMul benchmark: the same i-k-j loop, 512x512, best of 15.
#   bench/reference/run.sh            gcc -O3 -march=native (the figure docs/benchmarks.md compares with)
#   CFLAGS='-O3 -march=native -ffp-contract=off' bench/reference/run.sh   without fused multiply-add,
#                                     i.e. the same rounding as .NET and as LLVM IR without `contract`
#   CC=clang-14 bench/reference/run.sh   another compiler
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cflags=${CFLAGS:--O3 -march=native}
# shellcheck disable=SC2086 # CFLAGS is a list of flags
cc=${CC:-gcc}
"$cc" $cflags -o "$out/matmul" "$here/matmul.c"
echo "$cc $cflags ($("$cc" --version | head -1))"
"$out/matmul"
