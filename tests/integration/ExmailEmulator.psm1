<#
    The Exmail API emulator (tests/emulators/ExmailEmulator) on 127.0.0.1: start, configure, read its state, stop.
#>
$script:Project = Join-Path $PSScriptRoot '../emulators/ExmailEmulator'

function Start-TestExmailEmulator {
    param([hashtable] $Setting = @{})
    $dll = Join-Path $script:Project 'bin/Release/net10.0/ExmailEmulator.dll'
    if (-not (Test-Path $dll)) {
        & dotnet build $script:Project -c Release --nologo -v q | Out-Null
        if ($LASTEXITCODE -ne 0) { throw 'building the Exmail emulator failed' }
    }
    $argList = @($dll, '--port', '0')
    foreach ($k in $Setting.Keys) { $argList += "--$k"; $argList += [string]$Setting[$k] }
    $log = [System.IO.Path]::GetTempFileName()
    $p = Start-Process dotnet -ArgumentList $argList -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
    $deadline = [datetime]::Now.AddSeconds(30)
    while ([datetime]::Now -lt $deadline) {
        if ($p.HasExited) { throw "the Exmail emulator exited: $(Get-Content "$log.err" -Raw)" }
        $line = Get-Content $log -ErrorAction Ignore | Where-Object { $_ -like 'LISTENING *' } | Select-Object -First 1
        if ($line) { break }
        Start-Sleep -Milliseconds 100
    }
    if (-not $line) { throw 'the Exmail emulator did not start' }
    $base = ($line -split ' ')[1]
    [pscustomobject]@{ Base = $base; ApiBaseUri = "$base/cgi-bin/"; Process = $p; CorpId = 'wwtestcorp'
        Secret = 'contacts-secret'; SettingsSecret = 'settings-secret'; LogSecret = 'logs-secret'; SsoSecret = 'sso-secret' }
}

function Set-TestExmailEmulator {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Setting)
    $body = @{}; foreach ($k in $Setting.Keys) { $body[$k] = [string]$Setting[$k] }
    Invoke-RestMethod -Method Post -Uri "$($Emulator.Base)/_emulator/config" -Body ($body | ConvertTo-Json) -ContentType 'application/json' | Out-Null
}

function Get-TestExmailEmulatorState {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Uri "$($Emulator.Base)/_emulator/state"
}

function Reset-TestExmailEmulator {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Method Post -Uri "$($Emulator.Base)/_emulator/reset" | Out-Null
}

function Stop-TestExmailEmulator {
    param([Parameter(Mandatory)] $Emulator)
    if ($Emulator.Process -and -not $Emulator.Process.HasExited) { $Emulator.Process.Kill(); $Emulator.Process.WaitForExit(5000) | Out-Null }
}

Export-ModuleMember -Function Start-TestExmailEmulator, Set-TestExmailEmulator, Get-TestExmailEmulatorState, Reset-TestExmailEmulator, Stop-TestExmailEmulator
