# The Exmail provider behind the same cmdlets, against the loopback emulator of Tencent Exmail's open API
# (tests/emulators/ExmailEmulator): the admin scenarios run on Local, plus Exmail's own errors, tokens and faults.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/Emulators.psm1') -Force
    Initialize-MailAdminTest -Name exmail | Out-Null
    $emu = Start-TestEmulator Exmail
    function Connect-Emulator([hashtable] $Extra = @{}) {
        $p = @{ Provider = 'Exmail'; CorpId = $emu.CorpId; Secret = $emu.Secret; SettingsSecret = $emu.SettingsSecret; LogSecret = $emu.LogSecret
            SsoSecret = $emu.SsoSecret; ApiBaseUri = $emu.ApiBaseUri; RequestsPerSecond = 200; PassThru = $true }
        foreach ($k in $Extra.Keys) { $p[$k] = $Extra[$k] }
        Connect-MailProvider @p
    }
    $csv = Join-Path $TestDrive 'staff.csv'
    @(
        [pscustomobject]@{ Address = 'li.lei@contoso.com'; DisplayName = '李雷'; Department = 'Sales/East'; JobTitle = 'Rep'; Password = 'Start1234x' }
        [pscustomobject]@{ Address = 'han.meimei@contoso.com'; DisplayName = '韩梅梅'; Department = 'Sales/East'; JobTitle = 'Lead'; Password = 'Start1234x' }
        [pscustomobject]@{ Address = 'bad address'; DisplayName = 'Nobody'; Department = 'Sales'; JobTitle = ''; Password = 'Start1234x' }
        [pscustomobject]@{ Address = 'wang.fang@contoso.com'; DisplayName = '王芳'; Department = 'R&D'; JobTitle = 'Engineer'; Password = 'Start1234x' }
    ) | Export-Csv $csv -NoTypeInformation -Encoding utf8
}

AfterAll {
    Get-MailConnection | Disconnect-MailProvider
    if ($emu) { Stop-TestEmulator $emu }
}

