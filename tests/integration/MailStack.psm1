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
    if (-not (& getent group vmail)) { & groupadd -g 5000 vmail }
    if (-not (& getent passwd vmail)) { & useradd -u 5000 -g 5000 -M -d /nonexistent -s /usr/sbin/nologin vmail }
    # the group sender policy's own user (Export-MailServerConfig -PolicyUser): reads the directory, never the secrets file
    if (-not (& getent passwd mailadmin-policy)) { & useradd --system -M -d /nonexistent -s /usr/sbin/nologin mailadmin-policy }
}

function Get-FreePort {
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $p = $l.LocalEndpoint.Port; $l.Stop(); $p
}

function Wait-Port([int] $Port, [int] $Seconds = 20) {
    $deadline = [datetime]::Now.AddSeconds($Seconds)
    while ([datetime]::Now -lt $deadline) {
        try { [System.Net.Sockets.TcpClient]::new('127.0.0.1', $Port).Dispose(); return } catch { Start-Sleep -Milliseconds 100 }
    }
    throw "nothing listens on 127.0.0.1:$Port after $Seconds s"
}

<#
.SYNOPSIS
    Writes the configuration with Export-MailServerConfig for the connected Local store and starts Postfix and Dovecot;
    returns the ports, folders and a Stop handle.
#>
function Start-TestMailStack {
    param([Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] [string] $CertPem, [Parameter(Mandatory)] [string] $KeyPem,
        [string] $HostName = 'mail.stack.test', $Connection)
    Install-TestMailStack
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
    $files = Export-MailServerConfig -Path $Folder -HostName $HostName -CertificateFile (Join-Path $Folder 'tls/cert.pem') -KeyFile (Join-Path $Folder 'tls/key.pem') `
        -ListenAddress 127.0.0.1 @ports -MailRoot (Join-Path $Folder 'mail') -RunDirectory (Join-Path $Folder 'run') -LogDirectory (Join-Path $Folder 'log') `
        -QueueDirectory (Join-Path $Folder 'queue') -DataDirectory (Join-Path $Folder 'data') -InstanceName "ma$($ports.SmtpPort)" -AuthFailureDelay 0 -NoOutbound -Force @conn
    $store = (Get-MailConnection | Where-Object { if ($Connection) { $_.Id -eq $Connection.Id } else { $_.IsDefault } }).Target
    & chmod 644 $store
    & chmod o+x (Split-Path $store)
    $pf = Join-Path $Folder 'postfix'; $dc = Join-Path $Folder 'dovecot/dovecot.conf'
    $out = & postfix -c $pf check 2>&1
    if ($LASTEXITCODE -ne 0) { throw "postfix check failed: $out" }
    # the daemons fork and keep their inherited stdout: never capture it (a pipe would hang here); send it to a file
    $startLog = Join-Path $Folder 'log/start.log'
    & /bin/sh -c "dovecot -c '$dc' >>'$startLog' 2>&1"
    if ($LASTEXITCODE -ne 0) { throw "dovecot failed to start: $(Get-Content $startLog -Raw) $(Get-Content (Join-Path $Folder 'log/dovecot.log') -Raw -ErrorAction Ignore)" }
    & /bin/sh -c "postfix -c '$pf' start >>'$startLog' 2>&1"
    if ($LASTEXITCODE -ne 0) { throw "postfix failed to start: $(Get-Content $startLog -Raw) $(Get-Content (Join-Path $Folder 'log/postfix.log') -Raw -ErrorAction Ignore)" }
    foreach ($p in $ports.Values) { Wait-Port $p }
    [pscustomobject](@{ Folder = $Folder; Files = $files; Store = $store; HostName = $HostName; Server = '127.0.0.1' } + $ports)
}

function Stop-TestMailStack {
    param([Parameter(Mandatory)] $Stack)
    & /bin/sh -c "postfix -c '$(Join-Path $Stack.Folder 'postfix')' stop >/dev/null 2>&1; doveadm -c '$(Join-Path $Stack.Folder 'dovecot/dovecot.conf')' stop >/dev/null 2>&1"
}

Export-ModuleMember -Function Install-TestMailStack, Start-TestMailStack, Stop-TestMailStack
