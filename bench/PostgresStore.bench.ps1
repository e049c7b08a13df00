# Issue 16: the Local store in PostgreSQL against SQLite, side by side in one run.
#   NewMailbox:  Import-Csv N.csv | New-Mailbox into a new SQLite store and a new PostgreSQL store, same hashing cost, next to
#                the bcrypt bound on all cores (HashBound/).
#   GetMailbox:  Get-Mailbox over BigCount mailboxes in PostgreSQL (filled with INSERT ... SELECT generate_series in the shape
#                New-Mailbox writes): time to the first object, total, peak working set of a fresh pwsh.
#   Concurrent:  two processes importing at once into one PostgreSQL store, their CSVs overlapping by half: every address must
#                end up stored exactly once (none lost, none twice), each row reported exactly once (created or ResourceExists).
# The PostgreSQL server is $env:MAILADMIN_TEST_PG (a superuser connection string) or one started by tests/integration/Postgres.psm1.
# -Module runs another laid-out module (e.g. a copy of out/MailAdmin, so a build meanwhile does not change it).
param(
    [int] $Count = 10000, [int] $Cost = 10, [int] $Runs = 1,
    [int] $BigCount = 1000000, [int] $GetRuns = 3,
    [int] $ConcurrentCount = 5000, [int] $ConcurrentCost = 4,
    [ValidateSet('NewMailbox', 'GetMailbox', 'Concurrent')] [string[]] $Part = @('NewMailbox', 'GetMailbox', 'Concurrent'),
    [string] $Module)
. (Join-Path $PSScriptRoot 'Common.ps1')
if ($Module) { $ModulePath = (Resolve-Path $Module).Path }
Import-Module (Join-Path $PSScriptRoot '../tests/integration/Postgres.psm1') -Force
$work = Join-Path ([System.IO.Path]::GetTempPath()) "mailadmin-bench-pg-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
$pwsh = Get-PwshCommand

