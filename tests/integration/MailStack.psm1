<#
    Real Postfix and Dovecot (IMAP, POP3, LMTP, Sieve, ManageSieve, ACL) from Debian on 127.0.0.1 at high ports, started
    from exactly the configuration Export-MailServerConfig writes for a Local store. Installs the packages with apt-get
    when missing (the test run is root on Debian) and creates the vmail user (5000:5000).
#>

function Install-TestMailStack {
    $files = '/usr/lib/postfix/postfix-sqlite.so', '/usr/lib/dovecot/modules/auth/libdriver_sqlite.so', '/usr/lib/dovecot/modules/lib90_sieve_plugin.so',
        '/usr/lib/dovecot/imap', '/usr/lib/dovecot/pop3', '/usr/lib/dovecot/lmtp', '/usr/lib/dovecot/managesieve', '/usr/bin/sqlite3'
    $need = -not (Get-Command dovecot -ErrorAction Ignore) -or -not (Get-Command postfix -ErrorAction Ignore) -or @($files | Where-Object { -not (Test-Path $_) }).Count -gt 0
    if ($need) {
        if (-not (Get-Command apt-get -ErrorAction Ignore)) { throw 'Postfix/Dovecot are not installed and apt-get is not available.' }
        $env:DEBIAN_FRONTEND = 'noninteractive'
        'postfix postfix/main_mailer_type select No configuration' | & debconf-set-selections
        $pkgs = 'postfix', 'postfix-sqlite', 'dovecot-imapd', 'dovecot-pop3d', 'dovecot-lmtpd', 'dovecot-sieve', 'dovecot-managesieved', 'dovecot-sqlite', 'sqlite3'
        & apt-get install -y -qq --no-install-recommends @pkgs 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { & apt-get update -qq 2>&1 | Out-Null; & apt-get install -y -qq --no-install-recommends @pkgs 2>&1 | Out-Null }
        if ($LASTEXITCODE -ne 0) { throw "apt-get install $($pkgs -join ' ') failed ($LASTEXITCODE)" }
    }
    Install-TestContentFilter
    if (-not (& getent group vmail)) { & groupadd -g 5000 vmail }
    if (-not (& getent passwd vmail)) { & useradd -u 5000 -g 5000 -M -d /nonexistent -s /usr/sbin/nologin vmail }
    # the group sender policy's own user (Export-MailServerConfig -PolicyUser): reads the directory, never the secrets file
    if (-not (& getent passwd mailadmin-policy)) { & useradd --system -M -d /nonexistent -s /usr/sbin/nologin mailadmin-policy }
}

# every port handed out in this process: a stack's ports are drawn before any of its servers binds one, so a free port
# alone could be drawn twice (Dovecot then refuses a "duplicate listener"); global, because test files re-import this module
if ($null -eq $global:MailAdminTestPortsGiven) { $global:MailAdminTestPortsGiven = [System.Collections.Generic.HashSet[int]]::new() }

function Get-FreePort {
    # below the kernel's ephemeral range (32768-60999 here), so that no outgoing connection can take the port between
    # choosing it and the server binding it; free for TCP and UDP, and never handed out before in this run
    for ($i = 0; $i -lt 200; $i++) {
        $port = Get-Random -Minimum 20000 -Maximum 32768
        if ($global:MailAdminTestPortsGiven.Contains($port)) { continue }
        try {
            $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port); $l.Start(); $l.Stop()
            $u = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, $port)); $u.Dispose()
            [void] $global:MailAdminTestPortsGiven.Add($port)
            return $port
        }
        catch [System.Net.Sockets.SocketException] { continue }
    }
    throw 'No free port on 127.0.0.1 between 20000 and 32767 after 200 tries'
}

function Wait-Port([int] $Port, [int] $Seconds = 20, [string] $Address = '127.0.0.1') {
    $deadline = [datetime]::Now.AddSeconds($Seconds)
    while ([datetime]::Now -lt $deadline) {
        try { [System.Net.Sockets.TcpClient]::new($Address, $Port).Dispose(); return } catch { Start-Sleep -Milliseconds 100 }
    }
    throw "nothing listens on ${Address}:$Port after $Seconds s"
}

<#
.SYNOPSIS
    Writes the configuration with Export-MailServerConfig for the connected Local store and starts Postfix and Dovecot;
    returns the ports, folders and a Stop handle.
