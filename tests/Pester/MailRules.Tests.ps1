# Rules, auto-replies and the security policy on the Local stack: each is proved with real mail through Postfix, delivered by
# Dovecot's LMTP running the Sieve script the cmdlets compiled, and read back over IMAP.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/MailStack.psm1') -Force
    $conn = Initialize-MailAdminTest -Name rules
    Add-MailDomain rules.test -MailHost mail.rules.test | Out-Null
    $ca = New-TestCertificateAuthority 'MailAdmin Rules CA'
    $srv = New-TestServerCertificate $ca 'mail.rules.test', 'localhost'
    $trust = Get-TrustAnchor $ca
    $stack = Start-TestMailStack -Folder (Join-Path $TestDrive 'stack') -CertPem $srv.ChainPem -KeyPem $srv.KeyPem -HostName mail.rules.test
    $pw = 'Str0ng-Passw0rd'
    foreach ($a in 'boss', 'deputy', 'sender', 'other', 'away', 'spam', 'filter', 'old') { New-Mailbox "$a@rules.test" -DisplayName $a -Password $pw | Out-Null }
    $deps = Join-Path $env:MAILADMIN_TEST_MODULE 'deps'
    Add-Type -Path (Join-Path $deps 'BouncyCastle.Cryptography.dll'), (Join-Path $deps 'MimeKit.dll'), (Join-Path $deps 'MailKit.dll')

    function Cred([string] $user) { [pscredential]::new($user, (ConvertTo-SecureString $pw -AsPlainText -Force)) }
    # sends from a mailbox through the submission port (SMTP AUTH); extra parameters go to Send-Mail
    function Send([string] $from, [hashtable] $m) {
        Send-Mail -SmtpServer localhost -Port $stack.SubmissionPort -Credential (Cred $from) -TrustedCertificate $trust -From $from @m
    }
    # what a folder holds, over IMAP: subject and flags of each message
    function Folder([string] $user, [string] $folder = 'INBOX') {
        $c = [MailKit.Net.Imap.ImapClient]::new()
        try {
            $c.Connect('127.0.0.1', $stack.ImapPort, [MailKit.Security.SecureSocketOptions]::None)
            $c.Authenticate($user, $pw)
            # (an IMailFolder enumerates its messages: keep it out of any pipeline output)
            $f = $null
            try { $f = $c.GetFolder($folder) } catch [MailKit.FolderNotFoundException] { return @() }
            $null = $f.Open([MailKit.FolderAccess]::ReadOnly)
            if ($f.Count -eq 0) { return @() }
            foreach ($s in $f.Fetch(0, -1, [MailKit.FetchRequest]::new([MailKit.MessageSummaryItems]::Envelope -bor [MailKit.MessageSummaryItems]::Flags))) {
                [pscustomobject]@{ Subject = $s.Envelope.Subject; From = "$($s.Envelope.From)"; Seen = [bool]($s.Flags -band [MailKit.MessageFlags]::Seen); Flagged = [bool]($s.Flags -band [MailKit.MessageFlags]::Flagged) }
            }
        } finally { $c.Dispose() }
    }
    # waits until a message with this subject is in the folder (or 20 s pass)
    function Wait-Subject([string] $user, [string] $folder, [string] $subject, [int] $count = 1) {
        $deadline = [datetime]::Now.AddSeconds(20)
        do {
            $found = @(Folder $user $folder | Where-Object Subject -eq $subject)
            if ($found.Count -ge $count) { return $found }
            Start-Sleep -Milliseconds 250
        } while ([datetime]::Now -lt $deadline)
        $found
    }
    # a marker message sent after the ones under test: once it is delivered, Postfix has delivered those before it too
    function Sync([string] $to) {
        $s = "sync $([guid]::NewGuid())"
        Send sender@rules.test @{ To = $to; Subject = $s; Body = 'x' } | Out-Null
        @(Wait-Subject $to INBOX $s).Count | Should -Be 1
    }
}

AfterAll {
    if ($stack) {
        Stop-TestMailStack $stack
        Copy-Item (Join-Path $stack.Folder 'log') (Join-Path ([System.IO.Path]::GetTempPath()) 'mailadmin-rules-logs') -Recurse -Force -ErrorAction Ignore
    }
}

