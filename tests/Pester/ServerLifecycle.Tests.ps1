# The Local platform kept whole and safe on a real Postfix + Dovecot: quotas enforced, the recipient delimiter under one rule,
# removal that leaves nothing for a new hire at the same address, a reconcile that finds and mends drift, and a send scope
# that Sieve redirects, vacation replies and users' own ManageSieve scripts cannot get around.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/MailStack.psm1') -Force
    $conn = Initialize-MailAdminTest -Name life
    Add-MailDomain life.test -MailHost mail.life.test | Out-Null
    $ca = New-TestCertificateAuthority 'MailAdmin Lifecycle CA'
    $srv = New-TestServerCertificate $ca 'mail.life.test', 'localhost'
    $trust = Get-TrustAnchor $ca
    # not in $TestDrive: Pester empties what a Describe block made there when the block ends, which would take the mail
    # folders (and so the Sieve scripts and ACLs this suite checks) away between blocks
    $stackRoot = Join-Path ([System.IO.Path]::GetTempPath()) "mailadmin-life-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $stack = Start-TestMailStack -Folder (Join-Path $stackRoot 'stack') -CertPem $srv.ChainPem -KeyPem $srv.KeyPem -HostName mail.life.test
    $mailRoot = Join-Path $stack.Folder 'mail'
    $dovecotConf = Join-Path $stack.Folder 'dovecot/dovecot.conf'
    $postfixLog = Join-Path $stack.Folder 'log/postfix.log'
    $pw = 'Str0ng-Passw0rd'
    foreach ($a in 'boss', 'sender', 'det', 'quota', 'leaver', 'scoped', 'drift', 'viewer') { New-Mailbox "$a@life.test" -DisplayName $a -Password $pw | Out-Null }
    $deps = Join-Path $env:MAILADMIN_TEST_MODULE 'deps'
    Add-Type -Path (Join-Path $deps 'BouncyCastle.Cryptography.dll'), (Join-Path $deps 'MimeKit.dll'), (Join-Path $deps 'MailKit.dll')

    function Cred([string] $user) { [pscredential]::new($user, (ConvertTo-SecureString $pw -AsPlainText -Force)) }
    function Send([string] $from, [hashtable] $m) {
        Send-Mail -SmtpServer localhost -Port $stack.SubmissionPort -Credential (Cred $from) -TrustedCertificate $trust -From $from @m
    }
    # port 25 from this host, no login (what Dovecot's redirects and local scripts use)
    function Send25([hashtable] $m) { Send-Mail -SmtpServer localhost -Port $stack.SmtpPort -TrustedCertificate $trust @m }
    function Imap([string] $user, [scriptblock] $do) {
        $c = [MailKit.Net.Imap.ImapClient]::new()
        try {
            $c.Connect('127.0.0.1', $stack.ImapPort, [MailKit.Security.SecureSocketOptions]::None)
            $c.Authenticate($user, $pw)
            & $do $c
        } finally { $c.Dispose() }
    }
    function Subjects([string] $user, [string] $folder = 'INBOX') {
        Imap $user {
            param($c)
            $f = $null
            try { $f = $c.GetFolder($folder) } catch [MailKit.FolderNotFoundException] { return }
            $null = $f.Open([MailKit.FolderAccess]::ReadOnly)
            if ($f.Count -gt 0) { foreach ($s in $f.Fetch(0, -1, [MailKit.FetchRequest]::new([MailKit.MessageSummaryItems]::Envelope))) { $s.Envelope.Subject } }
        }
    }
    function FolderNames([string] $user) { Imap $user { param($c) foreach ($f in $c.GetFolders($c.PersonalNamespaces[0])) { $f.FullName }; foreach ($ns in $c.SharedNamespaces) { foreach ($f in $c.GetFolders($ns)) { $f.FullName } } } }
    function Wait-Subject([string] $user, [string] $folder, [string] $subject) {
        $deadline = [datetime]::Now.AddSeconds(20)
        do {
            if (@(Subjects $user $folder) -contains $subject) { return $true }
            Start-Sleep -Milliseconds 250
        } while ([datetime]::Now -lt $deadline)
        $false
    }
    function Wait-Log([string] $pattern, [int] $seconds = 20) {
        $deadline = [datetime]::Now.AddSeconds($seconds)
        do {
            $hit = Select-String -Path $postfixLog -Pattern $pattern -ErrorAction Ignore
            if ($hit) { return @($hit) }
            Start-Sleep -Milliseconds 250
        } while ([datetime]::Now -lt $deadline)
        @()
    }
    function Invoke-Doveadm { & (Get-Command doveadm -CommandType Application)[0].Source -c $dovecotConf @args 2>&1 }
    # a minimal ManageSieve client (RFC 5804): log in with PLAIN, upload a script and make it active
    function Invoke-ManageSieve([string] $user, [string] $name, [string] $script) {
        $tcp = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $stack.ManageSievePort)
        try {
            $s = $tcp.GetStream(); $s.ReadTimeout = 10000
            $r = [System.IO.StreamReader]::new($s, [System.Text.UTF8Encoding]::new($false)); $w = [System.IO.StreamWriter]::new($s, [System.Text.UTF8Encoding]::new($false)); $w.NewLine = "`r`n"; $w.AutoFlush = $true
            function Answer { $lines = @(); do { $l = $r.ReadLine(); $lines += $l } until ($l -match '^(OK|NO|BYE)'); $lines[-1] }
            $null = Answer
            $plain = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes("`0$user`0$pw"))
            $w.WriteLine("AUTHENTICATE `"PLAIN`" `"$plain`"")
            $auth = Answer
            if ($auth -notmatch '^OK') { return $auth }
            $bytes = [System.Text.Encoding]::UTF8.GetByteCount($script)
            $w.Write("PUTSCRIPT `"$name`" {$bytes+}`r`n$script`r`n")
            $put = Answer
            if ($put -notmatch '^OK') { return $put }
            $w.WriteLine("SETACTIVE `"$name`"")
            $active = Answer
            $w.WriteLine('LOGOUT')
            $active
        } finally { $tcp.Dispose() }
    }
}

