# The Local provider serving real mail: Postfix and Dovecot from Debian, started on 127.0.0.1 from exactly the
# configuration Export-MailServerConfig writes, reading the store the cmdlets change.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/MailStack.psm1') -Force
    $conn = Initialize-MailAdminTest -Name stack
    Add-MailDomain stack.test -MailHost mail.stack.test | Out-Null
    Add-MailDomain partner.test | Out-Null
    $ca = New-TestCertificateAuthority 'MailAdmin Stack CA'
    $srv = New-TestServerCertificate $ca 'mail.stack.test', 'localhost'
    $trust = Get-TrustAnchor $ca
    $stack = Start-TestMailStack -Folder (Join-Path $TestDrive 'stack') -CertPem $srv.ChainPem -KeyPem $srv.KeyPem
    function Cred([string] $user, [string] $password) { [pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force)) }
    function Login([pscredential] $c, [string[]] $protocol = @('Imap', 'Pop3', 'Smtp')) {
        $r = Test-MailLogin localhost -Credential $c -Protocol $protocol -ImapPort $stack.ImapPort -Pop3Port $stack.Pop3Port -SmtpPort $stack.SubmissionPort -TrustedCertificate $trust
        $r
    }
}

AfterAll {
    if ($stack) {
        Stop-TestMailStack $stack
        # keep the servers' logs for a failed run
        Copy-Item (Join-Path $stack.Folder 'log') (Join-Path ([System.IO.Path]::GetTempPath()) 'mailadmin-stack-logs') -Recurse -Force -ErrorAction Ignore
    }
}

Describe 'The test harness' {
    It 'hands out each port once per run, so two listeners of one stack never get the same port' {
        # CI saw Dovecot refuse a stack with "duplicate listener": two of its nine ports were drawn alike
        $drawn = & (Get-Module MailStack) { 1..1000 | ForEach-Object { Get-FreePort } }
        $drawn.Count | Should -Be 1000
        ($drawn | Sort-Object -Unique).Count | Should -Be 1000
    }
}

