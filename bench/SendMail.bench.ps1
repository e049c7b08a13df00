<#
.SYNOPSIS
    Send-Mail against PowerShell's built-in Send-MailMessage (issue 4): 1,000 messages each to the local Postfix (port 25 of
    the test stack started from Export-MailServerConfig), messages per second and the ratio. Send-Mail keeps one connection
    for the whole pipeline and uses STARTTLS (certificate checked against the test CA); Send-MailMessage opens a connection
    per message and, since it cannot be told to trust a private CA, runs without TLS, i.e. it does less work per message.
#>
param([int] $Count = 1000)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Common.ps1')
. (Join-Path $PSScriptRoot '../tests/Pester/Common.ps1')
Import-Module (Join-Path $PSScriptRoot '../tests/integration/MailStack.psm1') -Force
Import-Module (Join-Path $ModulePath 'MailAdmin.psd1') -Force
$ProgressPreference = 'SilentlyContinue'
$dir = Join-Path ([System.IO.Path]::GetTempPath()) "mailadmin-sendbench-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
New-Item -ItemType Directory $dir | Out-Null
try {
    Connect-MailProvider -Path (Join-Path $dir 'store.db')
    Set-MailSecurityPolicy -PasswordHashCost 4
    Add-MailDomain bench.test -MailHost mail.bench.test | Out-Null
    New-Mailbox sink@bench.test -DisplayName Sink -Password 'Str0ng-Passw0rd' | Out-Null
    $ca = New-TestCertificateAuthority 'Send bench CA'
    $srv = New-TestServerCertificate $ca 'mail.bench.test', 'localhost'
    $stack = Start-TestMailStack -Folder (Join-Path $dir 'stack') -CertPem $srv.ChainPem -KeyPem $srv.KeyPem -HostName mail.bench.test
    $trust = Get-TrustAnchor $ca
    $messages = 1..$Count | ForEach-Object { [pscustomobject]@{ To = 'sink@bench.test'; Subject = "bench $_"; Body = "message $_" } }

    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $sent = $messages | Send-Mail -SmtpServer localhost -Port $stack.SmtpPort -From sender@example.org -TrustedCertificate $trust
    $sw.Stop()
    $ours = $Count / $sw.Elapsed.TotalSeconds
    if (@($sent).Count -ne $Count) { throw "Send-Mail sent $(@($sent).Count) of $Count" }

    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    foreach ($m in $messages) {
        Send-MailMessage -SmtpServer 127.0.0.1 -Port $stack.SmtpPort -From sender@example.org -To $m.To -Subject $m.Subject -Body $m.Body -WarningAction SilentlyContinue
    }
    $sw.Stop()
    $builtin = $Count / $sw.Elapsed.TotalSeconds

    # every message must have arrived: count the files in the sink's Maildir
    $deadline = [datetime]::Now.AddSeconds(120)
    $maildir = Join-Path $stack.Folder 'mail/bench.test/sink/Maildir/new'
    while ([datetime]::Now -lt $deadline -and @(Get-ChildItem $maildir -File -ErrorAction Ignore).Count -lt 2 * $Count) { Start-Sleep -Milliseconds 500 }
    [pscustomobject]@{
        Messages = $Count; SendMailPerSecond = [math]::Round($ours, 1); SendMailMessagePerSecond = [math]::Round($builtin, 1)
        Ratio = [math]::Round($ours / $builtin, 1); Delivered = @(Get-ChildItem $maildir -File -ErrorAction Ignore).Count
    } | Format-List | Out-Host
}
finally {
    if ($stack) { Stop-TestMailStack $stack }
    Remove-Item $dir -Recurse -Force -ErrorAction Ignore
}
