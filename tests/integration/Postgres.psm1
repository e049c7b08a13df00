<#
    A real PostgreSQL for the tests: Debian's server binaries run as a private cluster (initdb in a temp folder, owned by the
    postgres system user) on 127.0.0.1 at a port below the kernel's ephemeral range. Installs postgresql (and the Postfix and
    Dovecot SQL drivers for it) with apt-get when missing. Start-TestPostgres is called ONCE per test run by build.ps1, which
    hands the connection to xunit and Pester in MAILADMIN_TEST_PG; a run without it (one Pester file alone) starts its own.
#>

function Install-TestPostgres {
    $initdb = Get-ChildItem /usr/lib/postgresql/*/bin/initdb -ErrorAction Ignore | Select-Object -Last 1
    $drivers = (Test-Path /usr/lib/postfix/postfix-pgsql.so) -and (Test-Path /usr/lib/dovecot/libdriver_pgsql.so)
    if ($initdb -and $drivers) { return }
    if (-not (Get-Command apt-get -ErrorAction Ignore)) {
        throw 'PostgreSQL is not installed and apt-get is not available: install postgresql postfix-pgsql dovecot-pgsql.'
    }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    $pkgs = 'postgresql', 'postfix-pgsql', 'dovecot-pgsql'
    & apt-get install -y -qq --no-install-recommends @pkgs 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { & apt-get update -qq 2>&1 | Out-Null; & apt-get install -y -qq --no-install-recommends @pkgs 2>&1 | Out-Null }
    if ($LASTEXITCODE -ne 0) { throw "apt-get install $($pkgs -join ' ') failed ($LASTEXITCODE)" }
}

function Get-FreePostgresPort {
    for ($i = 0; $i -lt 200; $i++) {
        $port = Get-Random -Minimum 5000 -Maximum 10000
        try { $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port); $l.Start(); $l.Stop(); return $port }
        catch [System.Net.Sockets.SocketException] { continue }
    }
    throw 'No free port on 127.0.0.1 between 5000 and 9999 after 200 tries'
}

<#
.SYNOPSIS
    Starts a private PostgreSQL cluster; returns Port, Folder, Bin, Superuser connection string (role 'mailadmin', password
    auth over TCP) and Admin (a scriptblock-free description). New-TestPostgresDatabase makes a fresh database in it.
#>
function Start-TestPostgres {
    param([string] $Folder = (Join-Path ([IO.Path]::GetTempPath()) ("mailadmin-pg-" + [guid]::NewGuid().ToString('n').Substring(0, 8))))
    Install-TestPostgres
    $bin = (Get-ChildItem /usr/lib/postgresql/*/bin/initdb | Select-Object -Last 1).Directory.FullName
    $data = Join-Path $Folder 'data'
    New-Item -ItemType Directory -Force $data | Out-Null
    & chown -R postgres:postgres $Folder
    & chmod 700 $data
    $pwfile = Join-Path $Folder 'pw'
    $password = [guid]::NewGuid().ToString('n')
    Set-Content -Path $pwfile -Value $password -NoNewline
    & chown postgres $pwfile
    $out = & runuser -u postgres -- "$bin/initdb" -D $data -U mailadmin --pwfile=$pwfile -A scram-sha-256 -E UTF8 --locale=C.UTF-8 2>&1
    if ($LASTEXITCODE -ne 0) { throw "initdb failed: $out" }
    & rm -f $pwfile
    # test only: the mail hosts' roles (Export-MailServerConfig's mailhost-roles.sql) sign in from loopback without a password,
    # standing in for the pgpass files or client certificates a real site gives them; every other role needs its password
    $hba = Join-Path $data 'pg_hba.conf'
    $rules = "host all mailadmin_postfix,mailadmin_dovecot 127.0.0.1/32 trust`n" + (Get-Content $hba -Raw)
    Set-Content -Path $hba -Value $rules -NoNewline
    for ($attempt = 0; $attempt -lt 5; $attempt++) {
        $port = Get-FreePostgresPort
        $opts = "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$Folder -c fsync=off -c max_connections=200"
        $out = & runuser -u postgres -- "$bin/pg_ctl" -D $data -l (Join-Path $Folder 'log') -o $opts -w -t 30 start 2>&1
        if ($LASTEXITCODE -eq 0) { break }
        if ($attempt -eq 4) { throw "pg_ctl start failed: $out $(Get-Content (Join-Path $Folder 'log') -Raw -ErrorAction Ignore)" }
    }
    [pscustomobject]@{
        Port     = $port
        Folder   = $Folder
        Bin      = $bin
        Password = $password
        Server   = "Host=127.0.0.1;Port=$port;Username=mailadmin;Password=$password"
    }
}