#>
function Start-TestMailStack {
    param([Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] [string] $CertPem, [Parameter(Mandatory)] [string] $KeyPem,
        [string] $HostName = 'mail.stack.test', $Connection,
        # from Start-TestContentFilter: export with -Rspamd (its milter port, clamd, -DnsServer) and point the shared rspamd at it
        $ContentFilter, [string[]] $DnsServer,
        # a host of a store in PostgreSQL: its own loopback address, and the doveadm HTTP API key the module will use
        [string] $ListenAddress = '127.0.0.1', [string] $DoveadmApiKey)
    Install-TestMailStack
    if ($ListenAddress -like '127.*' -and $ListenAddress -ne '127.0.0.1') {
        # a second loopback address for a second mail host: Postfix listens only on addresses an interface carries
        if (-not ((& ip -4 addr show dev lo) -match " $([regex]::Escape($ListenAddress))/")) {
            & ip addr add "$ListenAddress/32" dev lo 2>&1 | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "ip addr add $ListenAddress/32 dev lo failed" }
        }
    }
    # world-traversable, as Postfix (user postfix) and Dovecot (vmail) must reach the store, certs, maps and sockets
    New-Item -ItemType Directory -Force $Folder | Out-Null
    $Folder = (Resolve-Path $Folder).Path
    foreach ($d in 'tls', 'run', 'log', 'queue', 'data', 'mail') { New-Item -ItemType Directory -Force (Join-Path $Folder $d) | Out-Null }
    for ($p = $Folder; $p -and $p -ne '/'; $p = Split-Path $p) { & chmod o+x $p 2>$null }
    & chmod 755 $Folder (Join-Path $Folder run) (Join-Path $Folder log) (Join-Path $Folder tls)
    & chown root:root (Join-Path $Folder queue); & chown postfix:postfix (Join-Path $Folder data); & chown vmail:vmail (Join-Path $Folder mail)
    Set-Content (Join-Path $Folder 'tls/cert.pem') $CertPem; Set-Content (Join-Path $Folder 'tls/key.pem') $KeyPem
    & chmod 600 (Join-Path $Folder 'tls/key.pem')
    $ports = [ordered]@{}
    foreach ($n in 'SmtpPort', 'SubmissionPort', 'SubmissionsPort', 'ImapPort', 'ImapsPort', 'Pop3Port', 'Pop3sPort', 'LmtpPort', 'ManageSievePort') { $ports[$n] = Get-FreePort }
    $conn = if ($Connection) { @{ Connection = $Connection } } else { @{} }
    if ($ContentFilter) {
        $conn += @{ Rspamd = $true; RspamdMilterAddress = "127.0.0.1:$($ContentFilter.MilterPort)"; RspamdControllerAddress = "127.0.0.1:$($ContentFilter.ControllerPort)"
            ClamdAddress = "127.0.0.1:$($ContentFilter.ClamdPort)"; RspamdWorkers = 1 }
        if ($DnsServer) { $conn.DnsServer = $DnsServer }
        # rspamd's workers (user _rspamd) append to the log the main process opened
        New-Item -ItemType File -Force (Join-Path $Folder 'log/rspamd.log') | Out-Null
        & chown _rspamd: (Join-Path $Folder 'log/rspamd.log')
    }
    if ($DoveadmApiKey) {
        $ports['DoveadmPort'] = Get-FreePort
        $conn += @{ DoveadmUrl = "http://$($ListenAddress):$($ports.DoveadmPort)"; DoveadmApiKey = (ConvertTo-SecureString $DoveadmApiKey -AsPlainText -Force) }
        # what the admin puts beside dovecot.conf (the module never writes the key to a file)
        New-Item -ItemType Directory -Force (Join-Path $Folder 'dovecot') | Out-Null
        Set-Content -Path (Join-Path $Folder 'dovecot/doveadm-api.key') -Value $DoveadmApiKey -NoNewline
        & chmod 600 (Join-Path $Folder 'dovecot/doveadm-api.key')
    }
    $exportPorts = @{} + $ports; $exportPorts.Remove('DoveadmPort')
    $export = @{
        Path = $Folder; HostName = $HostName; ListenAddress = $ListenAddress; InstanceName = "ma$($ports.SmtpPort)"
        CertificateFile = (Join-Path $Folder 'tls/cert.pem'); KeyFile = (Join-Path $Folder 'tls/key.pem')
        MailRoot = (Join-Path $Folder 'mail'); RunDirectory = (Join-Path $Folder 'run'); LogDirectory = (Join-Path $Folder 'log')
        QueueDirectory = (Join-Path $Folder 'queue'); DataDirectory = (Join-Path $Folder 'data')
    }
    $files = Export-MailServerConfig @export @exportPorts -AuthFailureDelay 0 -NoOutbound -Force @conn
    $store = (Get-MailConnection | Where-Object { if ($Connection) { $_.Id -eq $Connection.Id } else { $_.IsDefault } }).Target
    if ($store -notlike 'postgresql://*') {
        & chmod 644 $store
        & chmod o+x (Split-Path $store)
    }
    $pf = Join-Path $Folder 'postfix'; $dc = Join-Path $Folder 'dovecot/dovecot.conf'
    if ($ContentFilter) {
        # test only: the tests play outside hosts (SPF, DMARC) from loopback with XCLIENT; never in a real main.cf
        & postconf -c $pf -e 'smtpd_authorized_xclient_hosts = 127.0.0.1'
        # test only: rspamd's add-header GTUBE pattern (YJS...), "not for production" (rspamd refuses the classic XJS one outright)
        Add-Content (Join-Path $Folder 'rspamd/local.d/options.inc') 'enable_test_patterns = true;'
        Use-TestContentFilterConfig $ContentFilter (Join-Path $Folder 'rspamd')
    }
    $out = & postfix -c $pf check 2>&1
    if ($LASTEXITCODE -ne 0) { throw "postfix check failed: $out" }
    # the daemons fork and keep their inherited stdout: never capture it (a pipe would hang here); send it to a file
    $startLog = Join-Path $Folder 'log/start.log'
    & /bin/sh -c "dovecot -c '$dc' >>'$startLog' 2>&1"
    if ($LASTEXITCODE -ne 0) { throw "dovecot failed to start: $(Get-Content $startLog -Raw) $(Get-Content (Join-Path $Folder 'log/dovecot.log') -Raw -ErrorAction Ignore)" }
    & /bin/sh -c "postfix -c '$pf' start >>'$startLog' 2>&1"
    if ($LASTEXITCODE -ne 0) { throw "postfix failed to start: $(Get-Content $startLog -Raw) $(Get-Content (Join-Path $Folder 'log/postfix.log') -Raw -ErrorAction Ignore)" }
    foreach ($n in $ports.Keys) {
        # LMTP listens on 127.0.0.1 whatever the host's address (dovecot.conf): Postfix on the same host delivers there
        $address = if ($n -eq 'LmtpPort' -or $ListenAddress -eq '0.0.0.0') { '127.0.0.1' } else { $ListenAddress }
        Wait-Port $ports[$n] -Address $address
    }
    [pscustomobject](@{ Folder = $Folder; Files = $files; Store = $store; HostName = $HostName; Server = $ListenAddress } + $ports)
}

