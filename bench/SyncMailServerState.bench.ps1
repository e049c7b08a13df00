<#
.SYNOPSIS
    Sync-MailServerState over N mailboxes with nothing to change (issue 11): the test stack's Dovecot serves a store of N
    mailboxes, each with a home and Maildir, of which RuleEvery-th has a rule (a MailAdmin Sieve script to compare) and
    GrantEvery-th gives ReadOnly to another (folder ACLs to compare). A first run puts everything in place; the timed runs
    must find nothing. Prints the median of -Runs and the peak working set.
#>
param([int] $Count = 10000, [int] $Runs = 5, [int] $RuleEvery = 20, [int] $GrantEvery = 20)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Common.ps1')
. (Join-Path $PSScriptRoot '../tests/Pester/Common.ps1')
Import-Module (Join-Path $PSScriptRoot '../tests/integration/MailStack.psm1') -Force
Import-Module (Join-Path $ModulePath 'MailAdmin.psd1') -Force
$ProgressPreference = 'SilentlyContinue'
$dir = Join-Path ([System.IO.Path]::GetTempPath()) "mailadmin-syncbench-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
New-Item -ItemType Directory $dir | Out-Null
try {
    Connect-MailProvider -Path (Join-Path $dir 'store.db')
    Set-MailSecurityPolicy -PasswordHashCost 4
    Add-MailDomain bench.test -MailHost mail.bench.test | Out-Null
    $ca = New-TestCertificateAuthority 'Sync bench CA'
    $srv = New-TestServerCertificate $ca 'mail.bench.test', 'localhost'
    $stack = Start-TestMailStack -Folder (Join-Path $dir 'stack') -CertPem $srv.ChainPem -KeyPem $srv.KeyPem -HostName mail.bench.test
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    1..$Count | ForEach-Object { [pscustomobject]@{ Address = "u$_@bench.test"; Password = 'Str0ng-Passw0rd' } } | New-Mailbox | Out-Null
    # every mailbox has a home with a Maildir, as one that has received mail does
    $root = Join-Path $stack.Folder 'mail/bench.test'
    foreach ($i in 1..$Count) { foreach ($d in 'cur', 'new', 'tmp') { [System.IO.Directory]::CreateDirectory("$root/u$i/Maildir/$d") | Out-Null } }
    & chown -R vmail:vmail $root
    for ($i = $RuleEvery; $i -le $Count; $i += $RuleEvery) { New-MailRule "u$i@bench.test" 'Invoices' -SubjectContains invoice -MoveToFolder Invoices | Out-Null }
    for ($i = $GrantEvery; $i -le $Count; $i += $GrantEvery) { Set-MailPermission "u$i@bench.test" -Trustee "u$($i - 1)@bench.test" -AccessRights ReadOnly }
    Write-Host "set-up: $Count mailboxes, $([int]($Count / $RuleEvery)) scripts, $([int]($Count / $GrantEvery)) grants in $([int]$sw.Elapsed.TotalSeconds) s"
    $first = @(Sync-MailServerState -Confirm:$false)
    Write-Host "first run changed $($first.Count) things"
    $times = @()
    $peak = 0
    foreach ($r in 1..$Runs) {
        [GC]::Collect()
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $changes = @(Sync-MailServerState -Confirm:$false)
        $sw.Stop()
        if ($changes.Count -ne 0) { throw "run $r changed $($changes.Count) things: $($changes | Select-Object -First 3 | Out-String)" }
        $times += $sw.Elapsed.TotalSeconds
        $peak = [math]::Max($peak, [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64)
    }
    [pscustomobject]@{
        Mailboxes = $Count; Scripts = [int]($Count / $RuleEvery); Grants = [int]($Count / $GrantEvery); Runs = $Runs
        MedianSeconds = [math]::Round((Get-Median $times), 2); Times = ($times | ForEach-Object { [math]::Round($_, 2) }) -join ', '
        PeakWorkingSetMB = [math]::Round($peak / 1MB)
    } | Format-List | Out-Host
}
finally {
    if ($stack) { Stop-TestMailStack $stack }
    Remove-Item $dir -Recurse -Force -ErrorAction Ignore
}
