#!/usr/bin/env bash
# Builds pgtwin and runs every test. Exits non-zero when anything fails.
#
#   1. installs the Debian packages (deploy/install-deps.sh; quick when all are present)
#   2. builds everything in build/ (RelWithDebInfo)
#   3. runs every test there: unit, integration against a real PostgreSQL 15 that the ctest
#      fixture starts and stops, and e2e on a sandbox of its own (tests/e2e/)
#   4. builds the unit tests again with AddressSanitizer and UBSan in build-asan/ and runs them
#
# Run from anywhere, as root on a fresh Debian 12 machine (or as any user once the packages are
# installed). CI runs it through .ci/run. A failing test run does not stop the next stage, so one
# run reports every failure; a failing install or build stops at once.
set -euo pipefail

cd "$(dirname "$0")/.."
jobs=$(nproc)
started=$SECONDS
failed=()   # test stages that failed

step() { printf '\n==> %s  [%ds]\n' "$*" $((SECONDS - started)); }

step "Installing packages (deploy/install-deps.sh)"
deploy/install-deps.sh

step "Building build/ (RelWithDebInfo, -j$jobs)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"

step "Running every test in build/ (unit, integration and e2e)"
# Integration tests mostly wait on PostgreSQL and the CLI: run twice as many as there are cores.
ctest --test-dir build --output-on-failure --no-tests=error -j $((2 * jobs)) \
  || failed+=("tests in build/")

step "Building the unit tests with AddressSanitizer and UBSan in build-asan/"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPGTWIN_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs" --target pgtwin_unit_tests

step "Running the unit tests under the sanitizers"
export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan -L unit --output-on-failure --no-tests=error -j "$jobs" \
  || failed+=("unit tests under the sanitizers in build-asan/")

if [ ${#failed[@]} -gt 0 ]; then
  summary=$(printf '%s, ' "${failed[@]}")
  step "FAILED: ${summary%, }"
  exit 1
fi
step "All tests passed"
