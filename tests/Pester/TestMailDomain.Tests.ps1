# Test-MailDomain against a real authoritative DNS server (PowerDNS from Debian on 127.0.0.1), with zones for a
# healthy domain (published from the Local provider's own Get-MailDomainDnsRecord) and for each failure mode.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/PowerDns.psm1') -Force
    $conn = Initialize-MailAdminTest -Name dns

    function Split-Txt([string] $value) {
        # zone-file TXT: character-strings of at most 255 octets, joined back without separators by resolvers
        $parts = for ($i = 0; $i -lt $value.Length; $i += 200) { '"' + $value.Substring($i, [Math]::Min(200, $value.Length - $i)) + '"' }
        $parts -join ' '
    }
    function New-Zone([string] $origin, [string[]] $lines) {
        @("`$ORIGIN $origin.", '$TTL 300', "@ IN SOA ns1.$origin. hostmaster.$origin. 1 3600 600 1209600 300", "@ IN NS ns1.$origin.", "@ IN NS ns2.$origin.", 'ns1 IN A 11.22.33.1', 'ns2 IN A 11.22.44.2') + $lines -join "`n"
    }
    function New-NsZone([string] $origin, [int] $serial, [string[]] $nsLines, [string[]] $extra = @()) {
        $names = $nsLines | ForEach-Object { ($_ -split ' ')[0] }
        @("`$ORIGIN $origin.", '$TTL 3600', "@ IN SOA ns1.$origin. hostmaster.$origin. $serial 3600 600 1209600 300") + ($names | ForEach-Object { "@ IN NS $_.$origin." }) +
            $nsLines + @('@ IN MX 10 mx', 'mx IN A 11.22.47.1') + $extra -join "`n"
    }
    function New-RsaKey([int] $bits) { $r = [System.Security.Cryptography.RSA]::Create($bits); [Convert]::ToBase64String($r.ExportSubjectPublicKeyInfo()) }

    # The healthy domain: exactly what the Local provider says to publish.
    Add-MailDomain good.test -MailHost mx1.good.test
    $required = Get-MailDomainDnsRecord good.test
    # the policy host is served on loopback by the test's HTTPS server (openssl s_server), instead of the suggested CNAME
    $goodLines = @('mx1 IN A 11.22.33.10', 'mx2 IN A 11.22.33.11', '@ IN MX 20 mx2.good.test.', 'reports IN MX 10 mx1.good.test.', 'mta-sts IN A 127.0.0.1',
        '@ IN CAA 0 issue "letsencrypt.org"', '@ IN CAA 0 iodef "mailto:security@good.test"')
    foreach ($r in $required) {
        $owner = if ($r.Name -eq 'good.test') { '@' } else { $r.Name.Substring(0, $r.Name.Length - '.good.test'.Length) }
        switch ($r.Type) {
            'MX' { $goodLines += "$owner IN MX $($r.Priority) $($r.Value)." }
            'TXT' { $goodLines += "$owner IN TXT $(Split-Txt $r.Value)" }
            'CNAME' { if ($owner -ne 'mta-sts') { $goodLines += "$owner IN CNAME $($r.Value)." } }
            'SRV' { $goodLines += "$owner IN SRV $($r.Priority) $($r.Value)." }
        }
    }
    $zones = @{
        'good.test'        = New-Zone 'good.test' $goodLines
        'other.test'       = New-Zone 'other.test' @('@ IN MX 10 mx.other.test.', 'mx IN A 11.22.34.10', 'broken.test._report._dmarc IN TXT "v=DMARC1"')
        'broken.test'      = New-Zone 'broken.test' @(
            '@ IN MX 10 1.2.3.4.', '@ IN MX 20 alias.broken.test.', '@ IN MX 30 private.broken.test.', '@ IN MX 40 gone.broken.test.',
            'alias IN CNAME real.broken.test.', 'autodiscover IN CNAME gone-tenant.other.test.', 'real IN A 11.22.35.2', 'private IN A 10.0.0.5',
            '_25._tcp.private IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
            '_25._tcp.private IN TLSA 1 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
            '_25._tcp.private IN TLSA 3 1 1 abcd',
            'private IN CAA 128 frobnicate "x"', 'private IN CAA 0 iodef "ftp://x.broken.test"',
            '@ IN TXT "v=spf1 ip4:11.22.35.0/24~all"',
            '_dmarc IN TXT "v=DMARC1; p=maybe; pct=150; rua=mailto:d@other.test,mailto:x@elsewhere.test"',
            ('weak._domainkey IN TXT ' + (Split-Txt ('v=DKIM1; k=rsa; h=sha1; t=y; p=' + (New-RsaKey 1024)))),
            ('tiny._domainkey IN TXT ' + (Split-Txt ('v=DKIM1; k=rsa; p=' + (New-RsaKey 768)))),
            'dangling._domainkey IN CNAME nowhere.other.test.',
            '_mta-sts IN TXT "v=STSv1; id=not-valid!"',
            '_smtp._tls IN TXT "v=TLSRPTv1; rua=ftp://reports.broken.test"')
        'twospf.test'      = New-Zone 'twospf.test' @('@ IN MX 10 mx.twospf.test.', 'mx IN A 11.22.36.1', '@ IN TXT "v=spf1 mx -all"', '@ IN TXT "v=spf1 +all"', '@ IN TXT "spf2.0/pra mx -all"', '@ IN SPF "v=spf1 mx -all"', '@ IN TXT "caf\233 cr\232me"')
        'plusall.test'     = New-Zone 'plusall.test' @('@ IN MX 10 mx.plusall.test.', 'mx IN A 11.22.37.1', '@ IN TXT "v=spf1 mx +all"', '_dmarc IN TXT "v=DMARC1; p=none"')
        'lookups.test'     = New-Zone 'lookups.test' (@('@ IN MX 10 mx.lookups.test.', 'mx IN A 11.22.38.1', '@ IN TXT "v=spf1 include:i1.lookups.test include:i2.lookups.test include:loop.lookups.test include:nospf.lookups.test -all"',
            'i1 IN TXT "v=spf1 a:h1.lookups.test a:h2.lookups.test a:h3.lookups.test a:h4.lookups.test ~all"',
            'i2 IN TXT "v=spf1 a:h5.lookups.test a:h6.lookups.test mx:nomx.lookups.test a:none1.lookups.test a:none2.lookups.test ~all"',
            'loop IN TXT "v=spf1 include:lookups.test ~all"', 'nospf IN TXT "hello"') + (1..6 | ForEach-Object { "h$_ IN A 11.22.38.$(10 + $_)" }))
        'nullmx.test'      = New-Zone 'nullmx.test' @('@ IN MX 0 .', '@ IN TXT "v=spf1 -all"', '_dmarc IN TXT "v=DMARC1; p=reject"')
        'mixednull.test'   = New-Zone 'mixednull.test' @('@ IN MX 0 .', '@ IN MX 10 mx.mixednull.test.', 'mx IN A 11.22.39.1')
        'wild.test'        = New-Zone 'wild.test' @('@ IN MX 10 mx.wild.test.', 'mx IN A 11.22.40.1', '* IN TXT "v=spf1 -all"')
        'exmail.test'      = New-Zone 'exmail.test' @('@ IN MX 5 mxbiz1.qq.com.', '@ IN TXT "v=spf1 mx -all"')
        'sts.test'         = New-Zone 'sts.test' @('@ IN MX 10 mx.sts.test.', '@ IN MX 20 backup.elsewhere.example.', 'mx IN A 11.22.41.1', '_mta-sts IN TXT "v=STSv1; id=1"', 'mta-sts IN A 127.0.0.1')
        'badcert.test'     = New-Zone 'badcert.test' @('@ IN MX 10 mx.badcert.test.', 'mx IN A 11.22.42.1', '_mta-sts IN TXT "v=STSv1; id=1"', 'mta-sts IN A 127.0.0.1')
        # the parent of the test domains, with a DS for good.test (a signed delegation)
        # the parent of the test domains; the harness signs it and adds the DS of its signed children (good.test, bogus.test)
        'test'             = New-Zone 'test' @()
        # signed, but the DS at the parent does not match its key: validating resolvers call it bogus
        'bogus.test'       = New-Zone 'bogus.test' @('@ IN MX 10 mx.bogus.test.', 'mx IN A 11.22.46.1', '@ IN TXT "v=spf1 mx -all"')
        # name servers asked directly (-ProbeNameServers): both answer the same zone on 127.0.0.1 and 127.0.0.2
        'nsgood.test'      = New-NsZone 'nsgood.test' 1 @('ns1 IN A 127.0.0.1', 'ns2 IN A 127.0.0.2')
        # ... and a zone whose copies differ, with a third server nobody runs, and zone transfers open to anyone
        'nsbad.test'       = New-NsZone 'nsbad.test' 1 @('ns1 IN A 127.0.0.1', 'ns2 IN A 127.0.0.2', 'ns3 IN A 127.0.0.3')
        'onens.test'       = "`$ORIGIN onens.test.`n`$TTL 300`n@ IN SOA ns1.onens.test. h.onens.test. 1 60 600 86400 30`n@ IN NS ns1.onens.test.`nns1 IN A 11.22.45.1`n@ IN MX 0 .`n"
        '33.22.11.in-addr.arpa' = New-Zone '33.22.11.in-addr.arpa' @('10 IN PTR mx1.good.test.', '11 IN PTR wrong.other.test.')
        '35.22.11.in-addr.arpa' = New-Zone '35.22.11.in-addr.arpa' @('99 IN PTR unrelated.other.test.')
        # blocklist zones served locally: a generic one, and Spamhaus' own names to test their return codes
        'bl.test'          = New-Zone 'bl.test' @('2.0.0.127 IN A 127.0.0.2', '10.35.22.11 IN A 127.0.0.4', '10.35.22.11 IN TXT "Listed: seen sending spam"', '30.35.22.11 IN A 10.1.1.1',
                                                  '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 IN A 127.0.0.2')
        'zen.spamhaus.org' = New-Zone 'zen.spamhaus.org' @('2.0.0.127 IN A 127.0.0.2', '40.35.22.11 IN A 127.0.0.10', '50.35.22.11 IN A 127.255.255.254')
        'dbl.spamhaus.org' = New-Zone 'dbl.spamhaus.org' @('dbltest.com IN A 127.0.1.2', 'invalid.test IN A 127.0.1.255')
    }
    # MTA-STS policy hosts: a test CA, a certificate for mta-sts.good.test and mta-sts.sts.test, and openssl s_server -WWW
    $ca = New-TestCertificateAuthority
    $srv = New-TestServerCertificate $ca 'mta-sts.good.test', 'mta-sts.sts.test'
    $trust = Get-TrustAnchor $ca
    function Start-PolicyServer([string] $name, [string] $policy, [hashtable] $files = @{}) {
        $dir = Join-Path $TestDrive "https-$name"
        New-Item -ItemType Directory -Force (Join-Path $dir '.well-known') | Out-Null
        Set-Content (Join-Path $dir '.well-known/mta-sts.txt') $policy -NoNewline
        foreach ($f in $files.Keys) { Set-Content (Join-Path $dir $f) $files[$f] -NoNewline }
        Set-Content (Join-Path $dir 'cert.pem') $srv.ChainPem
        Set-Content (Join-Path $dir 'key.pem') $srv.KeyPem
        $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
        $p = Start-Process openssl -ArgumentList 's_server', '-accept', "127.0.0.1:$port", '-cert', 'cert.pem', '-key', 'key.pem', '-WWW', '-quiet' -WorkingDirectory $dir -PassThru -RedirectStandardOutput (Join-Path $dir 'out.log') -RedirectStandardError (Join-Path $dir 'err.log')
        $deadline = [datetime]::Now.AddSeconds(10)
        while ([datetime]::Now -lt $deadline) {
            try { $c = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $c.Dispose(); break } catch { Start-Sleep -Milliseconds 100 }
        }
        [pscustomobject]@{ Port = $port; Process = $p }
    }
    # BIMI: a good SVG Tiny PS logo and a mark certificate carrying it; a broken logo and a certificate for another name
    $svg = '<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100"><title>Good Test Ltd</title><circle cx="50" cy="50" r="40" fill="#236"/></svg>'
    $badSvg = '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" x="0" y="0" viewBox="0 0 200 100"><script>alert(1)</script><rect width="10" height="10"/></svg>'
    $bimiFiles = @{ 'logo.svg' = $svg; 'vmc.pem' = (New-TestMarkCertificate $ca 'good.test' $svg); 'bad.svg' = $badSvg; 'badvmc.pem' = (New-TestMarkCertificate $ca 'other.test' $svg -NoBimiUsage) }
    $policyGood = Start-PolicyServer good "version: STSv1`r`nmode: enforce`r`nmx: mx1.good.test`r`nmx: *.good.test`r`nmax_age: 604800`r`n" $bimiFiles
    $bimiBase = "https://mta-sts.good.test:$($policyGood.Port)"
    $zones['good.test'] += "`ndefault._bimi IN TXT `"v=BIMI1; l=$bimiBase/logo.svg; a=$bimiBase/vmc.pem`""
    $zones['bimibad.test'] = New-Zone 'bimibad.test' @('@ IN MX 10 mx.bimibad.test.', 'mx IN A 11.22.48.1', '_dmarc IN TXT "v=DMARC1; p=reject"', "default._bimi IN TXT `"v=BIMI1; l=$bimiBase/bad.svg; a=$bimiBase/badvmc.pem`"")
    $policyBad = Start-PolicyServer sts "version: STSv1`nmode: testing`nmx: *.sts.test`nmx: backup.sts.test`nmax_age: 3600`nmode: enforce`n"

    $dns = Start-TestPowerDns -Zones $zones -Folder (Join-Path $TestDrive 'pdns') -Signed 'test', 'good.test', 'bogus.test', 'broken.test' -BogusDs 'bogus.test' -AllowAxfr 'nsbad.test'
    $server = $dns.Server
    # a second server on 127.0.0.2, same port: yesterday's good.test (DMARC still p=none), the same nsgood.test, and an
    # nsbad.test with a newer serial and one more NS than the first server's copy
    $dns2 = Start-TestPowerDns -Address 127.0.0.2 -Port $dns.Port -Folder (Join-Path $TestDrive 'pdns2') -Zones @{
        'good.test'   = ($zones['good.test'] -replace 'v=DMARC1; p=quarantine', 'v=DMARC1; p=none')
        'nsgood.test' = $zones['nsgood.test']
        'nsbad.test'  = New-NsZone 'nsbad.test' 2 @('ns1 IN A 127.0.0.1', 'ns2 IN A 127.0.0.2', 'ns3 IN A 127.0.0.3', 'ns4 IN A 127.0.0.2')
    }
    # a validating resolver that trusts the signed parent 'test' (its DS as the trust anchor)
    $recursor = Start-TestRecursor -Zone test -Forward $server -TrustAnchor $dns.Ds['test'] -Folder (Join-Path $TestDrive 'recursor')
    function Check($report, [string] $id, [string] $status) {
        # names, not numbers, and only names the engine has: a misspelt or numeric id would otherwise just match nothing
        $idType = @($report.Checks)[0].Id.GetType()
        if (-not [Enum]::IsDefined($idType, $id)) { throw "Test-MailDomain has no check named '$id'" }
        if (-not [Enum]::IsDefined(@($report.Checks)[0].Status.GetType(), $status)) { throw "no check status '$status'" }
        @($report.Checks | Where-Object { $_.Id -eq $id -and $_.Status -eq $status })
    }
}

