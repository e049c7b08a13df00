# Issue 16: the Local store in PostgreSQL as an admin uses it: bulk runs from a CSV, the database lost in the middle of one,
# and two bulk imports from two processes at once.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/Postgres.psm1') -Force
    Import-Module (Join-Path $env:MAILADMIN_TEST_MODULE 'MailAdmin.psd1') -Force
    Get-MailConnection | Disconnect-MailProvider
    function New-Store {
        $db = New-TestPostgresDatabase
        Connect-MailProvider -ConnectionString $db.ConnectionString -Credential $db.Credential | Out-Null
        Set-MailSecurityPolicy -PasswordHashCost 4 -Confirm:$false
        Add-MailDomain pg.test | Out-Null
        $db
    }
    function New-Csv([string] $path, [string] $prefix, [int] $count) {
        1..$count | ForEach-Object { [pscustomobject]@{ Address = "$prefix$_@pg.test"; DisplayName = "$prefix $_"; Password = 'Str0ng-Passw0rd!' } } |
            Export-Csv $path -NoTypeInformation
    }
    # a bulk import in a process of its own (as a second admin's, or a scheduled script's), writing what it reported
    function Start-Import($db, [string] $csv, [string] $report) {
        $script = @"
Import-Module '$(Join-Path $env:MAILADMIN_TEST_MODULE 'MailAdmin.psd1')'
`$cred = [pscredential]::new('$($db.Username)', (ConvertTo-SecureString '$($db.Password)' -AsPlainText -Force))
Connect-MailProvider -ConnectionString '$($db.ConnectionString)' -Credential `$cred | Out-Null
`$created = @(Import-Csv '$csv' | New-Mailbox -SkipExisting -ErrorVariable errs -ErrorAction SilentlyContinue | ForEach-Object Address)
# one error per row that was not made (the run's closing summary has no row)
`$failed = @(`$errs | Where-Object TargetObject | ForEach-Object { if (`$_.TargetObject.Address) { `$_.TargetObject.Address } else { "`$(`$_.TargetObject)" } })
`$ids = @(`$errs | ForEach-Object FullyQualifiedErrorId | Select-Object -Unique)
@{ Created = `$created; Failed = `$failed; Errors = `$ids } | ConvertTo-Json | Set-Content '$report'
"@
        Start-TestPwsh -Command $script
    }
    function Count($db, [string] $where = "username LIKE '%@pg.test'") {
        [int](Invoke-TestPostgresSql $db -Sql "SELECT count(*) FROM main.mailbox WHERE $where")
    }
}

Describe 'A Local store in PostgreSQL' {
    It 'takes a CSV of mailboxes and reports each row once when the database goes away in the middle; a re-run finishes the job' {
        $db = New-Store
        $csv = Join-Path $TestDrive 'staff.csv'
        New-Csv $csv 'u' 1500
        $report = Join-Path $TestDrive 'lost.json'
        $p = Start-Import $db $csv $report
        $deadline = [datetime]::Now.AddSeconds(120)
        while ((Count $db) -lt 100 -and [datetime]::Now -lt $deadline) { Start-Sleep -Milliseconds 50 }
        # the database refuses new connections and drops the open ones for two seconds
        $server = $db.PSObject.Copy(); $server.Database = 'postgres'
        Invoke-TestPostgresSql $server -Sql "ALTER DATABASE $($db.Database) ALLOW_CONNECTIONS false" | Out-Null
        Invoke-TestPostgresSql $server -Sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$($db.Database)'" | Out-Null
        Start-Sleep -Seconds 2
        Invoke-TestPostgresSql $server -Sql "ALTER DATABASE $($db.Database) ALLOW_CONNECTIONS true" | Out-Null
        $p.WaitForExit(300000) | Should -BeTrue
        $r = Get-Content $report -Raw | ConvertFrom-Json
        $r.Failed.Count | Should -BeGreaterThan 0
        $r.Errors | Should -Contain 'LocalStoreUnavailable,MailAdmin.PowerShell.Commands.NewMailboxCommand'
        # every row reported exactly once: created or failed, none twice, none missing
        $all = @($r.Created) + @($r.Failed)
        $all.Count | Should -Be 1500
        ($all | Sort-Object -Unique).Count | Should -Be 1500
        # what was reported created is there, and nothing is half made (a mailbox without its password)
        $stored = @(Invoke-TestPostgresSql $db -Sql "SELECT username FROM main.mailbox WHERE username LIKE 'u%'")
        @($r.Created | Where-Object { $_ -notin $stored }) | Should -BeNullOrEmpty
        Count $db "password_set_at IS NOT NULL AND username NOT IN (SELECT username FROM secret.mailbox_secret)" | Should -Be 0
        # the same command again finishes the job, with nothing twice
        $again = @(Import-Csv $csv | New-Mailbox -SkipExisting)
        $again.Count | Should -Be (1500 - $stored.Count)
        Count $db "username LIKE 'u%'" | Should -Be 1500
    }

    It 'takes two bulk imports from two processes at once, overlapping, without losing or duplicating a row' {
        $db = New-Store
        $a = Join-Path $TestDrive 'a.csv'; $b = Join-Path $TestDrive 'b.csv'
        New-Csv $a 'x' 800
        # the second list overlaps the first by 200 rows
        1..800 | ForEach-Object { [pscustomobject]@{ Address = "x$($_ + 600)@pg.test"; DisplayName = "x $($_ + 600)"; Password = 'Str0ng-Passw0rd!' } } |
            Export-Csv $b -NoTypeInformation
        $ra = Join-Path $TestDrive 'ra.json'; $rb = Join-Path $TestDrive 'rb.json'
        $pa = Start-Import $db $a $ra
        $pb = Start-Import $db $b $rb
        $pa.WaitForExit(300000) | Should -BeTrue
        $pb.WaitForExit(300000) | Should -BeTrue
        $A = Get-Content $ra -Raw | ConvertFrom-Json; $B = Get-Content $rb -Raw | ConvertFrom-Json
        @($A.Failed) + @($B.Failed) | Should -BeNullOrEmpty
        # each address made once, by one of the two (-SkipExisting passes over the other's)
        $made = @($A.Created) + @($B.Created)
        ($made | Sort-Object -Unique).Count | Should -Be $made.Count
        $made.Count | Should -Be 1400
        Count $db "username LIKE 'x%'" | Should -Be 1400
    }
}
