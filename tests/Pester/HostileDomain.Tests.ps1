# A domain whose DNS names hostile MX hosts (spaces, a slash, an openssl option) against a real PowerDNS: the names are
# reported, never probed or passed to a command line, and the other domains of the same run are still checked (issue 12).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/PowerDns.psm1') -Force
    $null = Initialize-MailAdminTest -Name hostile
    $pwned = Join-Path $TestDrive 'pwned'
    function New-Zone([string] $origin, [string[]] $lines) {
        @("`$ORIGIN $origin.", '$TTL 300', "@ IN SOA ns1.$origin. hostmaster.$origin. 1 3600 600 1209600 300", "@ IN NS ns1.$origin.", 'ns1 IN A 127.0.0.1') + $lines -join "`n"
    }
    $escaped = ($pwned -replace '/', '/' -replace ' ', '\032')
    $dns = Start-TestPowerDns -Folder (Join-Path $TestDrive 'pdns') -Zones @{
        # \032 is a space inside a DNS label: 'mx -sess_out /tmp/.../pwned.hostile.test', and 'mx /x.hostile.test'
        'hostile.test' = New-Zone 'hostile.test' @("@ IN MX 10 mx\032-sess_out\032$escaped", '@ IN MX 20 mx\032/x', "mx\032-sess_out\032$escaped IN A 127.0.0.1", 'mx\032/x IN A 127.0.0.1')
        'calm.test'    = New-Zone 'calm.test' @('@ IN MX 0 .', '@ IN TXT "v=spf1 -all"', '_dmarc IN TXT "v=DMARC1; p=reject"')
    }
}

AfterAll { if ($dns) { Stop-TestPowerDns $dns } }

Describe 'Test-MailDomain with a hostile MX name' {
    It 'reports the names, probes none of them, and still checks the other domains' {
        # the SMTP probe port is PowerDNS's own TCP port, so a probe would connect (and MailKit would then parse the name)
        $errs = $null
        $r = 'hostile.test', 'calm.test' | Test-MailDomain -Server $dns.Server -ProbeSmtp -SmtpPort $dns.Port -SkipMtaStsPolicy -AllowPrivateAddress -ErrorVariable errs -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 2
        $errs | Should -BeNullOrEmpty
        $h = $r | Where-Object Domain -eq 'hostile.test'
        $bad = @($h.Checks | Where-Object { $_.Status -eq 'Fail' -and $_.Summary -match 'not a valid host name' })
        $bad.Count | Should -Be 2
        @($h.Checks | Where-Object Area -eq 'SMTP').Count | Should -Be 0
        Test-Path $pwned | Should -BeFalse
        ($r | Where-Object Domain -eq 'calm.test').Checks.Count | Should -BeGreaterThan 0
    }
}
