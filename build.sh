#!/usr/bin/env bash
# Bootstrapper (DESIGN.md §2): restore the pinned Cake tool, then run the target graph in
# build/build.cake with every argument passed through unchanged, e.g.
#   ./build.sh --target=Test
#   ./build.sh --target=Plan --manifest=experiments/synthetic.yaml --task=covid
# The exit code is Cake's, which is the `reproduce` CLI's when a target's CLI call fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

# Cake compiles build.cake on every run unless its script cache is on; with it, a warm run
# skips Roslyn entirely (DESIGN.md §7 "Timing targets"). The caller may still override it.
export CAKE_SETTINGS_ENABLESCRIPTCACHE="${CAKE_SETTINGS_ENABLESCRIPTCACHE:-true}"
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"

# Quiet on success; errors (no feed, wrong SDK) still reach stderr and stop the script.
dotnet tool restore --verbosity quiet >/dev/null

exec dotnet cake build/build.cake "$@"
