#!/usr/bin/env bash
# scripts/test runs every tests/*.sh: this one runs the editor's GUI test under Xvfb.
exec bash "$(dirname "${BASH_SOURCE[0]}")/gui/run-gui-test.sh" "$@"
