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
    # a DNS server needs the port free for UDP as well as TCP: a port free for TCP can be an ephemeral UDP port in use
    # below the kernel's ephemeral range (32768-60999 here), so no outgoing connection takes it before the server binds it
    for ($i = 0; $i -lt 200; $i++) {
        $port = Get-Random -Minimum 10000 -Maximum 20000
        try {
            $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port); $l.Start(); $l.Stop()
            $u = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, $port))
            $u.Dispose()
            return $port
        }
        catch [System.Net.Sockets.SocketException] {
            continue   # taken for UDP: try another
        }
    }
    throw 'No port free for both TCP and UDP on 127.0.0.1 after 200 tries'
}

<#
.SYNOPSIS
    Starts PowerDNS serving the given zones (name -> zone file text); returns an object with Server ('address:port'),
    Process, Folder and Ds (zone -> its DS record, for the signed zones).
.PARAMETER Signed
    Zones to sign (live signing from a DNSSEC database beside the bind backend). A signed zone whose parent is also
    served gets its DS appended to the parent's zone file.
.PARAMETER BogusDs
    Signed zones whose DS at the parent gets a wrong digest: validating resolvers then call the zone bogus.
.PARAMETER AllowAxfr
    Zones that anyone may transfer (ALLOW-AXFR-FROM 0.0.0.0/0); every other zone refuses AXFR.
#>
function Start-TestPowerDns {
    param([Parameter(Mandatory)] [hashtable] $Zones, [Parameter(Mandatory)] [string] $Folder,
        [string] $Address = '127.0.0.1', [int] $Port, [string[]] $Signed = @(), [string[]] $BogusDs = @(), [string[]] $AllowAxfr = @())
    Install-TestPowerDns
    New-Item -ItemType Directory -Force $Folder | Out-Null
    $files = @{}
    $named = foreach ($z in $Zones.Keys) {
        $file = Join-Path $Folder "$z.zone"
        $files[$z] = $file
        Set-Content -Path $file -Value $Zones[$z] -Encoding utf8NoBOM
        "zone `"$z`" { type master; file `"$file`"; };"
    }
    Set-Content (Join-Path $Folder 'named.conf') $named
    if (-not $Port) { $Port = Get-FreeTcpPort }
    @"
launch=bind
bind-config=$Folder/named.conf
bind-dnssec-db=$Folder/dnssec.db
local-address=$Address
local-port=$Port
daemon=no
guardian=no
socket-dir=$Folder
disable-syslog=yes
security-poll-suffix=
cache-ttl=0
negquery-cache-ttl=0
query-cache-ttl=0
allow-axfr-ips=
webserver=no
loglevel=4
"@ | Set-Content (Join-Path $Folder 'pdns.conf')
    $pdnsutil = (Get-Command pdnsutil).Source
    & $pdnsutil --config-dir=$Folder create-bind-db "$Folder/dnssec.db" 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "pdnsutil create-bind-db failed ($LASTEXITCODE)" }
    $ds = @{}
    foreach ($z in $Signed) {
        & $pdnsutil --config-dir=$Folder secure-zone $z 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "pdnsutil secure-zone $z failed ($LASTEXITCODE)" }
        $line = (& $pdnsutil --config-dir=$Folder export-zone-ds $z 2>$null) | Where-Object { $_ -match 'IN\s+DS\s+\d+\s+\d+\s+2\s' } | Select-Object -First 1
        $ds[$z] = ($line -replace '\s*;.*$', '').Trim()
    }
    foreach ($z in $Signed) {
        $parent = $z.Substring($z.IndexOf('.') + 1)
        if ($z.Contains('.') -and $files.ContainsKey($parent)) {
            $record = $ds[$z]
            if ($z -in $BogusDs) { $record = $record -replace '[0-9a-f]{8}$', 'deadbeef' }
            Add-Content -Path $files[$parent] -Value $record
        }
    }
    foreach ($z in $AllowAxfr) {
        & $pdnsutil --config-dir=$Folder set-meta $z ALLOW-AXFR-FROM 0.0.0.0/0 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "pdnsutil set-meta $z failed ($LASTEXITCODE)" }
    }
    $log = Join-Path $Folder 'pdns.log'
    $portGiven = $PSBoundParameters.ContainsKey('Port')
    for ($attempt = 1; ; $attempt++) {
        $p = Start-Process -FilePath (Get-Command pdns_server).Source -ArgumentList "--config-dir=$Folder" -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
        $deadline = [datetime]::Now.AddSeconds(20)
        $retry = $false
        while ([datetime]::Now -lt $deadline) {
            if ($p.HasExited) {
                $err = Get-Content "$log.err" -Raw
                # the port was taken between choosing it and binding it (another test's socket): choose again
                if (-not $portGiven -and $attempt -lt 5 -and $err -match 'Address already in use') { $retry = $true; break }
                throw "pdns_server exited: $err"
            }
            if ((Get-Content "$log.err" -Raw -ErrorAction Ignore) -match 'Done parsing domains') { break }
            Start-Sleep -Milliseconds 100
        }
        if (-not $retry) { break }
        $Port = Get-FreeTcpPort
        $conf = Join-Path $Folder 'pdns.conf'
        (Get-Content $conf) -replace '^local-port=\d+$', "local-port=$Port" | Set-Content $conf
    }
    [pscustomobject]@{ Server = "${Address}:$Port"; Address = $Address; Port = $Port; Process = $p; Folder = $Folder; Ds = $ds }
}

