# Issue 16: the directory in PostgreSQL, served by two Postfix+Dovecot hosts (127.0.0.2 and 127.0.0.3), managed from this
# "workstation" through the database and each host's doveadm HTTP API: the module never runs a command on a mail host.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/MailStack.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../integration/Postgres.psm1') -Force
    Import-Module (Join-Path $env:MAILADMIN_TEST_MODULE 'MailAdmin.psd1') -Force
    Get-MailConnection | Disconnect-MailProvider
    $db = New-TestPostgresDatabase
    $conn = Connect-MailProvider -ConnectionString $db.ConnectionString -Credential $db.Credential -PassThru
    Set-MailSecurityPolicy -PasswordHashCost 4 -Confirm:$false
    Add-MailDomain multi.test -MailHost mail.multi.test | Out-Null
    $ca = New-TestCertificateAuthority 'MailAdmin Multi CA'
    $srv = New-TestServerCertificate $ca 'mail1.multi.test', 'mail2.multi.test'
    $keys = @{ mail1 = [guid]::NewGuid().ToString('n'); mail2 = [guid]::NewGuid().ToString('n') }
    $h1 = Start-TestMailStack -Folder (Join-Path $TestDrive 'h1') -CertPem $srv.ChainPem -KeyPem $srv.KeyPem -HostName mail1.multi.test `
        -ListenAddress 127.0.0.2 -DoveadmApiKey $keys.mail1 -Connection $conn
    # the database owner runs the roles file once (the hosts' lookups need it)
    Invoke-TestPostgresSql $db -File (Join-Path $h1.Folder 'postgresql/mailhost-roles.sql') | Out-Null
    $h2 = Start-TestMailStack -Folder (Join-Path $TestDrive 'h2') -CertPem $srv.ChainPem -KeyPem $srv.KeyPem -HostName mail2.multi.test `
        -ListenAddress 127.0.0.3 -DoveadmApiKey $keys.mail2 -Connection $conn
    $hosts = $h1, $h2
    function Cred([string] $user, [string] $password = 'Str0ng-Passw0rd!') {
        [pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force))
    }
    function Login($h, [pscredential] $c, [string[]] $protocol = @('Imap', 'Smtp')) {
        Test-MailLogin $h.Server -Credential $c -Protocol $protocol -ImapPort $h.ImapPort -SmtpPort $h.SubmissionPort -SkipCertificateCheck
    }
    function Home($h, [string] $address) { $l, $d = $address.Split('@'); Join-Path $h.Folder "mail/$d/$l" }
    function Invoke-Doveadm($h) { & /usr/bin/doveadm -c (Join-Path $h.Folder 'dovecot/dovecot.conf') @args 2>&1 }
}

AfterAll {
    foreach ($h in $h1, $h2) { if ($h) { Stop-TestMailStack $h } }
}

