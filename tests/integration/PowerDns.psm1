<#
    A real authoritative DNS server for the tests: PowerDNS from Debian (bind backend: zone files) on 127.0.0.1 at a
    high port. Installs pdns-server and pdns-backend-bind with apt-get when missing (the test run is root on Debian).
#>

function Install-TestPowerDns {
    $backend = Get-ChildItem /usr/lib/*/pdns/libbindbackend.so -ErrorAction Ignore
    if ((Get-Command pdns_server -ErrorAction Ignore) -and $backend) { return }
    if (-not (Get-Command apt-get -ErrorAction Ignore)) { throw 'PowerDNS is not installed and apt-get is not available: install pdns-server and pdns-backend-bind.' }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq 2>&1 | Out-Null
    & apt-get install -y -qq --no-install-recommends pdns-server pdns-backend-bind 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get install pdns-server pdns-backend-bind failed ($LASTEXITCODE)" }
}

function Get-FreeTcpPort {
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop(); $port
}

<#
.SYNOPSIS
    Starts PowerDNS serving the given zones (name -> zone file text); returns an object with Server ('127.0.0.1:port'), Process and Folder.
#>
function Start-TestPowerDns {
    param([Parameter(Mandatory)] [hashtable] $Zones, [Parameter(Mandatory)] [string] $Folder)
    Install-TestPowerDns
    New-Item -ItemType Directory -Force $Folder | Out-Null
    $named = foreach ($z in $Zones.Keys) {
        $file = Join-Path $Folder "$z.zone"
        Set-Content -Path $file -Value $Zones[$z] -Encoding utf8NoBOM
        "zone `"$z`" { type master; file `"$file`"; };"
    }
    Set-Content (Join-Path $Folder 'named.conf') $named
    $port = Get-FreeTcpPort
    @"
launch=bind
bind-config=$Folder/named.conf
local-address=127.0.0.1
local-port=$port
daemon=no
guardian=no
socket-dir=$Folder
disable-syslog=yes
security-poll-suffix=
cache-ttl=0
negquery-cache-ttl=0
query-cache-ttl=0
webserver=no
loglevel=4
"@ | Set-Content (Join-Path $Folder 'pdns.conf')
    $log = Join-Path $Folder 'pdns.log'
    $p = Start-Process -FilePath (Get-Command pdns_server).Source -ArgumentList "--config-dir=$Folder" -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
    $deadline = [datetime]::Now.AddSeconds(20)
    while ([datetime]::Now -lt $deadline) {
        if ($p.HasExited) { throw "pdns_server exited: $(Get-Content "$log.err" -Raw)" }
        if ((Get-Content "$log.err" -Raw -ErrorAction Ignore) -match 'Done parsing domains') { break }
        Start-Sleep -Milliseconds 100
    }
    [pscustomobject]@{ Server = "127.0.0.1:$port"; Port = $port; Process = $p; Folder = $Folder }
}

function Stop-TestPowerDns {
    param([Parameter(Mandatory)] $Dns)
    if ($Dns.Process -and -not $Dns.Process.HasExited) { $Dns.Process.Kill(); $Dns.Process.WaitForExit(5000) | Out-Null }
}

Export-ModuleMember -Function Start-TestPowerDns, Stop-TestPowerDns, Install-TestPowerDns
