<#
.SYNOPSIS
    Alimail bulk-create figures against the loopback emulator (issue 6): 1,000 mailboxes with 100 ms latency against the
    documented limit of 40 calls per second (the emulator answers 429 above it): mailboxes per second against the limit,
    429s received, lost, created twice; then the same with 20% injected faults.
#>
param([int] $Count = 1000, [double[]] $FaultRate = @(0, 0.2))
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Common.ps1')
Import-Module (Join-Path $PSScriptRoot '../tests/integration/Emulators.psm1') -Force
Import-Module (Join-Path $ModulePath 'MailAdmin.psd1') -Force
$ProgressPreference = 'SilentlyContinue'

foreach ($faults in $FaultRate) {
    $emu = Start-TestEmulator Alimail -Setting @{ latency = 100; rateLimit = 40; faultRate = $faults; seed = 11 }
    try {
        $c = Connect-MailProvider -Provider Alimail -ClientId $emu.ClientId -ClientSecret $emu.ClientSecret -ApiBaseUri $emu.ApiBaseUri -PassThru
        $rows = 1..$Count | ForEach-Object { [pscustomobject]@{ Address = "user$_@example.cn"; DisplayName = "用户 $_"; Password = 'Start1234x' } }
        $errors = $null
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $made = $rows | New-Mailbox -Connection $c -ErrorVariable errors -ErrorAction SilentlyContinue
        $sw.Stop()
        $state = Get-TestEmulatorState $emu
        $expected = $rows | ForEach-Object Address
        $perSecond = $Count / $sw.Elapsed.TotalSeconds
        Write-Host "Alimail: $Count mailboxes, 100 ms latency, server limit 40/s, $([int]($faults * 100))% faults"
        [pscustomobject]@{
            Seconds = [math]::Round($sw.Elapsed.TotalSeconds, 1); PerSecond = [math]::Round($perSecond, 2); OfLimit = '{0:P0}' -f ($perSecond / 40)
            Created = @($made).Count; Errors = @($errors).Count; Lost = @($expected | Where-Object { $_ -notin $state.users }).Count
            CreatedTwice = $state.duplicateCreates; ServerRequests = $state.requests; Answered429ByLimit = $state.rateLimited
            FaultsInjected = $state.faults
        } | Format-List | Out-Host
        $c | Disconnect-MailProvider
    }
    finally { Stop-TestEmulator $emu }
}
