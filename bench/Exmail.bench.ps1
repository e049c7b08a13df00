<#
.SYNOPSIS
    Exmail bulk-create figures against the loopback emulator (issue 5):
    1. Reliability: 1,000 mailboxes through the pipeline with 20% injected faults (errcode -1/45009, HTTP 429/503/500,
       slow answers, connections dropped before or after the change) and the token expiring every 30 s: mailboxes lost,
       created twice, errors, total time.
    2. Performance: 100 ms latency and a server-side limit of 10 requests per second: mailboxes per second against that
       limit, with -ThrottleLimit 32 (default) and -ThrottleLimit 1.
.PARAMETER Count
    Mailboxes per run (default 1000).
#>
param([int] $Count = 1000, [switch] $SkipReliability, [switch] $SkipPerformance)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Common.ps1')
Import-Module (Join-Path $PSScriptRoot '../tests/integration/Emulators.psm1') -Force
Import-Module (Join-Path $ModulePath 'MailAdmin.psd1') -Force
$ProgressPreference = 'SilentlyContinue'

function Invoke-Run([hashtable] $server, [double] $clientRate, [int] $throttle) {
    $emu = Start-TestEmulator Exmail -Setting $server
    try {
        $c = Connect-MailProvider -Provider Exmail -CorpId $emu.CorpId -Secret $emu.Secret -ApiBaseUri $emu.ApiBaseUri -RequestsPerSecond $clientRate -PassThru
        $rows = 1..$Count | ForEach-Object { [pscustomobject]@{ Address = "user$_@bench.example"; DisplayName = "用户 $_"; Department = 'Bench/Load'; Password = 'Start1234x' } }
        $errors = $null
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $made = $rows | New-Mailbox -Connection $c -CreateDepartment -ThrottleLimit $throttle -ErrorVariable errors -ErrorAction SilentlyContinue
        $sw.Stop()
        $state = Get-TestEmulatorState $emu
        $expected = $rows | ForEach-Object Address   # not $rows.Address: arrays have an Address() method that wins
        [pscustomobject]@{
            Mailboxes = $Count; Seconds = [math]::Round($sw.Elapsed.TotalSeconds, 1); PerSecond = [math]::Round($Count / $sw.Elapsed.TotalSeconds, 2)
            Created = @($made).Count; Errors = @($errors).Count
            Lost = @($expected | Where-Object { $_ -notin $state.users }).Count
            CreatedTwice = $state.duplicateCreates; ServerRequests = $state.requests; FaultsInjected = $state.faults
            RateLimitedAnswers = $state.rateLimited; TokensIssued = $state.tokens
        }
        $c | Disconnect-MailProvider
    }
    finally { Stop-TestEmulator $emu }
}

if (-not $SkipReliability) {
    Write-Host "Reliability: $Count mailboxes, 20% faults, token lifetime 30 s"
    $r = Invoke-Run @{ faultRate = 0.2; tokenLifetime = 30; slowMs = 1500; seed = 7 } 50 32
    $r | Format-List | Out-Host
}
if (-not $SkipPerformance) {
    foreach ($t in 32, 1) {
        Write-Host "Performance: $Count mailboxes, 100 ms latency, server limit 10/s, -ThrottleLimit $t"
        $r = Invoke-Run @{ latency = 100; rateLimit = 10 } 10 $t
        $r | Add-Member -NotePropertyName OfLimit -NotePropertyValue ('{0:P0}' -f ($r.PerSecond / 10)) -PassThru | Format-List | Out-Host
    }
}