Describe 'Export-MailServerConfig for a store in PostgreSQL' {
    It 'writes pgsql maps and lookups for the mail hosts'' roles, records each host, and writes no password or key to any file' {
        foreach ($h in $hosts) {
            $maps = Get-Content (Join-Path $h.Folder 'postfix/pgsql-mailboxes.cf') -Raw
            $maps | Should -Match ([regex]::Escape("hosts = 127.0.0.1:$($db.Port)"))
            $maps | Should -Match 'user = mailadmin_postfix'
            (Get-Content (Join-Path $h.Folder 'postfix/main.cf') -Raw) | Should -Match 'virtual_mailbox_maps = pgsql:'
            (Get-Content (Join-Path $h.Folder 'dovecot/dovecot-sql-secret.conf.ext') -Raw) | Should -Match 'FROM secret\.mailbox_secret'
            (Get-Content (Join-Path $h.Folder 'dovecot/dovecot.conf') -Raw) | Should -Match "doveadm_api_key = <"
            Test-Path (Join-Path $h.Folder 'postfix/sqlite-mailboxes.cf') | Should -BeFalse
            $written = Get-ChildItem $h.Folder -Recurse -File |
                Where-Object { $_.Name -ne 'doveadm-api.key' -and $_.FullName -notmatch '/(log|mail|queue|data|run|tls)/' }
            foreach ($f in $written) {
                $text = Get-Content $f.FullName -Raw
                $text | Should -Not -Match ([regex]::Escape($db.Password)) -Because $f.FullName
                $text | Should -Not -Match $keys.mail1 -Because $f.FullName
                $text | Should -Not -Match $keys.mail2 -Because $f.FullName
            }
        }
        # Postfix's role reads the directory, never the secrets
        { Invoke-TestPostgresSql $db -Sql 'SET ROLE mailadmin_postfix; SELECT count(*) FROM secret.mailbox_secret' } | Should -Throw '*permission denied*'
        (Invoke-TestPostgresSql $db -Sql 'SELECT name FROM main.mail_host ORDER BY name') | Should -Be @('mail1.multi.test', 'mail2.multi.test')
        (Get-MailConnection | Where-Object IsDefault).Target | Should -Not -Match ([regex]::Escape($db.Password))
        $noKey = @{ Path = (Join-Path $TestDrive 'nokey'); HostName = 'mail3.multi.test'; CertificateFile = '/x/c.pem'; KeyFile = '/x/k.pem' }
        { Export-MailServerConfig @noKey -ErrorAction Stop } |
            Should -Throw -ErrorId 'DoveadmApiRequired*'
    }
}