function Invoke-Pwsh([string] $Script, [hashtable] $Environment = @{}) {
    foreach ($k in $Environment.Keys) { Set-Item "Env:$k" $Environment[$k] }
    try { & $pwsh[0] ($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $Script }
    finally { foreach ($k in $Environment.Keys) { Remove-Item "Env:$k" -ErrorAction Ignore } }
}

function Invoke-Psql($Db, [string] $Sql) {
    $env:PGPASSWORD = $Db.Password
    try {
        $out = & psql -h $Db.Host -p $Db.Port -U $Db.Username -d $Db.Database -X -q -t -A -v ON_ERROR_STOP=1 -c $Sql
        if ($LASTEXITCODE -ne 0) { throw "psql failed: $Sql" }
        $out
    } finally { Remove-Item Env:PGPASSWORD }
}

function New-Csv([string] $Path, [int] $From, [int] $To) {
    $From..$To | ForEach-Object {
        [pscustomobject]@{
            Address = "user$_@bench.example"; DisplayName = "员工 $_"; Department = "Dept$($_ % 50)"; JobTitle = 'Staff'
            Mobile = "+86 138 $($_.ToString('00000000'))"; Password = "Bench-Passw0rd-$_"
        }
    } | Export-Csv $Path -NoTypeInformation
}

# The line a child pwsh connects with: the password travels in an environment variable, never on a command line.
function Get-Connect($Store) {
    if ($Store -is [string]) { return "Connect-MailProvider -Path '$Store'" }
    $secure = "(ConvertTo-SecureString `$env:BENCH_PGPW -AsPlainText -Force)"
    "Connect-MailProvider -ConnectionString '$($Store.ConnectionString)' -Credential ([pscredential]::new('$($Store.Username)', $secure))"
}

$about = "SELECT version() || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')"
"PostgreSQL: $(Invoke-Psql (New-TestPostgresDatabase) $about)"
"machine: $([Environment]::ProcessorCount) cores, load $((Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3)"

if ('NewMailbox' -in $Part) {
    $csv = Join-Path $work "$Count.csv"
    New-Csv $csv 1 $Count
    dotnet build (Join-Path $PSScriptRoot 'HashBound') -c Release --nologo -v q | Out-Null
    $rates = @{ SQLite = @(); PostgreSQL = @() }
    $bounds = @()
    for ($i = 0; $i -lt $Runs; $i++) {
        $bound = dotnet run --project (Join-Path $PSScriptRoot 'HashBound') -c Release --no-build -- $Cost 100
        $bounds += [double](($bound -split 'all_cores_per_s=')[1] -split ' ')[0]
        foreach ($kind in 'SQLite', 'PostgreSQL') {
            $store = if ($kind -eq 'SQLite') { Join-Path $work "run$i.db" } else { New-TestPostgresDatabase }
            $envs = if ($kind -eq 'SQLite') { @{} } else { @{ BENCH_PGPW = $store.Password } }
            $script = "Import-Module '$ModulePath'; $(Get-Connect $store); Set-MailSecurityPolicy -PasswordHashCost $Cost; " +
                "Add-MailDomain bench.example | Out-Null; `$sw = [Diagnostics.Stopwatch]::StartNew(); Import-Csv '$csv' | New-Mailbox | Out-Null; " +
                "`$sw.Elapsed.TotalSeconds; (Get-Mailbox | Measure-Object).Count"
            $out = Invoke-Pwsh $script $envs
            if ([int]$out[-1] -ne $Count) { throw "$kind run $i created $($out[-1]) mailboxes, not $Count" }
            $rates[$kind] += $Count / [double]$out[-2]
            "run {0} {1}: {2:N1} mailboxes/s ({3:N1} s); bcrypt bound {4:N1} hashes/s; load {5}" -f
                ($i + 1), $kind, $rates[$kind][-1], [double]$out[-2], $bounds[-1], ((Get-Content /proc/loadavg) -split ' ')[0]
        }
    }
    $h = Get-Median $bounds
    $s = Get-Median $rates.SQLite
    $p = Get-Median $rates.PostgreSQL
    ("New-Mailbox, $Count rows, BLF-CRYPT cost $Cost, $([Environment]::ProcessorCount) cores: SQLite {0:N1}/s ({1:P0} of the bound), " +
        "PostgreSQL {2:N1}/s ({3:P0}); bcrypt bound {4:N1} hashes/s; PostgreSQL/SQLite {5:N2}") -f $s, ($s / $h), $p, ($p / $h), $h, ($p / $s)
}

if ('GetMailbox' -in $Part) {
    $db = New-TestPostgresDatabase
    $envs = @{ BENCH_PGPW = $db.Password }
    Invoke-Pwsh "Import-Module '$ModulePath'; $(Get-Connect $db); Add-MailDomain bench.example | Out-Null" $envs | Out-Null
    $sw = [Diagnostics.Stopwatch]::StartNew()
    # the row New-Mailbox writes for a mailbox without a password (as GetMailbox.bench.ps1 fills SQLite: this measures listing)
    Invoke-Psql $db @"
INSERT INTO main.mailbox(username, id, local_part, domain, password_set_at, display_name, department, job_title, mobile, role,
                         quota_bytes, active, created_at, mailbox_type)
SELECT 'user' || i || '@bench.example', gen_random_uuid()::text, 'user' || i, 'bench.example', NULL, '员工 ' || i, 'Dept' || (i % 50),
       NULL, NULL, 'User', 0, 1, to_char(now() AT TIME ZONE 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US"0Z"'), 'User'
FROM generate_series(1, $BigCount) AS i;
ANALYZE;
"@ | Out-Null
    "filled $BigCount mailboxes with SQL in {0:N1} s" -f $sw.Elapsed.TotalSeconds
    $first = @(); $total = @(); $peak = @()
    for ($i = 0; $i -lt $GetRuns; $i++) {
        $script = "Import-Module '$ModulePath'; $(Get-Connect $db); Get-MailDomain | Out-Null; [GC]::Collect(); " +
            "`$p = [Diagnostics.Process]::GetCurrentProcess(); `$p.Refresh(); `$before = `$p.WorkingSet64; " +
            "`$sw = [Diagnostics.Stopwatch]::StartNew(); `$firstMs = `$null; `$n = 0; " +
            "Get-Mailbox | ForEach-Object { if (`$null -eq `$firstMs) { `$firstMs = `$sw.Elapsed.TotalMilliseconds }; `$n++ }; " +
            "`$t = `$sw.Elapsed.TotalSeconds; `$p.Refresh(); " +
            """`$firstMs|`$t|`$n|`$([math]::Round(`$p.PeakWorkingSet64 / 1MB))|`$([math]::Round(`$before / 1MB))"""
        $parts = (Invoke-Pwsh $script $envs | Select-Object -Last 1) -split '\|'
        if ([int]$parts[2] -ne $BigCount) { throw "listed $($parts[2]), not $BigCount" }
        $first += [double]$parts[0]; $total += [double]$parts[1]; $peak += [double]$parts[3]
        "run {0}: first object {1:N1} ms, total {2:N1} s, peak working set {3} MB (before listing {4} MB)" -f
            ($i + 1), [double]$parts[0], [double]$parts[1], $parts[3], $parts[4]
    }
    ("Get-Mailbox over $BigCount mailboxes in PostgreSQL: median first object {0:N1} ms, median total {1:N1} s ({2:N0} mailboxes/s), " +
        "median peak working set {3:N0} MB") -f (Get-Median $first), (Get-Median $total), ($BigCount / (Get-Median $total)), (Get-Median $peak)
}

if ('Concurrent' -in $Part) {
    $db = New-TestPostgresDatabase
    $envs = @{ BENCH_PGPW = $db.Password }
    $prepare = "Import-Module '$ModulePath'; $(Get-Connect $db); Set-MailSecurityPolicy -PasswordHashCost $ConcurrentCost; Add-MailDomain bench.example"
    Invoke-Pwsh $prepare $envs | Out-Null
    $half = [int]($ConcurrentCount / 2)
    $a = Join-Path $work 'a.csv'
    $b = Join-Path $work 'b.csv'
    New-Csv $a 1 $ConcurrentCount
    New-Csv $b ($half + 1) ($half + $ConcurrentCount)
    $distinct = $half + $ConcurrentCount
    # each process prints its errors other than ResourceExists (grouped), then created|refused-as-existing|other errors|seconds
    $import = {
        param($csv)
        "Import-Module '$ModulePath'; $(Get-Connect $db); `$ok = 0; `$exists = 0; `$other = 0; `$sw = [Diagnostics.Stopwatch]::StartNew(); " +
        "Import-Csv '$csv' | New-Mailbox -ErrorAction SilentlyContinue -ErrorVariable +errs | ForEach-Object { `$ok++ }; " +
        "`$t = `$sw.Elapsed.TotalSeconds; " +
        "foreach (`$e in `$errs) { if (`$e.CategoryInfo.Category -eq 'ResourceExists') { `$exists++ } else { `$other++ } }; " +
        "`$errs | Where-Object { `$_.CategoryInfo.Category -ne 'ResourceExists' } | " +
        "Group-Object { `$_.FullyQualifiedErrorId + ': ' + `$_.Exception.Message } | ForEach-Object { 'error x' + `$_.Count + ' ' + `$_.Name }; " +
        """`$ok|`$exists|`$other|`$t"""
    }
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $env:BENCH_PGPW = $db.Password
    $run = {
        param($exe, $dll, $s)
        if ($dll) { & $exe $dll -NoProfile -NonInteractive -Command $s } else { & $exe -NoProfile -NonInteractive -Command $s }
    }
    $jobs = foreach ($csv in $a, $b) { Start-ThreadJob -ScriptBlock $run -ArgumentList $pwsh[0], $pwsh[1], (& $import $csv) }
    $results = $jobs | Wait-Job | Receive-Job
    $wall = $sw.Elapsed.TotalSeconds
    Remove-Item Env:BENCH_PGPW
    $jobs | Remove-Job
    $rows = $results | Where-Object { $_ -match '^\d+\|' } | ForEach-Object { , ($_ -split '\|') }
    $created = ($rows | ForEach-Object { [int]$_[0] } | Measure-Object -Sum).Sum
    $exists = ($rows | ForEach-Object { [int]$_[1] } | Measure-Object -Sum).Sum
    $other = ($rows | ForEach-Object { [int]$_[2] } | Measure-Object -Sum).Sum
    $stored = [int](Invoke-Psql $db "SELECT count(*) FROM main.mailbox")
    $secrets = [int](Invoke-Psql $db "SELECT count(*) FROM secret.mailbox_secret")
    $distinctStored = [int](Invoke-Psql $db "SELECT count(DISTINCT lower(username)) FROM main.mailbox")
    $lost = $distinct - $distinctStored
    $twice = $stored - $distinctStored
    $results | Where-Object { $_ -like 'error x*' } | ForEach-Object { "  $_" }
    foreach ($r in $rows) { "process: created {0}, refused as existing {1}, other errors {2}, {3:N1} s" -f $r[0], $r[1], $r[2], [double]$r[3] }
    ("Two processes, {0} rows each (overlap {1}), BLF-CRYPT cost {2}: {3} distinct addresses expected, {4} stored, {5} password rows; " +
        "lost {6}, stored twice {7}") -f $ConcurrentCount, ($ConcurrentCount - $half), $ConcurrentCost, $distinct, $stored, $secrets, $lost, $twice
    ("reported: created {0} + existing {1} + other errors {2} = {3} of {4} rows; combined {5:N1} mailboxes created/s ({6:N1} rows/s) " +
        "over {7:N1} s") -f $created, $exists, $other, ($created + $exists + $other), (2 * $ConcurrentCount), ($created / $wall),
        (2 * $ConcurrentCount / $wall), $wall
}
Remove-Item $work -Recurse -Force
