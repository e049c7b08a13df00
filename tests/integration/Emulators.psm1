<#
    The remote-API emulators (tests/emulators/<Kind>Emulator) on 127.0.0.1: start, configure, read their state, stop.
#>

function Start-TestEmulator {
    param([Parameter(Mandatory)] [ValidateSet('Exmail', 'Alimail', 'DnsHost', 'WeCom')] [string] $Kind, [hashtable] $Setting = @{})
    $project = Join-Path $PSScriptRoot "../emulators/${Kind}Emulator"
    $dll = Join-Path $project "bin/Release/net10.0/${Kind}Emulator.dll"
    if (-not (Test-Path $dll)) {
        & dotnet build $project -c Release --nologo -v q | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "building the $Kind emulator failed" }
    }
    $argList = @($dll, '--port', '0')
    foreach ($k in $Setting.Keys) { $argList += "--$k"; $argList += [string]$Setting[$k] }
    $log = [System.IO.Path]::GetTempFileName()
    $p = Start-Process dotnet -ArgumentList $argList -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
    $deadline = [datetime]::Now.AddSeconds(30)
    while ([datetime]::Now -lt $deadline) {
        if ($p.HasExited) { throw "the $Kind emulator exited: $(Get-Content "$log.err" -Raw)" }
        $line = Get-Content $log -ErrorAction Ignore | Where-Object { $_ -like 'LISTENING *' } | Select-Object -First 1
        if ($line) { break }
        Start-Sleep -Milliseconds 100
    }
    if (-not $line) { throw "the $Kind emulator did not start" }
    $base = ($line -split ' ')[1]
    if ($Kind -eq 'Exmail') {
        [pscustomobject]@{ Base = $base; ApiBaseUri = "$base/cgi-bin/"; Process = $p; CorpId = 'wwtestcorp'
            Secret = 'contacts-secret'; SettingsSecret = 'settings-secret'; LogSecret = 'logs-secret'; SsoSecret = 'sso-secret' }
    }
    elseif ($Kind -eq 'DnsHost') {
        # --kind cloudflare (default), dnspod or alidns; the token is the emulator's default unless -Setting gives another
        [pscustomobject]@{ Base = $base; ApiBaseUri = "$base/"; Process = $p; Token = $(if ($Setting.token) { $Setting.token } else { 'cf-test-token' })
            SecretId = 'AKIDtestsecretid'; SecretKey = 'tc-test-secret-key'; AccessKeyId = 'LTAItestaccesskey'; AccessKeySecret = 'ali-test-secret' }
    }
    elseif ($Kind -eq 'WeCom') {
        [pscustomobject]@{ Base = $base; ApiBaseUri = "$base/cgi-bin/"; Process = $p; CorpId = 'wwwecomcorp'; Secret = 'mail-app-secret'; Domain = 'contoso.com' }
    }
    else {
        [pscustomobject]@{ Base = $base; ApiBaseUri = "$base/"; Process = $p; ClientId = 'alimail-app'; ClientSecret = 'alimail-secret'
            AppKey = 'dingappkey'; AppSecret = 'ding-secret'; Domain = 'example.cn' }
    }
}

function Set-TestEmulator {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Setting)
    $body = @{}; foreach ($k in $Setting.Keys) { $body[$k] = [string]$Setting[$k] }
    Invoke-RestMethod -Method Post -Uri "$($Emulator.Base)/_emulator/config" -Body ($body | ConvertTo-Json) -ContentType 'application/json' | Out-Null
}

function Get-TestEmulatorState {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Uri "$($Emulator.Base)/_emulator/state"
}

function Reset-TestEmulator {
    param([Parameter(Mandatory)] $Emulator)
    Invoke-RestMethod -Method Post -Uri "$($Emulator.Base)/_emulator/reset" | Out-Null
}

function Stop-TestEmulator {
    param([Parameter(Mandatory)] $Emulator)
    if ($Emulator.Process -and -not $Emulator.Process.HasExited) { $Emulator.Process.Kill(); $Emulator.Process.WaitForExit(5000) | Out-Null }
}

Export-ModuleMember -Function Start-TestEmulator, Set-TestEmulator, Get-TestEmulatorState, Reset-TestEmulator, Stop-TestEmulator
