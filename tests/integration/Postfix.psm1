<#
    A real Postfix for the tests, on 127.0.0.1 at a high port, in its own folder (config, queue, log). Installs postfix
    from Debian with apt-get when missing. Never delivers anywhere: every transport is the discard transport (the probe stops before DATA anyway).
#>

function Install-TestPostfix {
    if (Get-Command postfix -ErrorAction Ignore) { return }
    if (-not (Get-Command apt-get -ErrorAction Ignore)) { throw 'Postfix is not installed and apt-get is not available.' }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    'postfix postfix/main_mailer_type select No configuration' | & debconf-set-selections
    & apt-get update -qq 2>&1 | Out-Null
    & apt-get install -y -qq --no-install-recommends postfix 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get install postfix failed ($LASTEXITCODE)" }
}

<#
.SYNOPSIS
    Starts Postfix accepting mail for -Destination (postmaster and anyone), with STARTTLS from -CertPem/-KeyPem.
    -TrustLoopback makes 127.0.0.0/8 a trusted network, i.e. an open relay for the test client.
#>
function Start-TestPostfix {
    param(
        [Parameter(Mandatory)] [string] $Folder,
        [Parameter(Mandatory)] [string] $HostName,
        [Parameter(Mandatory)] [string] $Destination,
        [string] $CertPem, [string] $KeyPem,
        [switch] $TrustLoopback,
        # only ECDHE with AES-GCM or ChaCha20 on TLS 1.2+, in the server's order
        [switch] $StrictTls
    )
    Install-TestPostfix
    $etc = Join-Path $Folder 'etc'; $spool = Join-Path $Folder 'spool'; $data = Join-Path $Folder 'data'
    New-Item -ItemType Directory -Force $etc, $spool, $data | Out-Null
    & chown root:root $spool; & chown postfix:postfix $data
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $port = $l.LocalEndpoint.Port; $l.Stop()
    $tls = ''
    if ($CertPem) {
        Set-Content (Join-Path $etc 'cert.pem') $CertPem; Set-Content (Join-Path $etc 'key.pem') $KeyPem
        & chmod 600 (Join-Path $etc 'key.pem')
        $tls = "smtpd_tls_cert_file = $etc/cert.pem`nsmtpd_tls_key_file = $etc/key.pem`nsmtpd_tls_security_level = may"
        if ($StrictTls) { $tls += "`nsmtpd_tls_ciphers = high`ntls_high_cipherlist = ECDHE+AESGCM:ECDHE+CHACHA20`ntls_preempt_cipherlist = yes`nsmtpd_tls_protocols = >=TLSv1.2" }
    }
    @"
compatibility_level = 3.6
queue_directory = $spool
data_directory = $data
mail_owner = postfix
maillog_file = $Folder/postfix.log
maillog_file_prefixes = $Folder
myhostname = $HostName
mydomain = $Destination
mydestination = $Destination
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = $(if ($TrustLoopback) { '127.0.0.0/8' } else { '192.0.2.1/32' })
alias_maps =
alias_database =
local_recipient_maps =
biff = no
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
default_transport = discard:no delivery in tests
relay_transport = discard:no delivery in tests
local_transport = discard:no delivery in tests
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
$tls
"@ | Set-Content (Join-Path $etc 'main.cf')
    Copy-Item /etc/postfix/master.cf (Join-Path $etc 'master.cf')
    & postconf -c $etc -MX smtp/inet
    & postconf -c $etc -M "127.0.0.1:$port/inet=127.0.0.1:$port inet n - n - - smtpd"
    & postconf -c $etc -F '*/*/chroot = n'
    foreach ($svc in 'maildrop', 'uucp', 'ifmail', 'bsmtp', 'scalemail-backend', 'mailman') { & postconf -c $etc -MX "$svc/unix" 2>$null }
    New-Item -ItemType File -Force (Join-Path $Folder 'postfix.log') | Out-Null
    & postfix -c $etc check 2>&1 | Out-Null
    & postfix -c $etc start 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "postfix start failed: $(Get-Content (Join-Path $Folder 'postfix.log') -Raw)" }
    $deadline = [datetime]::Now.AddSeconds(15)
    while ([datetime]::Now -lt $deadline) {
        try { $c = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $c.Dispose(); break } catch { Start-Sleep -Milliseconds 100 }
    }
    [pscustomobject]@{ Port = $port; Config = $etc; Folder = $Folder }
}

function Stop-TestPostfix {
    param([Parameter(Mandatory)] $Postfix)
    & postfix -c $Postfix.Config stop 2>&1 | Out-Null
}

Export-ModuleMember -Function Install-TestPostfix, Start-TestPostfix, Stop-TestPostfix
