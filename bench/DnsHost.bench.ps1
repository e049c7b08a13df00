<#
.SYNOPSIS
    Publish-MailDnsRecord figures (issue 15): the records of N domains (MX, SPF, DKIM 2048-bit, DMARC, MTA-STS, TLS-RPT)
    to a real PowerDNS through its HTTP API: records per second and API calls per domain, then a re-run that must change
    nothing; and the same N domains against each cloud emulator at its documented limit: percentage of the limit used and
    throttled answers received (429 at Cloudflare, LimitExceeded.RequestLimitExceeded at DNSPod, Throttling.User at
    Alibaba Cloud DNS). Cloudflare's 1,200 requests per 5 minutes (4/s) make 1,000 domains a 35-minute run: give
    -CloudCount 20 for a short one. DNSPod (20 requests/s, the lowest figure given) and alidns (60 writes/s; the client
    keeps 50/s) verify every signature.
#>
param([int] $Count = 1000, [int] $CloudCount = $Count, [int] $SignedCount = $Count,
    [ValidateSet('PowerDns', 'Cloudflare', 'DnsPod', 'AliDns')] [string[]] $DnsHost = @('PowerDns', 'Cloudflare', 'DnsPod', 'AliDns'))
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Common.ps1')
Import-Module (Join-Path $PSScriptRoot '../tests/integration/PowerDnsApi.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../tests/integration/Emulators.psm1') -Force
Import-Module (Join-Path $ModulePath 'MailAdmin.psd1') -Force
$ProgressPreference = 'SilentlyContinue'

$key = [Convert]::ToBase64String([System.Security.Cryptography.RSA]::Create(2048).ExportSubjectPublicKeyInfo())
function Get-Records([string] $d) {
    [pscustomobject]@{ Zone = $d; Name = $d; Type = 'MX'; Value = "mx1.$d"; Priority = 10 }
    [pscustomobject]@{ Zone = $d; Name = $d; Type = 'TXT'; Value = 'v=spf1 mx -all' }
    [pscustomobject]@{ Zone = $d; Name = "ma2026._domainkey.$d"; Type = 'TXT'; Value = "v=DKIM1; k=rsa; p=$key" }
    [pscustomobject]@{ Zone = $d; Name = "_dmarc.$d"; Type = 'TXT'; Value = "v=DMARC1; p=quarantine; rua=mailto:postmaster@$d" }
    [pscustomobject]@{ Zone = $d; Name = "_mta-sts.$d"; Type = 'TXT'; Value = 'v=STSv1; id=20261129' }
    [pscustomobject]@{ Zone = $d; Name = "_smtp._tls.$d"; Type = 'TXT'; Value = "v=TLSRPTv1; rua=mailto:postmaster@$d" }
}

# 1. PowerDNS
if ('PowerDns' -in $DnsHost) {
$folder = Join-Path ([System.IO.Path]::GetTempPath()) ('mailadmin-bench-pdns-' + [guid]::NewGuid().ToString('n'))
$dns = Start-TestPowerDnsApi -Folder $folder
try {
    $domains = 1..$Count | ForEach-Object { "bench$_.test" }
    foreach ($d in $domains) { New-TestPowerDnsZone $dns $d @() }
    $records = foreach ($d in $domains) { Get-Records $d }
    $c = Connect-MailDnsHost -Provider PowerDns -ApiBaseUri $dns.ApiUri -ApiKey (ConvertTo-SecureString $dns.ApiKey -AsPlainText -Force) -PassThru
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $out = $records | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
    $sw.Stop()
    $first = $c.Requests
    $sw2 = [System.Diagnostics.Stopwatch]::StartNew()
    $again = $records | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
    $sw2.Stop()
    Write-Host "PowerDNS $(& (Get-Command pdns_server).Source --version 2>&1 | Select-String -Pattern 'Authoritative Server [0-9.]+' | ForEach-Object { $_.Matches[0].Value }) (gsqlite3), $Count domains, $($records.Count) records"
    [pscustomobject]@{
        Seconds = [math]::Round($sw.Elapsed.TotalSeconds, 1); RecordsPerSecond = [math]::Round($records.Count / $sw.Elapsed.TotalSeconds, 1)
        Applied = @($out | Where-Object Status -eq Applied).Count; ApiCallsPerDomain = [math]::Round($first / $Count, 2)
        RerunSeconds = [math]::Round($sw2.Elapsed.TotalSeconds, 1); RerunUnchanged = @($again | Where-Object Action -eq Unchanged).Count
        RerunApiCallsPerDomain = [math]::Round(($c.Requests - $first) / $Count, 2)
    } | Format-List | Out-Host
}
finally { Stop-TestPowerDnsApi $dns; Remove-Item $folder -Recurse -Force -ErrorAction Ignore }
}

