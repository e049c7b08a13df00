<#
.SYNOPSIS
    Issue 14 figures: Import-Csv | New-Mailbox on every remote provider's emulator at its documented limit.
    1. 1,000 mailboxes in 5 departments (created on demand) with 100 ms latency, the server enforcing the documented limit
       (Exmail 10/s, Alimail 40/s, WeCom 10,000/min per API = 166/s) and the client at its default: mailboxes per second
       against the limit, requests per mailbox, throttled answers (HTTP 429 or the provider's throttle errcode).
    2. The same with 20% injected faults and tokens expiring every 30 s: mailboxes lost and created twice.
.PARAMETER Count
    Mailboxes per run (default 1000).
.PARAMETER Provider
    Which providers to run (default all three).
.PARAMETER Run
    Which runs: Limit (run 1), Faults (run 2); default both.
#>
param([int] $Count = 1000, [ValidateSet('Exmail', 'Alimail', 'WeCom')] [string[]] $Provider = @('Exmail', 'Alimail', 'WeCom'),
    [ValidateSet('Limit', 'Faults')] [string[]] $Run = @('Limit', 'Faults'))
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Common.ps1')
Import-Module (Join-Path $PSScriptRoot '../tests/integration/Emulators.psm1') -Force
Import-Module (Join-Path $ModulePath 'MailAdmin.psd1') -Force
$ProgressPreference = 'SilentlyContinue'

$limits = @{ Exmail = 10; Alimail = 40; WeCom = 166 }
$domains = @{ Exmail = 'bench.example'; Alimail = 'example.cn'; WeCom = 'contoso.com' }

function Connect-Bench($kind, $emu) {
    switch ($kind) {
        'Exmail' { Connect-MailProvider -Provider Exmail -CorpId $emu.CorpId -Secret $emu.Secret -ApiBaseUri $emu.Base -PassThru }
        'Alimail' { Connect-MailProvider -Provider Alimail -ClientId $emu.ClientId -ClientSecret $emu.ClientSecret -ApiBaseUri $emu.Base -PassThru }
        'WeCom' {
            $map = Join-Path ([IO.Path]::GetTempPath()) "wecom-bench-$PID-$([guid]::NewGuid().ToString('n')).map"
            Connect-MailProvider -Provider WeCom -CorpId $emu.CorpId -Secret $emu.Secret -ApiBaseUri $emu.Base -Path $map -PassThru
        }
    }
}

function Invoke-Run($kind, [hashtable] $server) {
    $emu = Start-TestEmulator $kind -Setting $server
    try {
        # warm-up: 20 mailboxes through a connection thrown away, then the emulator reset, so that the measured run pays for its
        # token, the department tree and the department creates, but not for compiling the code paths (JIT) in either process
        $w = Connect-Bench $kind $emu
        $warm = 1..20 | ForEach-Object {
            [pscustomobject]@{ Address = "warm$_@$($domains[$kind])"; DisplayName = "warm $_"; Department = 'Warm'; Password = 'Start1234x' }
        }
        if ($kind -eq 'WeCom') { $warm | ForEach-Object { $_.PSObject.Properties.Remove('Password') } }
        $warm | New-Mailbox -Connection $w -CreateDepartment -ErrorAction SilentlyContinue | Out-Null
        $w | Disconnect-MailProvider
        Reset-TestEmulator $emu
        $c = Connect-Bench $kind $emu
        $rows = 1..$Count | ForEach-Object { [pscustomobject]@{ Address = "user$_@$($domains[$kind])"; DisplayName = "用户 $_"; Department = "Bench/Team$($_ % 5)" } }
        if ($kind -ne 'WeCom') { $rows | Add-Member -NotePropertyName Password -NotePropertyValue 'Start1234x' }
        $errors = $null
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $stamps = [System.Collections.Generic.List[double]]::new()
        $made = $rows | New-Mailbox -Connection $c -CreateDepartment -ErrorVariable errors -ErrorAction SilentlyContinue |
            ForEach-Object { $stamps.Add($sw.Elapsed.TotalSeconds); $_ }
        $sw.Stop()
        # the middle 80% of the rows: the rate once the token, the department tree and the departments are there
        $steady = if ($stamps.Count -ge 10) { 0.8 * $stamps.Count / ($stamps[[int]($stamps.Count * 0.9) - 1] - $stamps[[int]($stamps.Count * 0.1)]) } else { 0 }
        $state = Get-TestEmulatorState $emu
        $present = @($state.users | ForEach-Object { if ($_ -is [string]) { $_ } elseif ($_.biz_mail) { $_.biz_mail } else { $_.email } })
        $expected = $rows | ForEach-Object Address
        [pscustomobject]@{
            Provider = $kind; Mailboxes = $Count; Seconds = [math]::Round($sw.Elapsed.TotalSeconds, 1)
            PerSecond = [math]::Round($Count / $sw.Elapsed.TotalSeconds, 2); Limit = $limits[$kind]
            OfLimit = '{0:P1}' -f ($Count / $sw.Elapsed.TotalSeconds / $limits[$kind])
            SteadyOfLimit = '{0:P1}' -f ($steady / $limits[$kind]); FirstMailboxAfter = [math]::Round($(if ($stamps.Count) { $stamps[0] } else { 0 }), 2)
            RequestsPerMailbox = [math]::Round($state.requests / $Count, 3); ThrottledAnswers = $state.rateLimited
            # the shortest time the server saw one more accepted request than its limit allows in a second: > 1,000 ms, by how much
            TightestWindowMs = $state.tightestWindowMs
            Created = @($made).Count; Errors = @($errors).Count
            Lost = @($expected | Where-Object { $_ -notin $present }).Count; CreatedTwice = $state.duplicateCreates
            FaultsInjected = $state.faults; TokensIssued = $state.tokens
        }
        $c | Disconnect-MailProvider
    }
    finally { Stop-TestEmulator $emu }
}

foreach ($kind in $Provider) {
    if ('Limit' -in $Run) {
        $load = (Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ' | Select-Object -First 1
        Write-Host "$kind, $Count mailboxes, 100 ms latency, server limit $($limits[$kind])/s (load average $load)"
        Invoke-Run $kind @{ latency = 100; rateLimit = $limits[$kind]; seed = 11 } | Format-List | Out-Host
    }
    if ('Faults' -in $Run) {
        Write-Host "$kind, $Count mailboxes, 20% faults, tokens expiring every 30 s"
        Invoke-Run $kind @{ faultRate = 0.2; tokenLifetime = 30; slowMs = 1500; seed = 7 } | Format-List | Out-Host
    }
}