function Stop-TestMailStack {
    param([Parameter(Mandatory)] $Stack)
    & /bin/sh -c "postfix -c '$(Join-Path $Stack.Folder 'postfix')' stop >/dev/null 2>&1; doveadm -c '$(Join-Path $Stack.Folder 'dovecot/dovecot.conf')' stop >/dev/null 2>&1"
}

<#
    rspamd and clamd for the tests: installed with apt-get when missing, started ONCE per test run (this pwsh process) and
    shared by every test file: a global survives Import-Module -Force, and a watcher stops both daemons when the process ends.
    clamd loads only a signature database the test makes (sigtool --md5); freshclam never runs.
#>
function Install-TestContentFilter {
    $files = '/usr/bin/rspamd', '/usr/sbin/clamd', '/usr/bin/sigtool'
    if (@($files | Where-Object { -not (Test-Path $_) }).Count -gt 0) {
        if (-not (Get-Command apt-get -ErrorAction Ignore)) { throw 'rspamd/ClamAV are not installed and apt-get is not available: install rspamd clamav-daemon clamav.' }
        $env:DEBIAN_FRONTEND = 'noninteractive'
        $pkgs = 'rspamd', 'clamav-daemon', 'clamav'
        & apt-get install -y -qq --no-install-recommends @pkgs 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { & apt-get update -qq 2>&1 | Out-Null; & apt-get install -y -qq --no-install-recommends @pkgs 2>&1 | Out-Null }
        if ($LASTEXITCODE -ne 0) { throw "apt-get install $($pkgs -join ' ') failed ($LASTEXITCODE)" }
    }
}

function Test-Pid([int] $Id) { $Id -gt 0 -and (Test-Path "/proc/$Id") }

