# Get-Mailbox over N mailboxes: time to the first object, total time, peak memory (of a fresh pwsh).
param([int] $Count = 100000, [int] $Runs = 5)
. (Join-Path $PSScriptRoot 'Common.ps1')
$work = Join-Path ([System.IO.Path]::GetTempPath()) "mailadmin-bench-get-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
$db = Join-Path $work 'big.db'
$pwsh = Get-PwshCommand
# Fill the store through the cmdlets (no passwords: this measures listing, not hashing).
$fill = "Import-Module '$ModulePath'; Connect-MailProvider -Path '$db'; Add-MailDomain bench.example | Out-Null; 1..$Count | ForEach-Object { [pscustomobject]@{ Address = ""user`$_@bench.example""; DisplayName = ""员工 `$_""; Department = ""Dept`$(`$_ % 50)"" } } | New-Mailbox -ThrottleLimit 256 | Out-Null; (Get-Mailbox | Measure-Object).Count"
$sw = [System.Diagnostics.Stopwatch]::StartNew()
$made = & $pwsh[0] ($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $fill
"filled $made mailboxes in {0:N1} s" -f $sw.Elapsed.TotalSeconds
$first = @(); $total = @(); $peak = @()
for ($i = 0; $i -lt $Runs; $i++) {
    $script = "Import-Module '$ModulePath'; Connect-MailProvider -Path '$db'; Get-MailDomain | Out-Null; [GC]::Collect(); `$p = [Diagnostics.Process]::GetCurrentProcess(); `$p.Refresh(); `$before = `$p.WorkingSet64; `$sw = [Diagnostics.Stopwatch]::StartNew(); `$firstMs = `$null; `$n = 0; Get-Mailbox | ForEach-Object { if (`$null -eq `$firstMs) { `$firstMs = `$sw.Elapsed.TotalMilliseconds }; `$n++ }; `$t = `$sw.Elapsed.TotalSeconds; `$p.Refresh(); ""`$firstMs|`$t|`$n|`$([math]::Round(`$p.PeakWorkingSet64 / 1MB))|`$([math]::Round(`$before / 1MB))"""
    $parts = (& $pwsh[0] ($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script) -split '\|'
    if ([int]$parts[2] -ne $Count) { throw "listed $($parts[2]), not $Count" }
    $first += [double]$parts[0]; $total += [double]$parts[1]; $peak += [double]$parts[3]
    "run {0}: first object {1:N1} ms, total {2:N2} s, peak working set {3} MB (before listing {4} MB)" -f ($i + 1), [double]$parts[0], [double]$parts[1], $parts[3], $parts[4]
}
"Get-Mailbox over $Count mailboxes: median first object {0:N1} ms, median total {1:N2} s ({2:N0} mailboxes/s), median peak working set {3:N0} MB" -f (Get-Median $first), (Get-Median $total), ($Count / (Get-Median $total)), (Get-Median $peak)
Remove-Item $work -Recurse -Force
