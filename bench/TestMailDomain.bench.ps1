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
try {
    Import-Module $ModulePath
    Test-MailDomain d1.bench.test -Server $dns.Server -SkipMtaStsPolicy | Out-Null   # warm up
    foreach ($n in $Counts) {
        $names = 1..$n | ForEach-Object { "d$_.bench.test" }
        $rates = @(); $queries = @()
        for ($r = 0; $r -lt $Runs; $r++) {
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $reports = $names | Test-MailDomain -Server $dns.Server -ThrottleLimit $ThrottleLimit -DkimSelector mail -SkipMtaStsPolicy
            $t = $sw.Elapsed.TotalSeconds
            if (@($reports).Count -ne $n) { throw "got $(@($reports).Count) reports for $n domains" }
            $bad = @($reports | Where-Object Failures -gt 0)
            if ($bad.Count) { throw "$($bad.Count) domains failed: $($bad[0].Problems -join '; ')" }
            $rates += $n / $t
            $queries += ($reports | Measure-Object DnsQueries -Average).Average
        }
        "{0,5} domains: median {1:N1} domains/s, {2:N1} DNS questions per domain (ThrottleLimit {3})" -f $n, (Get-Median $rates), (Get-Median $queries), $ThrottleLimit
    }
}
finally { Stop-TestPowerDns $dns; Remove-Item $folder -Recurse -Force -ErrorAction Ignore }
