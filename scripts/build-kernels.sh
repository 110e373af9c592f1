#!/usr/bin/env bash
# Builds the CUDA kernels of batchwise-core into committed fatbins, or checks that they are current.
#
#   scripts/build-kernels.sh            compile when nvcc is available, otherwise check
#   scripts/build-kernels.sh --check    only check (never compiles)
#
# For every batchwise-core/src/main/cuda/<name>.cu the fatbin is
# batchwise-core/src/main/resources/dev/batchwise/kernels/<name>.fatbin and its recorded source
# hash is <name>.fatbin.sha256 beside it. The hash covers the nvcc flags below, the .cu file and
# every file under src/main/cuda/include/ (names and contents), so editing a shared header
# rebuilds every kernel.
#
# With nvcc (on the PATH, in $CUDA_HOME/bin or /usr/local/cuda/bin; BATCHWISE_NVCC overrides), a
# .cu whose hash differs from the recorded one, or that has no fatbin yet, is compiled and its hash
# recorded. Without nvcc, or with --check, any missing or stale fatbin fails the build with a
# message naming it. Commit the fatbin and the .sha256 together with the source.
#
# BATCHWISE_KERNELS_ROOT overrides the repository root (used by the tests on a temporary copy).
set -euo pipefail

ROOT="${BATCHWISE_KERNELS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
SRC_REL="batchwise-core/src/main/cuda"
OUT_REL="batchwise-core/src/main/resources/dev/batchwise/kernels"
SRC="$ROOT/$SRC_REL"
OUT="$ROOT/$OUT_REL"
NVCC_FLAGS=(-fatbin
  -gencode arch=compute_80,code=sm_80
  -gencode arch=compute_90,code=sm_90
  -gencode arch=compute_80,code=compute_80
  -O3 "-I$SRC_REL/include")

mode=build
case "${1:-}" in
  --check) mode=check ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

sha256_of() {  # file -> hex digest
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

find_nvcc() {
  if [[ -n "${BATCHWISE_NVCC:-}" ]]; then
    [[ -x "$BATCHWISE_NVCC" ]] && echo "$BATCHWISE_NVCC"
    return 0
  fi
  if command -v nvcc >/dev/null 2>&1; then
    command -v nvcc
  elif [[ -n "${CUDA_HOME:-}" && -x "$CUDA_HOME/bin/nvcc" ]]; then
    echo "$CUDA_HOME/bin/nvcc"
  elif [[ -x /usr/local/cuda/bin/nvcc ]]; then
    echo /usr/local/cuda/bin/nvcc
  fi
}

# The source hash of one .cu: SHA-256 of a manifest listing the flags and the digest of the .cu and
# of every header (sorted by path, so the result does not depend on the file system's order).
source_hash() {
  local cu="$1" manifest
  manifest="$(mktemp)"
  {
    echo "flags ${NVCC_FLAGS[*]}"
    echo "source $(basename "$cu") $(sha256_of "$cu")"
    if [[ -d "$SRC/include" ]]; then
      (cd "$SRC/include" && find . -type f -print | LC_ALL=C sort) | while read -r h; do
        echo "header ${h#./} $(sha256_of "$SRC/include/$h")"
      done
    fi
  } >"$manifest"
  sha256_of "$manifest"
  rm -f "$manifest"
}

shopt -s nullglob
sources=("$SRC"/*.cu)
if [[ ${#sources[@]} -eq 0 ]]; then
  echo "build-kernels: no .cu files under $SRC_REL" >&2
  exit 0
fi

NVCC=""
if [[ "$mode" == build ]]; then
  NVCC="$(find_nvcc || true)"
  [[ -z "$NVCC" ]] && mode=check
fi

mkdir -p "$OUT"
failures=()
for cu in "${sources[@]}"; do
  name="$(basename "$cu" .cu)"
  fatbin="$OUT/$name.fatbin"
  hashfile="$OUT/$name.fatbin.sha256"
  want="$(source_hash "$cu")"
  have=""
  [[ -f "$hashfile" ]] && have="$(tr -d ' \n\r' <"$hashfile")"
  if [[ -f "$fatbin" && "$have" == "$want" ]]; then
    continue
  fi
  if [[ "$mode" == build ]]; then
    echo "build-kernels: compiling $SRC_REL/$name.cu -> $OUT_REL/$name.fatbin"
    tmp="$fatbin.tmp.$$"
    (cd "$ROOT" && "$NVCC" "${NVCC_FLAGS[@]}" -o "$tmp" "$SRC_REL/$name.cu") || { rm -f "$tmp"; exit 1; }
    mv -f "$tmp" "$fatbin"
    echo "$want" >"$hashfile"
  elif [[ ! -f "$fatbin" ]]; then
    failures+=("$OUT_REL/$name.fatbin is missing: $SRC_REL/$name.cu has never been compiled")
  elif [[ -z "$have" ]]; then
    failures+=("$OUT_REL/$name.fatbin.sha256 is missing, so $OUT_REL/$name.fatbin cannot be checked against $SRC_REL/$name.cu")
  else
    failures+=("$OUT_REL/$name.fatbin is stale: $SRC_REL/$name.cu or a header in $SRC_REL/include changed since it was built (recorded $have, sources hash to $want)")
  fi
done

if [[ ${#failures[@]} -gt 0 ]]; then
  {
    echo "build-kernels: FAILED - compiled kernels do not match their sources and nvcc is not available here:"
    for f in "${failures[@]}"; do echo "  - $f"; done
    echo "Run scripts/build-kernels.sh on a machine with the CUDA toolkit (nvcc 12.x/13.x) and commit the"
    echo "updated .fatbin and .fatbin.sha256 files."
  } >&2
  exit 1
fi
echo "build-kernels: ${#sources[@]} kernel module(s) up to date"