<#
.SYNOPSIS
    Starts a validating PowerDNS Recursor on 127.0.0.1 that sends every question under -Zone to -Forward and trusts
    -TrustAnchor (a DS record's text) for that zone; returns Server ('127.0.0.1:port') and Process.
#>
function Start-TestRecursor {
    param([Parameter(Mandatory)] [string] $Zone, [Parameter(Mandatory)] [string] $Forward, [Parameter(Mandatory)] [string] $TrustAnchor, [Parameter(Mandatory)] [string] $Folder)
    if (-not (Get-Command pdns_recursor -ErrorAction Ignore)) {
        if (-not (Get-Command apt-get -ErrorAction Ignore)) { throw 'pdns-recursor is not installed and apt-get is not available.' }
        $env:DEBIAN_FRONTEND = 'noninteractive'
        & apt-get install -y -qq --no-install-recommends pdns-recursor 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { & apt-get update -qq 2>&1 | Out-Null; & apt-get install -y -qq --no-install-recommends pdns-recursor 2>&1 | Out-Null }
        if ($LASTEXITCODE -ne 0) { throw "apt-get install pdns-recursor failed ($LASTEXITCODE)" }
    }
    New-Item -ItemType Directory -Force $Folder | Out-Null
    $port = Get-FreeTcpPort
    # DS text "owner IN DS tag alg digesttype digest" -> the anchor's "tag alg digesttype digest"
    $anchor = ($TrustAnchor -split '\s+')[3..6] -join ' '
    # only the test zone is trusted (no root anchor: nothing else can be reached here); forward-zones-recurse so the
    # recursor does not chase the zones' own (unreachable) NS addresses
    "clearTA()`naddTA('$Zone', '$anchor')" | Set-Content (Join-Path $Folder 'rec.lua')
    @"
local-address=127.0.0.1
local-port=$port
daemon=no
socket-dir=$Folder
forward-zones-recurse=$Zone=$Forward
dnssec=validate
extended-resolution-errors=yes
lua-config-file=$Folder/rec.lua
security-poll-suffix=
max-cache-ttl=5
"@ | Set-Content (Join-Path $Folder 'recursor.conf')
    $log = Join-Path $Folder 'recursor.log'
    $p = Start-Process -FilePath (Get-Command pdns_recursor).Source -ArgumentList "--config-dir=$Folder" -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
    $deadline = [datetime]::Now.AddSeconds(20)
    while ([datetime]::Now -lt $deadline) {
        if ($p.HasExited) { throw "pdns_recursor exited: $(Get-Content "$log.err" -Raw)" }
        if ((Get-Content "$log.err", $log -Raw -ErrorAction Ignore) -match 'Enabled multiplexer|worker threads') { break }
        Start-Sleep -Milliseconds 100
    }
    [pscustomobject]@{ Server = "127.0.0.1:$port"; Port = $port; Process = $p; Folder = $Folder }
}

function Stop-TestPowerDns {
    param([Parameter(Mandatory)] $Dns)
    if ($Dns.Process -and -not $Dns.Process.HasExited) { $Dns.Process.Kill(); $Dns.Process.WaitForExit(5000) | Out-Null }
}

Export-ModuleMember -Function Start-TestPowerDns, Start-TestRecursor, Stop-TestPowerDns, Install-TestPowerDns
