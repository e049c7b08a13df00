<#
.SYNOPSIS
    Runs the Pester suites against the laid-out module in this (fresh) pwsh and writes a JSON summary for build.ps1.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Summary,
    [string] $Packages,
    [string[]] $Path = @(Join-Path $PSScriptRoot 'Pester')
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:MAILADMIN_TEST_MODULE = (Resolve-Path $ModulePath).Path
if ($Packages) { $env:MAILADMIN_TEST_PACKAGES = (Resolve-Path $Packages).Path }
$env:MAILADMIN_TEST_ROOT = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
# No test may touch the user's real default store.
$env:MAILADMIN_STORE = Join-Path ([System.IO.Path]::GetTempPath()) ("mailadmin-pester-default-" + [guid]::NewGuid().ToString('n') + '.db')
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = Join-Path (Split-Path $Summary) 'pester.xml'
$result = Invoke-Pester -Configuration $config
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount + $result.NotRunCount } |
    ConvertTo-Json | Set-Content $Summary
Remove-Item $env:MAILADMIN_STORE -ErrorAction Ignore
