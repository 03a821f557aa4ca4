#!/usr/bin/env bash
# The two standard VST3 validators on the dev Quintet.vst3, when they are installed: Steinberg's
# `validator` (extensive mode: every test passes and nice-plug never warns that its input event
# queue filled up) and Tracktion's `pluginval` at strictness 10 (in its fixed test order: with
# --randomise its "Plugin state restoration" test fails after "Fuzz parameters" for a reason
# docs/RELIABILITY.md shows is not Quintet's). Together they take about a second.
#
# Neither is downloaded here (the suite needs no network): they are found on PATH or through
# QUINTET_VST3_VALIDATOR and QUINTET_PLUGINVAL; a missing one is reported and skipped.
# docs/RELIABILITY.md ("Building the validators") says how to build both from source.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib/bundles.sh"
vst3="${QUINTET_BUNDLE_DIR:-$(bundle_dir debug)}/Quintet.vst3"
OUT="$ROOT/target/validators"
mkdir -p "$OUT"

fail() {
    echo "validators: FAILED: $*" >&2
    exit 1
}

[[ -e "$vst3" ]] || fail "$vst3 is missing (run cargo xtask bundle quintet)"

steinberg="${QUINTET_VST3_VALIDATOR:-$(command -v validator || true)}"
if [[ -n "$steinberg" ]]; then
    status=0
    "$steinberg" -e "$vst3" >"$OUT/steinberg.log" 2>&1 || status=$?
    result="$(grep -E '^Result: ' "$OUT/steinberg.log" | tail -n1 || true)"
    ((status == 0)) && [[ "$result" == *" 0 tests failed"* ]] ||
        fail "Steinberg's validator: ${result:-no result} (exit status $status, log: $OUT/steinberg.log)"
    if grep -q 'filled up' "$OUT/steinberg.log"; then
        fail "nice-plug's input event queue filled up during Steinberg's validator: $(grep -m1 'filled up' "$OUT/steinberg.log")"
    fi
    echo "validators: Steinberg's validator -e: ${result#Result: }"
else
    echo "validators: Steinberg's validator is not installed (PATH or QUINTET_VST3_VALIDATOR): skipped"
fi

pluginval="${QUINTET_PLUGINVAL:-$(command -v pluginval || true)}"
if [[ -n "$pluginval" ]]; then
    status=0
    "$pluginval" --strictness-level 10 --skip-gui-tests --validate "$vst3" >"$OUT/pluginval.log" 2>&1 ||
        status=$?
    ((status == 0)) && grep -q '^SUCCESS' "$OUT/pluginval.log" ||
        fail "pluginval at strictness 10: exit status $status; $(grep -m3 -E 'FAILED|!!!' "$OUT/pluginval.log" || true) (log: $OUT/pluginval.log)"
    echo "validators: pluginval --strictness-level 10: SUCCESS ($(grep -c '^Starting tests in' "$OUT/pluginval.log") test groups)"
else
    echo "validators: pluginval is not installed (PATH or QUINTET_PLUGINVAL): skipped"
fi