Describe 'Two mail hosts serving one directory' {
    It 'a mailbox created from pwsh logs in on both at once, and a disabled one is refused on both' {
        New-Mailbox -Address li@multi.test -Password (Cred li@multi.test).Password | Out-Null
        foreach ($h in $hosts) { (Login $h (Cred li@multi.test)).Accepted | Should -Be @($true, $true) -Because $h.HostName }
        Disable-Mailbox li@multi.test -Confirm:$false
        foreach ($h in $hosts) { (Login $h (Cred li@multi.test)).Accepted | Should -Be @($false, $false) -Because $h.HostName }
        Enable-Mailbox li@multi.test -Confirm:$false
        foreach ($h in $hosts) { (Login $h (Cred li@multi.test) -protocol Imap).Accepted | Should -BeTrue }
        # each host's Dovecot recorded the IMAP logins in the one database (the last_login plugin through its pgsql dict)
        $deadline = [datetime]::Now.AddSeconds(10)
        while (-not (Invoke-TestPostgresSql $db -Sql "SELECT 1 FROM main.last_login WHERE username = 'li@multi.test'") -and [datetime]::Now -lt $deadline) {
            Start-Sleep -Milliseconds 200
        }
        (Invoke-TestPostgresSql $db -Sql "SELECT count(*) FROM main.last_login WHERE username = 'li@multi.test'") | Should -Be '1'
    }

    It 'a rule and a grant apply on both hosts' {
        New-Mailbox -Address boss@multi.test -Password (Cred boss@multi.test).Password | Out-Null
        New-MailRule boss@multi.test 'Invoices' -SubjectContains invoice -MoveToFolder Finance | Out-Null
        Set-MailPermission boss@multi.test -Trustee li@multi.test -AccessRights FullAccess -Confirm:$false | Out-Null
        foreach ($h in $hosts) {
            $script = Join-Path (Home $h boss@multi.test) 'sieve/mailadmin.sieve'
            Test-Path $script | Should -BeTrue -Because $h.HostName
            Get-Content $script -Raw | Should -Match 'invoice'
            (Invoke-Doveadm $h sieve list -u boss@multi.test) -join "`n" | Should -Match 'mailadmin ACTIVE'
            (Invoke-Doveadm $h acl get -u boss@multi.test INBOX) -join "`n" | Should -Match 'user=li@multi.test'
            # the shared-mailbox entry: li sees boss's folders under shared/ on this host
            (Invoke-Doveadm $h mailbox list -u li@multi.test) -join "`n" | Should -Match '(?m)^shared/boss@multi\.test/Sent' -Because $h.HostName
        }
    }

    It 'the group sender policy on each host reads the directory in PostgreSQL (psql as the Postfix role)' {
        New-MailGroup team@multi.test -DisplayName Team -Members boss@multi.test -WhoCanSend Members | Out-Null
        foreach ($h in $hosts) {
            $p = @{ SmtpServer = $h.Server; Port = $h.SubmissionPort; SkipCertificateCheck = $true; Body = 'x'; To = 'team@multi.test' }
            (Send-Mail @p -Credential (Cred boss@multi.test) -From boss@multi.test -Subject 'a member').Response | Should -Match 'queued' -Because $h.HostName
            $e = @(Send-Mail @p -Credential (Cred li@multi.test) -From li@multi.test -Subject 'not a member' -ErrorAction Continue 2>&1 |
                Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $e.Count | Should -Be 1 -Because $h.HostName
            $e[0].Exception.Message | Should -Match 'only members'
        }
    }

    It 'a removed mailbox leaves nothing on either host' {
        New-Mailbox -Address leaver@multi.test -Password (Cred leaver@multi.test).Password | Out-Null
        New-MailRule leaver@multi.test 'Keep' -SubjectContains x -MoveToFolder Kept | Out-Null
        Set-MailPermission boss@multi.test -Trustee leaver@multi.test -AccessRights ReadOnly -Confirm:$false | Out-Null
        foreach ($h in $hosts) { Test-Path (Home $h leaver@multi.test) | Should -BeTrue }
        Remove-Mailbox leaver@multi.test -PurgeMail -Confirm:$false
        foreach ($h in $hosts) {
            Test-Path (Home $h leaver@multi.test) | Should -BeFalse -Because $h.HostName
            (Invoke-Doveadm $h acl get -u boss@multi.test INBOX) -join "`n" | Should -Not -Match 'leaver@'
            (Login $h (Cred leaver@multi.test) -protocol Imap).Accepted | Should -BeFalse
        }
        (Invoke-TestPostgresSql $db -Sql "SELECT count(*) FROM main.removed_home WHERE address = 'leaver@multi.test'") | Should -Be '0'
    }

    It 'a host that was down during a change reports drift, and Sync-MailServerState repairs it when it is back' {
        Invoke-Doveadm $h2 stop | Out-Null
        Start-Sleep -Milliseconds 500
        $err = $null
        New-MailRule li@multi.test 'Reports' -SubjectContains report -MoveToFolder Reports -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        ($err | Select-Object -First 1).FullyQualifiedErrorId | Should -BeLike 'MailServerStateDrift*'
        "$($err | Select-Object -First 1)" | Should -Match 'mail2\.multi\.test'
        Test-Path (Join-Path (Home $h1 li@multi.test) 'sieve/mailadmin.sieve') | Should -BeTrue
        Test-Path (Join-Path (Home $h2 li@multi.test) 'sieve/mailadmin.sieve') | Should -BeFalse
        # back up: the plan names the host and the change, and the sync makes it
        & /bin/sh -c "dovecot -c '$(Join-Path $h2.Folder 'dovecot/dovecot.conf')' >>'$(Join-Path $h2.Folder 'log/start.log')' 2>&1"
        Start-Sleep -Seconds 1
        $plan = @(Sync-MailServerState -WhatIf)
        $plan | Where-Object { $_.Mailbox -eq 'li@multi.test' -and $_.Component -eq 'Sieve' -and $_.Detail -like 'mail2.multi.test*' } |
            Should -Not -BeNullOrEmpty
        $plan | Where-Object { $_.Detail -like 'mail1.multi.test*' } | Should -BeNullOrEmpty
        $done = @(Sync-MailServerState -Confirm:$false)
        ($done | Where-Object { $_.Mailbox -eq 'li@multi.test' -and $_.Component -eq 'Sieve' }).Applied | Should -BeTrue
        Get-Content (Join-Path (Home $h2 li@multi.test) 'sieve/mailadmin.sieve') -Raw | Should -Match 'report'
        @(Sync-MailServerState -WhatIf) | Where-Object Change -ne 'Reported' | Should -BeNullOrEmpty
    }
}
