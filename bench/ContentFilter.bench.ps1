<#
.SYNOPSIS
    Postfix -> rspamd (+ClamAV) -> LMTP against the same stack without the milter (issue 11): -Count messages from an outside
    host (XCLIENT address with SPF in a loopback PowerDNS, as a real MX would see them) to port 25 over -Connections parallel connections,
    timed from the first MAIL FROM until the last message is in the Maildir. Messages per second of each (median of -Runs
    runs, alternating with and without the milter on the same stack), the ratio, and the peak resident memory (VmHWM) of
    rspamd's processes and of clamd.
#>
param([int] $Count = 1000, [int] $Runs = 5, [int] $BodyBytes = 2000, [int] $Connections = 4)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Common.ps1')
. (Join-Path $PSScriptRoot '../tests/Pester/Common.ps1')
Import-Module (Join-Path $PSScriptRoot '../tests/integration/MailStack.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../tests/integration/PowerDns.psm1') -Force
Import-Module (Join-Path $ModulePath 'MailAdmin.psd1') -Force
$ProgressPreference = 'SilentlyContinue'
$dir = Join-Path ([System.IO.Path]::GetTempPath()) "mailadmin-filterbench-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
New-Item -ItemType Directory $dir | Out-Null

function Send-Batch([int] $Port, [int] $N, [string] $Tag) {
    $tcp = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $Port)
    # without it every command waits for the peer's delayed ACK (about 40 ms a message, PITFALLS.md 3)
    $tcp.NoDelay = $true
    try {
        $s = $tcp.GetStream(); $s.ReadTimeout = 120000
        $r = [System.IO.StreamReader]::new($s, [System.Text.Encoding]::ASCII)
        $w = [System.IO.StreamWriter]::new($s, [System.Text.Encoding]::ASCII); $w.NewLine = "`r`n"; $w.AutoFlush = $false
        function Expect([int] $code) {
            $w.Flush()
            do { $l = $r.ReadLine() } while ($l.Length -gt 3 -and $l[3] -eq '-')
            if (-not $l.StartsWith("$code")) { throw "expected $code, got: $l" }
        }
        Expect 220
        $w.WriteLine('EHLO mx.outside.example'); Expect 250
        $w.WriteLine('XCLIENT ADDR=198.51.100.9 NAME=mx.outside.example HELO=mx.outside.example'); Expect 220
        $w.WriteLine('EHLO mx.outside.example'); Expect 250
        $body = ('The quarterly figures are attached below for review by the team. ' * [math]::Ceiling($BodyBytes / 66)).Substring(0, $BodyBytes)
        $lines = ($body -split '(.{1,76})' | Where-Object { $_ })
        for ($i = 1; $i -le $N; $i++) {
            $w.WriteLine('MAIL FROM:<reports@outside.example>'); Expect 250
            $w.WriteLine('RCPT TO:<sink@bench.test>'); Expect 250
            $w.WriteLine('DATA'); Expect 354
            $w.WriteLine('From: Reports <reports@outside.example>'); $w.WriteLine('To: <sink@bench.test>'); $w.WriteLine("Subject: $Tag $i")
            $w.WriteLine("Date: $([datetime]::UtcNow.ToString('r'))"); $w.WriteLine("Message-ID: <$Tag.$i@outside.example>"); $w.WriteLine('')
            foreach ($l in $lines) { $w.WriteLine($l) }
            $w.WriteLine('.'); Expect 250
        }
        $w.WriteLine('QUIT'); $w.Flush()
    } finally { $tcp.Dispose() }
}

# proportional set size now (shared pages split between the processes that map them)
function Pss([int[]] $Pids) {
    $kb = 0
    foreach ($p in $Pids) {
        $line = Get-Content "/proc/$p/smaps_rollup" -ErrorAction Ignore | Where-Object { $_ -like 'Pss:*' }
        if ($line) { $kb += [int](($line -split '\s+')[1]) }
    }
    [math]::Round($kb / 1024, 1)
}
# peak resident set of each process (VmHWM), summed: shared pages count once per process, so an upper bound
function Peak([int[]] $Pids) {
    $kb = 0
    foreach ($p in $Pids) {
        $line = Get-Content "/proc/$p/status" -ErrorAction Ignore | Where-Object { $_ -like 'VmHWM:*' }
        if ($line) { $kb += [int](($line -split '\s+')[1]) }
    }
    [math]::Round($kb / 1024, 1)
}

