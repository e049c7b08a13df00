BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $conn = Initialize-MailAdminTest
    Add-MailDomain contoso.com
    Add-MailDomain 例子.测试
    $csv = Join-Path $TestDrive 'staff.csv'
    @'
Address,DisplayName,Department,JobTitle,Mobile,Password
li.lei@contoso.com,李雷,Sales,Manager,+86 138 0000 0001,Li-Lei-Passw0rd
han.meimei@contoso.com,韩梅梅,Sales,Engineer,+86 138 0000 0002,Han-Passw0rd-1
not an address,Bad Row,Sales,,,Whatever-Passw0rd
wang@unknown-domain.com,王五,IT,,,Wang-Passw0rd-1
zhao@contoso.com,赵六,IT,,,tiny7
e@例子.测试,例子,IT,,,Example-Passw0rd
li.lei@contoso.com,Duplicate Row,Sales,,,Dup-Passw0rd-1
'@ | Set-Content $csv -Encoding utf8
}

Describe 'Import-Csv | New-Mailbox' {
    It '-WhatIf writes nothing' {
        Import-Csv $csv | New-Mailbox -WhatIf -ErrorAction SilentlyContinue
        @(Get-Mailbox).Count | Should -Be 0
    }

    It 'creates the good rows and reports each bad row as a non-terminating error with the row as target' {
        $made = Import-Csv $csv | New-Mailbox -ErrorVariable errs -ErrorAction SilentlyContinue
        $made.PrimarySmtpAddress | Should -Be @('li.lei@contoso.com', 'han.meimei@contoso.com', 'e@例子.测试')
        $made[0].DisplayName | Should -Be '李雷'
        $made[0].Mobile | Should -Be '+86 138 0000 0001'
        $made[0].JobTitle | Should -Be 'Manager'
        $errs.Count | Should -Be 4
        $byId = @{}; foreach ($e in $errs) { $byId[$e.FullyQualifiedErrorId.Split(',')[0]] = $e }
        $byId['InvalidAddress'].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $byId['InvalidAddress'].TargetObject.Address | Should -Be 'not an address'
        $byId['InvalidAddress'].Exception.Message | Should -Match "'not an address'"
        $byId['MailDomainNotFound'].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $byId['MailDomainNotFound'].TargetObject.DisplayName | Should -Be '王五'
        $byId['WeakPassword'].TargetObject.Address | Should -Be 'zhao@contoso.com'
        $byId['WeakPassword'].Exception.Message | Should -Not -Match 'tiny7'
        $byId['MailboxExists'].CategoryInfo.Category | Should -Be 'ResourceExists'
        $byId['MailboxExists'].TargetObject.DisplayName | Should -Be 'Duplicate Row'
        (Get-Mailbox e@例子.测试).Domain | Should -Be '例子.测试'
    }

    It 'creates nothing twice on a re-run: ResourceExists errors, or nothing at all with -SkipExisting' {
        $again = Import-Csv $csv | Where-Object Address -like '*@contoso.com' | New-Mailbox -ErrorVariable errs -ErrorAction SilentlyContinue
        $again | Should -BeNullOrEmpty
        ($errs | Where-Object { $_.CategoryInfo.Category -eq 'ResourceExists' }).Count | Should -Be 3
        $skip = Import-Csv $csv | Select-Object -First 2 | New-Mailbox -SkipExisting -ErrorVariable errs2
        $skip | Should -BeNullOrEmpty
        $errs2 | Should -BeNullOrEmpty
        @(Get-Mailbox).Count | Should -Be 3
    }

    It 'lets the first of several rows with one address win, whatever finishes hashing first' {
        $rows = 1..20 | ForEach-Object { [pscustomobject]@{ Address = 'same.person@contoso.com'; DisplayName = "Row $_"; Password = "Same-Passw0rd-$_" } }
        $made = $rows | New-Mailbox -ErrorVariable dup -ErrorAction SilentlyContinue
        @($made).Count | Should -Be 1
        $made.DisplayName | Should -Be 'Row 1'
        $dup.Count | Should -Be 19
        ($dup | ForEach-Object { $_.TargetObject.DisplayName }) | Should -Be (2..20 | ForEach-Object { "Row $_" })
        Remove-Mailbox same.person@contoso.com -Confirm:$false
    }

    It 'never shows a password: not in objects, not in verbose or debug output, not in the store file' {
        $out = New-Mailbox secret.test@contoso.com -Password 'Very-Secret-Value-42' -Verbose -Debug 4>&1 5>&1 | Out-String
        $out | Should -Not -Match 'Very-Secret-Value-42'
        (Get-Mailbox secret.test@contoso.com | ConvertTo-Json) | Should -Not -Match 'Very-Secret'
        $bytes = [System.IO.File]::ReadAllBytes($conn.Target)
        [System.Text.Encoding]::UTF8.GetString($bytes) | Should -Not -Match 'Very-Secret-Value-42'
        [System.Text.Encoding]::UTF8.GetString($bytes) | Should -Not -Match 'Li-Lei-Passw0rd'
    }

    It 'takes a SecureString or a PSCredential as password' {
        New-Mailbox ss@contoso.com -Password (ConvertTo-SecureString 'Secure-Str1ng!' -AsPlainText -Force) | Should -Not -BeNullOrEmpty
        $cred = [pscredential]::new('x', (ConvertTo-SecureString 'Cred-Passw0rd!' -AsPlainText -Force))
        New-Mailbox pcred@contoso.com -Password $cred | Should -Not -BeNullOrEmpty
        (Get-Mailbox pcred@contoso.com).HasPassword | Should -BeTrue
    }

    It 'uses the store''s minimum password length' {
        Set-MailSecurityPolicy -MinPasswordLength 14
        { New-Mailbox p1@contoso.com -Password 'Thirteen-chr1' -ErrorAction Stop } | Should -Throw -ErrorId 'WeakPassword,MailAdmin.PowerShell.Commands.NewMailboxCommand'
        New-Mailbox p2@contoso.com -Password 'Fourteen-chr1!' | Should -Not -BeNullOrEmpty
        Set-MailSecurityPolicy -MinPasswordLength 8
    }

    It 'hashes with BLF-CRYPT at cost 10 by default' {
        $fresh = Connect-MailProvider -Path (Join-Path $TestDrive 'default-cost.db') -PassThru
        $p = Get-MailSecurityPolicy -Connection $fresh
        $p.PasswordScheme | Should -Be 'BLF-CRYPT'
        $p.PasswordHashCost | Should -Be 10
        $p.MinPasswordLength | Should -Be 8
        Disconnect-MailProvider $fresh
        Connect-MailProvider -Path $conn.Target
    }
}