function Stop-TestPostgres([Parameter(Mandatory)] $Server) {
    & runuser -u postgres -- "$($Server.Bin)/pg_ctl" -D (Join-Path $Server.Folder 'data') -m immediate -w stop 2>&1 | Out-Null
    Remove-Item $Server.Folder -Recurse -Force -ErrorAction Ignore
}

<#
.SYNOPSIS
    The shared test server (MAILADMIN_TEST_PG, set by build.ps1) or, when a test file runs alone, one started for this process.
#>
function Get-TestPostgres {
    if ($env:MAILADMIN_TEST_PG) { return [pscustomobject]@{ Server = $env:MAILADMIN_TEST_PG; Owned = $false } }
    if (-not $script:OwnPostgres) {
        $script:OwnPostgres = Start-TestPostgres
        # a test file run alone has nobody to stop this cluster after it: a watcher stops it when this pwsh ends
        $pg = $script:OwnPostgres
        $data = Join-Path $pg.Folder 'data'
        $watch = "while kill -0 $PID 2>/dev/null; do sleep 2; done; " +
            "runuser -u postgres -- '$($pg.Bin)/pg_ctl' -D '$data' -m immediate -w stop; rm -rf '$($pg.Folder)'"
        Set-Content (Join-Path $pg.Folder 'watch.sh') $watch
        Start-Process -FilePath /usr/bin/setsid -ArgumentList '/bin/sh', (Join-Path $pg.Folder 'watch.sh') -RedirectStandardOutput '/dev/null' | Out-Null
    }
    $env:MAILADMIN_TEST_PG = $script:OwnPostgres.Server
    [pscustomobject]@{ Server = $script:OwnPostgres.Server; Owned = $true }
}

<#
.SYNOPSIS
    Creates an empty database on the test server; returns its connection string without the password and the password
    apart (as the module takes them: -ConnectionString and -Credential).
#>
function New-TestPostgresDatabase([string] $Name = ('t' + [guid]::NewGuid().ToString('n').Substring(0, 12))) {
    $pg = Get-TestPostgres
    $parts = @{}
    foreach ($kv in $pg.Server.Split(';')) { $k, $v = $kv.Split('=', 2); $parts[$k] = $v }
    $env:PGPASSWORD = $parts.Password
    & psql -h $parts.Host -p $parts.Port -U $parts.Username -d postgres -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $Name" 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "CREATE DATABASE $Name failed" }
    Remove-Item Env:PGPASSWORD
    [pscustomobject]@{
        Database         = $Name
        Host             = $parts.Host
        Port             = [int]$parts.Port
        Username         = $parts.Username
        ConnectionString = "Host=$($parts.Host);Port=$($parts.Port);Database=$Name;Username=$($parts.Username)"
        Credential       = [pscredential]::new($parts.Username, (ConvertTo-SecureString $parts.Password -AsPlainText -Force))
        Password         = $parts.Password
    }
}

<#
.SYNOPSIS
    Runs a SQL file (or text) in a test database as the superuser, as a database owner would with psql.
#>
function Invoke-TestPostgresSql([Parameter(Mandatory)] $Database, [string] $File, [string] $Sql) {
    $env:PGPASSWORD = $Database.Password
    try {
        $a = @('-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', $Database.Host, '-p', $Database.Port, '-U', $Database.Username, '-d', $Database.Database)
        $out = if ($File) { & psql @a -f $File 2>&1 } else { & psql @a -t -A -c $Sql 2>&1 }
        if ($LASTEXITCODE -ne 0) { throw "psql failed: $out" }
        $out
    }
    finally { Remove-Item Env:PGPASSWORD -ErrorAction Ignore }
}

Export-ModuleMember -Function Install-TestPostgres, Start-TestPostgres, Stop-TestPostgres, Get-TestPostgres, New-TestPostgresDatabase, Invoke-TestPostgresSql