Describe 'Exmail provider against the emulator' {
    BeforeEach { Reset-TestEmulator $emu; Set-TestEmulator $emu @{ faultRate = 0; tokenLifetime = 7200; rateLimit = 0; latency = 0; groupSearch = 'true' } }

    It 'refuses a wrong secret with the provider''s code and without showing the secret' {
        $c = Connect-MailProvider -Provider Exmail -CorpId $emu.CorpId -Secret 'not-the-secret' -ApiBaseUri $emu.ApiBaseUri -PassThru
        $err = @()
        try { Get-Mailbox li.lei@contoso.com -Connection $c -ErrorAction Stop } catch { $err = @($_) }
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ExmailInvalidCredential*'
        $err[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Exmail error 40001: invalid credential'
        ($err | Out-String) | Should -Not -Match 'not-the-secret'
        $c | Disconnect-MailProvider
    }

    It 'creates mailboxes from a CSV with department paths, Chinese names and a bad row that does not stop the rest' {
        $c = Connect-Emulator
        $bad = $null
        $made = Import-Csv $csv | New-Mailbox -CreateDepartment -ForcePasswordChange -ErrorVariable bad -ErrorAction SilentlyContinue
        $made.Count | Should -Be 3
        $bad.Count | Should -Be 1
        $bad[0].TargetObject.Address | Should -Be 'bad address'
        $state = Get-TestEmulatorState $emu
        $state.users | Should -Be @('han.meimei@contoso.com', 'li.lei@contoso.com', 'wang.fang@contoso.com')
        # 64-bit department ids survive the round trip (they are above 2^53)
        $east = $state.departments | Where-Object name -eq 'East'
        $east.id | Should -BeGreaterThan 9007199254740992
        $li = Get-Mailbox li.lei@contoso.com
        $li.Department | Should -Be 'Sales/East'
        $li.DisplayName | Should -Be '李雷'
        (Get-Mailbox -Department Sales).Count | Should -Be 2
        (Get-Mailbox *@contoso.com).Count | Should -Be 3
        # a second run creates nothing twice
        $again = $null
        Import-Csv $csv | Select-Object -First 2 | New-Mailbox -ErrorVariable again -ErrorAction SilentlyContinue
        $again.Count | Should -Be 2
        $again[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $again[0].ErrorDetails.RecommendedAction | Should -Match 'Exmail error 60102'
        (Import-Csv $csv | Select-Object -First 2 | New-Mailbox -SkipExisting -ErrorAction Stop) | Should -BeNullOrEmpty
        $c | Disconnect-MailProvider
    }

    It 'looks the departments up once for a whole bulk run: a create costs one request (issue 14, item 5)' {
        $c = Connect-Emulator
        New-Mailbox seed@contoso.com -DisplayName Seed -Password 'Start1234x' -Department 'Sales/East' -CreateDepartment | Out-Null
        $c | Disconnect-MailProvider
        $c = Connect-Emulator   # a fresh connection: nothing cached
        $before = (Get-TestEmulatorState $emu).requests
        $rows = 1..60 | ForEach-Object { [pscustomobject]@{ Address = "bulk$_@contoso.com"; DisplayName = "Bulk $_"; Password = 'Start1234x'; Department = 'Sales/East' } }
        $made = $rows | New-Mailbox -ThrottleLimit 32 -ErrorAction Stop
        $made.Count | Should -Be 60
        # 60 creates, one token, one department/list
        ((Get-TestEmulatorState $emu).requests - $before) | Should -BeLessOrEqual 62
        $c | Disconnect-MailProvider
    }

    It 'names a missing department instead of creating it without -CreateDepartment' {
        $c = Connect-Emulator
        { New-Mailbox x@contoso.com -DisplayName X -Department 'Nowhere/Team' -Password 'Start1234x' -ErrorAction Stop } | Should -Throw -ErrorId 'DepartmentNotFound*'
        (Get-TestEmulatorState $emu).departments.Count | Should -Be 1
        $c | Disconnect-MailProvider
    }

    It 'updates, disables, enables, resets the password of and removes a mailbox' {
        $c = Connect-Emulator
        New-Mailbox zhao.lei@contoso.com -DisplayName '赵雷' -Password 'Start1234x' -Alias zl@contoso.com | Out-Null
        (Set-Mailbox zhao.lei@contoso.com -JobTitle 'Manager' -PassThru).JobTitle | Should -Be 'Manager'
        (Get-Mailbox zl@contoso.com).Address | Should -Be 'zhao.lei@contoso.com'
        (Disable-Mailbox zhao.lei@contoso.com -PassThru -Confirm:$false).Enabled | Should -BeFalse
        (Get-Mailbox -Enabled $false | ForEach-Object Address) | Should -Be 'zhao.lei@contoso.com'
        (Enable-Mailbox zhao.lei@contoso.com -PassThru).Enabled | Should -BeTrue
        Reset-MailboxPassword zhao.lei@contoso.com -Password 'Other5678y' -ForcePasswordChange
        Remove-Mailbox zhao.lei@contoso.com -Confirm:$false
        { Get-Mailbox zhao.lei@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxNotFound*'
        $c | Disconnect-MailProvider
    }

    It 'manages groups, lists them through the group search (or by address when refused), with WhoCanSend mapped to allow_type' {
        $c = Connect-Emulator
        'a@contoso.com', 'b@contoso.com', 'c@contoso.com' | ForEach-Object { New-Mailbox $_ -DisplayName $_ -Password 'Start1234x' } | Out-Null
        $g = New-MailGroup sales@contoso.com -DisplayName Sales -Members a@contoso.com, b@contoso.com -WhoCanSend Listed -AllowedSenders c@contoso.com
        $g.WhoCanSend | Should -Be 'Listed'
        $g.Members | Should -Be @('a@contoso.com', 'b@contoso.com')
        (Add-MailGroupMember sales@contoso.com -Member c@contoso.com -PassThru).MemberCount | Should -Be 3
        Remove-MailGroupMember sales@contoso.com -Member a@contoso.com -Confirm:$false
        (Get-MailGroupMember sales@contoso.com | ForEach-Object Address) | Should -Be @('b@contoso.com', 'c@contoso.com')
        (Get-MailGroup sales@contoso.com | ForEach-Object Address) | Should -Be 'sales@contoso.com'
        { Get-MailGroup a@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailGroupNotFound*'
        # without an address: every group, through the group search (WeCom's shape, fuzzy=0)
        (Get-MailGroup | ForEach-Object Address) | Should -Be @('sales@contoso.com')
        (Get-MailGroup 'sal*' | ForEach-Object Address) | Should -Be @('sales@contoso.com')
        (Get-MailGroup 'x*' | ForEach-Object Address) | Should -BeNullOrEmpty
        # when the service refuses the search: the old behaviour, addresses named
        Set-TestEmulator $emu @{ groupSearch = 'false' }
        { Get-MailGroup -ErrorAction Stop } | Should -Throw '*refused the group search*name the group addresses*'
        (Get-MailGroup sales@contoso.com).Address | Should -Be 'sales@contoso.com'
        Set-TestEmulator $emu @{ groupSearch = 'true' }
        (Set-MailGroup sales@contoso.com -WhoCanSend Organization -PassThru).WhoCanSend | Should -Be 'Organization'
        { New-MailGroup empty@contoso.com -DisplayName Empty -ErrorAction Stop } | Should -Throw -ErrorId 'GroupNeedsMembers*'
        Remove-MailGroup sales@contoso.com -Confirm:$false
        (Test-MailAddress sales@contoso.com).Status | Should -Be 'Available'
        $c | Disconnect-MailProvider
    }

    It 'switches IMAP, POP and secure login through useroption, and says what it cannot switch' {
        $c = Connect-Emulator
        New-Mailbox s@contoso.com -DisplayName S -Password 'Start1234x' | Out-Null
        $s = Set-MailboxSetting s@contoso.com -ImapEnabled $false -ForceSecureLogin $true -PassThru
        $s.ImapEnabled | Should -BeFalse
        $s.PopEnabled | Should -BeTrue
        $s.ForceSecureLogin | Should -BeTrue
        $s.SecureLoginActive | Should -BeTrue
        { Set-MailboxSetting s@contoso.com -ArchiveEnabled $true -ErrorAction Stop } | Should -Throw -ErrorId 'ExmailSettingNotSupported*'
        $c | Disconnect-MailProvider
    }

    It 'reviews the directory with Get-MailSecurityReport, and says rules, auto-replies, app passwords and policy are not in its API' {
        $c = Connect-Emulator
        New-Mailbox safe@contoso.com -DisplayName Safe -Password 'Start1234x' | Out-Null
        New-Mailbox open@contoso.com -DisplayName Open -Password 'Start1234x' | Out-Null
        New-Mailbox left@contoso.com -DisplayName Left -Password 'Start1234x' | Out-Null
        Set-MailboxSetting safe@contoso.com -ForceSecureLogin $true
        Disable-Mailbox left@contoso.com -Confirm:$false
        # the one policy setting Exmail's API reaches: a mailbox's secure login
        (Set-MailSecurityPolicy -Mailbox open@contoso.com -ForceSecureLogin $true -PassThru).ForceSecureLogin | Should -BeTrue
        (Get-MailboxSetting open@contoso.com).ForceSecureLogin | Should -BeTrue
        $p = Get-MailSecurityPolicy -Mailbox open@contoso.com
        $p.ForceSecureLogin | Should -BeTrue
        $p.MinPasswordLength | Should -BeNullOrEmpty
        { Set-MailSecurityPolicy -Mailbox open@contoso.com -MinPasswordLength 12 -ErrorAction Stop } | Should -Throw -ErrorId 'ExmailPolicyNotSupported*'
        Set-MailSecurityPolicy -Mailbox open@contoso.com -ForceSecureLogin $false
        New-MailGroup public@contoso.com -DisplayName Public -Members safe@contoso.com -WhoCanSend Anyone | Out-Null
        New-MailGroup inner@contoso.com -DisplayName Inner -Members safe@contoso.com -WhoCanSend Organization | Out-Null
        $r = Get-MailSecurityReport -SkipDns
        ($r | Where-Object Category -eq NoSecureLogin).Target | Should -Contain 'open@contoso.com'
        ($r | Where-Object Category -eq NoSecureLogin).Target | Should -Not -Contain 'safe@contoso.com'
        ($r | Where-Object Category -eq DisabledNotRemoved).Target | Should -Be @('left@contoso.com')
        # the groups are listed through the group search, so the review reaches them
        ($r | Where-Object Category -eq GroupOpenToAnyone).Target | Should -Be @('public@contoso.com')
        # and when the search is refused, the report says the groups were not reviewed
        Set-TestEmulator $emu @{ groupSearch = 'false' }
        $r = Get-MailSecurityReport -SkipDns
        ($r | Where-Object { $_.Category -eq 'GroupOpenToAnyone' -and $_.Severity -eq 'Info' }).Detail | Should -Match 'not reviewed'
        foreach ($cmd in { New-MailRule safe@contoso.com 'r' -Flag -ErrorAction Stop }, { Set-MailAutoReply safe@contoso.com -Enabled $false -ErrorAction Stop },
                 { New-MailAppPassword safe@contoso.com -Name x -ErrorAction Stop }, { Get-MailSecurityPolicy -ErrorAction Stop }) {
            $e = $null
            try { & $cmd } catch { $e = $_ }
            $e | Should -Not -BeNullOrEmpty
            $e.CategoryInfo.Category | Should -Be 'NotImplemented'
            $e.Exception.Message | Should -Match 'Exmail'
        }
        $c | Disconnect-MailProvider
    }

    It 'reads logs over a range longer than one call allows, with codes turned into names' {
        $c = Connect-Emulator
        New-Mailbox l@contoso.com -DisplayName L -Password 'Start1234x' | Out-Null
        $mail = Get-MailLog -Kind Mail -Mailbox l@contoso.com -Start (Get-Date).Date.AddDays(-199) -End (Get-Date).Date -Direction Received
        $mail.Count | Should -Be 400
        ($mail | Where-Object Status -eq 'Spam').Count | Should -Be 200
        ($mail | Where-Object Status -eq 'Inbox').Count | Should -Be 200
        $mail[0].Time | Should -BeLessThan $mail[-1].Time
        (Get-MailLog -Kind Operation -Start (Get-Date).AddDays(-1)).Type | Should -Contain 'AddUser'
        (Get-MailLog -Kind Login -Mailbox l@contoso.com -Start (Get-Date).AddDays(-30)).Type | Should -Not -Contain $null
        (Get-MailLog -Kind Summary -Domain contoso.com -Start (Get-Date).Date.AddDays(-9)).SentCount | Should -Be 10
        { Get-MailLog -Kind Login -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxRequired*'
        $c | Disconnect-MailProvider
    }

    It 'hands out sign-in links and checks addresses, and keeps secrets, tokens and links out of -Debug' {
        $c = Connect-Emulator
        New-Mailbox u@contoso.com -DisplayName U -Password 'Start1234x' | Out-Null
        $debug = Get-MailboxLoginUrl u@contoso.com -Debug 5>&1
        $link = $debug | Where-Object { $_ -isnot [System.Management.Automation.DebugRecord] }
        $link.Url | Should -Match '^https://exmail.qq.com/cgi-bin/login\?.*authkey=[0-9a-f]{32}'
        $lines = ($debug | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message
        $lines.Count | Should -BeGreaterThan 1
        ($lines -join "`n") | Should -Match 'service/get_login_url'
        ($lines -join "`n") | Should -Not -Match 'sso-secret|tok-sso|authkey=[0-9a-f]'
        $all = New-Mailbox v@contoso.com -DisplayName V -Password 'Secret9876z' -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        ($all.Message -join "`n") | Should -Not -Match 'Secret9876z|contacts-secret|tok-contacts'
        ($all.Message -join "`n") | Should -Match '"password":"\*\*\*"'
        $checks = Test-MailAddress u@contoso.com, free@contoso.com, 'not an address'
        ($checks | ForEach-Object { "$($_.Address)=$($_.Status)" }) | Should -Be @('u@contoso.com=Mailbox', 'free@contoso.com=Available', 'not an address=Invalid')
        $c | Disconnect-MailProvider
    }

    It 'says NotSupported for what Exmail''s API cannot do, naming the provider, and lists it in Get-MailProvider' {
        $c = Connect-Emulator
        New-Mailbox p@contoso.com -DisplayName P -Password 'Start1234x' | Out-Null
        { Set-MailPermission p@contoso.com -Trustee p@contoso.com -AccessRights ReadOnly -ErrorAction Stop } | Should -Throw '*Exmail provider does not support*'
        (Get-MailProvider Exmail).NotSupported | Should -Contain 'Permissions'
        (Get-MailProvider Exmail).NotSupported | Should -Contain 'Domains'
        # public mailboxes: the doc index lists them but no path or field is confirmed, so none is guessed (README)
        $e = $null
        try { New-Mailbox team@contoso.com -DisplayName Team -Shared -ErrorAction Stop } catch { $e = $_ }
        $e.CategoryInfo.Category | Should -Be 'NotImplemented'
        $e.Exception.Message | Should -Match 'Exmail provider does not support shared mailboxes'
        { Get-Mailbox -Shared -ErrorAction Stop } | Should -Throw '*Exmail provider does not support shared mailboxes*'
        { Set-Mailbox p@contoso.com -Type Shared -Confirm:$false -ErrorAction Stop } | Should -Throw '*Exmail provider does not support shared mailboxes*'
        (Get-Mailbox p@contoso.com).Type | Should -Be 'User'
        (Get-MailProvider Exmail).NotSupported | Should -Contain 'SharedMailboxes'
        (Get-MailDomainDnsRecord contoso.com | Where-Object Type -eq 'MX').Value | Should -Be @('mxbiz1.qq.com', 'mxbiz2.qq.com')
        $c | Disconnect-MailProvider
    }

    It 'gives every row of a bulk create exactly one outcome when the connection fails' {
        $c = Connect-Emulator
        Set-TestEmulator $emu @{ faultRate = 1; faults = 'drop' }
        $rows = 1..12 | ForEach-Object { [pscustomobject]@{ Address = "lost$_@contoso.com"; DisplayName = "Lost $_"; Password = 'Start1234x'; Department = 'Ops' } }
        $errs = $null; $made = $null
        try { $made = $rows | New-Mailbox -CreateDepartment -ThrottleLimit 4 -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $stopped = $_ }
        $rowErrors = @($errs | Where-Object { $_.TargetObject.Address })
        # one outcome per row: nothing created, and one error naming each row (none twice, none missing)
        @($made).Where({ $_ }).Count | Should -Be 0
        @($rowErrors | ForEach-Object { $_.TargetObject.Address } | Sort-Object -Unique).Count | Should -Be 12
        $rowErrors.Count | Should -Be 12
        $stopped.FullyQualifiedErrorId | Should -Match 'BulkCreateConnectionLost'
        # nothing is left running: once the faults stop, no row of this run is created behind the pipeline's back
        Set-TestEmulator $emu @{ faultRate = 0; faults = '-1,45009,429,503,500,drop,dropAfter,slow' }
        Start-Sleep -Seconds 2
        @((Get-TestEmulatorState $emu).users).Count | Should -Be 0
        $c | Disconnect-MailProvider
    }

    It 'never leaves an enabled mailbox behind when a disabled create fails half way' {
        $c = Connect-Emulator
        # the create succeeds, the disable that follows fails: the mailbox is removed again
        Set-TestEmulator $emu @{ faultRate = 1; faults = '-1'; faultPaths = 'user/update' }
        $errs = $null
        New-Mailbox temp1@contoso.com -DisplayName 'Temp 1' -Password 'Start1234x' -Disabled -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
        $errs.FullyQualifiedErrorId | Should -Match '^MailboxNotCreatedDisabled'
        @((Get-TestEmulatorState $emu).users | Where-Object userid -eq 'temp1@contoso.com').Count | Should -Be 0
        # the disable and the removal both fail: the error says the mailbox is enabled, and a -SkipExisting re-run does not pass over it
        Set-TestEmulator $emu @{ faultPaths = 'user/update,user/delete' }
        New-Mailbox temp2@contoso.com -DisplayName 'Temp 2' -Password 'Start1234x' -Disabled -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
        $errs.FullyQualifiedErrorId | Should -Match '^MailboxCreatedEnabled'
        $errs[0].Exception.Message | Should -Match "Disable-Mailbox 'temp2@contoso.com'"
        Set-TestEmulator $emu @{ faultRate = 0; faultPaths = '' }
        New-Mailbox temp2@contoso.com -DisplayName 'Temp 2' -Password 'Start1234x' -Disabled -SkipExisting -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
        $errs.FullyQualifiedErrorId | Should -Match '^ExistingMailboxEnabled'
        # and without faults a disabled create is disabled, and a re-run skips it
        (New-Mailbox temp3@contoso.com -DisplayName 'Temp 3' -Password 'Start1234x' -Disabled).Enabled | Should -BeFalse
        New-Mailbox temp3@contoso.com -DisplayName 'Temp 3' -Password 'Start1234x' -Disabled -SkipExisting -ErrorAction Stop | Should -BeNullOrEmpty
        $c | Disconnect-MailProvider
    }

    It 'refreshes short-lived tokens and survives injected faults: no mailbox lost, none created twice' {
        Set-TestEmulator $emu @{ tokenLifetime = 2; faultRate = 0.2; slowMs = 300 }
        $c = Connect-Emulator
        $rows = 1..150 | ForEach-Object { [pscustomobject]@{ Address = "user$_@contoso.com"; DisplayName = "User $_"; Password = 'Start1234x'; Department = 'Ops' } }
        $errors = $null
        $made = $rows | New-Mailbox -CreateDepartment -ThrottleLimit 16 -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -BeNullOrEmpty
        $made.Count | Should -Be 150
        $state = Get-TestEmulatorState $emu
        $state.users.Count | Should -Be 150
        $state.duplicateCreates | Should -Be 0
        $state.faults | Should -BeGreaterThan 10
        $state.tokens | Should -BeGreaterOrEqual 1
        ($state.departments | Where-Object name -eq 'Ops').Count | Should -Be 1
        $c | Disconnect-MailProvider
    }
}