AfterAll {
    foreach ($p in $policyGood, $policyBad) { if ($p -and -not $p.Process.HasExited) { $p.Process.Kill() } }
    if ($dns) { Stop-TestPowerDns $dns }
    if ($dns2) { Stop-TestPowerDns $dns2 }
    if ($recursor) { Stop-TestPowerDns $recursor }
}

Describe 'Test-MailDomain against PowerDNS' {
    It 'passes a domain published exactly as Get-MailDomainDnsRecord says, compared with the provider from the pipeline' {
        $r = Get-MailDomain good.test | Test-MailDomain -Server $server -AllowPrivateAddress -MtaStsPort $policyGood.Port -TrustedCertificate $trust
        $r.Domain | Should -Be 'good.test'
        $r.Failures | Should -Be 0 -Because ($r.Problems -join "`n")
        (Check $r ProviderRecords Pass).Count | Should -BeGreaterOrEqual 4
        (Check $r DkimPublicKey Pass).Name | Should -Match 'DKIM selector ma\d{6}'
        (Check $r SpfPolicyStrength Pass).Summary | Should -Match "'-all'"
        (Check $r MtaStsRecord Pass).Count | Should -Be 1
        (Check $r TlsRptRua Pass).Count | Should -Be 1
        $r.DnsQueries | Should -BeGreaterThan 10
    }

    It 'fetches the BIMI logo and mark certificate and checks them' {
        $g = Test-MailDomain good.test -Server $server -AllowPrivateAddress -MtaStsPort $policyGood.Port -TrustedCertificate $trust
        (Check $g BimiSvg Pass).Summary | Should -Match 'SVG Tiny PS'
        (Check $g BimiMarkCertificate Pass).Summary | Should -Match 'valid for good.test and carries the same logo'
        $b = Test-MailDomain bimibad.test -Server $server -AllowPrivateAddress -TrustedCertificate $trust
        $svgFail = (Check $b BimiSvg Fail).Summary
        $svgFail | Should -Match 'version is ''1.1'''
        $svgFail | Should -Match 'baseProfile'
        $svgFail | Should -Match 'x= or y='
        $svgFail | Should -Match 'no <title>'
        $svgFail | Should -Match '<script>'
        $vmc = (Check $b BimiMarkCertificate Fail).Summary
        $vmc | Should -Match 'do not include bimibad.test'
        $vmc | Should -Match 'BIMI extended key usage'
        $vmc | Should -Match 'differs from the SVG'
        # without the test CA the certificate does not chain to a trusted root
        (Check (Test-MailDomain good.test -Server $server -AllowPrivateAddress -MtaStsPort $policyGood.Port) BimiMarkCertificate Warning).Summary | Should -Match 'does not chain to a root trusted here'
    }

    It 'names the record to publish when live DNS lacks what the provider requires' {
        $r = Test-MailDomain exmail.test -Server $server -ExpectProvider Exmail
        $miss = Check $r ProviderRecords Fail
        ($miss.Summary -join "`n") | Should -Match 'publish exmail.test MX 10 mxbiz2.qq.com'
        ($miss.Summary -join "`n") | Should -Match 'include:spf.mail.qq.com'
        (Check $r ProviderRecords Pass).Name | Should -Contain 'Exmail MX mxbiz1.qq.com'
    }

    It 'warns about aliases that dangle and MX hosts outside the approved list' {
        $b = Test-MailDomain broken.test -Server $server -SkipMtaStsPolicy -Thorough
        (Check $b DanglingCname Warning).Records | Should -Be 'autodiscover.broken.test -> gone-tenant.other.test (NXDOMAIN)'
        (Check (Test-MailDomain good.test -Server $server -SkipMtaStsPolicy -ApprovedMxHost '*.good.test' -ApprovedNameServer 'ns1.good.test', 'ns2.good.test') ApprovedHosts Pass).Count | Should -Be 2
        $w = Check (Test-MailDomain good.test -Server $server -SkipMtaStsPolicy -ApprovedMxHost 'mx.example.com') ApprovedHosts Warning
        $w.Summary | Should -Match 'MX host\(s\) not on the approved list: mx1.good.test, mx2.good.test'
    }

    It 'reports each MX failure mode' {
        $r = Test-MailDomain broken.test -Server $server
        (Check $r MxNotIpLiteral Fail).Summary | Should -Match "'1.2.3.4' is an IP address"
        (Check $r MxNotCname Fail).Summary | Should -Match 'alias.broken.test is an alias'
        (Check $r MxAddressesRoutable Fail).Summary | Should -Match '10.0.0.5'
        (Check $r MxResolves Fail).Summary | Should -Match 'gone.broken.test'
    }

    It 'fetches the MTA-STS policy over HTTPS and checks it against the MX hosts' {
        $r = Test-MailDomain good.test -Server $server -AllowPrivateAddress -MtaStsPort $policyGood.Port -TrustedCertificate $trust
        (Check $r MtaStsPolicyFetch Pass).Summary | Should -Match "https://mta-sts.good.test:$($policyGood.Port)/.well-known/mta-sts.txt"
        (Check $r MtaStsMode Pass).Count | Should -Be 1
        (Check $r MtaStsMxCoverage Pass).Count | Should -Be 1
        $bad = Test-MailDomain sts.test -Server $server -AllowPrivateAddress -MtaStsPort $policyBad.Port -TrustedCertificate $trust
        (Check $bad MtaStsPolicySyntax Fail).Summary | Should -Match "'mode' appears more than once"
        (Check $bad MtaStsMaxAge Warning).Summary | Should -Match 'max_age 3600'
        ((@(Check $bad MtaStsMxCoverage Warning) + @(Check $bad MtaStsMxCoverage Fail)).Summary) | Should -Match 'backup.elsewhere.example'
    }

    It 'refuses a policy host whose certificate is untrusted or for another name' {
        $untrusted = Test-MailDomain good.test -Server $server -AllowPrivateAddress -MtaStsPort $policyGood.Port
        (Check $untrusted MtaStsPolicyFetch Fail).Summary | Should -Match 'does not chain to a trusted root'
        $wrongName = Test-MailDomain badcert.test -Server $server -AllowPrivateAddress -MtaStsPort $policyGood.Port -TrustedCertificate $trust
        (Check $wrongName MtaStsPolicyFetch Fail).Summary | Should -Match 'not valid for mta-sts.badcert.test'
        $closed = Test-MailDomain badcert.test -Server $server -AllowPrivateAddress -MtaStsPort 1 -TrustedCertificate $trust
        (Check $closed MtaStsPolicyFetch Fail).Summary | Should -Match 'cannot be fetched'
    }

    It 'checks CAA records that govern the MX hosts' {
        $g = Test-MailDomain good.test -Server $server -SkipMtaStsPolicy
        ((Check $g Caa Pass).Summary -join "`n") | Should -Match 'CAA at good.test names the CAs that may issue for mx1.good.test'
        $b = Test-MailDomain broken.test -Server $server
        $caa = (Check $b Caa Warning).Summary -join "`n"
        $caa | Should -Match "critical tag 'frobnicate'"
        $caa | Should -Match "iodef 'ftp://x.broken.test'"
        $caa | Should -Match 'No CAA record at real.broken.test|No CAA record at alias.broken.test'
    }

    It 'checks DANE TLSA records of MX hosts' {
        $r = Test-MailDomain broken.test -Server $server
        (Check $r DaneFields Fail).Summary | Should -Match '64 hex digits, not 4'
        (Check $r DaneUsage Warning).Summary | Should -Match 'PKIX-EE'
        (Check $r DaneTlsa Info).Summary | Should -Match '1 usable TLSA record'
    }

    It 'reports SPF, DMARC, DKIM, MTA-STS and TLS-RPT failures with their rules' {
        $r = Test-MailDomain broken.test -Server $server -DkimSelector weak, tiny, dangling, missing
        (Check $r SpfAllGlued Fail).Summary | Should -Match "glued"
        (Check $r SpfGrammar Fail).Reference | Should -Be 'RFC 7208 4.6, 5'
        (Check $r DmarcPolicy Fail).Summary | Should -Match 'p=maybe'
        (Check $r DmarcPct Fail).Summary | Should -Match 'pct=150'
        (Check $r DmarcExternalReports Pass).Summary | Should -Match 'other.test has authorised'
        (Check $r DmarcExternalReports Warning).Summary | Should -Match '_report._dmarc.elsewhere.test'
        (Check $r DkimKeySize Warning).Summary | Should -Match '1024-bit'
        (Check $r DkimKeySize Fail).Summary | Should -Match '768-bit'
        (Check $r DkimHashAlgorithms Fail).Count | Should -Be 1
        (Check $r DkimFlags Warning).Count | Should -Be 1
        (Check $r DkimRecord Fail).Summary | Should -Match 'dangling CNAME'
        (Check $r DkimSelectors Fail).Summary | Should -Match "selector 'missing'"
        (Check $r MtaStsRecordSyntax Fail).Summary | Should -Match 'id=not-valid!'
        (Check $r TlsRptRua Fail).Summary | Should -Match 'ftp://'
        $r.Status | Should -Be 'Fail'
    }

    It 'counts SPF lookups through includes and finds loops, void lookups and includes without SPF' {
        $r = Test-MailDomain lookups.test -Server $server
        $limit = Check $r SpfLookupLimit Fail
        $limit.Summary | Should -Match 'takes 1[1-9] DNS lookups'
        $limit.Records | Should -Contain 'lookups.test: include:i1.lookups.test = 5 lookup(s)'
        (Check $r SpfLoops Fail).Summary | Should -Match 'loops back'
        (Check $r SpfTargetWithoutSpf Fail).Summary | Should -Match 'nospf.lookups.test, which has no SPF record'
        (Check $r SpfVoidLookups Fail).Summary | Should -Match '3 lookups find nothing'
        # no _domainkey name at all: no selector guessing (RFC 8020)
        (Check $r DkimSelectors Warning).Summary | Should -Match '_domainkey.lookups.test does not exist'
    }

    It 'flags two SPF records, Sender ID, +all and p=none' {
        $two = Test-MailDomain twospf.test -Server $server -Thorough
        (Check $two SpfType99 Warning).Records | Should -Be 'v=spf1 mx -all'
        (Check $two SpfUndecodable Warning).Summary | Should -Match '1 TXT record\(s\) of twospf.test hold bytes that are not valid text'
        (Check $two SpfMultiple Fail).Records.Count | Should -Be 2
        (Check $two SenderId Warning).Count | Should -Be 1
        $plus = Test-MailDomain plusall.test -Server $server
        (Check $plus SpfPolicyStrength Fail).Summary | Should -Match 'any host'
        (Check $plus DmarcPolicyStrength Warning).Summary | Should -Match 'policy is none'
        (Check $plus DmarcRecord Pass).Count | Should -Be 1
        (Check $two DmarcRecord Fail).Summary | Should -Match 'No DMARC record'
    }

    It 'understands null MX and wildcard leakage' {
        $n = Test-MailDomain nullmx.test -Server $server
        (Check $n NullMx Pass).Summary | Should -Match 'accepts no mail'
        $n.Failures | Should -Be 0
        (Check (Test-MailDomain mixednull.test -Server $server) NullMx Fail).Count | Should -Be 1
        $w = Test-MailDomain wild.test -Server $server
        ((Check $w WildcardLeakage Fail).Summary -join "`n") | Should -Match '_dmarc.wild.test'
        ((Check $w WildcardLeakage Fail).Summary -join "`n") | Should -Match '_mta-sts.wild.test'
    }

    It 'evaluates a sender with -SpfIp, -SpfSender and -Helo' {
        $pass = Test-MailDomain good.test -Server $server -SpfIp 11.22.33.11 -SpfSender li.lei@good.test -Helo mx2.good.test
        $pass.SpfResult | Should -Be 'pass'
        $fail = Test-MailDomain good.test -Server $server -SpfIp 5.6.7.8 -SpfSender li.lei@good.test
        $fail.SpfResult | Should -Be 'fail'
        (Test-MailDomain broken.test -Server $server -SpfIp 11.22.35.1).SpfResult | Should -Be 'permerror'
    }

    It 'answers a missing domain, -Quiet in input order, -Detailed, many domains in parallel' {
        $m = Test-MailDomain nosuch.good.test -Server $server
        (Check $m DomainExists Fail).Summary | Should -Match 'does not exist'
        Test-MailDomain good.test, nosuch.good.test, nullmx.test -Server $server -SkipMtaStsPolicy -Quiet | Should -Be @($true, $false, $true)
        $checks = Test-MailDomain good.test -Server $server -Detailed
        # (the types live in MailAdmin's own load context, so they are checked by name rather than as [type] literals)
        $checks[0].GetType().FullName | Should -Be 'MailAdmin.Models.MailCheck'
        ($checks | Where-Object Domain -ne 'good.test') | Should -BeNullOrEmpty
        $many = 'good.test', 'broken.test', 'twospf.test', 'plusall.test', 'lookups.test', 'nullmx.test', 'mixednull.test', 'wild.test', 'exmail.test' | Test-MailDomain -Server $server -ThrottleLimit 4
        $many.Count | Should -Be 9
        ($many.Domain | Sort-Object) | Should -Be ('good.test', 'broken.test', 'twospf.test', 'plusall.test', 'lookups.test', 'nullmx.test', 'mixednull.test', 'wild.test', 'exmail.test' | Sort-Object)
    }

    It 'compares several resolvers with -Resolver and names the record sets that differ' {
        $same = Test-MailDomain good.test -Resolver $server, $server
        (Check $same Propagation Pass).Count | Should -Be 1
        $diff = Test-MailDomain good.test -Resolver $server, $dns2.Server
        $w = Check $diff Propagation Warning
        $w.Records.Count | Should -Be 1
        $w.Records[0] | Should -Match '^TXT _dmarc.good.test: .*p=quarantine.* \| .*p=none'
    }

    It 'validates DNSSEC through a validating resolver: AD per answer, and a bogus zone fails with the resolver''s reason' {
        $g = Test-MailDomain good.test -Server $recursor.Server -SkipMtaStsPolicy
        (Check $g Dnssec Pass).Summary | Should -Match 'resolver validated'
        (Check $g AuthenticatedAnswers Info).Records | Should -Contain 'MX: authenticated'
        (Check $g AuthenticatedAnswers Info).Records | Should -Contain 'DMARC: authenticated'
        (Check $g MxDnssec Pass).Records | Should -Contain 'mx1.good.test: authenticated'
        $g.Failures | Should -Be 0 -Because ($g.Problems -join "`n")
        $b = Test-MailDomain bogus.test -Server $recursor.Server -SkipMtaStsPolicy
        $bad = Check $b Dnssec Fail
        $bad.Count | Should -Be 1
        $bad.Summary | Should -Match 'bogus'
        $bad.Records | Should -Match '^\d+ (DNSSEC Bogus|DNSKEY Missing|RRSIGs Missing)'
        (Check $b DomainExists Fail).Summary | Should -Match 'ServerFailure'
        # the same zone through the authoritative server alone: signed, and nothing validates it
        (Check (Test-MailDomain bogus.test -Server $server -SkipMtaStsPolicy) Dnssec Pass).Count | Should -Be 1
    }

    It 'asks the name servers themselves with -ProbeNameServers: delegation, serials, lame servers, AXFR, EDNS, TCP, TTLs' {
        $g = Test-MailDomain nsgood.test -Server $server -ProbeNameServers -NameServerPort $dns.Port -SkipMtaStsPolicy
        (Check $g DelegationConsistency Pass).Summary | Should -Match 'All 2 name server addresses answer authoritatively .* serial 1'
        (Check $g OpenRecursionOrTransfer Pass).Count | Should -Be 1
        (Check $g EdnsAndTcp Pass).Count | Should -Be 1
        (Check $g TtlSanity Pass).Records | Should -Contain 'SOA 3600'
        $b = Test-MailDomain nsbad.test -Server $server -ProbeNameServers -NameServerPort $dns.Port -SkipMtaStsPolicy
        $d = (Check $b DelegationConsistency Warning).Summary
        $d | Should -Match 'ns3.nsbad.test \(127.0.0.3\) does not answer'
        $d | Should -Match 'different SOA serials \(1 at .*127.0.0.1.*2 at .*127.0.0.2'
        $d | Should -Match 'ns2.nsbad.test \(127.0.0.2\) lists NS .*ns4.nsbad.test'
        (Check $b OpenRecursionOrTransfer Warning).Summary | Should -Match '127.0.0.1\) hands the whole zone to anyone'
        (Check $b OpenRecursionOrTransfer Warning).Summary | Should -Not -Match '127.0.0.2\) hands'
        # without the switch nothing is asked directly
        (Test-MailDomain nsbad.test -Server $server -SkipMtaStsPolicy).Checks.Id | Should -Not -Contain 'DelegationConsistency'
    }

    It 'checks name servers, SOA timers and the DNSSEC delegation' {
        $g = Test-MailDomain good.test -Server $server -SkipMtaStsPolicy
        (Check $g NameServers Pass).Summary | Should -Match '2 name servers'
        (Check $g SoaFields Pass).Count | Should -Be 1
        (Check $g Dnssec Pass).Records | Should -Match ('^' + ($dns.Ds['good.test'] -split '\s+')[3] + ' ') -Because 'the DS key tag the harness published'
        (Check $g AuthenticatedAnswers Info).Summary | Should -Match 'does not validate'
        $one = Test-MailDomain onens.test -Server $server
        (Check $one NameServers Fail).Summary | Should -Match 'single name server'
        (Check $one SoaFields Info).Summary | Should -Match 'refresh 60 s'
        (Check $one Dnssec Warning).Summary | Should -Match 'not DNSSEC-signed'
    }

    It 'checks PTR and forward-confirmed reverse DNS of the MX addresses' {
        $r = Test-MailDomain good.test -Server $server
        (Check $r MxForwardConfirmedPtr Pass).Summary | Should -Match '11.22.33.10 \(mx1.good.test\) has PTR mx1.good.test'
        (Check $r MxForwardConfirmedPtr Warning).Summary | Should -Match 'wrong.other.test, which does not resolve back'
        (Check (Test-MailDomain broken.test -Server $server) MxPtr Warning).Summary | Should -Match '11.22.35.2 \(alias.broken.test\) has no PTR'
    }

    It 'never falls back to the system resolver when -Server is given, and rejects a bad server' {
        $r = Test-MailDomain example.com -Server $server
        (Check $r DomainExists Fail).Summary | Should -Match 'did not answer|does not exist'
        { Test-MailDomain good.test -Server '127.0.0.1:notaport' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDnsServer,*'
    }
}

Describe 'Test-MailBlocklist against PowerDNS' {
    It 'finds listings by reversed octets and nibbles, with the reason, and tells errors from listings' {
        $r = '11.22.35.10', '11.22.35.20', '11.22.35.30', '2001:db8::1', '127.0.0.2' | Test-MailBlocklist -Zone bl.test -Server $server
        $r.Count | Should -Be 5
        $listed = $r | Where-Object Target -eq '11.22.35.10'
        $listed.Status | Should -Be 'Listed'
        $listed.Query | Should -Be '10.35.22.11.bl.test'
        $listed.Reason | Should -Be 'Listed: seen sending spam'
        ($r | Where-Object Target -eq '11.22.35.20').Status | Should -Be 'NotListed'
        ($r | Where-Object Target -eq '11.22.35.30').Status | Should -Be 'Error'
        ($r | Where-Object Target -eq '11.22.35.30').Meaning | Should -Match 'outside 127.0.0.0/8'
        ($r | Where-Object Target -eq '2001:db8::1').Status | Should -Be 'Listed'
        ($r | Where-Object Target -eq '127.0.0.2').Listed | Should -BeTrue
    }

    It 'reads Spamhaus return codes: SBL and PBL listings, resolver errors that are not listings' {
        $z = '127.0.0.2', '11.22.35.40', '11.22.35.50' | Test-MailBlocklist -Zone zen.spamhaus.org -Server $server
        ($z | Where-Object Target -eq '127.0.0.2').Meaning | Should -Match 'SBL'
        ($z | Where-Object Target -eq '11.22.35.40').Meaning | Should -Match 'PBL.*policy listing'
        $err = $z | Where-Object Target -eq '11.22.35.50'
        $err.Status | Should -Be 'Error'
        $err.Meaning | Should -Match 'public/open resolvers'
    }

    It 'checks domains in domain zones' {
        $d = 'dbltest.com', 'clean.example', 'invalid.test' | Test-MailBlocklist -DomainZone dbl.spamhaus.org -Server $server
        ($d | Where-Object Target -eq 'dbltest.com').Meaning | Should -Match 'spam domain'
        ($d | Where-Object Target -eq 'clean.example').Status | Should -Be 'NotListed'
        ($d | Where-Object Target -eq 'invalid.test').Status | Should -Be 'Error'
    }
}