# the test virus: a file whose MD5 signature only this run's clamd knows
$script:VirusText = "MAILADMIN-TEST-VIRUS-7f3a9c1e-not-a-real-virus`n"

function Start-TestClamd([pscustomobject] $Filter) {
    $db = Join-Path $Filter.Folder 'clamdb'
    $conf = Join-Path $Filter.Folder 'clamd.conf'
    @"
TCPSocket $($Filter.ClamdPort)
TCPAddr 127.0.0.1
DatabaseDirectory $db
LogFile $($Filter.Folder)/clamd.log
PidFile $($Filter.Folder)/clamd.pid
Foreground yes
User clamav
"@ | Set-Content $conf
    $p = Start-Process -FilePath /usr/sbin/clamd -ArgumentList '-c', $conf -RedirectStandardOutput (Join-Path $Filter.Folder 'clamd.out') -RedirectStandardError (Join-Path $Filter.Folder 'clamd.err') -PassThru
    $Filter.ClamdPid = $p.Id
    Set-Content (Join-Path $Filter.Folder 'clamd.started') $p.Id
    Wait-Port $Filter.ClamdPort 60
}

function Stop-TestClamd([pscustomobject] $Filter) {
    if (Test-Pid $Filter.ClamdPid) { & kill $Filter.ClamdPid; $deadline = [datetime]::Now.AddSeconds(10); while ((Test-Pid $Filter.ClamdPid) -and [datetime]::Now -lt $deadline) { Start-Sleep -Milliseconds 100 } }
}

