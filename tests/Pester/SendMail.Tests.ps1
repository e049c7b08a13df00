# Send-Mail and the scheduled-mail cmdlets refuse what an untrusted input or a careless switch would turn into a leak
# (issue 12): attachments named by input objects, a password over a connection without TLS, a queue file others can read.
BeforeAll {
    Import-Module (Join-Path $env:MAILADMIN_TEST_MODULE 'MailAdmin.psd1') -Force
    $secret = Join-Path $TestDrive 'secret.txt'
    Set-Content $secret 'top secret'
    $cred = [pscredential]::new('a@contoso.test', (ConvertTo-SecureString 'S3cret-Pw' -AsPlainText -Force))
}

Describe 'Send-Mail with untrusted input' {
    It 'does not attach a file an input object names unless -AttachmentFromPipeline' {
        $errs = $null
        # port 1 on loopback: a send that got as far as connecting would end in SmtpConnectionFailed instead
        [pscustomobject]@{ To = 'b@contoso.test'; Subject = 'csv row'; Body = 'x'; Attachment = $secret } |
            Send-Mail -SmtpServer 127.0.0.1 -Port 1 -From a@contoso.test -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Match '^AttachmentFromPipelineRefused'
        $errs[0].Exception.Message | Should -Match 'AttachmentFromPipeline'
    }

    It 'takes -Attachment from the command line as before' {
        { Send-Mail -SmtpServer 127.0.0.1 -Port 1 -From a@contoso.test -To b@contoso.test -Subject s -Body x -Attachment $secret -ErrorAction Stop } |
            Should -Throw -ErrorId 'SmtpConnectionFailed,*'
    }
}

Describe 'No TLS only when asked, and never with a password unless also allowed' {
    It 'refuses -NoTls with -Credential, without showing the password' {
        $e = { Send-Mail -SmtpServer 127.0.0.1 -Port 1 -NoTls -Credential $cred -From a@contoso.test -To b@contoso.test -Subject s -Body x -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnencryptedAuthenticationRefused,*' -PassThru
        $e.Exception.Message | Should -Match 'AllowUnencryptedAuthentication'
        $e.Exception.Message | Should -Not -Match 'S3cret-Pw'
        { Invoke-ScheduledMail -SmtpServer 127.0.0.1 -Port 1 -NoTls -Credential $cred -QueuePath (Join-Path $TestDrive 'q0.db') -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnencryptedAuthenticationRefused,*'
    }
}

Describe 'The scheduled-mail queue' {
    It 'is created readable by its owner only and sends only through the server the run names' {
        $q = Join-Path $TestDrive 'q.db'
        $m = Send-Mail -SmtpServer mail.elsewhere.test -Port 1 -From a@contoso.test -To b@contoso.test -Bcc hidden@contoso.test -Subject s -Body x -SendAt (Get-Date).AddMinutes(-1) -QueuePath $q
        (Get-Item $q).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        $m.MessageId | Should -Not -BeNullOrEmpty
        $run = Invoke-ScheduledMail -SmtpServer 127.0.0.1 -Port 1 -Credential $cred -QueuePath $q -WarningVariable warn -WarningAction SilentlyContinue
        $run.OtherServer | Should -Be 1
        $run.Claimed | Should -Be 0
        $warn | Should -Match 'another server'
        (Get-ScheduledMail $m.Id -QueuePath $q).Status | Should -Be 'Pending'
    }

    It 'resends only messages that are in doubt, and only when asked by id' {
        $q = Join-Path $TestDrive 'q2.db'
        $m = Send-Mail -SmtpServer 127.0.0.1 -Port 1 -From a@contoso.test -To b@contoso.test -Subject s -Body x -SendAt (Get-Date).AddMinutes(-1) -QueuePath $q
        { Invoke-ScheduledMail -SmtpServer 127.0.0.1 -Port 1 -ResendInDoubt -QueuePath $q -ErrorAction Stop } | Should -Throw -ErrorId 'ResendInDoubtWithoutId,*'
        $errs = $null
        Get-ScheduledMail $m.Id -QueuePath $q | Invoke-ScheduledMail -SmtpServer 127.0.0.1 -Port 1 -ResendInDoubt -QueuePath $q -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
        $errs.FullyQualifiedErrorId | Should -Match '^ScheduledMailNotInDoubt'
    }
}

Describe 'A server that drops the connection after the end of a message' {
    BeforeAll { Add-Type -Path (Join-Path $PSScriptRoot '../MailAdmin.Transport.Tests/LoopbackSmtpServer.cs') }

    It 'Send-Mail reports the message in doubt with its Message-ID, does not send it again, and goes on' {
        $srv = [MailAdmin.Transport.Tests.LoopbackSmtpServer]::new(); $srv.DropAt = 1
        try {
            $errs = $null
            $sent = 'one', 'two' | ForEach-Object { [pscustomobject]@{ To = 'b@contoso.test'; Subject = $_; Body = 'x' } } |
                Send-Mail -SmtpServer 127.0.0.1 -Port $srv.Port -NoTls -From a@contoso.test -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Match '^SendInDoubt'
            $errs[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($errs[0].TargetObject))
            @($sent).Count | Should -Be 1
            $srv.Taken.Count | Should -Be 2
            @($srv.Taken)[0] | Should -Be "<$($errs[0].TargetObject)>"
        }
        finally { $srv.Dispose() }
    }

    It 'Invoke-ScheduledMail marks it InDoubt, never retries it on its own, and resends it with the same Message-ID when asked' {
        $srv = [MailAdmin.Transport.Tests.LoopbackSmtpServer]::new(); $srv.DropAt = 1
        $q = Join-Path $TestDrive 'q3.db'
        try {
            $m = Send-Mail -SmtpServer 127.0.0.1 -Port $srv.Port -From a@contoso.test -To b@contoso.test -Subject s -Body x -SendAt (Get-Date).AddMinutes(-1) -QueuePath $q
            $run = Invoke-ScheduledMail -SmtpServer 127.0.0.1 -Port $srv.Port -NoTls -QueuePath $q -WarningVariable warn -WarningAction SilentlyContinue
            $run.InDoubt | Should -Be 1
            $warn | Should -Match 'in doubt'
            $doubt = Get-ScheduledMail -Status InDoubt -QueuePath $q
            $doubt.Id | Should -Be $m.Id
            (Invoke-ScheduledMail -SmtpServer 127.0.0.1 -Port $srv.Port -NoTls -QueuePath $q -WarningAction SilentlyContinue).Claimed | Should -Be 0
            $srv.Taken.Count | Should -Be 1
            ($doubt | Invoke-ScheduledMail -SmtpServer 127.0.0.1 -Port $srv.Port -NoTls -ResendInDoubt -QueuePath $q).Sent | Should -Be 1
            $srv.Taken.Count | Should -Be 2
            @($srv.Taken) | Should -Be @("<$($m.MessageId)>", "<$($m.MessageId)>")
            (Get-ScheduledMail $m.Id -QueuePath $q).Status | Should -Be 'Sent'
        }
        finally { $srv.Dispose() }
    }
}