# 2. Cloudflare emulator at its documented limit; the client keeps to 4 requests/s by default
if ('Cloudflare' -in $DnsHost) {
$cf = Start-TestEmulator -Kind DnsHost -Setting @{ ratelimit = 1200; window = 300 }
try {
    $domains = 1..$CloudCount | ForEach-Object { "cloud$_.test" }
    foreach ($d in $domains) { Invoke-RestMethod -Method Post "$($cf.Base)/_emulator/zone" -Body (@{ name = $d } | ConvertTo-Json) -ContentType 'application/json' | Out-Null }
    $records = foreach ($d in $domains) { Get-Records $d }
    $c = Connect-MailDnsHost -Provider Cloudflare -ApiBaseUri $cf.ApiBaseUri -ApiToken (ConvertTo-SecureString $cf.Token -AsPlainText -Force) -PassThru
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $out = $records | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
    $sw.Stop()
    $state = Get-TestEmulatorState $cf
    $rate = $state.requests / $sw.Elapsed.TotalSeconds
    Write-Host "Cloudflare emulator: $CloudCount domains, $($records.Count) records, limit 1,200 requests / 300 s (4/s)"
    [pscustomobject]@{
        Seconds = [math]::Round($sw.Elapsed.TotalSeconds, 1); Applied = @($out | Where-Object Status -eq Applied).Count
        ServerRequests = $state.requests; RequestsPerSecond = [math]::Round($rate, 2); OfLimit = '{0:P0}' -f ($rate / 4)
        ApiCallsPerDomain = [math]::Round($state.requests / $CloudCount, 2); Received429 = $state.rateLimited
    } | Format-List | Out-Host
}
finally { Stop-TestEmulator $cf }
}

# 3. DNSPod and Alibaba Cloud DNS emulators (signatures verified) at their documented limits
foreach ($kind in @('DnsPod', 'AliDns') | Where-Object { $_ -in $DnsHost }) {
    $limit = if ($kind -eq 'DnsPod') { 20 } else { 60 }
    $emu = Start-TestEmulator -Kind DnsHost -Setting @{ kind = $kind.ToLowerInvariant(); ratelimit = $limit; window = 1 }
    try {
        $domains = 1..$SignedCount | ForEach-Object { "signed$_.test" }
        foreach ($d in $domains) { Invoke-RestMethod -Method Post "$($emu.Base)/_emulator/zone" -Body (@{ name = $d } | ConvertTo-Json) -ContentType 'application/json' | Out-Null }
        $records = foreach ($d in $domains) { Get-Records $d }
        $c = if ($kind -eq 'DnsPod') { Connect-MailDnsHost -Provider DnsPod -SecretId $emu.SecretId -SecretKey (ConvertTo-SecureString $emu.SecretKey -AsPlainText -Force) -ApiBaseUri $emu.ApiBaseUri -PassThru }
             else { Connect-MailDnsHost -Provider AliDns -AccessKeyId $emu.AccessKeyId -AccessKeySecret (ConvertTo-SecureString $emu.AccessKeySecret -AsPlainText -Force) -ApiBaseUri $emu.ApiBaseUri -PassThru }
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $out = $records | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
        $sw.Stop()
        $state = Get-TestEmulatorState $emu
        $rate = $state.requests / $sw.Elapsed.TotalSeconds
        Write-Host "$kind emulator: $SignedCount domains, $($records.Count) records, server limit $limit requests/s"
        [pscustomobject]@{
            Seconds = [math]::Round($sw.Elapsed.TotalSeconds, 1); Applied = @($out | Where-Object Status -eq Applied).Count
            ServerRequests = $state.requests; RequestsPerSecond = [math]::Round($rate, 2); OfLimit = '{0:P0}' -f ($rate / $limit)
            ApiCallsPerDomain = [math]::Round($state.requests / $SignedCount, 2); ThrottledAnswers = $state.rateLimited; SignatureFailures = $state.authFailures
        } | Format-List | Out-Host
    }
    finally { Stop-TestEmulator $emu }
}