<#
.SYNOPSIS
    Starts (once per run) clamd with a test signature; returns the shared filter: ports, folder, VirusText, and rspamd's
    state (rspamd itself starts when the first stack's configuration is exported, see Use-TestContentFilterConfig).
#>
function Start-TestContentFilter {
    $f = $global:MailAdminTestContentFilter
    if ($f -and $f.Owner -eq $PID) {
        if (-not (Test-Pid $f.ClamdPid)) { Start-TestClamd $f }
        return $f
    }
    Install-TestContentFilter
    $folder = "/tmp/mailadmin-filter-$PID"
    Remove-Item $folder -Recurse -Force -ErrorAction Ignore
    foreach ($d in 'clamdb', 'rspamd-db', 'rspamd-run') { New-Item -ItemType Directory -Force (Join-Path $folder $d) | Out-Null }
    & chmod 755 $folder
    $sample = Join-Path $folder 'virus.txt'
    [System.IO.File]::WriteAllText($sample, $script:VirusText)
    $sig = ((& sigtool --md5 $sample) -split ':')
    "$($sig[0]):$($sig[1]):MailAdmin.Test.Signature" | Set-Content (Join-Path $folder 'clamdb/mailadmin-test.hdb')
    & chown -R clamav: (Join-Path $folder 'clamdb')
    & chown _rspamd: (Join-Path $folder 'rspamd-db') (Join-Path $folder 'rspamd-run')
    $f = [pscustomobject]@{ Owner = $PID; Folder = $folder; ClamdPort = (Get-FreePort); MilterPort = (Get-FreePort); ControllerPort = (Get-FreePort)
        ClamdPid = 0; RspamdPid = 0; ConfigLink = (Join-Path $folder 'conf'); ConfigDirectory = $null; VirusText = $script:VirusText }
    Start-TestClamd $f
    # stops both daemons when this pwsh ends (the last test file cannot know it is the last)
    $watch = "while kill -0 $PID 2>/dev/null; do sleep 2; done; for p in `$(cat '$folder/rspamd.started' 2>/dev/null) `$(cat '$folder/clamd.started' 2>/dev/null); do kill `$p 2>/dev/null; done; sleep 5; rm -rf '$folder'"
    Set-Content (Join-Path $folder 'watch.sh') $watch
    Start-Process -FilePath /usr/bin/setsid -ArgumentList '/bin/sh', (Join-Path $folder 'watch.sh') -RedirectStandardOutput (Join-Path $folder 'watch.out') | Out-Null
    $global:MailAdminTestContentFilter = $f
    $f
}

<#
.SYNOPSIS
    Points the shared rspamd at an exported rspamd folder (its LOCAL_CONFDIR, through a link); starts rspamd the first time,
    reloads it (SIGHUP) when another stack's configuration takes over.
#>
function Use-TestContentFilterConfig([pscustomobject] $Filter, [string] $ConfigDirectory) {
    & ln -sfn $ConfigDirectory $Filter.ConfigLink
    $log = Join-Path (Split-Path $ConfigDirectory) 'log/rspamd.log'
    if (Test-Pid $Filter.RspamdPid) {
        if ($Filter.ConfigDirectory -ne $ConfigDirectory) {
            & kill -HUP $Filter.RspamdPid
            Start-Sleep -Seconds 3
        }
    } else {
        $pidFile = Join-Path $Filter.Folder 'rspamd-run/rspamd.pid'
        $rargs = '-f', '-c', '/etc/rspamd/rspamd.conf', "--var=LOCAL_CONFDIR=$($Filter.ConfigLink)", "--var=DBDIR=$($Filter.Folder)/rspamd-db",
            "--var=RUNDIR=$($Filter.Folder)/rspamd-run", '-u', '_rspamd', '-g', '_rspamd', '-p', $pidFile
        $p = Start-Process -FilePath /usr/bin/rspamd -ArgumentList $rargs -RedirectStandardOutput (Join-Path $Filter.Folder 'rspamd.out') -RedirectStandardError (Join-Path $Filter.Folder 'rspamd.err') -PassThru
        $Filter.RspamdPid = $p.Id
        # (rspamd -f writes no pid file of its own) the watcher reads this one
        Set-Content (Join-Path $Filter.Folder 'rspamd.started') $p.Id
        try { Wait-Port $Filter.MilterPort 120 }
        catch { throw "rspamd did not start: $(Get-Content (Join-Path $Filter.Folder 'rspamd.err') -Raw) $(Get-Content $log -Tail 20 -ErrorAction Ignore)" }
    }
    $Filter.ConfigDirectory = $ConfigDirectory
}

<#
.SYNOPSIS
    One message over plain SMTP as an outside host would send it: XCLIENT (Postfix trusts loopback for it in the test
    stack) sets the client address and HELO that SPF and DMARC see. Returns Code, Text (the last reply) and Stage.
#>
function Send-TestSmtp {
    param([Parameter(Mandatory)] [int] $Port, [Parameter(Mandatory)] [string] $From, [Parameter(Mandatory)] [string[]] $To,
        [Parameter(Mandatory)] [string] $Message, [string] $ClientAddress, [string] $Helo = 'client.test')
    $tcp = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $Port)
    $tcp.NoDelay = $true
    try {
        $stream = $tcp.GetStream(); $stream.ReadTimeout = 60000
        $r = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII)
        $w = [System.IO.StreamWriter]::new($stream, [System.Text.Encoding]::ASCII); $w.NewLine = "`r`n"; $w.AutoFlush = $true
        function Reply { $lines = @(); do { $l = $r.ReadLine(); $lines += $l } while ($l -and $l.Length -gt 3 -and $l[3] -eq '-'); [pscustomobject]@{ Code = [int]$lines[-1].Substring(0, 3); Text = ($lines -join "`n") } }
        function Step([string] $stage, [string] $line, [int[]] $ok) {
            if ($line) { $w.WriteLine($line) }
            $x = Reply
            if ($x.Code -notin $ok) { throw [pscustomobject]@{ Code = $x.Code; Text = $x.Text; Stage = $stage } }
            $x
        }
        try {
            $null = Step 'connect' $null 220
            $null = Step 'ehlo' "EHLO $Helo" 250
            if ($ClientAddress) {
                $null = Step 'xclient' "XCLIENT ADDR=$ClientAddress NAME=$(if ($Helo.StartsWith("[")) { "[UNAVAILABLE]" } else { $Helo }) HELO=$Helo" 220
                $null = Step 'ehlo' "EHLO $Helo" 250
            }
            $null = Step 'mail' "MAIL FROM:<$From>" 250
            foreach ($t in $To) { $null = Step 'rcpt' "RCPT TO:<$t>" 250 }
            $null = Step 'data' 'DATA' 354
            foreach ($line in ($Message -replace "`r`n", "`n").TrimEnd("`n").Split("`n")) { $w.WriteLine($(if ($line.StartsWith('.')) { ".$line" } else { $line })) }
            $end = Step 'end' '.' 250
            $w.WriteLine('QUIT')
            [pscustomobject]@{ Code = $end.Code; Text = $end.Text; Stage = 'end' }
        } catch { if ($_.TargetObject.Stage) { $_.TargetObject } else { throw } }
    } finally { $tcp.Dispose() }
}

Export-ModuleMember -Function Install-TestMailStack, Start-TestMailStack, Stop-TestMailStack, Install-TestContentFilter, Start-TestContentFilter, Stop-TestClamd, Start-TestClamd, Send-TestSmtp