Describe 'Get-Mailbox' {
    It 'filters by domain, department, role and enabled, with wildcards on identity' {
        (Get-Mailbox -Domain contoso.com).Count | Should -BeGreaterOrEqual 5
        (Get-Mailbox -Domain 例子.测试).PrimarySmtpAddress | Should -Be 'e@例子.测试'
        (Get-Mailbox -Department SALES).PrimarySmtpAddress | Should -Be @('han.meimei@contoso.com', 'li.lei@contoso.com')
        (Get-Mailbox 'li*').PrimarySmtpAddress | Should -Be 'li.lei@contoso.com'
        (Get-Mailbox -Role Admin) | Should -BeNullOrEmpty
        Disable-Mailbox han.meimei@contoso.com
        (Get-Mailbox -Enabled $false).PrimarySmtpAddress | Should -Be 'han.meimei@contoso.com'
        Enable-Mailbox han.meimei@contoso.com
    }

    It 'gives ObjectNotFound for a missing mailbox and continues the pipeline' {
        $r = 'li.lei@contoso.com', 'nobody@contoso.com', 'han.meimei@contoso.com' | Get-Mailbox -ErrorVariable e -ErrorAction SilentlyContinue
        $r.Count | Should -Be 2
        $e[0].FullyQualifiedErrorId | Should -Be 'MailboxNotFound,MailAdmin.PowerShell.Commands.GetMailboxCommand'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'round-trips through Export-Csv and ConvertTo-Json' {
        $file = Join-Path $TestDrive 'out.csv'
        Get-Mailbox -Department Sales | Export-Csv $file -NoTypeInformation
        $rows = Import-Csv $file
        $rows.Count | Should -Be 2
        $rows[0].DisplayName | Should -Be '韩梅梅'
        (Get-Mailbox li.lei@contoso.com | ConvertTo-Json | ConvertFrom-Json).Department | Should -Be 'Sales'
    }
}

Describe 'Set-Mailbox, Enable/Disable, Remove-Mailbox, Reset-MailboxPassword' {
    It 'changes only what is given, binds by property name, and manages aliases' {
        Get-Mailbox -Department Sales | Set-Mailbox -QuotaMB 2048
        (Get-Mailbox -Department Sales).QuotaMB | Should -Be @(2048, 2048)
        $m = Set-Mailbox li.lei@contoso.com -JobTitle 'Director' -AddAlias lilei@contoso.com -PassThru
        $m.JobTitle | Should -Be 'Director'
        $m.DisplayName | Should -Be '李雷'
        $m.Aliases | Should -Be @('lilei@contoso.com')
        (Get-Mailbox lilei@contoso.com).Address | Should -Be 'li.lei@contoso.com'
        (Reset-MailboxPassword lilei@contoso.com).UserName | Should -Be 'li.lei@contoso.com'
        Set-Mailbox li.lei@contoso.com -QuotaMB 0
        (Get-Mailbox li.lei@contoso.com).QuotaMB | Should -BeNullOrEmpty
        { Set-Mailbox han.meimei@contoso.com -AddAlias lilei@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxAliasExists,*'
    }

    It '-WhatIf changes nothing' {
        Set-Mailbox li.lei@contoso.com -Department Nowhere -WhatIf
        Disable-Mailbox li.lei@contoso.com -WhatIf
        Remove-Mailbox li.lei@contoso.com -WhatIf
        $m = Get-Mailbox li.lei@contoso.com
        $m.Department | Should -Be 'Sales'
        $m.Enabled | Should -BeTrue
    }

    It 'Disable-Mailbox and Enable-Mailbox switch Enabled' {
        (Disable-Mailbox li.lei@contoso.com -PassThru).Enabled | Should -BeFalse
        (Enable-Mailbox li.lei@contoso.com -PassThru).Enabled | Should -BeTrue
    }

    It 'Reset-MailboxPassword generates a strong password once, as a PSCredential' {
        $before = (Get-Mailbox han.meimei@contoso.com).PasswordLastSet
        Start-Sleep -Milliseconds 20
        $cred = Reset-MailboxPassword han.meimei@contoso.com
        $cred | Should -BeOfType [pscredential]
        $cred.UserName | Should -Be 'han.meimei@contoso.com'
        $plain = $cred.GetNetworkCredential().Password
        $plain.Length | Should -Be 20
        (Get-Mailbox han.meimei@contoso.com).PasswordLastSet | Should -BeGreaterThan $before
        Reset-MailboxPassword han.meimei@contoso.com -Password (ConvertTo-SecureString 'Chosen-Passw0rd' -AsPlainText -Force) | Should -BeNullOrEmpty
        { Reset-MailboxPassword han.meimei@contoso.com -Password 'weak' -ErrorAction Stop } | Should -Throw -ErrorId 'WeakPassword,*'
    }

    It 'Remove-Mailbox removes it with its aliases' {
        Remove-Mailbox li.lei@contoso.com -Confirm:$false
        { Get-Mailbox li.lei@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxNotFound,*'
        { Get-Mailbox lilei@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxNotFound,*'
        New-Mailbox lilei@contoso.com -Password 'Reused-Passw0rd' | Should -Not -BeNullOrEmpty
    }
}

Describe 'Bulk runs: progress, Ctrl+C and a crash, then a re-run' {
    BeforeAll {
        $big = Join-Path $TestDrive 'big.csv'
        # Enough rows at hash cost 10 with two hashes in flight that no machine finishes before the test interrupts it
        # (CI once created all 600 rows at cost 8 before the first poll saw 20).
        $script:rows = 2000
        1..$rows | ForEach-Object { [pscustomobject]@{ Address = "bulk$_@contoso.com"; DisplayName = "员工 $_"; Department = 'Bulk'; Password = "Bulk-Passw0rd-$_" } } | Export-Csv $big -NoTypeInformation
        $script:slow = "Set-MailSecurityPolicy -PasswordHashCost 10; Import-Csv '$big' | New-Mailbox -ThrottleLimit 2"
    }

    It 'stops promptly on Ctrl+C (StopProcessing) and the re-run completes without duplicates' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$env:MAILADMIN_TEST_MODULE/MailAdmin.psd1'; Connect-MailProvider -Path '$($conn.Target)'; $slow")
        $async = $ps.BeginInvoke()
        $deadline = [datetime]::Now.AddSeconds(30)
        while ([datetime]::Now -lt $deadline -and @(Get-Mailbox -Department Bulk).Count -lt 20) { Start-Sleep -Milliseconds 50 }
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $sw.Elapsed.TotalSeconds | Should -BeLessThan 3
        $partial = @(Get-Mailbox -Department Bulk).Count
        $partial | Should -BeGreaterThan 0
        $partial | Should -BeLessThan $rows
        $ps.Dispose()
        Set-MailSecurityPolicy -PasswordHashCost 4
        $made = Import-Csv $big | New-Mailbox -SkipExisting
        @($made).Count | Should -Be ($rows - $partial)
        @(Get-Mailbox -Department Bulk).Count | Should -Be $rows
    }

    It 'a killed process leaves the store consistent and the re-run finishes the job' {
        Get-Mailbox -Department Bulk | Remove-Mailbox -Confirm:$false
        $p = Start-TestPwsh "Import-Module '$env:MAILADMIN_TEST_MODULE/MailAdmin.psd1'; Connect-MailProvider -Path '$($conn.Target)'; $slow | Out-Null"
        $deadline = [datetime]::Now.AddSeconds(60)
        while ([datetime]::Now -lt $deadline -and @(Get-Mailbox -Department Bulk).Count -lt 30) { Start-Sleep -Milliseconds 50 }
        $p.Kill($true)
        $p.WaitForExit()
        $partial = @(Get-Mailbox -Department Bulk).Count
        $partial | Should -BeLessThan $rows
        Set-MailSecurityPolicy -PasswordHashCost 4
        Import-Csv $big | New-Mailbox -SkipExisting | Out-Null
        $all = Get-Mailbox -Department Bulk
        @($all).Count | Should -Be $rows
        @($all | ForEach-Object Address | Sort-Object -Unique).Count | Should -Be $rows
    }
}

Describe 'Two pwsh processes writing one store at once' {
    It 'loses nothing' {
        New-MailGroup all@contoso.com | Out-Null
        $jobs = foreach ($n in 1, 2) {
            Start-TestPwsh "`$ErrorActionPreference = 'Stop'; Import-Module '$env:MAILADMIN_TEST_MODULE/MailAdmin.psd1'; Connect-MailProvider -Path '$($conn.Target)'; 1..150 | ForEach-Object { [pscustomobject]@{ Address = ""p$n-`$_@contoso.com""; Department = 'Parallel' } } | New-Mailbox | Out-Null; 1..20 | ForEach-Object { Add-MailGroupMember -Identity all@contoso.com -Member ""m$n-`$_@outside.org"" }"
        }
        $jobs | ForEach-Object { $_.WaitForExit(); $_.ExitCode | Should -Be 0 }
        @(Get-Mailbox -Department Parallel).Count | Should -Be 300
        (Get-MailGroup all@contoso.com).MemberCount | Should -Be 40
    }
}

Describe 'New-Mailbox when the pipeline stops downstream' {
    It 'leaves no create running after it returns' {
        Set-MailSecurityPolicy -PasswordHashCost 12   # slow hashing: creates are still in progress when the first result comes out
        try {
            $rows = 1..24 | ForEach-Object { [pscustomobject]@{ Address = "stop$_@contoso.com"; DisplayName = "Stop $_"; Password = 'Stop-Passw0rd-1' } }
            $first = $rows | New-Mailbox -ThrottleLimit 12 | Select-Object -First 1
            $first | Should -Not -BeNullOrEmpty
            $now = @(Get-Mailbox 'stop*@contoso.com').Count
            Start-Sleep -Seconds 3
            @(Get-Mailbox 'stop*@contoso.com').Count | Should -Be $now
        }
        finally { Set-MailSecurityPolicy -PasswordHashCost 4 }
    }
}
