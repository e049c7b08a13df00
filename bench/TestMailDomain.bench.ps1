# Test-MailDomain over N domains served by a local PowerDNS: domains per second and DNS questions per domain,
# for 100 and 1,000 domains (medians of -Runs runs). Installs PowerDNS like the tests do.
param([int[]] $Counts = @(100, 1000), [int] $Runs = 5, [int] $ThrottleLimit = 32)
. (Join-Path $PSScriptRoot 'Common.ps1')
Import-Module (Join-Path $PSScriptRoot '../tests/integration/PowerDns.psm1') -Force
$max = ($Counts | Measure-Object -Maximum).Maximum
$key = [Convert]::ToBase64String([System.Security.Cryptography.RSA]::Create(2048).ExportSubjectPublicKeyInfo())
$dkim = (0..2 | ForEach-Object { '"' + ('v=DKIM1; k=rsa; p=' + $key).Substring($_ * 200, [Math]::Min(200, ('v=DKIM1; k=rsa; p=' + $key).Length - $_ * 200)) + '"' }) -join ' '
$zones = @{}
foreach ($i in 1..$max) {
    $d = "d$i.bench.test"
    $zones[$d] = @"
`$ORIGIN $d.
`$TTL 300
@ IN SOA ns1.$d. hostmaster.$d. 1 3600 600 604800 300
@ IN NS ns1.$d.
@ IN NS ns2.$d.
ns1 IN A 11.22.33.1
ns2 IN A 11.44.33.1
@ IN MX 10 mx1.$d.
@ IN MX 20 mx2.$d.
mx1 IN A 11.22.$([int]($i / 200)).$($i % 200 + 1)
mx2 IN A 11.23.$([int]($i / 200)).$($i % 200 + 1)
@ IN TXT "v=spf1 mx include:_spf.$d -all"
_spf IN TXT "v=spf1 ip4:11.22.0.0/16 -all"
_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:postmaster@$d"
mail._domainkey IN TXT $dkim
_mta-sts IN TXT "v=STSv1; id=2026112701"
_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@$d"
"@
}
$folder = Join-Path ([System.IO.Path]::GetTempPath()) "mailadmin-dnsbench-$PID"
$dns = Start-TestPowerDns -Zones $zones -Folder $folder
function Get-ServerQueries {
    # the server's own count of the questions it answered (UDP and TCP), so nothing the client does escapes the count
    $u = & pdns_control --socket-dir=$folder show udp-queries
    $t = & pdns_control --socket-dir=$folder show tcp-queries
    [long] $u + [long] $t
}
try {
    Import-Module $ModulePath
    Test-MailDomain d1.bench.test -Server $dns.Server -SkipMtaStsPolicy | Out-Null   # warm up
    $me = [System.Diagnostics.Process]::GetCurrentProcess()
    foreach ($n in $Counts) {
        $names = 1..$n | ForEach-Object { "d$_.bench.test" }
        $load = (Get-Content /proc/loadavg -ErrorAction Ignore) -split ' ' | Select-Object -First 1
        $rates = @(); $queries = @(); $cpu = @(); $peaks = @(); $pdnsCpu = @()
        for ($r = 0; $r -lt $Runs; $r++) {
            [GC]::Collect(); [GC]::WaitForPendingFinalizers()
            $me.Refresh(); $cpu0 = $me.TotalProcessorTime; $q0 = Get-ServerQueries
            $dns.Process.Refresh(); $pdns0 = $dns.Process.TotalProcessorTime
            $peak = 0L; $seen = 0; $failed = 0
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            # results stream out: nothing is kept but counters, so memory should stay flat in the number of domains
            $names | Test-MailDomain -Server $dns.Server -ThrottleLimit $ThrottleLimit -DkimSelector mail -SkipMtaStsPolicy | ForEach-Object {
                $seen++
                if ($_.Failures -gt 0) { $failed++; if ($failed -eq 1) { Write-Warning ($_.Problems -join '; ') } }
                if ($seen % 100 -eq 0) { $ws = [Environment]::WorkingSet; if ($ws -gt $peak) { $peak = $ws } }
            }
            $t = $sw.Elapsed.TotalSeconds
            $me.Refresh(); $dns.Process.Refresh()
            if ($seen -ne $n) { throw "got $seen reports for $n domains" }
            if ($failed) { throw "$failed domains failed" }
            $rates += $n / $t
            $queries += ((Get-ServerQueries) - $q0) / $n
            $cpu += ($me.TotalProcessorTime - $cpu0).TotalMilliseconds / $n
            # the server's CPU too: both share the machine's cores, so domains/s is bounded by the sum of the two
            $pdnsCpu += ($dns.Process.TotalProcessorTime - $pdns0).TotalMilliseconds / $n
            $peaks += $peak / 1MB
        }
        $format = '{0,5} domains: median {1:N1} domains/s (runs: {7}), {2:N1} DNS questions per domain (server count), ' +
            '{3:N2} ms CPU per domain, PowerDNS {6:N2} ms CPU per domain, peak working set {4:N0} MB ' +
            '(ThrottleLimit {5}, load average before {8})'
        $format -f `
            $n, (Get-Median $rates), (Get-Median $queries), (Get-Median $cpu), (Get-Median $peaks), $ThrottleLimit, (Get-Median $pdnsCpu),
            (($rates | ForEach-Object { $_.ToString('N0') }) -join ', '), $load
    }
}
finally { Stop-TestPowerDns $dns; Remove-Item $folder -Recurse -Force -ErrorAction Ignore }