Describe 'Export-MailServerConfig' {
    It 'writes the Postfix and Dovecot files with the store, ports and certificate filled in' {
        $stack.Files.Count | Should -Be 26
        $main = Get-Content (Join-Path $stack.Folder 'postfix/main.cf') -Raw
        $main | Should -Match ([regex]::Escape("virtual_transport = lmtp:inet:127.0.0.1:$($stack.LmtpPort)"))
        $main | Should -Not -Match '\{\{'
        (Get-Content (Join-Path $stack.Folder 'postfix/sqlite-mailboxes.cf') -Raw) | Should -Match ([regex]::Escape("dbpath = $($stack.Store)"))
        (Get-Content (Join-Path $stack.Folder 'dovecot/dovecot-sql.conf.ext') -Raw) | Should -Match "FROM dovecot_denied WHERE username = '%u' AND service IN \('%s', '\*'\)"
        { Export-MailServerConfig -Path $stack.Folder -HostName mail.stack.test -CertificateFile /x/cert.pem -KeyFile /x/key.pem -ErrorAction Stop } | Should -Throw -ErrorId 'ConfigFileExists*'
        { Export-MailServerConfig -Path (Join-Path $TestDrive 'x') -HostName 'not a host' -CertificateFile /x/cert.pem -KeyFile /x/key.pem -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidHostName*'
        Export-MailServerConfig -Path (Join-Path $TestDrive 'whatif') -HostName mail.stack.test -CertificateFile /x/c.pem -KeyFile /x/k.pem -WhatIf
        Test-Path (Join-Path $TestDrive 'whatif') | Should -BeFalse
    }
}

Describe 'Logins against Dovecot and Postfix' {
    It 'accepts a new mailbox''s password on IMAP, POP3 and SMTP AUTH, and refuses a wrong one with the reason' {
        New-Mailbox li.lei@stack.test -DisplayName '李雷' -Password 'Str0ng-Passw0rd' | Out-Null
        $ok = Login (Cred li.lei@stack.test 'Str0ng-Passw0rd')
        ($ok | ForEach-Object { "$($_.Protocol)=$($_.Accepted)" }) | Should -Be @('Imap=True', 'Pop3=True', 'Smtp=True')
        ($ok | Where-Object Protocol -eq Imap).Security | Should -Be 'StartTls'
        ($ok | Where-Object Protocol -eq Imap).TlsProtocol | Should -Match 'TLS 1\.[23]'
        $bad = Login (Cred li.lei@stack.test 'wrong-password') Imap
        $bad.Accepted | Should -BeFalse
        $bad.Reason | Should -Match 'login refused'
    }

    It 'refuses a disabled mailbox everywhere and accepts it again when enabled' {
        New-Mailbox han@stack.test -DisplayName Han -Password 'Str0ng-Passw0rd' | Out-Null
        Disable-Mailbox han@stack.test -Confirm:$false
        (Login (Cred han@stack.test 'Str0ng-Passw0rd')).Accepted | Should -Be @($false, $false, $false)
        Enable-Mailbox han@stack.test
        (Login (Cred han@stack.test 'Str0ng-Passw0rd')).Accepted | Should -Be @($true, $true, $true)
    }

    It 'ends the IMAP and POP3 sessions a mailbox has open when it is disabled (a leaver''s mail client loses access at once)' {
        New-Mailbox leaver@stack.test -DisplayName Leaver -Password 'Str0ng-Passw0rd' | Out-Null
        # IMAP and POP3 clients that stay connected: MailKit from the module's own folder
        if (-not ('MailKit.Net.Imap.ImapClient' -as [type])) {
            $deps = Join-Path $env:MAILADMIN_TEST_MODULE 'deps'
            Add-Type -Path (Join-Path $deps 'BouncyCastle.Cryptography.dll'), (Join-Path $deps 'MimeKit.dll'), (Join-Path $deps 'MailKit.dll')
        }
        $imap = [MailKit.Net.Imap.ImapClient]::new()
        $imap.Connect('127.0.0.1', $stack.ImapPort, [MailKit.Security.SecureSocketOptions]::None)
        $imap.Authenticate('leaver@stack.test', 'Str0ng-Passw0rd')
        $imap.Inbox.Open([MailKit.FolderAccess]::ReadOnly) | Out-Null
        $pop = [MailKit.Net.Pop3.Pop3Client]::new()
        $pop.Connect('127.0.0.1', $stack.Pop3Port, [MailKit.Security.SecureSocketOptions]::None)
        $pop.Authenticate('leaver@stack.test', 'Str0ng-Passw0rd')
        try {
            # both sessions are alive before
            $imap.NoOp()
            $pop.NoOp()
            Disable-Mailbox leaver@stack.test -Confirm:$false
            $ended = @{ Imap = $false; Pop3 = $false }
            $deadline = [datetime]::Now.AddSeconds(10)
            while (-not ($ended.Imap -and $ended.Pop3) -and [datetime]::Now -lt $deadline) {
                if (-not $ended.Imap) { try { $imap.NoOp() } catch { $ended.Imap = $true } }
                if (-not $ended.Pop3) { try { $pop.NoOp() } catch { $ended.Pop3 = $true } }
                Start-Sleep -Milliseconds 200
            }
            $ended.Imap | Should -BeTrue -Because 'Dovecot should have ended the IMAP session of the disabled mailbox'
            $ended.Pop3 | Should -BeTrue -Because 'Dovecot should have ended the POP3 session of the disabled mailbox'
        }
        finally { $imap.Dispose(); $pop.Dispose() }
        (Login (Cred leaver@stack.test 'Str0ng-Passw0rd')).Accepted | Should -Be @($false, $false, $false)
    }

    It 'makes the old password fail and the new one work after Reset-MailboxPassword' {
        New-Mailbox wang@stack.test -DisplayName Wang -Password 'Old-Passw0rd!' | Out-Null
        $new = Reset-MailboxPassword wang@stack.test
        (Login (Cred wang@stack.test 'Old-Passw0rd!') Imap).Accepted | Should -BeFalse
        (Login $new Imap, Smtp).Accepted | Should -Be @($true, $true)
    }

    It 'switches IMAP off while POP still works, and the reverse; SMTP AUTH follows SmtpEnabled' {
        New-Mailbox zhao@stack.test -DisplayName Zhao -Password 'Str0ng-Passw0rd' | Out-Null
        $c = Cred zhao@stack.test 'Str0ng-Passw0rd'
        Set-MailboxSetting zhao@stack.test -ImapEnabled $false
        ($(Login $c Imap, Pop3) | ForEach-Object { "$($_.Protocol)=$($_.Accepted)" }) | Should -Be @('Imap=False', 'Pop3=True')
        Set-MailboxSetting zhao@stack.test -ImapEnabled $true -PopEnabled $false
        ($(Login $c Imap, Pop3) | ForEach-Object { "$($_.Protocol)=$($_.Accepted)" }) | Should -Be @('Imap=True', 'Pop3=False')
        Set-MailboxSetting zhao@stack.test -SmtpEnabled $false
        (Login $c Smtp).Accepted | Should -BeFalse
    }

    It 'checks the certificate by default and says when checking was skipped' {
        New-Mailbox cert@stack.test -DisplayName C -Password 'Str0ng-Passw0rd' | Out-Null
        $r = Test-MailLogin localhost -Credential (Cred cert@stack.test 'Str0ng-Passw0rd') -Protocol Imap -ImapPort $stack.ImapsPort -ImplicitTls
        $r.Accepted | Should -BeFalse
        $r.Reason | Should -Match 'certificate'
        $s = Test-MailLogin localhost -Credential (Cred cert@stack.test 'Str0ng-Passw0rd') -Protocol Imap -ImapPort $stack.ImapsPort -ImplicitTls -SkipCertificateCheck
        $s.Accepted | Should -BeTrue
        $s.CertificateChecked | Should -BeFalse
    }
}

Describe 'Sending through Postfix with the store''s rules' {
    BeforeAll {
        function Maildir([string] $address, [string] $folder = '') {
            $local, $domain = $address -split '@'
            $dir = Join-Path $stack.Folder "mail/$domain/$local/Maildir$(if ($folder) { "/.$folder" })/new"
            @(Get-ChildItem $dir -File -ErrorAction Ignore)
        }
        function Wait-Mail([string] $address, [int] $count, [string] $folder = '') {
            $deadline = [datetime]::Now.AddSeconds(20)
            while ([datetime]::Now -lt $deadline -and (Maildir $address $folder).Count -lt $count) { Start-Sleep -Milliseconds 200 }
            (Maildir $address $folder).Count
        }
        # sends and returns the results and the errors (ErrorRecords) together
        function Send([string] $user, [string] $password, [hashtable] $m) {
            $p = @{ SmtpServer = 'localhost'; Port = $stack.SubmissionPort; Credential = (Cred $user $password); TrustedCertificate = $trust }
            if ($MyInvocation.ExpectingInput) { $input | Send-Mail @p @m -ErrorAction Continue 2>&1 } else { Send-Mail @p @m -ErrorAction Continue 2>&1 }
        }
        function Errors($out) { @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) }
        foreach ($a in 'sa@stack.test', 'sb@stack.test', 'sc@stack.test', 'internal@stack.test', 'silent@stack.test', 'arch@stack.test', 'g1@stack.test', 'g2@stack.test') {
            New-Mailbox $a -DisplayName $a -Password 'Str0ng-Passw0rd' | Out-Null
        }
    }

    It 'delivers mail sent with SMTP AUTH, over one connection for pipeline input' {
        $r = 1..3 | ForEach-Object { [pscustomobject]@{ To = 'sb@stack.test'; Subject = "hello $_"; Body = 'text' } } | Send sa@stack.test 'Str0ng-Passw0rd' @{ From = 'sa@stack.test' }
        $r.Count | Should -Be 3
        $r[0].Response | Should -Match 'queued as'
        Wait-Mail sb@stack.test 3 | Should -Be 3
    }

    It 'refuses another address as From unless the login holds SendAs on it' {
        $err = Errors (Send sa@stack.test 'Str0ng-Passw0rd' @{ From = 'sc@stack.test'; To = 'sb@stack.test'; Subject = 'spoof'; Body = 'x' })
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SendRefused*'
        $err[0].Exception.Message | Should -Match '553|not owned'
        Set-MailPermission sc@stack.test -Trustee sa@stack.test -AccessRights SendAs
        (Send sa@stack.test 'Str0ng-Passw0rd' @{ From = 'sc@stack.test'; To = 'sb@stack.test'; Subject = 'as sc'; Body = 'x' }).Response | Should -Match 'queued'
        Remove-MailPermission sc@stack.test -Trustee sa@stack.test -AccessRights SendAs -Confirm:$false
        $err = Errors (Send sa@stack.test 'Str0ng-Passw0rd' @{ From = 'sc@stack.test'; To = 'sb@stack.test'; Subject = 'again'; Body = 'x' })
        $err.Count | Should -Be 1
    }

    It 'keeps SendScope Internal to this server''s domains and refuses all sending for None' {
        Set-MailPermission internal@stack.test -SendScope Internal
        (Send internal@stack.test 'Str0ng-Passw0rd' @{ From = 'internal@stack.test'; To = 'sb@stack.test'; Subject = 'inside'; Body = 'x' }).Response | Should -Match 'queued'
        $err = Errors (Send internal@stack.test 'Str0ng-Passw0rd' @{ From = 'internal@stack.test'; To = 'someone@example.com'; Subject = 'outside'; Body = 'x' })
        $err[0].Exception.Message | Should -Match '554|Relay access denied|rejected|denied'
        Set-MailPermission silent@stack.test -SendScope None
        $err = Errors (Send silent@stack.test 'Str0ng-Passw0rd' @{ From = 'silent@stack.test'; To = 'sb@stack.test'; Subject = 'none'; Body = 'x' })
        $err.Count | Should -Be 1
        Set-MailPermission silent@stack.test -SendScope Any
        (Send silent@stack.test 'Str0ng-Passw0rd' @{ From = 'silent@stack.test'; To = 'sb@stack.test'; Subject = 'now'; Body = 'x' }).Response | Should -Match 'queued'
    }

    It 'delivers mail for a group to every member' {
        New-MailGroup team@stack.test -DisplayName Team -Members g1@stack.test, g2@stack.test | Out-Null
        Send sa@stack.test 'Str0ng-Passw0rd' @{ From = 'sa@stack.test'; To = 'team@stack.test'; Subject = 'to the team'; Body = 'x' } | Out-Null
        Wait-Mail g1@stack.test 1 | Should -Be 1
        Wait-Mail g2@stack.test 1 | Should -Be 1
    }

    It 'keeps outside senders away from Organization, Members and Listed groups and lets them reach Anyone groups' {
        New-MailGroup members@stack.test -DisplayName M -Members g1@stack.test, g2@stack.test -WhoCanSend Members | Out-Null
        New-MailGroup listed@stack.test -DisplayName L -Members g1@stack.test -WhoCanSend Listed -AllowedSenders sc@stack.test | Out-Null
        New-MailGroup org@stack.test -DisplayName O -Members g1@stack.test -WhoCanSend Organization | Out-Null
        New-MailGroup open@stack.test -DisplayName A -Members g1@stack.test -WhoCanSend Anyone | Out-Null
        (Send g1@stack.test 'Str0ng-Passw0rd' @{ From = 'g1@stack.test'; To = 'members@stack.test'; Subject = 'member'; Body = 'x' }).Response | Should -Match 'queued'
        (Send sc@stack.test 'Str0ng-Passw0rd' @{ From = 'sc@stack.test'; To = 'listed@stack.test'; Subject = 'listed'; Body = 'x' }).Response | Should -Match 'queued'
        # port 25 without a login: an outside sender reaches Anyone groups, not Organization ones
        $outside = @{ SmtpServer = 'localhost'; Port = $stack.SmtpPort; TrustedCertificate = $trust; From = 'someone@example.org'; Body = 'x'; ErrorAction = 'Continue' }
        (Send-Mail @outside -To open@stack.test -Subject 'from outside' 2>&1 | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }).Response | Should -Match 'queued'
        foreach ($g in 'org@stack.test', 'members@stack.test', 'listed@stack.test') {
            $e = @(Send-Mail @outside -To $g -Subject 'from outside' 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $e.Count | Should -Be 1 -Because "$g takes no mail from outside"
            $e[0].Exception.Message | Should -Match '554|rejected|denied'
        }
        (Send sa@stack.test 'Str0ng-Passw0rd' @{ From = 'sa@stack.test'; To = 'org@stack.test'; Subject = 'inside'; Body = 'x' }).Response | Should -Match 'queued'
    }

    It 'takes mail for a Members group only from its members and for a Listed group only from its allowed senders' {
        Add-MailGroupMember members@stack.test -Member friend@partner.example
        # a logged-in sender of this organisation who is neither a member nor listed is refused at RCPT
        foreach ($case in @(@{ User = 'sa@stack.test'; To = 'members@stack.test'; Why = 'only members' }, @{ User = 'g1@stack.test'; To = 'listed@stack.test'; Why = 'only the allowed senders' })) {
            $e = Errors (Send $case.User 'Str0ng-Passw0rd' @{ From = $case.User; To = $case.To; Subject = 'not allowed'; Body = 'x' })
            $e.Count | Should -Be 1 -Because "$($case.User) may not send to $($case.To)"
            $e[0].Exception.Message | Should -Match $case.Why
        }
        # an outside member may send from outside; an internal member's address without a login may not (no spoofing from port 25)
        $port25 = @{ SmtpServer = 'localhost'; Port = $stack.SmtpPort; TrustedCertificate = $trust; Body = 'x'; To = 'members@stack.test' }
        (Send-Mail @port25 -From friend@partner.example -Subject 'outside member').Response | Should -Match 'queued'
        $e = @(Send-Mail @port25 -From g2@stack.test -Subject 'spoofed member' -ErrorAction Continue 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $e.Count | Should -Be 1
        # a member who logged in may, and the mail reaches the members; a plus-address of the group is held to the same rule
        (Send g2@stack.test 'Str0ng-Passw0rd' @{ From = 'g2@stack.test'; To = 'members@stack.test'; Subject = 'member 2'; Body = 'x' }).Response | Should -Match 'queued'
        $e = Errors (Send sa@stack.test 'Str0ng-Passw0rd' @{ From = 'sa@stack.test'; To = 'members+x@stack.test'; Subject = 'detail'; Body = 'x' })
        $e.Count | Should -Be 1
        # the policy reads the store live: listing a sender lets it through at once
        Set-MailGroup listed@stack.test -AllowedSenders sc@stack.test, g1@stack.test
        (Send g1@stack.test 'Str0ng-Passw0rd' @{ From = 'g1@stack.test'; To = 'listed@stack.test'; Subject = 'now listed'; Body = 'x' }).Response | Should -Match 'queued'
    }

    It 'files a copy of each sent and received message in the Archive folder when archiving is on' {
        Set-MailboxSetting arch@stack.test -ArchiveEnabled $true
        Send sa@stack.test 'Str0ng-Passw0rd' @{ From = 'sa@stack.test'; To = 'arch@stack.test'; Subject = 'in'; Body = 'x' } | Out-Null
        Send arch@stack.test 'Str0ng-Passw0rd' @{ From = 'arch@stack.test'; To = 'sb@stack.test'; Subject = 'out'; Body = 'x' } | Out-Null
        Wait-Mail arch@stack.test 2 'Archive' | Should -Be 2
        Wait-Mail arch@stack.test 1 | Should -Be 1
    }
}

Describe 'Mailbox permissions as IMAP ACLs' {
    BeforeAll {
        # an IMAP client for the assertions: MailKit from the module's own folder, loaded into the test's context (unless the
        # login tests above loaded it already: a second Add-Type of it fails)
        if (-not ('MailKit.Net.Imap.ImapClient' -as [type])) {
            $deps = Join-Path $env:MAILADMIN_TEST_MODULE 'deps'
            Add-Type -Path (Join-Path $deps 'BouncyCastle.Cryptography.dll'), (Join-Path $deps 'MimeKit.dll'), (Join-Path $deps 'MailKit.dll')
        }
        function Imap([string] $user) {
            $c = [MailKit.Net.Imap.ImapClient]::new()
            $c.Connect('127.0.0.1', $stack.ImapPort, [MailKit.Security.SecureSocketOptions]::None)   # Dovecot treats loopback as secure
            $c.Authenticate($user, 'Str0ng-Passw0rd')
            $c
        }
        function Note([string] $from) {
            $m = [MimeKit.MimeMessage]::new(); $m.From.Add([MimeKit.MailboxAddress]::Parse($from)); $m.To.Add([MimeKit.MailboxAddress]::Parse('owner@stack.test'))
            $m.Subject = 'appended'; $t = [MimeKit.TextPart]::new('plain'); $t.Text = 'x'; $m.Body = $t; $m
        }
        foreach ($a in 'owner@stack.test', 'reader@stack.test', 'editor@stack.test') { New-Mailbox $a -DisplayName $a -Password 'Str0ng-Passw0rd' | Out-Null }
        Send-Mail -SmtpServer localhost -Port $stack.SubmissionPort -Credential (Cred editor@stack.test 'Str0ng-Passw0rd') -TrustedCertificate $trust -From editor@stack.test -To owner@stack.test -Subject 'for the team' -Body 'x' | Out-Null
        $deadline = [datetime]::Now.AddSeconds(20)
        while ([datetime]::Now -lt $deadline -and -not (Get-ChildItem (Join-Path $stack.Folder 'mail/stack.test/owner/Maildir/new') -File -ErrorAction Ignore)) { Start-Sleep -Milliseconds 200 }
    }

    It 'lets a ReadOnly trustee open and read the mailbox but not change it, a FullAccess trustee change it, and takes access away' {
        Set-MailPermission owner@stack.test -Trustee reader@stack.test -AccessRights ReadOnly
        Set-MailPermission owner@stack.test -Trustee editor@stack.test -AccessRights FullAccess
        $r = Imap reader@stack.test
        $f = $r.GetFolder('shared/owner@stack.test')
        $f.Open([MailKit.FolderAccess]::ReadWrite) | Should -Be 'ReadOnly'
        $f.Count | Should -Be 1
        $f.GetMessage(0).Subject | Should -Be 'for the team'
        $refused = $null
        try { $f.Append([MailKit.AppendRequest]::new((Note reader@stack.test)), [System.Threading.CancellationToken]::None) | Out-Null } catch { $refused = $_.Exception.GetBaseException() }
        $refused | Should -BeOfType ([MailKit.Net.Imap.ImapCommandException])
        $refused.Message | Should -Match 'Permission denied|NOPERM|not allowed'
        # the server opened it READ-ONLY, so flagging for deletion (and moving) is refused
        { $f.Store(0, [MailKit.StoreFlagsRequest]::new([MailKit.StoreAction]::Add, [MailKit.MessageFlags]::Deleted)) } | Should -Throw
        { $f.MoveTo(0, $r.Inbox) } | Should -Throw
        $f.Count | Should -Be 1
        $r.Disconnect($true)
        $e = Imap editor@stack.test
        $g = $e.GetFolder('shared/owner@stack.test')
        $g.Open([MailKit.FolderAccess]::ReadWrite) | Should -Be 'ReadWrite'
        $g.Append([MailKit.AppendRequest]::new((Note editor@stack.test)), [System.Threading.CancellationToken]::None) | Out-Null
        $g.Count | Should -Be 2
        $e.Disconnect($true)
        # a folder the owner makes after the grant is shared too (it takes the INBOX's ACL)
        $o = Imap owner@stack.test
        $projects = $null; $projects = $o.GetFolder($o.PersonalNamespaces[0]).Create('Projects', $true)
        $projects.Append([MailKit.AppendRequest]::new((Note owner@stack.test)), [System.Threading.CancellationToken]::None) | Out-Null
        $o.Disconnect($true)
        $r1 = Imap reader@stack.test
        $p1 = $r1.GetFolder('shared/owner@stack.test/Projects')
        $p1.Open([MailKit.FolderAccess]::ReadWrite) | Should -Be 'ReadOnly'
        $p1.Count | Should -Be 1
        $r1.Disconnect($true)
        Remove-MailPermission owner@stack.test -Trustee reader@stack.test -AccessRights ReadOnly -Confirm:$false
        $r2 = Imap reader@stack.test
        { $r2.GetFolder('shared/owner@stack.test').Open([MailKit.FolderAccess]::ReadOnly) } | Should -Throw
        $r2.Disconnect($true)
    }
}

Describe 'Shared mailboxes on the real stack' {
    BeforeAll {
        # MailKit from the module's folder, unless the ACL tests above loaded it already (a second Add-Type of it fails)
        if (-not ('MailKit.Net.Imap.ImapClient' -as [type])) {
            $deps = Join-Path $env:MAILADMIN_TEST_MODULE 'deps'
            Add-Type -Path (Join-Path $deps 'BouncyCastle.Cryptography.dll'), (Join-Path $deps 'MimeKit.dll'), (Join-Path $deps 'MailKit.dll')
        }
        function ImapAs([string] $user) {
            $c = [MailKit.Net.Imap.ImapClient]::new()
            $c.Connect('127.0.0.1', $stack.ImapPort, [MailKit.Security.SecureSocketOptions]::None)
            $c.Authenticate($user, 'Str0ng-Passw0rd')
            $c
        }
        function InboxCount([string] $address) {
            $local, $domain = $address -split '@'
            @(Get-ChildItem (Join-Path $stack.Folder "mail/$domain/$local/Maildir/new") -File -ErrorAction Ignore).Count
        }
        function SendAs([string] $user, [hashtable] $m) {
            $p = @{ SmtpServer = 'localhost'; Port = $stack.SubmissionPort; Credential = (Cred $user 'Str0ng-Passw0rd'); TrustedCertificate = $trust }
            Send-Mail @p @m -ErrorAction Continue 2>&1
        }
        # (team@stack.test is a group of the tests above)
        New-Mailbox helpdesk@stack.test -DisplayName 'Helpdesk' -Shared | Out-Null
        foreach ($a in 'member@stack.test', 'outsider@stack.test', 'conv@stack.test') { New-Mailbox $a -DisplayName $a -Password 'Str0ng-Passw0rd' | Out-Null }
        Set-MailPermission helpdesk@stack.test -Trustee member@stack.test -AccessRights FullAccess
        Set-MailPermission helpdesk@stack.test -Trustee member@stack.test -AccessRights SendAs
    }

    It 'is a mailbox nobody signs in to: IMAP, POP3 and SMTP AUTH refuse it, and it takes no password' {
        $m = Get-Mailbox helpdesk@stack.test
        $m.Type | Should -Be 'Shared'
        $m.HasPassword | Should -BeFalse
        (Get-Mailbox -Shared | ForEach-Object Address) | Should -Be @('helpdesk@stack.test')
        (Login (Cred helpdesk@stack.test 'Str0ng-Passw0rd')).Accepted | Should -Be @($false, $false, $false)
        $pw = ConvertTo-SecureString 'Str0ng-Passw0rd' -AsPlainText -Force
        { Reset-MailboxPassword helpdesk@stack.test -Password $pw -ErrorAction Stop } | Should -Throw -ErrorId 'SharedMailboxNoSignIn*'
        { New-MailAppPassword helpdesk@stack.test -Name phone -ErrorAction Stop } | Should -Throw -ErrorId 'SharedMailboxNoSignIn*'
        (Login (Cred helpdesk@stack.test 'Str0ng-Passw0rd')).Accepted | Should -Be @($false, $false, $false)
    }

    It 'receives mail; a FullAccess user reads and files it over IMAP, a user without a grant cannot open it' {
        $before = InboxCount helpdesk@stack.test
        $sent = SendAs outsider@stack.test @{ From = 'outsider@stack.test'; To = 'helpdesk@stack.test'; Subject = 'to the team'; Body = 'x' }
        $sent.Response | Should -Match 'queued'
        $deadline = [datetime]::Now.AddSeconds(20)
        while ([datetime]::Now -lt $deadline -and (InboxCount helpdesk@stack.test) -le $before) { Start-Sleep -Milliseconds 200 }
        InboxCount helpdesk@stack.test | Should -Be ($before + 1)
        $c = ImapAs member@stack.test
        $f = $c.GetFolder('shared/helpdesk@stack.test')
        $f.Open([MailKit.FolderAccess]::ReadWrite) | Should -Be 'ReadWrite'
        $f.Count | Should -Be 1
        $f.GetMessage(0).Subject | Should -Be 'to the team'
        $f.Store(0, [MailKit.StoreFlagsRequest]::new([MailKit.StoreAction]::Add, [MailKit.MessageFlags]::Seen)) | Should -BeTrue
        $c.Disconnect($true)
        $o = ImapAs outsider@stack.test
        { $o.GetFolder('shared/helpdesk@stack.test').Open([MailKit.FolderAccess]::ReadOnly) } | Should -Throw
        $o.Disconnect($true)
    }

    It 'lets a SendAs user send as its address through submission, and nobody else' {
        $before = InboxCount outsider@stack.test
        $sent = SendAs member@stack.test @{ From = 'helpdesk@stack.test'; To = 'outsider@stack.test'; Subject = 'from the team'; Body = 'x' }
        $sent.Response | Should -Match 'queued'
        $out = SendAs outsider@stack.test @{ From = 'helpdesk@stack.test'; To = 'member@stack.test'; Subject = 'spoof'; Body = 'x' }
        $refused = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $refused.Count | Should -Be 1
        $refused[0].Exception.Message | Should -Match '553|not owned'
        $deadline = [datetime]::Now.AddSeconds(20)
        while ([datetime]::Now -lt $deadline -and (InboxCount outsider@stack.test) -le $before) { Start-Sleep -Milliseconds 200 }
        InboxCount outsider@stack.test | Should -Be ($before + 1)
    }

    It 'turns a person''s mailbox into a shared one (its password stops working at once, its open sessions end) and back' {
        (Login (Cred conv@stack.test 'Str0ng-Passw0rd')).Accepted | Should -Be @($true, $true, $true)
        Set-Mailbox conv@stack.test -Type Shared -WhatIf
        (Get-Mailbox conv@stack.test).Type | Should -Be 'User'
        $open = ImapAs conv@stack.test
        $open.Inbox.Open([MailKit.FolderAccess]::ReadOnly) | Out-Null
        (Set-Mailbox conv@stack.test -Type Shared -PassThru -Confirm:$false).HasPassword | Should -BeFalse
        # the session opened before is ended by the server, as Remove-Mailbox ends them
        $ended = $false
        $deadline = [datetime]::Now.AddSeconds(10)
        while (-not $ended -and [datetime]::Now -lt $deadline) {
            try { $open.NoOp(); Start-Sleep -Milliseconds 200 } catch { $ended = $true }
        }
        $ended | Should -BeTrue
        $open.Dispose()
        (Login (Cred conv@stack.test 'Str0ng-Passw0rd')).Accepted | Should -Be @($false, $false, $false)
        Set-Mailbox conv@stack.test -Type User -Confirm:$false
        (Login (Cred conv@stack.test 'Str0ng-Passw0rd')).Accepted | Should -Be @($false, $false, $false)
        Reset-MailboxPassword conv@stack.test -Password (ConvertTo-SecureString 'An0ther-Passw0rd' -AsPlainText -Force)
        (Login (Cred conv@stack.test 'An0ther-Passw0rd')).Accepted | Should -Be @($true, $true, $true)
    }
}

Describe 'Test-MailServer against Postfix and Dovecot' {
    BeforeAll {
        $ports = @{ Smtp = $stack.SmtpPort; Submission = $stack.SubmissionPort; Submissions = $stack.SubmissionsPort; Imap = $stack.ImapPort; Imaps = $stack.ImapsPort; Pop3 = $stack.Pop3Port; Pop3s = $stack.Pop3sPort }
        New-Mailbox probe@stack.test -DisplayName Probe -Password 'Str0ng-Passw0rd' | Out-Null
    }

    It 'reports every service: TLS mode and version, certificate, banner, capabilities, AUTH and the login' {
        $r = Test-MailServer localhost -Port $ports -TrustedCertificate $trust -Credential (Cred probe@stack.test 'Str0ng-Passw0rd')
        $r.Count | Should -Be 7
        ($r | Where-Object { -not $_.Connected }) | Should -BeNullOrEmpty
        ($r | ForEach-Object { "$($_.Service)=$($_.Security)" }) | Should -Be @('Smtp=StartTls', 'Submission=StartTls', 'Submissions=ImplicitTls', 'Imap=StartTls', 'Imaps=ImplicitTls', 'Pop3=StartTls', 'Pop3s=ImplicitTls')
        ($r | Where-Object { $_.TlsProtocol -notmatch 'TLS 1\.[23]' }) | Should -BeNullOrEmpty
        ($r | Where-Object { $_.CertificateValid -ne $true }) | Should -BeNullOrEmpty
        ($r | Where-Object Service -eq Imaps).CertificateNames | Should -Contain 'mail.stack.test'
        ($r | Where-Object Service -eq Smtp).Banner | Should -Match '^220 mail.stack.test ESMTP'
        ($r | Where-Object Service -eq Submission).AuthMechanisms | Should -Contain 'PLAIN'
        ($r | Where-Object Service -eq Smtp).AuthMechanisms | Should -BeNullOrEmpty
        ($r | Where-Object Service -eq Imaps).Capabilities | Should -Contain 'Idle'
        ($r | Where-Object { $_.Service -ne 'Smtp' } | ForEach-Object LoginAccepted) | Should -Not -Contain $false
        ($r | Where-Object Service -eq Smtp).LoginAccepted | Should -BeFalse -Because 'port 25 offers no AUTH'
    }

    It 'checks the certificate by default and reports when the check is skipped' {
        $u = Test-MailServer localhost -Service Imaps -Port $ports
        $u.Connected | Should -BeFalse
        $u.Error | Should -Match 'does not chain to a trusted root'
        $s = Test-MailServer localhost -Service Imaps -Port $ports -SkipCertificateCheck
        $s.Connected | Should -BeTrue
        $s.CertificateChecked | Should -BeFalse
        $s.CertificateProblem | Should -Match 'trusted root'
        (Test-MailServer 127.0.0.1 -Service Imaps -Port $ports -TrustedCertificate $trust).Error | Should -Match 'not valid for 127.0.0.1'
    }
}


Describe 'Scheduled mail' {
    BeforeAll {
        $queue = Join-Path $TestDrive 'queue.db'
        New-Mailbox planner@stack.test -DisplayName Planner -Password 'Str0ng-Passw0rd' | Out-Null
        New-Mailbox inbox2@stack.test -DisplayName Inbox -Password 'Str0ng-Passw0rd' | Out-Null
        $plannerCred = Cred planner@stack.test 'Str0ng-Passw0rd'
        $send = @{ SmtpServer = 'localhost'; Port = $stack.SubmissionPort; Credential = $plannerCred; From = 'planner@stack.test'; QueuePath = $queue }
        function Delivered([string] $local) { @(Get-ChildItem (Join-Path $stack.Folder "mail/stack.test/$local/Maildir/new") -File -ErrorAction Ignore).Count }
    }

    It 'queues with -SendAt, sends only what is due, keeps no password, and lets a queued message be removed' {
        $due = 1..3 | ForEach-Object { Send-Mail @send -To inbox2@stack.test -Subject "due $_" -Body x -SendAt (Get-Date).AddMinutes(-1) }
        $later = Send-Mail @send -To inbox2@stack.test -Subject 'later' -Body x -SendAt (Get-Date).AddHours(1)
        $due[0].Status | Should -Be 'Pending'
        $due[0].UserName | Should -Be 'planner@stack.test'
        (Get-ScheduledMail -QueuePath $queue -Status Pending).Count | Should -Be 4
        ([System.IO.File]::ReadAllText($queue)) | Should -Not -Match 'Str0ng-Passw0rd'
        $run = Invoke-ScheduledMail -SmtpServer localhost -Port $stack.SubmissionPort -QueuePath $queue -Credential $plannerCred -TrustedCertificate $trust
        $run.Sent | Should -Be 3
        (Get-ScheduledMail $later.Id -QueuePath $queue).Status | Should -Be 'Pending'
        (Get-ScheduledMail -QueuePath $queue -Status Sent).Count | Should -Be 3
        $deadline = [datetime]::Now.AddSeconds(20); while ([datetime]::Now -lt $deadline -and (Delivered inbox2) -lt 3) { Start-Sleep -Milliseconds 200 }
        Delivered inbox2 | Should -Be 3
        (Invoke-ScheduledMail -SmtpServer localhost -Port $stack.SubmissionPort -QueuePath $queue -Credential $plannerCred -TrustedCertificate $trust).Sent | Should -Be 0
        Remove-ScheduledMail $later.Id -QueuePath $queue -Confirm:$false
        Get-ScheduledMail $later.Id -QueuePath $queue | Should -BeNullOrEmpty
        # a long run shows progress (counted, as the queue may grow while it runs)
        $big = Join-Path $TestDrive 'progress.db'
        1..300 | ForEach-Object { [pscustomobject]@{ To = 'inbox2@stack.test'; Subject = "bulk $_"; Body = 'x' } } |
            Send-Mail -SmtpServer localhost -Port $stack.SubmissionPort -Credential $plannerCred -From planner@stack.test -QueuePath $big -SendAt (Get-Date).AddMinutes(-1) | Out-Null
        $trustPath = Join-Path $TestDrive 'trust.cer'; [System.IO.File]::WriteAllBytes($trustPath, $trust.RawData)
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$env:MAILADMIN_TEST_MODULE/MailAdmin.psd1'; `$c = [pscredential]::new('planner@stack.test', (ConvertTo-SecureString 'Str0ng-Passw0rd' -AsPlainText -Force)); Invoke-ScheduledMail -SmtpServer localhost -Port $($stack.SubmissionPort) -QueuePath '$big' -Credential `$c -BatchSize 10 -TrustedCertificate ([System.Security.Cryptography.X509Certificates.X509Certificate2]::new('$trustPath'))")
        $out = $ps.Invoke()
        $out[0].Sent | Should -Be 300
        @($ps.Streams.Progress | Where-Object StatusDescription -match 'message\(s\) handled').Count | Should -BeGreaterThan 0
        $ps.Dispose()
    }

    It 'keeps a failed send for a later retry with its error, and refuses a run without the queued login''s credential' {
        $q2 = Join-Path $TestDrive 'queue-fail.db'
        $m = Send-Mail -SmtpServer localhost -Port 1 -From planner@stack.test -To inbox2@stack.test -Subject 'nowhere' -Body x -SendAt (Get-Date).AddMinutes(-1) -QueuePath $q2
        $run = Invoke-ScheduledMail -SmtpServer localhost -Port 1 -QueuePath $q2 -TrustedCertificate $trust
        $run.WillRetry | Should -Be 1
        $after = Get-ScheduledMail $m.Id -QueuePath $q2
        $after.Status | Should -Be 'Pending'
        $after.Attempts | Should -Be 1
        $after.LastError | Should -Not -BeNullOrEmpty
        $after.NextAttemptAt | Should -BeGreaterThan ([datetime]::UtcNow)
        $m2 = Send-Mail @send -QueuePath $q2 -To inbox2@stack.test -Subject 'needs login' -Body x -SendAt (Get-Date).AddMinutes(-1)
        (Invoke-ScheduledMail -SmtpServer localhost -Port $stack.SubmissionPort -QueuePath $q2 -TrustedCertificate $trust).WillRetry | Should -Be 1
        (Get-ScheduledMail $m2.Id -QueuePath $q2).LastError | Should -Match 'planner@stack.test.*-Credential'
    }

    It 'never sends a message twice when two runs overlap' {
        $q3 = Join-Path $TestDrive 'queue-race.db'
        New-Mailbox race@stack.test -DisplayName Race -Password 'Str0ng-Passw0rd' | Out-Null
        1..150 | ForEach-Object { [pscustomobject]@{ To = 'race@stack.test'; Subject = "race $_"; Body = 'x' } } |
            Send-Mail @send -QueuePath $q3 -SendAt (Get-Date).AddMinutes(-1) | Out-Null
        $trustPath = Join-Path $TestDrive 'ca.cer'; [System.IO.File]::WriteAllBytes($trustPath, $trust.RawData)
        $cmd = "Import-Module '$env:MAILADMIN_TEST_MODULE/MailAdmin.psd1'; `$c = [pscredential]::new('planner@stack.test', (ConvertTo-SecureString 'Str0ng-Passw0rd' -AsPlainText -Force)); " +
               "Invoke-ScheduledMail -SmtpServer localhost -Port $($stack.SubmissionPort) -QueuePath '$q3' -Credential `$c -TrustedCertificate ([System.Security.Cryptography.X509Certificates.X509Certificate2]::new('$trustPath')) -BatchSize 10 | Out-Null"
        $p1 = Start-TestPwsh $cmd; $p2 = Start-TestPwsh $cmd
        $p1.WaitForExit(120000) | Should -BeTrue; $p2.WaitForExit(120000) | Should -BeTrue
        (Get-ScheduledMail -QueuePath $q3 -Status Sent).Count | Should -Be 150
        $deadline = [datetime]::Now.AddSeconds(60); while ([datetime]::Now -lt $deadline -and (Delivered race) -lt 150) { Start-Sleep -Milliseconds 300 }
        Start-Sleep -Seconds 1
        Delivered race | Should -Be 150
    }
}

Describe 'Test-MailDelivery' {
    It 'sends a probe, finds it in the recipient''s Inbox over IMAP and reports the delay' {
        New-Mailbox from@stack.test -DisplayName From -Password 'Str0ng-Passw0rd' | Out-Null
        New-Mailbox dest@stack.test -DisplayName Dest -Password 'Str0ng-Passw0rd' | Out-Null
        $r = Test-MailDelivery -SmtpServer localhost -SmtpPort $stack.SubmissionPort -Credential (Cred from@stack.test 'Str0ng-Passw0rd') -To dest@stack.test `
            -ImapPort $stack.ImapPort -RecipientCredential (Cred dest@stack.test 'Str0ng-Passw0rd') -TrustedCertificate $trust -TimeoutSec 30
        $r.Sent | Should -BeTrue
        $r.Delivered | Should -BeTrue -Because $r.Error
        $r.Folder | Should -Be 'Inbox'
        $r.IsJunk | Should -BeFalse
        $r.Delay.TotalSeconds | Should -BeLessThan 30
        $r.MessageId | Should -Not -BeNullOrEmpty
    }

    It 'says where it failed when the probe cannot be sent' {
        $r = Test-MailDelivery -SmtpServer localhost -SmtpPort $stack.SubmissionPort -Credential (Cred from@stack.test 'wrong') -To dest@stack.test `
            -ImapPort $stack.ImapPort -RecipientCredential (Cred dest@stack.test 'Str0ng-Passw0rd') -TrustedCertificate $trust -TimeoutSec 5
        $r.Sent | Should -BeFalse
        $r.Error | Should -Match 'sending failed'
    }
}
