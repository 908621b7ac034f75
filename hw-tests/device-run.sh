#!/usr/bin/env bash
# On a GPU machine, from the repository root, with .hw-bundle carried (hw-tests/bundle.sh made it):
# unpacks the bundle into /tmp, prints the device, runs the whole hardware suite and the throughput
# report, then the SASS comparison with nvcc. Needs no .NET, no LLVM and no network; about 2 minutes.
# Results go under $OUT when it is set (the device tool brings them back), else /tmp/targets-hw/out:
#   tests.log       the suite's output, each test with its outcome;   results.xml   the same as xunit XML
#   throughput.json saxpy 2^26, ours and ILGPU's, against the memory bandwidth
#   sass.md         SASS instructions and registers: nvcc's, ours (checked, unchecked), ILGPU's, for sm_90
#   ptx.tar.gz      the PTX the suite loaded (ptx/) and the PTX compared (sass/)
# Exits with the suite's status.
set -uo pipefail
cd "$(dirname "$0")/.."
bundle=.hw-bundle/bundle.tar.xz
if [ ! -f "$bundle" ]; then
    echo "no $bundle: make it with hw-tests/bundle.sh on a machine with .NET, then carry .hw-bundle" >&2
    exit 2
fi
work=${TARGETS_HW_WORK:-/tmp/targets-hw}
out=${OUT:-$work/out}
rm -rf "$work"
mkdir -p "$work" "$out"
started=$SECONDS
# Files owned by whoever unpacks them: the compile cache refuses entries another user owns.
tar --no-same-owner -C "$work" -xJf "$bundle"
echo "== bundle: unpacked in $((SECONDS - started)) s"

echo "== device"
[ -d /usr/local/cuda/bin ] && export PATH="$PATH:/usr/local/cuda/bin"
if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory --format=csv,noheader
else
    echo "nvidia-smi: not found (no NVIDIA driver here)"
fi

echo "== hardware tests"
TARGETS_CACHE_DIR="$work/cache" TARGETS_HW_REPORT_JSON="$out/throughput.json" \
    "$work/app/Targets.HwTests" -noColor -xml "$out/results.xml" 2>&1 | tee "$out/tests.log"
status=${PIPESTATUS[0]}
[ -f "$out/throughput.json" ] && { echo "== throughput"; cat "$out/throughput.json"; }

echo "== SASS comparison (sm_90)"
sass() {
    local nvcc=yes
    for tool in ptxas cuobjdump; do
        command -v $tool >/dev/null || { echo "$tool not found: the SASS comparison needs the CUDA toolkit"; return; }
    done
    command -v nvcc >/dev/null || { nvcc=; echo "nvcc not found: the nvcc column is empty (the CUDA C kernels compile on a GPU machine with the CUDA toolkit)"; }
    local dir="$work/sass" build="$work/cubin"
    mkdir -p "$build"
    # SASS instructions (NOPs excluded) and registers of a cubin's one kernel; "-" when it did not build.
    count() { if [ -s "$1" ]; then cuobjdump -sass "$1" | grep -E '/\*[0-9a-f]{4}\*/\s+[A-Z@]' | grep -c -v NOP; else echo -; fi; }
    registers() { if [ -s "$1" ]; then cuobjdump -res-usage "$1" | grep -oE 'REG:[0-9]+' | head -1 | cut -d: -f2; else echo -; fi; }
    echo "| kernel (sm_90) | SASS: nvcc -O3 | ours (bounds-checked) | ours (BoundsChecks = false) | ILGPU 1.5.3 | registers: nvcc | ours | ours (unchecked) | ILGPU |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    while IFS=$'\t' read -r id name; do
        [ -n "$nvcc" ] && nvcc -O3 -arch=sm_90 -cubin -o "$build/$id.nvcc.cubin" "bench/cuda/$id.cu" 2>"$build/$id.nvcc.log"
        for variant in ours ours-unchecked ilgpu; do
            ptxas -arch=sm_90 -o "$build/$id.$variant.cubin" "$dir/$id.$variant.ptx" 2>"$build/$id.$variant.log"
        done
        echo "| $name | $(count "$build/$id.nvcc.cubin") | $(count "$build/$id.ours.cubin") | $(count "$build/$id.ours-unchecked.cubin") | $(count "$build/$id.ilgpu.cubin") |" \
             "$(registers "$build/$id.nvcc.cubin") | $(registers "$build/$id.ours.cubin") | $(registers "$build/$id.ours-unchecked.cubin") | $(registers "$build/$id.ilgpu.cubin") |"
    done <"$dir/kernels.tsv"
    for log in "$build"/*.log; do
        [ -s "${log%.log}.cubin" ] || echo "$(basename "$log" .log) did not build: $(head -c 300 "$log")"
    done
    return 0
}
sass | tee "$out/sass.md"

tar -C "$work" -czf "$out/ptx.tar.gz" ptx sass
echo "== done in $((SECONDS - started)) s; results in $out"
exit "$status"