Describe 'Mail rules compiled to Sieve and run by Dovecot' {
    It 'moves matching mail into a folder it creates and leaves the rest in the Inbox' {
        $r = New-MailRule boss@rules.test 'Supplier invoices' -From sender@rules.test -SubjectContains 'invoice' -MoveToFolder 'Finance/Invoices'
        $r.Priority | Should -Be 1
        $r.Mailbox | Should -Be 'boss@rules.test'
        Send sender@rules.test @{ To = 'boss@rules.test'; Subject = 'Invoice 2026-17'; Body = 'pay me' } | Out-Null
        Send sender@rules.test @{ To = 'boss@rules.test'; Subject = 'Lunch?'; Body = 'x' } | Out-Null
        @(Wait-Subject boss@rules.test 'Finance/Invoices' 'Invoice 2026-17').Count | Should -Be 1
        @(Wait-Subject boss@rules.test INBOX 'Lunch?').Count | Should -Be 1
        @(Folder boss@rules.test | Where-Object Subject -eq 'Invoice 2026-17').Count | Should -Be 0
        (Get-MailRule boss@rules.test | Out-String -Width 200) | Should -Match 'From sender@rules.test, Subject~invoice +Move to Finance/Invoices'
    }

    It 'copies to a folder, marks read and flags, by header, body and size' {
        New-MailRule boss@rules.test 'Tagged' -HeaderContains 'X-Project: Apollo' -CopyToFolder Apollo -Flag | Out-Null
        New-MailRule boss@rules.test 'Newsletter' -BodyContains 'unsubscribe' -MarkRead | Out-Null
        New-MailRule boss@rules.test 'Large' -SizeAbove 200KB -MoveToFolder Large | Out-Null
        Send sender@rules.test @{ To = 'boss@rules.test'; Subject = 'apollo status'; Body = 'x'; Header = @{ 'X-Project' = 'Apollo 11' } } | Out-Null
        Send sender@rules.test @{ To = 'boss@rules.test'; Subject = 'weekly news'; Body = "news`r`nclick to unsubscribe" } | Out-Null
        $att = Join-Path $TestDrive 'big.bin'; [System.IO.File]::WriteAllBytes($att, [byte[]]::new(300KB))
        Send sender@rules.test @{ To = 'boss@rules.test'; Subject = 'big file'; Body = 'x'; Attachment = $att } | Out-Null
        $inbox = Wait-Subject boss@rules.test INBOX 'apollo status'
        $inbox.Flagged | Should -BeTrue
        $inbox.Seen | Should -BeFalse
        @(Wait-Subject boss@rules.test Apollo 'apollo status').Count | Should -Be 1
        (Wait-Subject boss@rules.test INBOX 'weekly news').Seen | Should -BeTrue
        @(Wait-Subject boss@rules.test Large 'big file').Count | Should -Be 1
        @(Folder boss@rules.test | Where-Object Subject -eq 'big file').Count | Should -Be 0
    }

    It 'matches recipients in To and Cc, and acts on what the spam filter marked before Junk filing' {
        New-MailRule deputy@rules.test 'Copied on' -To other@rules.test -MoveToFolder 'CCd' | Out-Null
        New-MailRule deputy@rules.test 'Spam to quarantine' -IsSpam -MoveToFolder Quarantine | Out-Null
        Send sender@rules.test @{ To = 'deputy@rules.test'; Cc = 'other@rules.test'; Subject = 'cc other'; Body = 'x' } | Out-Null
        Send sender@rules.test @{ To = 'deputy@rules.test'; Subject = 'just deputy'; Body = 'x' } | Out-Null
        Send sender@rules.test @{ To = 'deputy@rules.test'; Subject = 'cheap pills'; Body = 'x'; Header = @{ 'X-Spam-Flag' = 'YES' } } | Out-Null
        @(Wait-Subject deputy@rules.test CCd 'cc other').Count | Should -Be 1
        @(Wait-Subject deputy@rules.test INBOX 'just deputy').Count | Should -Be 1
        @(Wait-Subject deputy@rules.test Quarantine 'cheap pills').Count | Should -Be 1
        @(Folder deputy@rules.test Junk | Where-Object Subject -eq 'cheap pills').Count | Should -Be 0
        Remove-MailRule deputy@rules.test 'Copied on' -Confirm:$false
        Remove-MailRule deputy@rules.test 'Spam to quarantine' -Confirm:$false
    }

    It 'runs rules by priority and StopProcessing ends the run; Delete files in Trash' {
        New-MailRule other@rules.test 'Second' -SubjectContains 'urgent' -MoveToFolder B -Priority 20 | Out-Null
        New-MailRule other@rules.test 'First' -SubjectContains 'urgent' -MoveToFolder A -StopProcessing -Priority 10 | Out-Null
        New-MailRule other@rules.test 'Junk senders' -From '*@rules.test' -SubjectContains 'lottery' -Delete | Out-Null
        (Get-MailRule other@rules.test).Name | Should -Be @('First', 'Second', 'Junk senders')
        Send sender@rules.test @{ To = 'other@rules.test'; Subject = 'urgent: call me'; Body = 'x' } | Out-Null
        Send sender@rules.test @{ To = 'other@rules.test'; Subject = 'you won the lottery'; Body = 'x' } | Out-Null
        @(Wait-Subject other@rules.test A 'urgent: call me').Count | Should -Be 1
        @(Wait-Subject other@rules.test Trash 'you won the lottery').Count | Should -Be 1
        Sync other@rules.test
        @(Folder other@rules.test B).Count | Should -Be 0
        @(Folder other@rules.test | Where-Object Subject -in 'urgent: call me', 'you won the lottery').Count | Should -Be 0
    }

    It 'forwards inside the organisation and refuses external forwarding when the send scope forbids it' {
        New-MailRule boss@rules.test 'To deputy' -SubjectContains 'for deputy' -ForwardTo deputy@rules.test | Out-Null
        Send sender@rules.test @{ To = 'boss@rules.test'; Subject = 'for deputy: report'; Body = 'x' } | Out-Null
        @(Wait-Subject deputy@rules.test INBOX 'for deputy: report').Count | Should -Be 1
        @(Wait-Subject boss@rules.test INBOX 'for deputy: report').Count | Should -Be 1
        Set-MailPermission boss@rules.test -SendScope Internal
        { New-MailRule boss@rules.test 'Outside' -ForwardTo someone@gmail.example -ErrorAction Stop } | Should -Throw -ErrorId 'ExternalForwardNotAllowed,*'
        { New-MailRule boss@rules.test 'Self' -ForwardTo boss@rules.test -ErrorAction Stop } | Should -Throw -ErrorId 'ForwardLoop,*'
        Set-MailPermission boss@rules.test -SendScope Any
        (New-MailRule boss@rules.test 'Outside' -ForwardTo someone@gmail.example).ForwardTo | Should -Be @('someone@gmail.example')
        # what Dovecot runs follows the send scope: narrowed later, the external forward leaves the script (the rule stays)
        function Script { (& doveadm -c (Join-Path $stack.Folder 'dovecot/dovecot.conf') sieve get -u boss@rules.test mailadmin) -join "`n" }
        Script | Should -Match 'redirect :copy "someone@gmail.example"'
        Set-MailPermission boss@rules.test -SendScope Internal
        Script | Should -Not -Match 'gmail'
        Script | Should -Match 'redirect :copy "deputy@rules.test"'
        Set-MailboxSetting boss@rules.test -ExternalSendEnabled $true
        Script | Should -Match 'redirect :copy "someone@gmail.example"'
    }

    It 'refuses bad rules with the value and the rule named, and changes and removes rules' {
        { New-MailRule boss@rules.test 'Nothing' -From a@b.com -ErrorAction Stop } | Should -Throw -ErrorId 'RuleWithoutAction,*'
        { New-MailRule boss@rules.test 'Bad header' -HeaderContains 'no colon here' -Flag -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidHeaderCondition,*'
        { New-MailRule boss@rules.test 'Both' -Delete -MoveToFolder X -ErrorAction Stop } | Should -Throw -ErrorId 'ConflictingActions,*'
        { New-MailRule boss@rules.test 'Supplier invoices' -Flag -ErrorAction Stop } | Should -Throw -ErrorId 'MailRuleExists,*'
        { New-MailRule nobody@rules.test 'x' -Flag -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxNotFound,*'
        New-MailRule boss@rules.test 'WhatIf' -Flag -WhatIf
        @(Get-MailRule boss@rules.test WhatIf).Count | Should -Be 0
        $changed = Set-MailRule boss@rules.test 'Supplier invoices' -MarkRead -PassThru
        $changed.MarkRead | Should -BeTrue
        $changed.MoveToFolder | Should -Be 'Finance/Invoices'
        Send sender@rules.test @{ To = 'boss@rules.test'; Subject = 'Invoice 2026-18'; Body = 'x' } | Out-Null
        (Wait-Subject boss@rules.test 'Finance/Invoices' 'Invoice 2026-18').Seen | Should -BeTrue
        Remove-MailRule boss@rules.test 'Supplier invoices' -Confirm:$false
        Send sender@rules.test @{ To = 'boss@rules.test'; Subject = 'Invoice 2026-19'; Body = 'x' } | Out-Null
        @(Wait-Subject boss@rules.test INBOX 'Invoice 2026-19').Count | Should -Be 1
        { Remove-MailRule boss@rules.test 'Supplier invoices' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'MailRuleNotFound,*'
    }

    It 'exports a rule set and imports it into another mailbox (Clixml and JSON), where it works the same' {
        $xml = Join-Path $TestDrive 'rules.xml'
        Get-MailRule other@rules.test | Export-Clixml $xml
        Import-Clixml $xml | New-MailRule -Mailbox deputy@rules.test | Out-Null
        $copied = Get-MailRule deputy@rules.test
        ($copied | ForEach-Object { "$($_.Priority) $($_.Name) $($_.MoveToFolder) $($_.StopProcessing) $($_.Delete)" }) |
            Should -Be (Get-MailRule other@rules.test | ForEach-Object { "$($_.Priority) $($_.Name) $($_.MoveToFolder) $($_.StopProcessing) $($_.Delete)" })
        Get-MailRule other@rules.test | ConvertTo-Json -Depth 3 | ConvertFrom-Json | New-MailRule -Mailbox spam@rules.test | Out-Null
        (Get-MailRule spam@rules.test).Name | Should -Be @('First', 'Second', 'Junk senders')
        Send sender@rules.test @{ To = 'deputy@rules.test'; Subject = 'urgent: deputy'; Body = 'x' } | Out-Null
        @(Wait-Subject deputy@rules.test A 'urgent: deputy').Count | Should -Be 1
    }
}

Describe 'Automatic replies through Sieve vacation' {
    It 'answers a sender once per period, and not lists, automatic mail or spam' {
        Set-MailAutoReply away@rules.test -Enabled $true -Subject 'Out of office' -Body 'Back on Monday.' -DaysBetweenReplies 3
        $a = Get-MailAutoReply away@rules.test
        $a.Enabled | Should -BeTrue
        $a.DaysBetweenReplies | Should -Be 3
        Send sender@rules.test @{ To = 'away@rules.test'; Subject = 'first'; Body = 'x' } | Out-Null
        Send sender@rules.test @{ To = 'away@rules.test'; Subject = 'second'; Body = 'x' } | Out-Null
        Send other@rules.test @{ To = 'away@rules.test'; Subject = 'from a list'; Body = 'x'; Header = @{ 'List-Id' = '<news.rules.test>' } } | Out-Null
        Send other@rules.test @{ To = 'away@rules.test'; Subject = 'automatic'; Body = 'x'; Header = @{ 'Auto-Submitted' = 'auto-generated' } } | Out-Null
        Send deputy@rules.test @{ To = 'away@rules.test'; Subject = 'spammy'; Body = 'x'; Header = @{ 'X-Spam-Flag' = 'YES' } } | Out-Null
        @(Wait-Subject away@rules.test INBOX 'second').Count | Should -Be 1
        @(Wait-Subject sender@rules.test INBOX 'Out of office').Count | Should -Be 1
        Sync sender@rules.test
        Sync other@rules.test
        Sync deputy@rules.test
        @(Folder sender@rules.test | Where-Object Subject -eq 'Out of office').Count | Should -Be 1
        @(Folder other@rules.test | Where-Object Subject -eq 'Out of office').Count | Should -Be 0
        @(Folder deputy@rules.test | Where-Object Subject -eq 'Out of office').Count | Should -Be 0
    }

    It 'does not answer outside its dates, nor insiders when ExternalOnly' {
        Set-MailAutoReply away@rules.test -StartTime ([datetime]::Now.AddDays(2)) -EndTime ([datetime]::Now.AddDays(9))
        Send deputy@rules.test @{ To = 'away@rules.test'; Subject = 'not yet'; Body = 'x' } | Out-Null
        @(Wait-Subject away@rules.test INBOX 'not yet').Count | Should -Be 1
        Set-MailAutoReply away@rules.test -StartTime $null -EndTime $null -ExternalOnly $true
        Send boss@rules.test @{ To = 'away@rules.test'; Subject = 'insider'; Body = 'x' } | Out-Null
        @(Wait-Subject away@rules.test INBOX 'insider').Count | Should -Be 1
        Sync deputy@rules.test
        Sync boss@rules.test
        @(Folder deputy@rules.test | Where-Object Subject -eq 'Out of office').Count | Should -Be 0
        @(Folder boss@rules.test | Where-Object Subject -eq 'Out of office').Count | Should -Be 0
        # an outside sender does get the reply: Dovecot hands it to Postfix, which logs it for that address (this rig sends
        # nothing off the host, so Postfix's error transport takes it)
        Send-Mail -SmtpServer localhost -Port $stack.SmtpPort -TrustedCertificate $trust -From visitor@partner.example -To away@rules.test -Subject 'from outside' -Body 'x' | Out-Null
        @(Wait-Subject away@rules.test INBOX 'from outside').Count | Should -Be 1
        $log = Join-Path $stack.Folder 'log/postfix.log'
        $deadline = [datetime]::Now.AddSeconds(20)
        while ([datetime]::Now -lt $deadline -and -not (Select-String -Path $log -Pattern 'to=<visitor@partner.example>' -Quiet)) { Start-Sleep -Milliseconds 250 }
        Select-String -Path $log -Pattern 'to=<visitor@partner.example>' -Quiet | Should -BeTrue
        { Set-MailAutoReply away@rules.test -StartTime '2027-01-05' -EndTime '2027-01-01' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidReplyPeriod,*'
        Set-MailAutoReply away@rules.test -Enabled $false -PassThru | ForEach-Object Enabled | Should -BeFalse
    }
}

Describe 'Security policy enforced by Postfix, Dovecot and Sieve' {
    It 'files what the spam filter marked in Junk at the store''s level, and a mailbox''s own level wins' {
        (Get-MailSecurityPolicy).SpamFilterLevel | Should -Be 'Medium'
        Send sender@rules.test @{ To = 'spam@rules.test'; Subject = 'score 6'; Body = 'x'; Header = @{ 'X-Spam-Score' = '6.2' } } | Out-Null
        Send sender@rules.test @{ To = 'filter@rules.test'; Subject = 'flagged'; Body = 'x'; Header = @{ 'X-Spam-Flag' = 'YES' } } | Out-Null
        Send sender@rules.test @{ To = 'filter@rules.test'; Subject = 'score 4'; Body = 'x'; Header = @{ 'X-Spam-Score' = '4.0' } } | Out-Null
        Send sender@rules.test @{ To = 'filter@rules.test'; Subject = 'negative'; Body = 'x'; Header = @{ 'X-Spam-Score' = '-3.5' } } | Out-Null
        @(Wait-Subject spam@rules.test Junk 'score 6').Count | Should -Be 1        # a mailbox with rules: its own script files spam
        @(Wait-Subject filter@rules.test Junk 'flagged').Count | Should -Be 1      # no script of its own: the store's default
        @(Wait-Subject filter@rules.test INBOX 'score 4').Count | Should -Be 1
        @(Wait-Subject filter@rules.test INBOX 'negative').Count | Should -Be 1
        $p = Set-MailSecurityPolicy -Mailbox filter@rules.test -SpamFilterLevel High -PassThru
        $p.Overrides | Should -Contain 'SpamFilterLevel'
        Send sender@rules.test @{ To = 'filter@rules.test'; Subject = 'score 4 again'; Body = 'x'; Header = @{ 'X-Spam-Score' = '4.0' } } | Out-Null
        @(Wait-Subject filter@rules.test Junk 'score 4 again').Count | Should -Be 1
        Set-MailSecurityPolicy -Mailbox filter@rules.test -Reset SpamFilterLevel
        Set-MailSecurityPolicy -SpamFilterLevel Off
        Send sender@rules.test @{ To = 'filter@rules.test'; Subject = 'flagged, filter off'; Body = 'x'; Header = @{ 'X-Spam-Flag' = 'YES' } } | Out-Null
        @(Wait-Subject filter@rules.test INBOX 'flagged, filter off').Count | Should -Be 1
        Set-MailSecurityPolicy -SpamFilterLevel Medium
    }

    It 'refuses the store''s blocked senders at RCPT, lets an allowed address of a blocked domain through, and discards a mailbox''s own' {
        Set-MailSecurityPolicy -BlockedSenders 'spam-house.example', 'bad@elsewhere.example' -AllowedSenders 'friend@spam-house.example'
        $port25 = @{ SmtpServer = 'localhost'; Port = $stack.SmtpPort; TrustedCertificate = $trust; To = 'filter@rules.test'; Body = 'x' }
        foreach ($from in 'promo@spam-house.example', 'bad@elsewhere.example') {
            $e = @(Send-Mail @port25 -From $from -Subject 'blocked' -ErrorAction Continue 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $e.Count | Should -Be 1 -Because "$from is blocked"
            $e[0].Exception.Message | Should -Match 'does not accept mail from this sender'
        }
        (Send-Mail @port25 -From friend@spam-house.example -Subject 'allowed friend').Response | Should -Match 'queued'
        @(Wait-Subject filter@rules.test INBOX 'allowed friend').Count | Should -Be 1
        # a mailbox's own list: Dovecot discards the mail
        Set-MailSecurityPolicy -Mailbox filter@rules.test -BlockedSenders other@rules.test
        Send other@rules.test @{ To = 'filter@rules.test'; Subject = 'unwanted'; Body = 'x' } | Out-Null
        Sync filter@rules.test
        @(Folder filter@rules.test | Where-Object Subject -eq 'unwanted').Count | Should -Be 0
        (Get-MailSecurityPolicy filter@rules.test).BlockedSenders | Should -Contain 'other@rules.test'
        { Set-MailSecurityPolicy -BlockedSenders 'not a sender!' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSender,*'
        Set-MailSecurityPolicy -BlockedSenders @() -AllowedSenders @()
        (Send-Mail @port25 -From promo@spam-house.example -Subject 'unblocked').Response | Should -Match 'queued'
    }

    It 'enforces password length and complexity on new passwords, and expiry at login' {
        Set-MailSecurityPolicy -MinPasswordLength 10 -RequireComplexity $true
        { New-Mailbox weak@rules.test -Password 'alllowercaseletters' -ErrorAction Stop } | Should -Throw -ErrorId 'WeakPassword,*'
        { New-Mailbox weak@rules.test -Password 'Sh0rt-pw' -ErrorAction Stop } | Should -Throw -ErrorId 'WeakPassword,*'
        New-Mailbox strong@rules.test -Password 'Long-Enough-Passw0rd' | Should -Not -BeNullOrEmpty
        Set-MailSecurityPolicy -MinPasswordLength 8 -RequireComplexity $false
        $login = @{ Protocol = 'Imap'; ImapPort = $stack.ImapPort; TrustedCertificate = $trust }
        (Test-MailLogin localhost -Credential (Cred old@rules.test) @login).Accepted | Should -BeTrue
        Set-MailSecurityPolicy -Mailbox old@rules.test -PasswordMaxAgeDays 30
        # the password was set 31 days ago (the clock is moved in the store, as a month cannot pass in a test)
        $set = [datetime]::UtcNow.AddDays(-31).ToString('o')
        & sqlite3 $stack.Store "UPDATE mailbox SET password_set_at = '$set' WHERE username = 'old@rules.test'"
        (Test-MailLogin localhost -Credential (Cred old@rules.test) @login).Accepted | Should -BeFalse
        Reset-MailboxPassword old@rules.test -Password (ConvertTo-SecureString $pw -AsPlainText -Force)
        (Test-MailLogin localhost -Credential (Cred old@rules.test) @login).Accepted | Should -BeTrue
    }
}

Describe 'Secure login: app passwords and TLS' {
    BeforeAll {
        function Logins([pscredential] $c) {
            Test-MailLogin localhost -Credential $c -Protocol Imap, Pop3, Smtp -ImapPort $stack.ImapPort -Pop3Port $stack.Pop3Port -SmtpPort $stack.SubmissionPort -TrustedCertificate $trust
        }
        New-Mailbox secure@rules.test -Password $pw | Out-Null
    }

    It 'accepts only app passwords under ForceSecureLogin, on IMAP, POP3 and SMTP, and a revoked one no more' {
        $app = New-MailAppPassword secure@rules.test -Name 'Phone'
        $app.Name | Should -Be 'Phone'
        $app.Credential | Should -BeOfType [pscredential]
        $appCred = $app.Credential
        $appCred.GetNetworkCredential().Password.Length | Should -Be 20
        $listed = @(Get-MailAppPassword secure@rules.test)
        $listed.Name | Should -Be @('Phone')
        ($listed[0].PSObject.Properties.Name -join ',') | Should -Not -Match 'Password|Hash|Credential'
        (Logins (Cred secure@rules.test)).Accepted | Should -Be @($true, $true, $true)
        (Logins $appCred).Accepted | Should -Be @($true, $true, $true)
        Set-MailSecurityPolicy -Mailbox secure@rules.test -ForceSecureLogin $true
        (Get-MailSecurityPolicy secure@rules.test).ForceSecureLogin | Should -BeTrue
        (Logins (Cred secure@rules.test)).Accepted | Should -Be @($false, $false, $false)
        (Logins $appCred).Accepted | Should -Be @($true, $true, $true)
        # the store-wide switch covers every mailbox
        Set-MailSecurityPolicy -ForceSecureLogin $true
        (Logins (Cred sender@rules.test)).Accepted | Should -Be @($false, $false, $false)
        Set-MailSecurityPolicy -ForceSecureLogin $false
        (Logins (Cred sender@rules.test)).Accepted | Should -Be @($true, $true, $true)
        Remove-MailAppPassword secure@rules.test -Name Phone -Confirm:$false
        (Logins $appCred).Accepted | Should -Be @($false, $false, $false)
        { Remove-MailAppPassword secure@rules.test -Name Phone -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'AppPasswordNotFound,*'
    }

    It 'keeps at most five app passwords per mailbox, with distinct names' {
        1..5 | ForEach-Object { New-MailAppPassword secure@rules.test -Name "Device $_" | Out-Null }
        { New-MailAppPassword secure@rules.test -Name 'Device 6' -ErrorAction Stop } | Should -Throw -ErrorId 'TooManyAppPasswords,*'
        Remove-MailAppPassword secure@rules.test -Name 'Device 3' -Confirm:$false
        $again = New-MailAppPassword secure@rules.test -Name 'Device 6'
        (Logins $again.Credential).Accepted | Should -Be @($true, $true, $true)
        { New-MailAppPassword secure@rules.test -Name 'Device 6' -ErrorAction Stop } | Should -Throw -ErrorId 'AppPasswordExists,*'
        New-MailAppPassword secure@rules.test -Name 'WhatIf' -WhatIf
        @(Get-MailAppPassword secure@rules.test).Count | Should -Be 5
    }

    It 'refuses passwords on unencrypted connections from another address, and takes them over TLS' {
        (Get-MailSecurityPolicy).RequireTls | Should -BeTrue
        { Set-MailSecurityPolicy -RequireTls $false -ErrorAction Stop } | Should -Throw -ErrorId 'RequireTlsFixed,*'
        $from = [System.Net.IPEndPoint]::new([ipaddress]'127.0.0.2', 0)
        foreach ($kind in 'Imap', 'Pop3', 'Smtp') {
            $port = @{ Imap = $stack.ImapPort; Pop3 = $stack.Pop3Port; Smtp = $stack.SubmissionPort }[$kind]
            foreach ($tls in $false, $true) {
                # (Pop3Client enumerates its messages: assign, never emit it)
                $c = $null
                if ($kind -eq 'Imap') { $c = [MailKit.Net.Imap.ImapClient]::new() } elseif ($kind -eq 'Pop3') { $c = [MailKit.Net.Pop3.Pop3Client]::new() } else { $c = [MailKit.Net.Smtp.SmtpClient]::new() }
                try {
                    $c.LocalEndPoint = $from
                    $c.ServerCertificateValidationCallback = { $true }
                    $c.Connect('127.0.0.1', $port, $(if ($tls) { [MailKit.Security.SecureSocketOptions]::StartTls } else { [MailKit.Security.SecureSocketOptions]::None }))
                    $ok = try { $c.Authenticate('sender@rules.test', $pw); $true } catch { $false }
                    $ok | Should -Be $tls -Because "$kind from 127.0.0.2 with TLS=$tls"
                } finally { $c.Dispose() }
            }
        }
    }
}

Describe 'Get-MailSecurityReport' {
    It 'lists admins, open groups, external forwarding, disabled and stale mailboxes, as objects and as one HTML page' {
        New-Mailbox admin@rules.test -Password $pw -Role Admin | Out-Null
        New-Mailbox gone@rules.test -Password $pw | Out-Null
        Disable-Mailbox gone@rules.test -Confirm:$false
        New-MailGroup public@rules.test -DisplayName Public -Members boss@rules.test -WhoCanSend Anyone | Out-Null
        New-MailGroup staff@rules.test -DisplayName Staff -Members boss@rules.test -WhoCanSend Organization | Out-Null
        New-Mailbox stale@rules.test -Password $pw | Out-Null
        & sqlite3 $stack.Store "UPDATE mailbox SET password_set_at = '$([datetime]::UtcNow.AddDays(-400).ToString('o'))' WHERE username = 'stale@rules.test'"
        # Dovecot records IMAP/POP3 logins (last_login plugin) in a file beside the store; boss has read mail over IMAP here
        $logins = Join-Path (Split-Path $stack.Store) ([System.IO.Path]::GetFileNameWithoutExtension($stack.Store) + '.logins.db')
        (& sqlite3 $logins "SELECT username FROM last_login") | Should -Contain 'boss@rules.test'
        $old = [datetime]::UtcNow.AddDays(-60).ToString('o')
        & sqlite3 $stack.Store "UPDATE mailbox SET created_at = '$old' WHERE username IN ('admin@rules.test', 'boss@rules.test')"
        $r = Get-MailSecurityReport -SkipDns
        ($r | Where-Object Category -eq NeverSignedIn).Target | Should -Contain 'admin@rules.test'
        ($r | Where-Object Category -eq NeverSignedIn).Target | Should -Not -Contain 'boss@rules.test'
        ($r | Where-Object Category -eq Administrator).Target | Should -Contain 'admin@rules.test'
        ($r | Where-Object Category -eq GroupOpenToAnyone).Target | Should -Be @('public@rules.test')
        $fwd = @($r | Where-Object Category -eq ExternalForwarding)
        $fwd.Target | Should -Be @('boss@rules.test')
        $fwd[0].Severity | Should -Be 'High'
        $fwd[0].Detail | Should -Match 'someone@gmail.example'
        ($r | Where-Object Category -eq DisabledNotRemoved).Target | Should -Be @('gone@rules.test')
        ($r | Where-Object Category -eq StalePassword).Target | Should -Be @('stale@rules.test')
        ($r | Where-Object Category -eq NoSecureLogin).Target | Should -Contain 'boss@rules.test'
        Set-MailboxSetting boss@rules.test -ForceSecureLogin $true
        (Get-MailSecurityReport -SkipDns | Where-Object Category -eq NoSecureLogin).Target | Should -Not -Contain 'boss@rules.test'
        $file = Join-Path $TestDrive 'report.html'
        $out = Get-MailSecurityReport -SkipDns -AsHtml -Path $file
        $out.FullName | Should -Be $file
        $html = Get-Content $file -Raw
        $html | Should -Match '^<!DOCTYPE html>'
        $html | Should -Match 'someone@gmail.example'
        $html | Should -Not -Match '<script|src=|href="http'
        ($r | ConvertTo-Json | ConvertFrom-Json).Count | Should -Be $r.Count
    }

    It 'adds each domain''s failed DNS checks, asked of a real DNS server' {
        Import-Module (Join-Path $PSScriptRoot '../integration/PowerDns.psm1') -Force
        # rules.test publishes two SPF records: a permerror for every receiver (RFC 7208 4.5)
        $zone = @('$ORIGIN rules.test.', '$TTL 300', '@ IN SOA ns1.rules.test. hostmaster.rules.test. 1 3600 600 1209600 300', '@ IN NS ns1.rules.test.',
            'ns1 IN A 127.0.0.1', '@ IN MX 10 mail.rules.test.', 'mail IN A 127.0.0.1', '@ IN TXT "v=spf1 mx -all"', '@ IN TXT "v=spf1 a -all"',
            '_dmarc IN TXT "v=DMARC1; p=reject"') -join "`n"
        $dns = Start-TestPowerDns -Zones @{ 'rules.test' = $zone } -Folder (Join-Path $TestDrive 'pdns')
        try {
            $found = @(Get-MailSecurityReport -DnsServer $dns.Server | Where-Object Category -eq DomainDns)
            $found.Count | Should -BeGreaterThan 0
            $found.Target | Sort-Object -Unique | Should -Be @('rules.test')
            ($found.Detail -join "`n") | Should -Match 'SPF'
            $found[0].Severity | Should -Be 'High'
        } finally { Stop-TestPowerDns $dns }
    }
}
