BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/Postgres.psm1') -Force
    $script:source = Initialize-MailAdminTest -Name 'copy-source'
    Add-MailDomain contoso.com | Out-Null
    1..30 | ForEach-Object {
        [pscustomobject]@{ Address = "user$_@contoso.com"; DisplayName = "员工 $_"; Department = "Dept$($_ % 3)"; Password = "Copy-Passw0rd-$_" }
    } | New-Mailbox | Out-Null
    New-MailGroup team@contoso.com -Members user1@contoso.com, user2@contoso.com | Out-Null
    Set-MailPermission user1@contoso.com -Trustee user2@contoso.com -AccessRights SendAs
    $script:pg = New-TestPostgresDatabase

    function Get-Shape($Connection) {
        Get-Mailbox -Connection $Connection | Sort-Object Address |
            ForEach-Object { '{0}|{1}|{2}|{3}' -f $_.Address, $_.DisplayName, $_.Department, $_.Enabled }
    }
    function Invoke-PgScalar([string] $Sql) {
        $env:PGPASSWORD = $pg.Password
        try { & psql -h $pg.Host -p $pg.Port -U $pg.Username -d $pg.Database -X -q -t -A -c $Sql } finally { Remove-Item Env:PGPASSWORD }
    }
}

Describe 'Copy-MailStore' {
    It 'changes and opens nothing with -WhatIf' {
        $target = Join-Path $TestDrive 'whatif.db'
        Copy-MailStore -DestinationPath $target -WhatIf | Should -BeNullOrEmpty
        $target | Should -Not -Exist
    }

    It 'copies the SQLite store into PostgreSQL: one verified object per table, no secret in the output' {
        $r = @(Copy-MailStore -DestinationConnectionString $pg.ConnectionString -DestinationCredential $pg.Credential -Confirm:$false)
        $r.Count | Should -Be 18
        $r | Where-Object { -not $_.Verified } | Should -BeNullOrEmpty
        ($r | Where-Object Table -eq 'main.mailbox').SourceRows | Should -Be 30
        ($r | Where-Object Table -eq 'main.mailbox').CopiedRows | Should -Be 30
        ($r | Where-Object Table -eq 'secret.mailbox_secret').DestinationRows | Should -Be 30
        $r[0].Destination | Should -BeLike 'postgresql://*'
        $text = $r | ConvertTo-Json -Depth 3
        $text | Should -Not -Match '\$2[aby]\$'
        $text | Should -Not -Match ([regex]::Escape($pg.Password))
        # the hashes are there, as stored
        Invoke-PgScalar "SELECT count(*) FROM secret.mailbox_secret WHERE password LIKE '{BLF-CRYPT}%' OR password LIKE '`$2%'" | Should -Be 30
    }

    It 'serves the same mailboxes from PostgreSQL, and a second run copies nothing' {
        $script:pgConn = Connect-MailProvider -ConnectionString $pg.ConnectionString -Credential $pg.Credential -PassThru
        Get-Shape $pgConn | Should -Be (Get-Shape $source)
        (Get-MailGroup team@contoso.com -Connection $pgConn).Members | Sort-Object | Should -Be @('user1@contoso.com', 'user2@contoso.com')
        $again = @(Copy-MailStore -Connection $source -DestinationConnectionString $pg.ConnectionString -DestinationCredential $pg.Credential -Confirm:$false)
        $again | Where-Object { -not $_.Verified -or $_.CopiedRows -ne 0 } | Should -BeNullOrEmpty
    }

    It 'copies back from PostgreSQL into a new SQLite file with progress' {
        $back = Join-Path $TestDrive 'back.db'
        $progress = [System.Collections.Generic.List[object]]::new()
        $ps = [powershell]::Create()
        $ps.AddScript({
            param($module, $cs, $cred, $path)
            Import-Module $module
            $c = Connect-MailProvider -ConnectionString $cs -Credential $cred -PassThru
            Copy-MailStore -Connection $c -DestinationPath $path -Confirm:$false
        }).AddArgument((Join-Path $env:MAILADMIN_TEST_MODULE 'MailAdmin.psd1')).AddArgument($pg.ConnectionString) | Out-Null
        $ps.AddArgument($pg.Credential).AddArgument($back) | Out-Null
        $ps.Streams.Progress.add_DataAdded({ param($s, $e) $progress.Add($s[$e.Index]) })
        $r = @($ps.Invoke())
        $ps.Streams.Error | Should -BeNullOrEmpty
        $ps.Dispose()
        $r | Where-Object { -not $_.Verified } | Should -BeNullOrEmpty
        $progress | Where-Object { $_.StatusDescription -like 'main.mailbox: 30 of 30 rows' } | Should -Not -BeNullOrEmpty
        $backConn = Connect-MailProvider -Path $back -PassThru
        Get-Shape $backConn | Should -Be (Get-Shape $source)
        (Get-MailPermission user1@contoso.com -Connection $backConn | Where-Object Trustee -eq 'user2@contoso.com').AccessRights | Should -Contain 'SendAs'
        Join-Path $TestDrive 'back.secrets.db' | Should -Exist
    }

    It 'refuses a destination that holds another store, naming the rule, and writes nothing' {
        $other = Join-Path $TestDrive 'other.db'
        $o = Connect-MailProvider -Path $other -PassThru
        Add-MailDomain contoso.com -Connection $o | Out-Null
        New-Mailbox someone@contoso.com -Connection $o | Out-Null
        { Copy-MailStore -Connection $source -DestinationPath $other -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'StoreCopyDestinationNotEmpty,*'
        $e = $null
        try { Copy-MailStore -Connection $source -DestinationPath $other -Confirm:$false -ErrorAction Stop } catch { $e = $_ }
        $e.Exception.Message | Should -Match 'only into an empty store'
        (Get-Mailbox -Connection $o | Measure-Object).Count | Should -Be 1
    }
}

AfterAll {
    Get-MailConnection | Disconnect-MailProvider
}