AfterAll {
    if ($stack) {
        Stop-TestMailStack $stack
        Copy-Item (Join-Path $stack.Folder 'log') (Join-Path ([System.IO.Path]::GetTempPath()) 'mailadmin-lifecycle-logs') -Recurse -Force -ErrorAction Ignore
    }
    if ($stackRoot) { Remove-Item $stackRoot -Recurse -Force -ErrorAction Ignore }
}

Describe 'One rule for the recipient delimiter' {
    It 'refuses a mailbox, alias or group address with + in the local part, naming the value and the rule' {
        { New-Mailbox 'boss+eu@life.test' -Password $pw -ErrorAction Stop } | Should -Throw -ExpectedMessage "*'boss+eu@life.test'*recipient delimiter*"
        $err = $null
        try { New-Mailbox 'sales+eu@life.test' -Password $pw -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'RecipientDelimiterInAddress*'
        { Set-Mailbox boss@life.test -AddAlias 'ceo+x@life.test' -ErrorAction Stop } | Should -Throw -ExpectedMessage '*recipient delimiter*'
        { New-MailGroup 'team+x@life.test' -ErrorAction Stop } | Should -Throw -ExpectedMessage '*recipient delimiter*'
        Get-Mailbox -Identity 'boss+eu@life.test' -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'files user+detail@ into an existing folder only, never creates one and never reaches a special folder' {
        Imap det@life.test { param($c) $null = $c.GetFolder($c.PersonalNamespaces[0]).Create('Projects', $true) }
        Send25 @{ From = 'partner@outside.example'; To = 'det+Projects@life.test'; Subject = 'to projects'; Body = 'x' } | Out-Null
        Send25 @{ From = 'partner@outside.example'; To = 'det+random42@life.test'; Subject = 'random detail'; Body = 'x' } | Out-Null
        Wait-Subject det@life.test 'Projects' 'to projects' | Should -BeTrue
        Wait-Subject det@life.test 'INBOX' 'random detail' | Should -BeTrue
        FolderNames det@life.test | Should -Not -Contain 'random42'
        foreach ($special in 'Sent', 'drafts', 'Trash', 'Junk') {
            $e = $null
            try { Send25 @{ From = 'partner@outside.example'; To = "det+$special@life.test"; Subject = "into $special"; Body = 'x'; ErrorAction = 'Stop' } } catch { $e = $_ }
            $e | Should -Not -BeNullOrEmpty -Because "det+$special@ must be refused"
            $e.Exception.Message | Should -Match 'special folder'
        }
        @(Subjects det@life.test 'Sent').Count | Should -Be 0
    }
}

Describe 'Quotas enforced by Dovecot' {
    It 'refuses mail with 552 5.2.2 and IMAP APPEND once a mailbox is full, shows the used space, and the report flags it' {
        Set-Mailbox quota@life.test -QuotaMB 1
        $line = 'q' * 75
        $big = (1..14000 | ForEach-Object { $line }) -join "`r`n"   # about 1.08 MB: over 1 MB (1,048,576 bytes) but within the 10% grace of an empty mailbox
        Send25 @{ From = 'partner@outside.example'; To = 'quota@life.test'; Subject = 'big one'; Body = $big } | Out-Null
        Wait-Subject quota@life.test INBOX 'big one' | Should -BeTrue
        # Dovecot's quota_clone copies the usage into the logins file; Get-Mailbox reads it
        $deadline = [datetime]::Now.AddSeconds(10)
        do { $m = Get-Mailbox quota@life.test; if ($m.UsedMB -gt 0.9) { break }; Start-Sleep -Milliseconds 250 } while ([datetime]::Now -lt $deadline)
        $m.UsedMB | Should -BeGreaterThan 0.9
        $m.QuotaUsedPercent | Should -BeGreaterOrEqual 90
        $e = $null
        try { Send25 @{ From = 'partner@outside.example'; To = 'quota@life.test'; Subject = 'one more'; Body = 'small'; ErrorAction = 'Stop' } } catch { $e = $_ }
        $e.Exception.Message | Should -Match '552'
        $e.Exception.Message | Should -Match '5\.2\.2'
        $append = Imap quota@life.test {
            param($c)
            $msg = [MimeKit.MimeMessage]::new(); $msg.Subject = 'appended'; $msg.Body = [MimeKit.TextPart]::new('plain'); $msg.Body.Text = 'x' * 2000
            try { $null = $c.Inbox.Append([MailKit.AppendRequest]::new($msg)); 'appended' } catch { "refused: $($_.Exception.Message)" }
        }
        $append | Should -Match '^refused: .*(quota|OVERQUOTA)'
        (Get-MailSecurityReport | Where-Object { $_.Category -eq 'QuotaNearlyFull' -and $_.Target -eq 'quota@life.test' }) | Should -Not -BeNullOrEmpty
        # more room: the next message is taken at once (the quota comes from the userdb at each lookup)
        Set-Mailbox quota@life.test -QuotaMB 10
        Send25 @{ From = 'partner@outside.example'; To = 'quota@life.test'; Subject = 'after raise'; Body = 'small' } | Out-Null
        Wait-Subject quota@life.test INBOX 'after raise' | Should -BeTrue
    }
}

Describe 'Removal leaves nothing for the next mailbox at the same address' {
    It 'gives a new hire at a leaver''s address an empty mailbox: no old mail, forward, rules, rights or app passwords' {
        # the leaver: mail, a forwarding rule, full access to the boss's mailbox, an app password
        Send sender@life.test @{ To = 'leaver@life.test'; Subject = 'old secret'; Body = 'for the leaver only' } | Out-Null
        Wait-Subject leaver@life.test INBOX 'old secret' | Should -BeTrue
        New-MailRule leaver@life.test 'Forward all' -ForwardTo viewer@life.test | Out-Null
        Set-MailPermission boss@life.test -Trustee leaver@life.test -AccessRights FullAccess
        Send sender@life.test @{ To = 'boss@life.test'; Subject = 'boss mail'; Body = 'x' } | Out-Null
        Wait-Subject boss@life.test INBOX 'boss mail' | Should -BeTrue
        (FolderNames leaver@life.test) -join ',' | Should -Match 'shared/boss@life.test'
        New-MailAppPassword leaver@life.test -Name phone | Out-Null
        (Invoke-Doveadm acl get -u boss@life.test INBOX) -join "`n" | Should -Match 'leaver@life.test'

        Remove-Mailbox leaver@life.test -Confirm:$false
        Test-Path (Join-Path $mailRoot 'life.test/leaver') | Should -BeFalse
        @(Get-ChildItem (Join-Path $mailRoot '.removed') -Directory | Where-Object Name -like 'leaver@life.test.*').Count | Should -Be 1
        (Invoke-Doveadm acl get -u boss@life.test INBOX) -join "`n" | Should -Not -Match 'leaver@life.test'

        New-Mailbox leaver@life.test -DisplayName 'New hire' -Password $pw | Out-Null
        @(Subjects leaver@life.test INBOX) | Should -Not -Contain 'old secret'
        (FolderNames leaver@life.test) -join ',' | Should -Not -Match 'shared/boss'
        Get-MailRule leaver@life.test | Should -BeNullOrEmpty
        Get-MailAppPassword leaver@life.test | Should -BeNullOrEmpty
        Send sender@life.test @{ To = 'leaver@life.test'; Subject = 'welcome'; Body = 'x' } | Out-Null
        Wait-Subject leaver@life.test INBOX 'welcome' | Should -BeTrue
        Start-Sleep -Seconds 1
        @(Subjects viewer@life.test INBOX) | Should -Not -Contain 'welcome'
    }

    It 'purges the mail at once with -PurgeMail, and Remove-MailDomain -Force takes every mailbox''s server state' {
        New-Mailbox temp@life.test -Password $pw | Out-Null
        Send sender@life.test @{ To = 'temp@life.test'; Subject = 'temp'; Body = 'x' } | Out-Null
        Wait-Subject temp@life.test INBOX 'temp' | Should -BeTrue
        # it shares its mailbox: the trustee sees it, and loses it with the removal (which must not fail on it)
        Set-MailPermission temp@life.test -Trustee viewer@life.test -AccessRights ReadOnly
        (FolderNames viewer@life.test) -join ',' | Should -Match 'shared/temp@life.test'
        Remove-Mailbox temp@life.test -PurgeMail -Confirm:$false -ErrorAction Stop
        (FolderNames viewer@life.test) -join ',' | Should -Not -Match 'shared/temp'
        Test-Path (Join-Path $mailRoot 'life.test/temp') | Should -BeFalse
        @(Get-ChildItem (Join-Path $mailRoot '.removed') -Directory | Where-Object Name -like 'temp@life.test.*').Count | Should -Be 0

        Add-MailDomain gone.test | Out-Null
        New-Mailbox a@gone.test -Password $pw | Out-Null
        Set-MailPermission boss@life.test -Trustee a@gone.test -AccessRights ReadOnly
        Send sender@life.test @{ To = 'a@gone.test'; Subject = 'gone'; Body = 'x' } | Out-Null
        Wait-Subject a@gone.test INBOX 'gone' | Should -BeTrue
        Remove-MailDomain gone.test -Force -Confirm:$false
        Test-Path (Join-Path $mailRoot 'gone.test') | Should -BeFalse
        (Invoke-Doveadm acl get -u boss@life.test INBOX) -join "`n" | Should -Not -Match 'a@gone.test'
        # the domain can come back (its DKIM key went with it)
        Add-MailDomain gone.test | Out-Null
        Remove-MailDomain gone.test -Confirm:$false
    }
}

Describe 'Sync-MailServerState' {
    It 'finds drift without changing anything under -WhatIf, mends it, and finds nothing on the next run' {
        New-MailRule drift@life.test 'Projects' -SubjectContains 'project' -MoveToFolder Projects | Out-Null
        Set-MailPermission drift@life.test -Trustee viewer@life.test -AccessRights ReadOnly
        Send sender@life.test @{ To = 'drift@life.test'; Subject = 'hello'; Body = 'x' } | Out-Null
        Wait-Subject drift@life.test INBOX 'hello' | Should -BeTrue
                # drift: the script deleted, the grant gone from Dovecot, a stranger's ACL entry, mail of no mailbox
        Invoke-Doveadm sieve deactivate -u drift@life.test | Out-Null
        Invoke-Doveadm sieve delete -u drift@life.test mailadmin | Out-Null
        Invoke-Doveadm acl delete -u drift@life.test INBOX user=viewer@life.test | Out-Null
        Invoke-Doveadm acl set -u drift@life.test INBOX user=sender@life.test lookup read | Out-Null
        $orphan = Join-Path $mailRoot 'life.test/ghost/Maildir/new'
        New-Item -ItemType Directory -Force $orphan | Out-Null
        Set-Content (Join-Path $orphan '1.eml') 'Subject: ghost'

        $plan = @(Sync-MailServerState -WhatIf)
        $plan | Where-Object { $_.Component -eq 'Sieve' -and $_.Mailbox -eq 'drift@life.test' -and $_.Change -eq 'Rewritten' } | Should -Not -BeNullOrEmpty
        $plan | Where-Object { $_.Component -eq 'Acl' -and $_.Mailbox -eq 'drift@life.test' } | Should -Not -BeNullOrEmpty
        $plan | Where-Object { $_.Component -eq 'Mail' -and $_.Mailbox -eq 'ghost@life.test' -and $_.Change -eq 'SetAside' } | Should -Not -BeNullOrEmpty
        @($plan | Where-Object Applied).Count | Should -Be 0
        Test-Path $orphan | Should -BeTrue
        $drift = Get-MailSecurityReport | Where-Object Category -eq 'MailServerDrift'
        $drift.Target | Should -Contain 'drift@life.test'

        $done = @(Sync-MailServerState -Confirm:$false)
        @($done | Where-Object { -not $_.Applied }).Count | Should -Be 0
        $done.Count | Should -BeGreaterOrEqual 3
        Test-Path $orphan | Should -BeFalse
        (Invoke-Doveadm sieve list -u drift@life.test) -join "`n" | Should -Match 'mailadmin\s+ACTIVE'
        $acl = (Invoke-Doveadm acl get -u drift@life.test INBOX) -join "`n"
        $acl | Should -Match 'viewer@life.test'
        $acl | Should -Not -Match 'sender@life.test'
        Send sender@life.test @{ To = 'drift@life.test'; Subject = 'project x'; Body = 'x' } | Out-Null
        Wait-Subject drift@life.test Projects 'project x' | Should -BeTrue
        @(Sync-MailServerState -Confirm:$false | Where-Object Component -ne 'Sieve') | Should -BeNullOrEmpty
        @(Sync-MailServerState -Confirm:$false).Count | Should -Be 0
    }

    It 'says to run it when doveadm fails after the store changed, and then repairs what was left undone' {
        # Dovecot broken for the module (a configuration doveadm cannot read): the grant is stored, the ACL is not
        $broken = Join-Path $TestDrive 'broken-dovecot.conf'
        Set-Content $broken 'this is { not a dovecot configuration'
        & sqlite3 $stack.Store "UPDATE settings SET value = '$broken' WHERE name = 'dovecot_config'"
        $e = $null
        try { Set-MailPermission boss@life.test -Trustee drift@life.test -AccessRights ReadOnly -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'DovecotAclFailed*'
        $e.Exception.Message | Should -Match 'Sync-MailServerState'
        (Get-MailPermission boss@life.test -Trustee drift@life.test).AccessRights | Should -Contain 'ReadOnly'
        (Invoke-Doveadm acl get -u boss@life.test INBOX) -join "`n" | Should -Not -Match 'drift@life.test'
        # while Dovecot is still broken, the reconcile reports what it cannot mend as errors and goes on
        $failed = @(Sync-MailServerState -Confirm:$false -ErrorVariable syncErrors -ErrorAction SilentlyContinue | Where-Object Change -eq 'Failed')
        ($failed | Where-Object { $_.Mailbox -eq 'boss@life.test' -and $_.Component -eq 'Acl' }) | Should -Not -BeNullOrEmpty
        $syncErrors.Count | Should -Be $failed.Count
        $syncErrors[0].FullyQualifiedErrorId | Should -BeLike 'MailServerStateSyncFailed*'
        # Dovecot fixed: the reconcile applies the stored grant
        & sqlite3 $stack.Store "UPDATE settings SET value = '$dovecotConf' WHERE name = 'dovecot_config'"
        $fix = @(Sync-MailServerState -Confirm:$false | Where-Object { $_.Mailbox -eq 'boss@life.test' -and $_.Component -eq 'Acl' })
        $fix.Count | Should -Be 1
        $fix[0].Detail | Should -Match 'drift@life.test lacks its ReadOnly rights|the Inbox carries no grants'
        (Invoke-Doveadm acl get -u boss@life.test INBOX) -join "`n" | Should -Match 'drift@life.test'
        Remove-MailPermission boss@life.test -Trustee drift@life.test -AccessRights ReadOnly -Confirm:$false
    }

    It 'purges mail kept aside once its time is up' {
        New-Mailbox shortlived@life.test -Password $pw | Out-Null
        Send sender@life.test @{ To = 'shortlived@life.test'; Subject = 'x'; Body = 'x' } | Out-Null
        Wait-Subject shortlived@life.test INBOX 'x' | Should -BeTrue
        Remove-Mailbox shortlived@life.test -RetainMailDays 0 -Confirm:$false
        @(Get-ChildItem (Join-Path $mailRoot '.removed') -Directory | Where-Object Name -like 'shortlived@life.test.*').Count | Should -Be 1
        $r = @(Sync-MailServerState -Confirm:$false | Where-Object { $_.Component -eq 'Mail' -and $_.Change -eq 'Purged' })
        $r.Mailbox | Should -Contain 'shortlived@life.test'
        @(Get-ChildItem (Join-Path $mailRoot '.removed') -Directory | Where-Object Name -like 'shortlived@life.test.*').Count | Should -Be 0
    }
}

Describe 'The send scope holds on every path mail takes out' {
    It 'refuses an Internal-scope mailbox''s own ManageSieve redirect to outside at the MTA, lets its internal redirect through, and the report lists the script' {
        Set-MailPermission scoped@life.test -SendScope Internal
        $script = "require [`"copy`"];`r`nredirect :copy `"viewer@life.test`";`r`nredirect :copy `"someone@outside.example`";`r`n"
        Invoke-ManageSieve scoped@life.test 'mine' $script | Should -Match '^OK'
        Send sender@life.test @{ To = 'scoped@life.test'; Subject = 'forward me'; Body = 'x' } | Out-Null
        Wait-Subject viewer@life.test INBOX 'forward me' | Should -BeTrue
        Wait-Subject scoped@life.test INBOX 'forward me' | Should -BeTrue
        # refused for the send scope (the test stack refuses outside mail anyway, but later and with another reason)
        $reject = Wait-Log 'reject: RCPT from .*Sender address rejected: Access denied; from=<scoped@life.test> to=<someone@outside.example>'
        $reject.Count | Should -BeGreaterThan 0
        Wait-Log 'to=<someone@outside.example>.*status=(sent|deferred|bounced)' -Seconds 1 | Should -BeNullOrEmpty
        $finding = Get-MailSecurityReport | Where-Object { $_.Category -eq 'UserSieveScript' -and $_.Target -eq 'scoped@life.test' }
        $finding.Severity | Should -Be 'High'
        $finding.Detail | Should -Match "'mine'"
        # the user's own script is reported, never overwritten
        $sync = @(Sync-MailServerState -Confirm:$false)
        ($sync | Where-Object Mailbox -eq 'scoped@life.test').Change | Should -Be 'Reported'
        @($sync | Where-Object Mailbox -ne 'scoped@life.test') | Should -BeNullOrEmpty -Because ($sync | Out-String)
        (Invoke-Doveadm sieve list -u scoped@life.test) -join "`n" | Should -Match 'mine\s+ACTIVE'
    }

    It 'holds mail injected on port 25 from this host for a store sender to that sender''s scope' {
        Set-MailPermission scoped@life.test -SendScope None
        { Send25 @{ From = 'scoped@life.test'; To = 'anyone@outside.example'; Subject = 'out'; Body = 'x'; ErrorAction = 'Stop' } } | Should -Throw
        Set-MailPermission scoped@life.test -SendScope Internal
        { Send25 @{ From = 'scoped@life.test'; To = 'anyone@outside.example'; Subject = 'out'; Body = 'x'; ErrorAction = 'Stop' } } | Should -Throw -ExpectedMessage '*554 5.7.1*Sender address rejected*'
        (Send25 @{ From = 'scoped@life.test'; To = 'viewer@life.test'; Subject = 'in'; Body = 'x' }).Response | Should -Match 'queued'
        # an address outside the store still relays from this host as before: it passes the send-scope check and meets only
        # the test stack's own refusal of outside mail (-NoOutbound)
        { Send25 @{ From = 'cron@mail.life.test'; To = 'anyone@outside.example'; Subject = 'cron'; Body = 'x'; ErrorAction = 'Stop' } } | Should -Throw -ExpectedMessage '*outbound mail is disabled*'
        Set-MailPermission scoped@life.test -SendScope Any
        { Send25 @{ From = 'scoped@life.test'; To = 'anyone@outside.example'; Subject = 'out'; Body = 'x'; ErrorAction = 'Stop' } } | Should -Throw -ExpectedMessage '*outbound mail is disabled*'
        Set-MailPermission scoped@life.test -SendScope Internal
    }

    It 'lets mail with a null sender from this host reach only this server''s domains, and no script may send notifications' {
        function Rcpt([string] $to) {
            $tcp = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $stack.SmtpPort)
            try {
                $s = $tcp.GetStream(); $s.ReadTimeout = 10000
                $r = [System.IO.StreamReader]::new($s); $w = [System.IO.StreamWriter]::new($s); $w.NewLine = "`r`n"; $w.AutoFlush = $true
                function Reply { do { $l = $r.ReadLine() } while ($l -match '^\d{3}-'); $l }
                $null = Reply
                $w.WriteLine('EHLO localhost'); $null = Reply
                $w.WriteLine('MAIL FROM:<>'); $null = Reply
                $w.WriteLine("RCPT TO:<$to>"); $answer = Reply
                $w.WriteLine('QUIT')
                $answer
            } finally { $tcp.Dispose() }
        }
        Rcpt 'someone@outside.example' | Should -Match '^554 5\.7\.1'
        Rcpt 'viewer@life.test' | Should -Match '^250'
        Invoke-ManageSieve scoped@life.test 'notify' "require `"enotify`";`r`nnotify `"mailto:x@outside.example`";`r`n" | Should -Match '^NO'
    }

    It 'takes ManageSieve logins only while IMAP is enabled for the mailbox' {
        Set-MailboxSetting scoped@life.test -ImapEnabled $false
        Invoke-ManageSieve scoped@life.test 'other' 'keep;' | Should -Match '^NO'
        Set-MailboxSetting scoped@life.test -ImapEnabled $true
        Invoke-ManageSieve scoped@life.test 'other' 'keep;' | Should -Match '^OK'
    }
}

Describe 'Least privilege' {
    It 'keeps password hashes out of the directory: only root reads the secrets file, and the policy service runs as its own user' {
        $secrets = Join-Path (Split-Path $stack.Store) ([System.IO.Path]::GetFileNameWithoutExtension($stack.Store) + '.secrets.db')
        (& stat -c '%a %U' $secrets) | Should -Be '600 root'
        (& sqlite3 -readonly $stack.Store "SELECT count(*) FROM pragma_table_info('mailbox') WHERE name = 'password'") | Should -Be '0'
        (& sqlite3 -readonly $stack.Store "SELECT count(*) FROM sqlite_master WHERE name = 'app_password'") | Should -Be '0'
        (& sqlite3 -readonly $stack.Store "SELECT count(*) FROM pragma_table_info('dkim_key') WHERE name = 'private_key'") | Should -Be '0'
        (& sqlite3 -readonly $secrets "SELECT count(*) FROM dkim_private_key WHERE domain = 'life.test' AND private_key LIKE '-----BEGIN%'") | Should -Be '1'
        (& sqlite3 -readonly $secrets "SELECT count(*) FROM mailbox_secret WHERE password LIKE '{BLF-CRYPT}%'") | Should -BeGreaterThan 5
        foreach ($user in 'vmail', 'mailadmin-policy') {
            $out = & runuser -u $user -- sqlite3 -readonly $secrets 'SELECT count(*) FROM mailbox_secret' 2>&1
            $LASTEXITCODE | Should -Not -Be 0 -Because "$user must not read the secrets file"
            "$out" | Should -Match 'unable to open|denied|readonly'
        }
        (Get-Content (Join-Path $stack.Folder 'postfix/master.cf') -Raw) | Should -Match 'user=mailadmin-policy argv='
        # logins still work through the deny list and the secrets file, and a disabled mailbox is refused
        (Test-MailLogin localhost -Credential (Cred boss@life.test) -Protocol Imap, Pop3, Smtp -ImapPort $stack.ImapPort -Pop3Port $stack.Pop3Port -SmtpPort $stack.SubmissionPort -TrustedCertificate $trust |
            Where-Object Accepted).Count | Should -Be 3
        { Export-MailServerConfig -Path (Join-Path $TestDrive 'x') -HostName mail.life.test -CertificateFile /x/c.pem -KeyFile /x/k.pem -PolicyUser vmail -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPolicyUser*'
    }
}
