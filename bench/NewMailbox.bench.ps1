# Import-Csv N.csv | New-Mailbox into a new store: mailboxes per second next to the bcrypt bound on all cores.
param([int] $Count = 10000, [int] $Runs = 5, [int] $Cost = 10)
. (Join-Path $PSScriptRoot 'Common.ps1')
$work = Join-Path ([System.IO.Path]::GetTempPath()) "mailadmin-bench-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
$csv = Join-Path $work "$Count.csv"
1..$Count | ForEach-Object { [pscustomobject]@{ Address = "user$_@bench.example"; DisplayName = "员工 $_"; Department = "Dept$($_ % 50)"; JobTitle = 'Staff'; Mobile = "+86 138 $($_.ToString('00000000'))"; Password = "Bench-Passw0rd-$_" } } |
    Export-Csv $csv -NoTypeInformation
$pwsh = Get-PwshCommand
dotnet build (Join-Path $PSScriptRoot 'HashBound') -c Release --nologo -v q | Out-Null
$rates = @(); $bounds = @()
for ($i = 0; $i -lt $Runs; $i++) {
    $bound = dotnet run --project (Join-Path $PSScriptRoot 'HashBound') -c Release --no-build -- $Cost 200
    $bounds += [double](($bound -split 'all_cores_per_s=')[1] -split ' ')[0]
    $db = Join-Path $work "run$i.db"
    $script = "Import-Module '$ModulePath'; Connect-MailProvider -Path '$db'; Set-MailSecurityPolicy -PasswordHashCost $Cost; Add-MailDomain bench.example | Out-Null; `$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Csv '$csv' | New-Mailbox | Out-Null; `$sw.Elapsed.TotalSeconds; (Get-Mailbox | Measure-Object).Count"
    $out = & $pwsh[0] ($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
    if ([int]$out[1] -ne $Count) { throw "run $i created $($out[1]) mailboxes, not $Count" }
    $rates += $Count / [double]$out[0]
    "run {0}: {1:N1} mailboxes/s ({2:N1} s); bcrypt bound {3:N1} hashes/s" -f ($i + 1), $rates[-1], [double]$out[0], $bounds[-1]
}
$r = Get-Median $rates; $h = Get-Median $bounds
"New-Mailbox, $Count rows, BLF-CRYPT cost $Cost, $([Environment]::ProcessorCount) cores: median {0:N1} mailboxes/s; bcrypt bound median {1:N1} hashes/s; {2:P0} of the bound" -f $r, $h, ($r / $h)
Remove-Item $work -Recurse -Force
