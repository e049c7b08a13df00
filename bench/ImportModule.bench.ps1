# Import-Module cost: fresh pwsh importing the laid-out module, against a fresh pwsh that only exits. Target: <= 150 ms more.
param([int] $Runs = 9)
. (Join-Path $PSScriptRoot 'Common.ps1')
$pwsh = Get-PwshCommand
function Time([string] $command) {
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    & $pwsh[0] ($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $command | Out-Null
    $sw.Elapsed.TotalMilliseconds
}
# The floor of any Import-Module: a module manifest with nothing in it.
$empty = Join-Path ([System.IO.Path]::GetTempPath()) "EmptyBench$PID"
New-Item -ItemType Directory -Force $empty | Out-Null
"@{ ModuleVersion = '1.0'; GUID = '$([guid]::NewGuid())' }" | Set-Content (Join-Path $empty "EmptyBench$PID.psd1")
Time 'exit' | Out-Null; Time "Import-Module '$ModulePath'" | Out-Null   # warm the file cache
$base = @(); $import = @(); $use = @(); $floor = @()
for ($i = 0; $i -lt $Runs; $i++) {
    $base += Time 'exit'
    $floor += Time "Import-Module '$empty'"
    $import += Time "Import-Module '$ModulePath'"
    $use += Time "Import-Module '$ModulePath'; `$env:MAILADMIN_STORE = '$([System.IO.Path]::GetTempPath())bench-import.db'; Get-MailDomain | Out-Null"
}
$b = Get-Median $base; $m = Get-Median $import; $u = Get-Median $use
$f = Get-Median $floor
Remove-Item $empty -Recurse -Force
"pwsh -c exit:                 median {0:N0} ms" -f $b
"Import-Module of an empty manifest (the floor): median {0:N0} ms  (+{1:N0} ms)" -f $f, ($f - $b)
"pwsh -c Import-Module:        median {0:N0} ms  (+{1:N0} ms)" -f $m, ($m - $b)
"Import + first store command: median {0:N0} ms  (+{1:N0} ms)" -f $u, ($u - $b)
