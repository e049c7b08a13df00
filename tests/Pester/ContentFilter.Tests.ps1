# rspamd as Postfix's milter, from exactly the configuration Export-MailServerConfig -Rspamd writes: DKIM signing with the
# store's keys, SPF/DKIM/DMARC checks against a loopback PowerDNS serving the zones Get-MailDomainDnsRecord lists, spam
# scores filed by the Sieve script, ClamAV refusing viruses. rspamd and clamd are shared by the whole test run.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/MailStack.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../integration/PowerDns.psm1') -Force
    $conn = Initialize-MailAdminTest -Name filter
    Add-MailDomain stack.test -MailHost mail.stack.test | Out-Null
    Add-MailDomain partner.test -MailHost mail.partner.test | Out-Null
    $pw = 'Str0ng-Passw0rd'
    foreach ($a in 'sa@stack.test', 'pb@partner.test', 'pc@partner.test', 'junk@partner.test', 'med@stack.test', 'high@stack.test', 'off@stack.test', 'allow@stack.test', 'vir@stack.test') {
        New-Mailbox $a -DisplayName $a -Password $pw | Out-Null
    }
    # the addresses the domains' MX hosts send from (outside hosts, played with XCLIENT)
    $ip = @{ 'stack.test' = '192.0.2.25'; 'partner.test' = '192.0.2.26'; 'strict.test' = '192.0.2.27'; 'outside.example' = '198.51.100.9' }
    function ZoneText([string] $zone, $records) {
        $lines = @("`$ORIGIN $zone.", "@ 60 IN SOA ns1.$zone. hostmaster.$zone. 1 3600 600 86400 60", "@ 60 IN NS ns1.$zone.", "ns1 60 IN A 127.0.0.1", "mail 60 IN A $($ip[$zone])")
        foreach ($r in $records) {
            $v = if ($r.Type -eq 'TXT') { ($r.Value -split '(.{1,250})' | Where-Object { $_ } | ForEach-Object { "`"$_`"" }) -join ' ' } elseif ($r.Type -eq 'MX') { "$($r.Priority) $($r.Value)." } else { $r.Value }
            $lines += "$($r.Name). 60 IN $($r.Type) $v"
        }
        $lines -join "`n"
    }
    function Zones {
        $z = @{}
        foreach ($d in 'stack.test', 'partner.test') { $z[$d] = ZoneText $d (Get-MailDomainDnsRecord $d | Where-Object Purpose -in Mx, Spf, Dkim, Dmarc) }
        # a domain outside the store whose owner asks receivers to refuse what fails DMARC
        $z['outside.example'] = ZoneText outside.example @([pscustomobject]@{ Name = 'outside.example'; Type = 'TXT'; Value = 'v=spf1 ip4:198.51.100.9 -all' })
        $z['strict.test'] = ZoneText strict.test @([pscustomobject]@{ Name = 'strict.test'; Type = 'TXT'; Value = 'v=spf1 ip4:192.0.2.27 -all' },
            [pscustomobject]@{ Name = '_dmarc.strict.test'; Type = 'TXT'; Value = 'v=DMARC1; p=reject' })
        $z
    }
    $dns = Start-TestPowerDns -Zones (Zones) -Folder (Join-Path $TestDrive 'dns')
    # rewrites the zone files from the store (a key published) and makes PowerDNS read them again
    function Publish {
        $z = Zones
        foreach ($name in $z.Keys) { Set-Content (Join-Path $dns.Folder "$name.zone") $z[$name] -Encoding utf8NoBOM }
        & pdns_control --config-dir=$($dns.Folder) --socket-dir=$($dns.Folder) bind-reload-now stack.test 2>&1 | Out-Null
    }
    $filter = Start-TestContentFilter
    $ca = New-TestCertificateAuthority 'MailAdmin Filter CA'
    $srv = New-TestServerCertificate $ca 'mail.stack.test', 'localhost'
    $trust = Get-TrustAnchor $ca
    $stack = Start-TestMailStack -Folder (Join-Path $TestDrive 'stack') -CertPem $srv.ChainPem -KeyPem $srv.KeyPem -ContentFilter $filter -DnsServer $dns.Server
    $deps = Join-Path $env:MAILADMIN_TEST_MODULE 'deps'
    Add-Type -Path (Join-Path $deps 'BouncyCastle.Cryptography.dll'), (Join-Path $deps 'MimeKit.dll'), (Join-Path $deps 'MailKit.dll')

    function Cred([string] $user) { [pscredential]::new($user, (ConvertTo-SecureString $pw -AsPlainText -Force)) }
    function Send([string] $from, [hashtable] $m) {
        Send-Mail -SmtpServer localhost -Port $stack.SubmissionPort -Credential (Cred $from) -TrustedCertificate $trust -From $from @m -ErrorAction Continue 2>&1
    }
    # the messages of a folder over IMAP (MimeKit messages: their headers as delivered)
    function Messages([string] $user, [string] $folder = 'INBOX') {
        $c = [MailKit.Net.Imap.ImapClient]::new()
        try {
            $c.Connect('127.0.0.1', $stack.ImapPort, [MailKit.Security.SecureSocketOptions]::None)
            $c.Authenticate($user, $pw)
            $f = $null
            try { $f = $c.GetFolder($folder) } catch [MailKit.FolderNotFoundException] { return @() }
            $null = $f.Open([MailKit.FolderAccess]::ReadOnly)
            for ($i = 0; $i -lt $f.Count; $i++) { , $f.GetMessage($i) }
        } finally { $c.Dispose() }
    }
    function Wait-Message([string] $user, [string] $folder, [string] $subject) {
        $deadline = [datetime]::Now.AddSeconds(30)
        do {
            $m = @(Messages $user $folder | Where-Object Subject -eq $subject)
            if ($m.Count -gt 0) { return $m[0] }
            Start-Sleep -Milliseconds 300
        } while ([datetime]::Now -lt $deadline)
        $null
    }
    function Headers($m, [string] $name) { @($m.Headers | Where-Object { $_.Field -eq $name } | ForEach-Object Value) }
    # the raw message as Dovecot stored it (for passing it on as the receiving host would get it)
    function Raw([string] $address, [string] $subject) {
        $local, $domain = $address -split '@'
        $deadline = [datetime]::Now.AddSeconds(30)
        do {
            foreach ($file in Get-ChildItem (Join-Path $stack.Folder "mail/$domain/$local/Maildir/new"), (Join-Path $stack.Folder "mail/$domain/$local/Maildir/cur") -File -ErrorAction Ignore) {
                $text = [System.IO.File]::ReadAllText($file.FullName)
                if ($text -match "(?m)^Subject: $([regex]::Escape($subject))\r?$") { return $text }
            }
            Start-Sleep -Milliseconds 300
        } while ([datetime]::Now -lt $deadline)
        $null
    }
    function Message([string] $from, [string] $to, [string] $subject, [string] $body = 'hello', [string[]] $extra = @()) {
        (@("From: <$from>", "To: <$to>", "Subject: $subject", "Date: $([datetime]::UtcNow.ToString('r'))", "Message-ID: <$([guid]::NewGuid())@test>") + $extra + @('', $body)) -join "`r`n"
    }
    function Get-FreePortForTest { $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $p = $l.LocalEndpoint.Port; $l.Stop(); $p }
    function Outside([string] $to, [string] $subject, [string] $body, [string] $from = 'promo@outside.example', [string[]] $extra = @()) {
        Send-TestSmtp -Port $stack.SmtpPort -ClientAddress 198.51.100.9 -Helo mx.outside.example -From $from -To $to -Message (Message $from $to $subject $body $extra)
    }
    # rspamd's GTUBE patterns: the classic one is refused outright; the add-header one (enable_test_patterns, test only) marks spam
    $gtubeReject = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X'
    $gtube = 'YJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X'
}

AfterAll {
    if ($stack) {
        Stop-TestMailStack $stack
        Copy-Item (Join-Path $stack.Folder 'log') (Join-Path ([System.IO.Path]::GetTempPath()) 'mailadmin-filter-logs') -Recurse -Force -ErrorAction Ignore
    }
    if ($dns) { Stop-TestPowerDns $dns }
}

Describe 'Export-MailServerConfig -Rspamd' {
    It 'writes rspamd''s configuration, the milter lines (fail closed) and the DKIM keys as 0600 files of _rspamd' {
        $main = Get-Content (Join-Path $stack.Folder 'postfix/main.cf') -Raw
        $main | Should -Match ([regex]::Escape("smtpd_milters = inet:127.0.0.1:$($filter.MilterPort)"))
        $main | Should -Match '(?m)^milter_default_action = tempfail$'
        $main | Should -Match '(?m)^non_smtpd_milters = \$smtpd_milters$'
        $dkim = Get-Content (Join-Path $stack.Folder 'rspamd/local.d/dkim_signing.conf') -Raw
        $dkim | Should -Match ([regex]::Escape("path = `"$($stack.Folder)/rspamd/dkim/`$domain.`$selector.key`""))
        Get-Content (Join-Path $stack.Folder 'rspamd/local.d/options.inc') -Raw | Should -Match ([regex]::Escape("nameserver = [`"$($dns.Server)`"]"))
        $selector = (Get-MailDkimKey stack.test | Where-Object Status -eq Active).Selector
        Get-Content (Join-Path $stack.Folder 'rspamd/dkim_selectors.map') | Should -Contain "stack.test $selector"
        $key = Join-Path $stack.Folder "rspamd/dkim/stack.test.$selector.key"
        (& stat -c '%a %U' $key) | Should -Be '600 _rspamd'
        (& stat -c '%a %U' (Join-Path $stack.Folder 'rspamd/dkim')) | Should -Be '700 _rspamd'
        # the export lists the key files, never their content
        ($stack.Files | Where-Object { $_ -is [System.IO.FileInfo] -and $_.Name -like '*.key' }).Count | Should -Be 2
        (Get-MailDkimKey stack.test | ConvertTo-Json) | Should -Not -Match 'PRIVATE KEY'
    }

    It 'gives rspamd a domain''s key the moment the domain is added, and takes it away when it is removed' {
        Add-MailDomain later.test | Out-Null
        $selector = (Get-MailDkimKey later.test | Where-Object Status -eq Active).Selector
        $key = Join-Path $stack.Folder "rspamd/dkim/later.test.$selector.key"
        (& stat -c '%a %U' $key) | Should -Be '600 _rspamd'
        Get-Content (Join-Path $stack.Folder 'rspamd/dkim_selectors.map') | Should -Contain "later.test $selector"
        Remove-MailDomain later.test -Confirm:$false
        Test-Path $key | Should -BeFalse
        Get-Content (Join-Path $stack.Folder 'rspamd/dkim_selectors.map') | Should -Not -Contain "later.test $selector"
    }
}

Describe 'DKIM, SPF and DMARC through rspamd' {
    It 'signs mail from a store domain with the published selector; the next hop reads dkim=pass, spf=pass, dmarc=pass in one Authentication-Results' {
        $selector = (Get-MailDomainDnsRecord stack.test | Where-Object Purpose -eq Dkim).Name -replace '\._domainkey\..*$'
        $r = Send sa@stack.test @{ To = 'pb@partner.test'; Subject = 'signed hop 1'; Body = 'a signed message' }
        $r.Response | Should -Match 'queued'
        $raw = Raw pb@partner.test 'signed hop 1'
        $raw | Should -Match "(?m)^DKIM-Signature: .*"
        $raw | Should -Match "d=stack\.test;\s*s=$selector;"
        # stack.test's MX host passes it on to partner.test's: rspamd checks it as inbound mail
        $forged = "Authentication-Results: mail.stack.test; dkim=pass header.d=forged.test; dmarc=pass`r`n"
        $hop = Send-TestSmtp -Port $stack.SmtpPort -ClientAddress 192.0.2.25 -Helo mail.stack.test -From sa@stack.test -To pc@partner.test -Message ($forged + $raw)
        $hop.Code | Should -Be 250
        $m = Wait-Message pc@partner.test INBOX 'signed hop 1'
        $m | Should -Not -BeNullOrEmpty
        $ar = @(Headers $m 'Authentication-Results')
        $ar.Count | Should -Be 1
        $ar[0] | Should -Match '^mail\.stack\.test;'
        $ar[0] | Should -Match "dkim=pass header\.d=stack\.test header\.s=$selector"
        $ar[0] | Should -Match 'spf=pass'
        $ar[0] | Should -Match 'dmarc=pass'
        $ar[0] | Should -Not -Match 'forged\.test'
    }

    It 'files a sender forging a store domain (DMARC quarantine) as Junk, and refuses one forging a p=reject domain' {
        $q = Send-TestSmtp -Port $stack.SmtpPort -ClientAddress 198.51.100.7 -Helo evil.example -From ceo@stack.test -To junk@partner.test -Message (Message ceo@stack.test junk@partner.test 'forged ceo')
        $q.Code | Should -Be 250
        $m = Wait-Message junk@partner.test Junk 'forged ceo'
        $m | Should -Not -BeNullOrEmpty
        (Headers $m 'X-Spam-Flag') | Should -Be 'YES'
        @(Headers $m 'Authentication-Results')[0] | Should -Match 'dmarc=fail'
        $r = Send-TestSmtp -Port $stack.SmtpPort -ClientAddress 198.51.100.7 -Helo evil.example -From boss@strict.test -To junk@partner.test -Message (Message boss@strict.test junk@partner.test 'forged strict')
        $r.Code | Should -Be 554
        $r.Text | Should -Match '5\.7\.1'
        Start-Sleep -Seconds 1
        @(Messages junk@partner.test INBOX) + @(Messages junk@partner.test Junk) | Where-Object Subject -eq 'forged strict' | Should -BeNullOrEmpty
    }
}

Describe 'Spam scores from rspamd, filed by each mailbox''s SpamFilterLevel' {
    BeforeAll {
        Set-MailSecurityPolicy -SpamFilterLevel Medium
        Set-MailSecurityPolicy -Mailbox med@stack.test -SpamFilterLevel Medium
        Set-MailSecurityPolicy -Mailbox high@stack.test -SpamFilterLevel High
        Set-MailSecurityPolicy -Mailbox off@stack.test -SpamFilterLevel Off
        Set-MailSecurityPolicy -Mailbox allow@stack.test -SpamFilterLevel High -AllowedSenders friend@outside.example
    }

    It 'files GTUBE (rspamd''s add-header pattern) in Junk at Medium and High, in the Inbox at Off, and an allowed sender''s in the Inbox' {
        foreach ($to in 'med@stack.test', 'high@stack.test', 'off@stack.test') { (Outside $to 'gtube' "spam $gtube").Code | Should -Be 250 }
        (Outside allow@stack.test 'gtube' "spam $gtube" -from friend@outside.example).Code | Should -Be 250
        $m = Wait-Message med@stack.test Junk gtube
        $m | Should -Not -BeNullOrEmpty
        @(Headers $m 'X-Spam') | Should -Be @('Yes')
        Wait-Message high@stack.test Junk gtube | Should -Not -BeNullOrEmpty
        Wait-Message off@stack.test INBOX gtube | Should -Not -BeNullOrEmpty
        Wait-Message allow@stack.test INBOX gtube | Should -Not -BeNullOrEmpty
    }

    It 'refuses the classic GTUBE string at SMTP (rspamd 3.4 rejects it before any other check)' {
        $r = Outside med@stack.test 'classic gtube' "spam $gtubeReject"
        $r.Code | Should -Be 554
        $r.Text | Should -Match 'Gtube pattern'
    }

    It 'marks a forged, spammy message as spam (X-Spam-Flag: YES, Junk) instead of refusing it, replacing the sender''s own spam headers' {
        # a forged store sender from a host without a name scores high; a real MX would see the same
        $body = 'BUY NOW!!! http://198.51.100.66/x FREE MONEY viagra casino lottery winner $$$'
        $r = Send-TestSmtp -Port $stack.SmtpPort -ClientAddress 203.0.113.99 -Helo '[203.0.113.99]' -From sa@stack.test -To high@stack.test -Message (Message sa@stack.test high@stack.test 'very spammy' $body @('X-Spam-Flag: NO', 'X-Spam-Score: -50', 'X-Spam: No'))
        $r.Code | Should -Be 250
        $m = Wait-Message high@stack.test Junk 'very spammy'
        $m | Should -Not -BeNullOrEmpty
        @(Headers $m 'X-Spam-Flag') | Should -Be @('YES')
        @(Headers $m 'X-Spam-Score').Count | Should -Be 1
        [double]::Parse(@(Headers $m 'X-Spam-Score')[0], [cultureinfo]::InvariantCulture) | Should -BeGreaterThan 3
    }

    It 'delivers clean mail to the Inbox with rspamd''s score, even when the sender wrote a spam score of its own' {
        # (a sender's X-Spam-Flag: YES is not only replaced: rspamd scores it, SPAM_FLAG +5)
        (Outside med@stack.test 'clean one' 'Hello, the minutes of the meeting are attached below. Regards.' -extra 'X-Spam-Score: 99').Code | Should -Be 250
        $m = Wait-Message med@stack.test INBOX 'clean one'
        $m | Should -Not -BeNullOrEmpty
        @(Headers $m 'X-Spam-Flag') | Should -Be @('NO')
        @(Headers $m 'X-Spam-Score').Count | Should -Be 1
        [double]::Parse(@(Headers $m 'X-Spam-Score')[0], [cultureinfo]::InvariantCulture) | Should -BeLessThan 5
    }
}

Describe 'Viruses (ClamAV through rspamd) and faults' {
    BeforeAll {
        function VirusMessage([string] $to, [string] $subject) {
            $b64 = [Convert]::ToBase64String([System.Text.Encoding]::ASCII.GetBytes($filter.VirusText))
            (@("From: <carrier@outside.example>", "To: <$to>", "Subject: $subject", "MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="b1"', '',
                '--b1', 'Content-Type: text/plain', '', 'see attachment', '--b1', 'Content-Type: application/octet-stream; name="invoice.bin"',
                'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="invoice.bin"', '', $b64, '--b1--') -join "`r`n")
        }
    }

    It 'refuses a message carrying a virus at SMTP with the signature''s name and stores nothing' {
        $r = Send-TestSmtp -Port $stack.SmtpPort -ClientAddress 198.51.100.9 -Helo mx.outside.example -From carrier@outside.example -To vir@stack.test -Message (VirusMessage vir@stack.test 'infected')
        $r.Code | Should -Be 554
        $r.Text | Should -Match '5\.7\.1'
        $r.Text | Should -Match 'MailAdmin\.Test\.Signature'
        (Outside vir@stack.test 'after virus' 'plain text').Code | Should -Be 250
        Wait-Message vir@stack.test INBOX 'after virus' | Should -Not -BeNullOrEmpty
        @(Messages vir@stack.test INBOX) + @(Messages vir@stack.test Junk) | Where-Object Subject -eq 'infected' | Should -BeNullOrEmpty
    }

    It 'defers mail (4.7.1, naming ClamAV) while clamd is down, and takes it again when clamd is back' {
        Stop-TestClamd $filter
        try {
            $r = Outside vir@stack.test 'while clamd down' 'plain text'
            $r.Code | Should -Be 451
            $r.Text | Should -Match '4\.7\.1'
            $r.Text | Should -Match 'ClamAV'
        } finally { Start-TestClamd $filter }
        (Outside vir@stack.test 'clamd back' 'plain text').Code | Should -Be 250
        Wait-Message vir@stack.test INBOX 'clamd back' | Should -Not -BeNullOrEmpty
        @(Messages vir@stack.test INBOX) | Where-Object Subject -eq 'while clamd down' | Should -BeNullOrEmpty
    }

    It 'defers mail while rspamd does not answer (milter_default_action = tempfail) and Postfix''s log names the milter' {
        $pf = Join-Path $stack.Folder 'postfix'
        $dead = (& postconf -c $pf -h smtpd_milters) -replace ':\d+$', ":$(Get-FreePortForTest)"
        & postconf -c $pf -e "smtpd_milters = $dead"; & postfix -c $pf reload 2>&1 | Out-Null
        try {
            Start-Sleep -Seconds 1
            $r = Outside vir@stack.test 'while rspamd down' 'plain text'
            $r.Code | Should -Be 451
            $r.Text | Should -Match '4\.7\.1'
            # Postfix's log is written by postlogd a moment after the reply: wait for the line
            $log = Join-Path $stack.Folder 'log/postfix.log'
            $deadline = [datetime]::Now.AddSeconds(15)
            while ([datetime]::Now -lt $deadline -and (Get-Content $log -Raw) -notmatch [regex]::Escape("Milter service $dead")) { Start-Sleep -Milliseconds 250 }
            Get-Content $log -Raw | Should -Match ([regex]::Escape("Milter service $dead"))
        } finally {
            & postconf -c $pf -e "smtpd_milters = inet:127.0.0.1:$($filter.MilterPort)"; & postfix -c $pf reload 2>&1 | Out-Null
            Start-Sleep -Seconds 1
        }
        (Outside vir@stack.test 'rspamd back' 'plain text').Code | Should -Be 250
    }

    It 'defers mail from a store domain whose DKIM key file is missing, naming the fix, instead of sending it unsigned' {
        $selector = (Get-MailDkimKey stack.test | Where-Object Status -eq Active).Selector
        $key = Join-Path $stack.Folder "rspamd/dkim/stack.test.$selector.key"
        Move-Item $key "$key.away"
        try {
            $out = @(Send sa@stack.test @{ To = 'pb@partner.test'; Subject = 'no key'; Body = 'x' })
            $err = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $err.Count | Should -Be 1
            $err[0].Exception.Message | Should -Match 'DKIM signing key for stack\.test is missing'
            $err[0].Exception.Message | Should -Match 'Export-MailServerConfig'
        } finally { Move-Item "$key.away" $key }
        Get-Content (Join-Path $stack.Folder 'log/rspamd.log') -Raw | Should -Match 'dkim key for stack\.test \(selector .*\) is missing'
    }
}

Describe 'DKIM key rotation' {
    It 'publishes the next key beside the active one, keeps signing with the active one, refuses to switch before DNS has the key, then signs with it' {
        $old = (Get-MailDkimKey stack.test | Where-Object Status -eq Active).Selector
        $next = New-MailDkimKey -Domain stack.test -Selector next1
        $next.Status | Should -Be 'Next'
        (& stat -c '%a %U' (Join-Path $stack.Folder 'rspamd/dkim/stack.test.next1.key')) | Should -Be '600 _rspamd'
        $dkim = @(Get-MailDomainDnsRecord stack.test | Where-Object Purpose -eq Dkim)
        $dkim.Name | Should -Be @("$old._domainkey.stack.test", 'next1._domainkey.stack.test')
        (Send sa@stack.test @{ To = 'pb@partner.test'; Subject = 'before switch'; Body = 'x' }).Response | Should -Match 'queued'
        Raw pb@partner.test 'before switch' | Should -Match "s=$old;"
        { Switch-MailDkimKey -Domain stack.test -DnsServer $dns.Server -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'DkimKeyNotPublished*'
        (Get-MailDkimKey stack.test | Where-Object Status -eq Active).Selector | Should -Be $old
        Publish
        $now = Switch-MailDkimKey -Domain stack.test -DnsServer $dns.Server -Confirm:$false
        $now.Selector | Should -Be next1
        (Get-MailDkimKey stack.test | Where-Object Status -eq Previous).Selector | Should -Be $old
        Get-Content (Join-Path $stack.Folder 'rspamd/dkim_selectors.map') | Should -Contain 'stack.test next1'
        Start-Sleep -Seconds 5   # rspamd re-reads the selector map within seconds
        (Send sa@stack.test @{ To = 'pb@partner.test'; Subject = 'after switch'; Body = 'x' }).Response | Should -Match 'queued'
        $raw = Raw pb@partner.test 'after switch'
        $raw | Should -Match 's=next1;'
        (Send-TestSmtp -Port $stack.SmtpPort -ClientAddress 192.0.2.25 -Helo mail.stack.test -From sa@stack.test -To pc@partner.test -Message $raw).Code | Should -Be 250
        $m = Wait-Message pc@partner.test INBOX 'after switch'
        @(Headers $m 'Authentication-Results')[0] | Should -Match 'dkim=pass header\.d=stack\.test header\.s=next1'
        { Switch-MailDkimKey -Domain stack.test -SkipDnsCheck -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NoNextDkimKey*'
    }
}

Describe 'Export-MailServerConfig -Rspamd refusals and options' {
    It 'refuses to write rspamd''s configuration while a domain has no DKIM key, naming the fix; -ContentFilterFailOpen writes fail-open settings' {
        Add-MailDomain nokey.test | Out-Null
        & sqlite3 $stack.Store "DELETE FROM dkim_key WHERE domain = 'nokey.test'"
        $out = Join-Path $TestDrive 'export-nokey'
        $p = @{ HostName = 'mail.stack.test'; CertificateFile = '/x/cert.pem'; KeyFile = '/x/key.pem'; Rspamd = $true; ClamdAddress = '127.0.0.1:3310' }
        $err = { Export-MailServerConfig -Path $out @p -ErrorAction Stop } | Should -Throw -ErrorId 'DkimKeyMissing*' -PassThru
        $err.Exception.Message | Should -Match 'New-MailDkimKey -Domain nokey\.test'
        New-MailDkimKey -Domain nokey.test -Selector k1 | Out-Null
        Switch-MailDkimKey -Domain nokey.test -SkipDnsCheck -Confirm:$false | Out-Null
        Export-MailServerConfig -Path $out @p -ContentFilterFailOpen -Force | Out-Null
        Get-Content (Join-Path $out 'postfix/main.cf') -Raw | Should -Match '(?m)^milter_default_action = accept$'
        Get-Content (Join-Path $out 'rspamd/local.d/force_actions.conf') -Raw | Should -Not -Match 'MAILADMIN_CLAMD_DOWN'
        Get-Content (Join-Path $out 'rspamd/dkim_selectors.map') | Should -Contain 'nokey.test k1'
        { Export-MailServerConfig -Path $out @p -RspamdMilterAddress 'nowhere' -Force -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidAddress*'
        { Export-MailServerConfig -Path $out @p -DnsServer 'dns.example' -Force -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDnsServer*'
    }
}
