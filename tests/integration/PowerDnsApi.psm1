<#
    PowerDNS Authoritative with its HTTP API (gsqlite3 backend) on 127.0.0.1 at high ports, for publishing tests:
    DNS on one port, the API (webserver) on another. Installs pdns-server and pdns-backend-sqlite3 with apt-get when
    missing (the test run is root on Debian). Zones are created through the API itself.
#>

function Get-FreeApiPort([int] $Count = 1) {
    # all listeners stay open until every port is known, so the ports drawn together differ
    $ls = 1..$Count | ForEach-Object { $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $l }
    $ls | ForEach-Object { $_.LocalEndpoint.Port }
    $ls | ForEach-Object { $_.Stop() }
}

function Install-TestPowerDnsApi {
    $backend = Get-ChildItem /usr/lib/*/pdns/libgsqlite3backend.so -ErrorAction Ignore
    if ((Get-Command pdns_server -ErrorAction Ignore) -and (Get-Command sqlite3 -ErrorAction Ignore) -and $backend) { return }
    if (-not (Get-Command apt-get -ErrorAction Ignore)) { throw 'PowerDNS is not installed and apt-get is not available: install pdns-server, pdns-backend-sqlite3 and sqlite3.' }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq 2>&1 | Out-Null
    & apt-get install -y -qq --no-install-recommends pdns-server pdns-backend-sqlite3 sqlite3 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get install pdns-server pdns-backend-sqlite3 sqlite3 failed ($LASTEXITCODE)" }
}

<#
.SYNOPSIS
    Starts PowerDNS with the API enabled in -Folder (a folder the caller removes; not under a Describe's TestDrive when
    several Describe blocks use it); returns Server ('127.0.0.1:dnsport'), ApiUri, ApiKey (plain text, a test key),
    Process and Folder.
#>
function Start-TestPowerDnsApi {
    param([Parameter(Mandatory)] [string] $Folder, [string] $ApiKey = ('test-' + [guid]::NewGuid().ToString('n')))
    Install-TestPowerDnsApi
    New-Item -ItemType Directory -Force $Folder | Out-Null
    $db = Join-Path $Folder 'pdns.sqlite3'
    $schema = @('/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql', '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql') | Where-Object { Test-Path $_ } | Select-Object -First 1
    if (-not $schema) { throw 'the gsqlite3 schema file was not found' }
    & sqlite3 $db ".read $schema" 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "sqlite3 could not create the PowerDNS database ($LASTEXITCODE)" }
    $dnsPort, $apiPort = Get-FreeApiPort -Count 2
    @"
launch=gsqlite3
gsqlite3-database=$db
local-address=127.0.0.1
local-port=$dnsPort
daemon=no
guardian=no
socket-dir=$Folder
disable-syslog=yes
security-poll-suffix=
cache-ttl=0
negquery-cache-ttl=0
query-cache-ttl=0
zone-cache-refresh-interval=0
api=yes
api-key=$ApiKey
webserver=yes
webserver-address=127.0.0.1
webserver-port=$apiPort
webserver-allow-from=127.0.0.0/8
loglevel=4
"@ | Set-Content (Join-Path $Folder 'pdns.conf')
    $log = Join-Path $Folder 'pdns.log'
    $p = Start-Process -FilePath (Get-Command pdns_server).Source -ArgumentList "--config-dir=$Folder" -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
    $api = "http://127.0.0.1:$apiPort"
    $deadline = [datetime]::Now.AddSeconds(20)
    $up = $false
    while ([datetime]::Now -lt $deadline -and -not $up) {
        if ($p.HasExited) { throw "pdns_server exited: $(Get-Content "$log.err" -Raw)" }
        try { Invoke-RestMethod "$api/api/v1/servers/localhost" -Headers @{ 'X-API-Key' = $ApiKey } -TimeoutSec 2 | Out-Null; $up = $true }
        catch { Start-Sleep -Milliseconds 100 }
    }
    if (-not $up) { $p.Kill(); throw "the PowerDNS API did not answer at ${api}: $(Get-Content "$log.err" -Raw)" }
    [pscustomobject]@{ Server = "127.0.0.1:$dnsPort"; Port = $dnsPort; ApiUri = $api; ApiKey = $ApiKey; Process = $p; Folder = $Folder }
}

<#
.SYNOPSIS
    Creates a native zone through the API with SOA, NS (ns1/ns2 with addresses) and any extra RRsets given as
    'name type ttl content' lines (name relative to the zone, '@' for the apex).
#>
function New-TestPowerDnsZone {
    param([Parameter(Mandatory)] $Dns, [Parameter(Mandatory)] [string] $Zone, [string[]] $Records = @())
    $z = $Zone.TrimEnd('.') + '.'
    $sets = @{}
    foreach ($line in @("ns1 A 300 127.0.0.1", "ns2 A 300 127.0.0.1") + $Records) {
        $parts = $line -split ' ', 4
        $name = if ($parts[0] -eq '@') { $z } else { "$($parts[0]).$z" }
        $key = "$name|$($parts[1])"
        if (-not $sets.ContainsKey($key)) { $sets[$key] = @{ name = $name; type = $parts[1]; ttl = [int]$parts[2]; changetype = 'REPLACE'; records = @() } }
        $sets[$key].records += @{ content = $parts[3]; disabled = $false }
    }
    $body = @{ name = $z; kind = 'Native'; nameservers = @("ns1.$z", "ns2.$z") }
    Invoke-RestMethod "$($Dns.ApiUri)/api/v1/servers/localhost/zones" -Method Post -Headers @{ 'X-API-Key' = $Dns.ApiKey } -ContentType 'application/json' -Body ($body | ConvertTo-Json -Depth 5) | Out-Null
    if ($sets.Count) {
        Invoke-RestMethod "$($Dns.ApiUri)/api/v1/servers/localhost/zones/$z" -Method Patch -Headers @{ 'X-API-Key' = $Dns.ApiKey } -ContentType 'application/json' -Body (@{ rrsets = @($sets.Values) } | ConvertTo-Json -Depth 6) | Out-Null
    }
}

function Stop-TestPowerDnsApi {
    param([Parameter(Mandatory)] $Dns)
    if ($Dns.Process -and -not $Dns.Process.HasExited) { $Dns.Process.Kill(); $Dns.Process.WaitForExit(5000) | Out-Null }
}

Export-ModuleMember -Function Start-TestPowerDnsApi, New-TestPowerDnsZone, Stop-TestPowerDnsApi, Install-TestPowerDnsApi
