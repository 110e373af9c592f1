#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with the bundle built by scripts/gpu-bundle.sh
# carried along in ./gpu-bundle: the whole test suite, then the benchmarks, then the W1 demo.
# Logs and JSON go to $OUT (the device tool's output folder) or ./gpu-out.
#   scripts/gpu-run.sh [tests|bench|demo ...]   (default: all three)
#   BENCH_ARGS="--filter W2" TEST_ARGS="--include-classname .*Cuda.*" TEST_TIMEOUT=300 BENCH_TIMEOUT=250
set -uo pipefail
OUT="${OUT:-$PWD/gpu-out}"
mkdir -p "$OUT"
B=gpu-bundle
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(tests bench demo)
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$OUT/gpu.txt"
for step in "${steps[@]}"; do
  case "$step" in
    tests)
      # shellcheck disable=SC2086
      OUT="$OUT" DETAILS=tree timeout "${TEST_TIMEOUT:-300}" bash $B/run-tests.sh ${TEST_ARGS:-} > "$OUT/tests.log" 2>&1
      echo "tests: exit $?"
      sed -n '/^Failures (/,/^Test run finished/p' "$OUT/tests.log" | grep -E "^  JUnit|^  jqwik|=>" | head -60
      grep -E "tests (successful|failed|aborted|found)" "$OUT/tests.log"
      ;;
    bench)
      # shellcheck disable=SC2086
      OUT="$OUT" timeout "${BENCH_TIMEOUT:-250}" bash $B/run-bench.sh ${BENCH_ARGS:-} > "$OUT/bench.log" 2>&1
      echo "bench: exit $?"
      grep -vE "^bench:|WARNING" "$OUT/bench.log" | tail -70
      ;;
    demo)
      timeout "${DEMO_TIMEOUT:-120}" bash $B/run-cli.sh demo --json "$OUT/demo.json" > "$OUT/demo.log" 2>&1
      echo "demo: exit $?"
      tail -30 "$OUT/demo.log"
      ;;
  esac
done
