# Test-MailDomain -ProbeSmtp against real Postfix instances on 127.0.0.1, found through a real PowerDNS.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/PowerDns.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../integration/Postfix.psm1') -Force
    Initialize-MailAdminTest -Name probe | Out-Null

    $ca = New-TestCertificateAuthority 'MailAdmin Probe CA'
    $mx = New-TestServerCertificate $ca 'mx.probe.test' -Days 20
    $trust = Get-TrustAnchor $ca
    $closed = Start-TestPostfix -Folder (Join-Path $TestDrive 'pf-closed') -HostName mx.probe.test -Destination probe.test -CertPem $mx.ChainPem -KeyPem $mx.KeyPem -StrictTls
    # the same host with Postfix's default (lenient) cipher list
    $lenient = Start-TestPostfix -Folder (Join-Path $TestDrive 'pf-lenient') -HostName mx.probe.test -Destination probe.test -CertPem $mx.ChainPem -KeyPem $mx.KeyPem
    $open = Start-TestPostfix -Folder (Join-Path $TestDrive 'pf-open') -HostName mx.open.test -Destination open.test -TrustLoopback
    $zone = { param($d) "`$ORIGIN $d.`n`$TTL 300`n@ IN SOA ns1.$d. h.$d. 1 3600 600 604800 300`n@ IN NS ns1.$d.`nns1 IN A 11.22.33.1`n@ IN MX 10 mx.$d.`nmx IN A 127.0.0.1`n" }
    # DANE: the server key's SPKI digest (3 1 1) and the CA's (2 1 1) for probe.test; a stale key's digest for danebad.test
    $sha = { param($c) [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($c.PublicKey.ExportSubjectPublicKeyInfo())).ToLowerInvariant() }
    $tlsaGood = "_25._tcp.mx IN TLSA 3 1 1 $(& $sha $mx.Certificate)`n_25._tcp.mx IN TLSA 2 1 1 $(& $sha $ca)`n"
    $tlsaStale = "_25._tcp.mx IN TLSA 3 1 1 $('ab' * 32)`n"
    # an implicit-TLS service (openssl s_server with the MX certificate) for the client SRV records
    $tlsDir = Join-Path $TestDrive 'implicit'; New-Item -ItemType Directory -Force $tlsDir | Out-Null
    Set-Content (Join-Path $tlsDir 'cert.pem') $mx.ChainPem; Set-Content (Join-Path $tlsDir 'key.pem') $mx.KeyPem
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $implicitPort = $l.LocalEndpoint.Port; $l.Stop()
    $implicit = Start-Process openssl -ArgumentList 's_server', '-accept', "127.0.0.1:$implicitPort", '-cert', 'cert.pem', '-key', 'key.pem', '-quiet', '-naccept', '100' -WorkingDirectory $tlsDir -PassThru -RedirectStandardOutput (Join-Path $tlsDir 'out.log') -RedirectStandardError (Join-Path $tlsDir 'err.log')
    $deadline = [datetime]::Now.AddSeconds(10)
    while ([datetime]::Now -lt $deadline) { try { [System.Net.Sockets.TcpClient]::new('127.0.0.1', $implicitPort).Dispose(); break } catch { Start-Sleep -Milliseconds 100 } }
    # an MTA-STS policy host for probe.test (mode enforce), served by openssl s_server -WWW
    $stsCert = New-TestServerCertificate $ca 'mta-sts.probe.test'
    $stsDir = Join-Path $TestDrive 'sts'; New-Item -ItemType Directory -Force (Join-Path $stsDir '.well-known') | Out-Null
    Set-Content (Join-Path $stsDir '.well-known/mta-sts.txt') "version: STSv1`r`nmode: enforce`r`nmx: mx.probe.test`r`nmax_age: 86400`r`n" -NoNewline
    Set-Content (Join-Path $stsDir 'cert.pem') $stsCert.ChainPem; Set-Content (Join-Path $stsDir 'key.pem') $stsCert.KeyPem
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $stsPort = $l.LocalEndpoint.Port; $l.Stop()
    $stsServer = Start-Process openssl -ArgumentList 's_server', '-accept', "127.0.0.1:$stsPort", '-cert', 'cert.pem', '-key', 'key.pem', '-WWW', '-quiet' -WorkingDirectory $stsDir -PassThru -RedirectStandardOutput (Join-Path $stsDir 'out.log') -RedirectStandardError (Join-Path $stsDir 'err.log')
    $deadline = [datetime]::Now.AddSeconds(10)
    while ([datetime]::Now -lt $deadline) { try { [System.Net.Sockets.TcpClient]::new('127.0.0.1', $stsPort).Dispose(); break } catch { Start-Sleep -Milliseconds 100 } }
    $sts = "_mta-sts IN TXT `"v=STSv1; id=1`"`nmta-sts IN A 127.0.0.1`n"
    $srv = "_submissions._tcp IN SRV 0 1 $implicitPort mx.probe.test.`n_submission._tcp IN SRV 0 1 $($closed.Port) mx.probe.test.`n_imap._tcp IN SRV 0 1 $($open.Port) mx.probe.test.`n_pop3s._tcp IN SRV 0 0 0 .`n"
    $dns = Start-TestPowerDns -Zones @{ 'probe.test' = (& $zone 'probe.test') + $tlsaGood + $srv + $sts; 'open.test' = (& $zone 'open.test'); 'danebad.test' = (& $zone 'danebad.test') + $tlsaStale } -Folder (Join-Path $TestDrive 'pdns-probe')
    function Check($report, [string] $id, [string] $status) {
        # names, not numbers, and only names the engine has: a misspelt or numeric id would otherwise just match nothing
        $idType = @($report.Checks)[0].Id.GetType()
        if (-not [Enum]::IsDefined($idType, $id)) { throw "Test-MailDomain has no check named '$id'" }
        if (-not [Enum]::IsDefined(@($report.Checks)[0].Status.GetType(), $status)) { throw "no check status '$status'" }
        @($report.Checks | Where-Object { $_.Id -eq $id -and $_.Status -eq $status })
    }
}

AfterAll {
    if ($closed) { Stop-TestPostfix $closed }
    if ($open) { Stop-TestPostfix $open }
    if ($lenient) { Stop-TestPostfix $lenient }
    if ($implicit -and -not $implicit.HasExited) { $implicit.Kill() }
    if ($stsServer -and -not $stsServer.HasExited) { $stsServer.Kill() }
    if ($dns) { Stop-TestPowerDns $dns }
}

Describe 'Test-MailDomain -ProbeSmtp against Postfix' {
    It 'reports greeting, STARTTLS, TLS version, certificate, relay refusal and postmaster' {
        $r = Test-MailDomain probe.test -Server $dns.Server -ProbeSmtp -SmtpPort $closed.Port -TrustedCertificate $trust -SkipMtaStsPolicy -AllowPrivateAddress
        (Check $r SmtpReachable Pass).Count | Should -Be 1
        (Check $r SmtpGreeting Pass).Summary | Should -Match "Greeting: '220 mx.probe.test ESMTP"
        (Check $r SmtpStartTls Pass).Count | Should -Be 1
        (Check $r TlsVersions Pass).Summary | Should -Match 'TLS 1\.[23]'
        (Check $r TlsCertificate Warning).Summary | Should -Match 'expires in (19|20) days'
        (Check $r OpenRelay Pass).Summary | Should -Match 'refuses to relay .*554'
        (Check $r RoleMailboxes Pass).Summary | Should -Match 'accepts mail for postmaster@probe.test'
    }

    It 'matches the MX host''s TLSA records against the chain it presents' {
        $r = Test-MailDomain probe.test -Server $dns.Server -ProbeSmtp -SmtpPort $closed.Port -TrustedCertificate $trust -SkipMtaStsPolicy -AllowPrivateAddress
        (Check $r DaneMatchesCertificate Pass).Summary | Should -Match "matches TLSA '[23] 1 1 "
        (Check $r DaneRollover Info).Summary | Should -Match '2 usable TLSA records'
        (Check $r TlsCertificate Warning).Records | Should -Contain 'key RSA 2048'
        $bad = Test-MailDomain danebad.test -Server $dns.Server -ProbeSmtp -SmtpPort $closed.Port -TrustedCertificate $trust -SkipMtaStsPolicy -AllowPrivateAddress
        (Check $bad DaneMatchesCertificate Fail).Summary | Should -Match 'No TLSA record of mx.danebad.test matches'
        (Check $bad DaneRollover Info).Summary | Should -Match 'one usable TLSA record'
    }

    It 'lists the cipher suites a server accepts, whether it keeps its own order, and its key exchange' {
        $strict = Test-MailDomain probe.test -Server $dns.Server -ProbeSmtp -SmtpPort $closed.Port -TrustedCertificate $trust -SkipMtaStsPolicy -AllowPrivateAddress
        (Check $strict TlsCipherSuites Pass).Summary | Should -Match 'accepts only AEAD suites with forward secrecy'
        (Check $strict TlsCipherSuites Pass).Records | Should -Contain 'static RSA key exchange (insufficient: no forward secrecy): refused'
        ($strict.Checks | Where-Object { $_.Id -eq 'TlsKeyExchange' -and $_.Name -notlike 'Key exchange group*' }).Summary | Should -Match 'TLS 1.3 \(always \(EC\)DHE\)'
        $weak = Test-MailDomain probe.test -Server $dns.Server -ProbeSmtp -SmtpPort $lenient.Port -TrustedCertificate $trust -SkipMtaStsPolicy -AllowPrivateAddress
        $f = (Check $weak TlsCipherSuites Fail).Summary
        $f | Should -Match 'accepts static RSA key exchange \(TLS_RSA_WITH_'
        $f | Should -Match 'accepts CBC with ECDHE'
        $f | Should -Match 'takes the client''s order'
        # what .NET does not show, read with openssl s_client: the key-exchange group and TLS hygiene
        $grp = $strict.Checks | Where-Object { $_.Id -eq 'TlsKeyExchange' -and $_.Name -like 'Key exchange group*' }
        $grp.Status | Should -Be 'Pass'
        $grp.Records[0] | Should -Match 'TLS 1.2 key exchange: (X25519|ECDH)'
        ($strict.Checks | Where-Object Id -eq 'TlsHygiene').Status | Should -Be 'Pass'
        ($strict.Checks | Where-Object Id -eq 'TlsHygiene').Records | Should -Contain 'Secure Renegotiation IS supported'
        $weakGroup = $weak.Checks | Where-Object { $_.Id -eq 'TlsKeyExchange' -and $_.Name -like 'Key exchange group*' }
        ($weakGroup.Records -join "`n") | Should -Match "when only DHE is offered: DH, \d+ bits"
        $weakGroup.Status | Should -Be Warning
    }

    It 'checks the client services the SRV records name: implicit TLS, STARTTLS, and a port without TLS' {
        $r = Test-MailDomain probe.test -Server $dns.Server -ProbeSmtp -SmtpPort $closed.Port -TrustedCertificate $trust -SkipMtaStsPolicy -AllowPrivateAddress
        $srvCheck = $r.Checks | Where-Object { $_.Id -eq 'ClientSrv' -and $_.Name -eq 'Client SRV records' }
        $srvCheck.Status | Should -Be 'Warning'
        $srvCheck.Summary | Should -Match 'imap without imaps'
        $srvCheck.Records | Should -Contain '_pop3s._tcp 0 .'
        (Check $r ClientPorts Pass | Where-Object Name -like '*submissions*').Summary | Should -Match 'speaks TLS 1\.[23] at once \(implicit TLS\) with a certificate valid for mx.probe.test'
        (Check $r ClientPorts Info | Where-Object Name -like '*submission mx*').Summary | Should -Match 'offers STARTTLS'
        (Check $r ClientPorts Warning | Where-Object Name -like '*imap*').Summary | Should -Match 'does not complete STARTTLS'
        # without the test CA the implicit-TLS certificate is not trusted
        $u = Test-MailDomain probe.test -Server $dns.Server -ProbeSmtp -SmtpPort $closed.Port -SkipMtaStsPolicy -AllowPrivateAddress
        (Check $u ClientPorts Fail | Where-Object Name -like '*submissions*').Summary | Should -Match 'certificate'
    }

    It 'times the session and holds every MX to valid TLS under an enforced MTA-STS policy' {
        $r = Test-MailDomain probe.test -Server $dns.Server -ProbeSmtp -SmtpPort $closed.Port -TrustedCertificate $trust -MtaStsPort $stsPort -AllowPrivateAddress
        (Check $r SmtpTiming Pass).Records[0] | Should -Match '^connect \d+ ms$'
        (Check $r MtaStsPolicyFetch Pass).Count | Should -BeGreaterOrEqual 1
        (Check $r MtaStsMxTls Pass).Count | Should -Be 1
        # the same MX without a STARTTLS-capable server (the open Postfix) breaks the enforced policy
        $bad = Test-MailDomain probe.test -Server $dns.Server -ProbeSmtp -SmtpPort $open.Port -TrustedCertificate $trust -MtaStsPort $stsPort -AllowPrivateAddress
        (Check $bad MtaStsMxTls Fail).Summary | Should -Match 'does not offer STARTTLS'
    }

    It 'reports an untrusted certificate without the test CA' {
        $r = Test-MailDomain probe.test -Server $dns.Server -ProbeSmtp -SmtpPort $closed.Port -SkipMtaStsPolicy -AllowPrivateAddress
        (Check $r TlsCertificateTrust Warning).Summary | Should -Match 'does not chain to a trusted root'
    }

    It 'finds an open relay and a server without STARTTLS' {
        $r = Test-MailDomain open.test -Server $dns.Server -ProbeSmtp -SmtpPort $open.Port -SkipMtaStsPolicy -AllowPrivateAddress
        (Check $r OpenRelay Fail).Summary | Should -Match 'open relay'
        (Check $r SmtpStartTls Warning).Summary | Should -Match 'does not offer STARTTLS'
    }

    It 'says the port is unreachable rather than failing the server' {
        $r = Test-MailDomain probe.test -Server $dns.Server -ProbeSmtp -SmtpPort 1 -SkipMtaStsPolicy -AllowPrivateAddress
        (Check $r SmtpReachable Warning).Summary | Should -Match 'No connection to mx.probe.test \(127.0.0.1:1\)'
    }

    It 'does not probe private addresses unless told to (-AllowPrivateAddress)' {
        $r = Test-MailDomain probe.test -Server $dns.Server -ProbeSmtp -SmtpPort $closed.Port -TrustedCertificate $trust -SkipMtaStsPolicy
        (Check $r SmtpReachable Info).Summary | Should -Match 'mx.probe.test \(127.0.0.1\) is a private or reserved address: not probed'
        @($r.Checks | Where-Object { $_.Id -in 'SmtpGreeting', 'SmtpStartTls', 'TlsCertificate' }).Count | Should -Be 0
        @(Check $r ClientPorts Info | Where-Object Summary -Match 'not probed').Count | Should -BeGreaterThan 0
        @($r.Checks | Where-Object { $_.Id -eq 'ClientPorts' -and $_.Status -ne 'Info' }).Count | Should -Be 0
    }
}