try {
    Connect-MailProvider -Path (Join-Path $dir 'store.db')
    Set-MailSecurityPolicy -PasswordHashCost 4
    Add-MailDomain bench.test -MailHost mail.bench.test | Out-Null
    New-Mailbox sink@bench.test -DisplayName Sink -Password 'Str0ng-Passw0rd' | Out-Null
    $dns = Start-TestPowerDns -Folder (Join-Path $dir 'dns') -Zones @{
        'outside.example' = "`$ORIGIN outside.example.`n@ 60 IN SOA ns1 hostmaster 1 3600 600 86400 60`n@ 60 IN NS ns1`nns1 60 IN A 127.0.0.1`n@ 60 IN MX 10 mx`nmx 60 IN A 198.51.100.9`n@ 60 IN TXT `"v=spf1 mx -all`""
    }
    $filter = Start-TestContentFilter
    $ca = New-TestCertificateAuthority 'Filter bench CA'
    $srv = New-TestServerCertificate $ca 'mail.bench.test', 'localhost'
    $stack = Start-TestMailStack -Folder (Join-Path $dir 'stack') -CertPem $srv.ChainPem -KeyPem $srv.KeyPem -HostName mail.bench.test -ContentFilter $filter -DnsServer $dns.Server
    $pf = Join-Path $stack.Folder 'postfix'
    $milters = & postconf -c $pf -h smtpd_milters
    $maildir = Join-Path $stack.Folder 'mail/bench.test/sink/Maildir'
    function Delivered { @(Get-ChildItem (Join-Path $maildir 'new'), (Join-Path $maildir '.Junk/new') -File -ErrorAction Ignore).Count }
    function SetMilter([string] $value) { & postconf -c $pf -e "smtpd_milters = $value"; & postfix -c $pf reload 2>&1 | Out-Null; Start-Sleep -Seconds 2 }
    # warm-up: rspamd's first messages compile regexps and fill caches
    Send-Batch $stack.SmtpPort 50 warm
    $deadline = [datetime]::Now.AddSeconds(60); while ((Delivered) -lt 50 -and [datetime]::Now -lt $deadline) { Start-Sleep -Milliseconds 100 }
    $with = @(); $without = @()
    for ($run = 1; $run -le $Runs; $run++) {
        foreach ($mode in 'with', 'without') {
            SetMilter $(if ($mode -eq 'with') { $milters } else { '' })
            $before = Delivered
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $fn = ${function:Send-Batch}.ToString(); $port = $stack.SmtpPort; $per = [math]::Ceiling($Count / $Connections)
            1..$Connections | ForEach-Object -ThrottleLimit $Connections -Parallel {
                ${function:Send-Batch} = $using:fn
                $n = [math]::Min($using:per, $using:Count - ($_ - 1) * $using:per)
                if ($n -gt 0) { Send-Batch $using:port $n "$($using:mode)$($using:run)c$_" }
            }
            $deadline = [datetime]::Now.AddSeconds(600)
            while ((Delivered) -lt $before + $Count -and [datetime]::Now -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $sw.Stop()
            if ((Delivered) -lt $before + $Count) { throw "$mode run $run delivered $((Delivered) - $before) of $Count" }
            $rate = $Count / $sw.Elapsed.TotalSeconds
            if ($mode -eq 'with') { $with += $rate } else { $without += $rate }
            Write-Host ("run {0} {1,-7} {2,8:N1} msg/s" -f $run, $mode, $rate)
        }
    }
    SetMilter $milters
    $main = $filter.RspamdPid
    $children = @(& ps -o pid= --ppid $main | ForEach-Object { [int]$_.Trim() })
    $sample = Get-ChildItem (Join-Path $maildir 'new') -File | ForEach-Object { [System.IO.File]::ReadAllText($_.FullName) } | Where-Object { $_ -match '(?m)^Subject: with1c1 ' } | Select-Object -First 1
    [pscustomobject]@{
        Messages = $Count; Runs = $Runs; BodyBytes = $BodyBytes; Connections = $Connections
        WithMilterPerSecond = [math]::Round((Get-Median $with), 1); WithoutMilterPerSecond = [math]::Round((Get-Median $without), 1)
        Ratio = [math]::Round((Get-Median $without) / (Get-Median $with), 2)
        RspamdPeakMiB = Peak (@($main) + $children); RspamdLargestProcessPeakMiB = (@($main) + $children | ForEach-Object { Peak @($_) } | Measure-Object -Maximum).Maximum
        RspamdPssMiB = Pss (@($main) + $children); RspamdProcesses = 1 + $children.Count; ClamdPeakMiB = Peak @($filter.ClamdPid)
        ScannedHeaders = (($sample -split "`n" | Where-Object { $_ -match '^(X-Spam-Score|Authentication-Results):' }) -join ' | ')
    } | Format-List | Out-Host
}
finally {
    if ($stack) { Stop-TestMailStack $stack }
    if ($dns) { Stop-TestPowerDns $dns }
    Remove-Item $dir -Recurse -Force -ErrorAction Ignore
}
