<#
.SYNOPSIS
    Invoke-ScheduledMail over 10,000 due messages (issue 4): two runs started at the same moment against one queue, sending
    to the local Postfix of the test stack (Export-MailServerConfig). Messages per second, and that none was sent twice:
    every message is counted once in the queue (Sent) and once in the recipient's Maildir.
#>
param([int] $Count = 10000)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Common.ps1')
. (Join-Path $PSScriptRoot '../tests/Pester/Common.ps1')
Import-Module (Join-Path $PSScriptRoot '../tests/integration/MailStack.psm1') -Force
Import-Module (Join-Path $ModulePath 'MailAdmin.psd1') -Force
$ProgressPreference = 'SilentlyContinue'
$env:MAILADMIN_TEST_MODULE = $ModulePath
$dir = Join-Path ([System.IO.Path]::GetTempPath()) "mailadmin-schedbench-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
New-Item -ItemType Directory $dir | Out-Null
try {
    Connect-MailProvider -Path (Join-Path $dir 'store.db')
    Set-MailSecurityPolicy -PasswordHashCost 4
    Add-MailDomain bench.test -MailHost mail.bench.test | Out-Null
    New-Mailbox sink@bench.test -DisplayName Sink -Password 'Str0ng-Passw0rd' | Out-Null
    $ca = New-TestCertificateAuthority 'Schedule bench CA'
    $srv = New-TestServerCertificate $ca 'mail.bench.test', 'localhost'
    $stack = Start-TestMailStack -Folder (Join-Path $dir 'stack') -CertPem $srv.ChainPem -KeyPem $srv.KeyPem -HostName mail.bench.test
    $trustPath = Join-Path $dir 'ca.cer'; [System.IO.File]::WriteAllBytes($trustPath, (Get-TrustAnchor $ca).RawData)
    $queue = Join-Path $dir 'queue.db'
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    1..$Count | ForEach-Object { [pscustomobject]@{ To = 'sink@bench.test'; Subject = "scheduled $_"; Body = "message $_" } } |
        Send-Mail -SmtpServer localhost -Port $stack.SmtpPort -From sender@example.org -QueuePath $queue -SendAt (Get-Date).AddMinutes(-1) | Out-Null
    $queued = $sw.Elapsed.TotalSeconds
    $cmd = "Import-Module '$ModulePath/MailAdmin.psd1'; Invoke-ScheduledMail -QueuePath '$queue' -TrustedCertificate ([System.Security.Cryptography.X509Certificates.X509Certificate2]::new('$trustPath')) | ConvertTo-Json -Compress | Set-Content ('$dir/run-' + `$PID + '.json')"
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $p1 = Start-TestPwsh $cmd; $p2 = Start-TestPwsh $cmd
    $p1.WaitForExit(); $p2.WaitForExit()
    $seconds = $sw.Elapsed.TotalSeconds
    $runs = Get-ChildItem $dir -Filter 'run-*.json' | ForEach-Object { Get-Content $_ -Raw | ConvertFrom-Json }
    $maildir = Join-Path $stack.Folder 'mail/bench.test/sink/Maildir/new'
    $deadline = [datetime]::Now.AddSeconds(300)
    while ([datetime]::Now -lt $deadline -and @(Get-ChildItem $maildir -File -ErrorAction Ignore).Count -lt $Count) { Start-Sleep -Seconds 1 }
    Start-Sleep -Seconds 2
    $subjects = Get-ChildItem $maildir -File | ForEach-Object { (Select-String -Path $_.FullName -Pattern '^Subject: (.*)$' -List).Matches[0].Groups[1].Value }
    [pscustomobject]@{
        Messages = $Count; QueuedInSeconds = [math]::Round($queued, 1); SentInSeconds = [math]::Round($seconds, 1)
        PerSecond = [math]::Round($Count / $seconds, 1); SentByRun = ($runs | ForEach-Object Sent) -join ' + '
        SentInQueue = @(Get-ScheduledMail -QueuePath $queue -Status Sent).Count; Delivered = $subjects.Count
        DeliveredTwice = @($subjects | Group-Object | Where-Object Count -gt 1).Count
    } | Format-List | Out-Host
}
finally {
    if ($stack) { Stop-TestMailStack $stack }
    Remove-Item $dir -Recurse -Force -ErrorAction Ignore
}
