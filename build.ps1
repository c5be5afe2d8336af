#!/usr/bin/env pwsh
# Bootstrapper (DESIGN.md §2), the PowerShell twin of build.sh: restore the pinned Cake tool, then
# run the target graph in build/build.cake with every argument passed through unchanged, e.g.
#   ./build.ps1 --target=Test
# The exit code is Cake's, which is the `reproduce` CLI's when a target's CLI call fails.
$ErrorActionPreference = 'Stop'

Set-Location -LiteralPath $PSScriptRoot

# Cake compiles build.cake on every run unless its script cache is on; with it, a warm run
# skips Roslyn entirely (DESIGN.md §7 "Timing targets"). The caller may still override it.
if (-not $env:CAKE_SETTINGS_ENABLESCRIPTCACHE) { $env:CAKE_SETTINGS_ENABLESCRIPTCACHE = 'true' }
if (-not $env:DOTNET_NOLOGO) { $env:DOTNET_NOLOGO = '1' }

# Quiet on success; errors (no feed, wrong SDK) still reach the console and stop the script.
dotnet tool restore --verbosity quiet | Out-Null
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

dotnet cake build/build.cake @args
exit $LASTEXITCODE
