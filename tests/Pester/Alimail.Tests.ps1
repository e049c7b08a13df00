# The Alimail (Alibaba Mail) and DingTalk providers behind the same cmdlets, against the loopback emulator of both APIs
# (tests/emulators/AlimailEmulator): OAuth2 tokens, string ids, paging, the 40/s limit, faults.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/Emulators.psm1') -Force
    Initialize-MailAdminTest -Name alimail | Out-Null
    $emu = Start-TestEmulator Alimail
    function Connect-Alimail([hashtable] $Extra = @{}) {
        $p = @{ Provider = 'Alimail'; ClientId = $emu.ClientId; ClientSecret = $emu.ClientSecret; ApiBaseUri = $emu.ApiBaseUri; PassThru = $true }
        foreach ($k in $Extra.Keys) { $p[$k] = $Extra[$k] }
        Connect-MailProvider @p
    }
}

AfterAll {
    Get-MailConnection | Disconnect-MailProvider
    if ($emu) { Stop-TestEmulator $emu }
}

Describe 'Alimail provider against the emulator' {
    BeforeEach { Reset-TestEmulator $emu; Set-TestEmulator $emu @{ faultRate = 0; tokenLifetime = 3600; rateLimit = 40; latency = 0 } }

    It 'looks one department up once for a whole bulk run: a create costs one request (issue 14, item 5)' {
        $c = Connect-Alimail
        New-Mailbox seed@example.cn -DisplayName Seed -Password 'Start1234x' -Department 'Sales/East' -CreateDepartment | Out-Null
        $c | Disconnect-MailProvider
        Start-Sleep -Milliseconds 1100   # the server counts the last second: the first connection's calls must not count against the second's
        $c = Connect-Alimail   # a fresh connection: nothing cached
        $before = (Get-TestEmulatorState $emu).requests
        $rows = 1..60 | ForEach-Object { [pscustomobject]@{ Address = "bulk$_@example.cn"; DisplayName = "Bulk $_"; Password = 'Start1234x'; Department = 'Sales/East' } }
        $made = $rows | New-Mailbox -ThrottleLimit 32 -ErrorAction Stop
        $made.Count | Should -Be 60
        $state = Get-TestEmulatorState $emu
        # 60 creates, one token, and one walk of the department tree (3 levels) at most
        ($state.requests - $before) | Should -BeLessOrEqual 64
        $state.rateLimited | Should -Be 0
        $c | Disconnect-MailProvider
    }

    It 'picks the documented host per region and refuses an unknown one' {
        $c = Connect-MailProvider -Provider Alimail -ClientId x -ClientSecret y -Region sg -PassThru
        $c.Target | Should -Match '^https://alimail-sg\.aliyuncs\.com/'
        $c | Disconnect-MailProvider
        $c = Connect-MailProvider -Provider Alimail -ClientId x -ClientSecret y -Region cn-xc -PassThru
        $c.Target | Should -Match '^https://mail-open\.xc\.aliyun\.com/'
        $c | Disconnect-MailProvider
        { Connect-MailProvider -Provider Alimail -ClientId x -ClientSecret y -Region mars } | Should -Throw
    }

    It 'refuses a wrong client secret as an authentication error that keeps the provider''s code' {
        $c = Connect-Alimail @{ ClientSecret = 'wrong-secret' }
        $err = $null
        try { Get-Mailbox a@example.cn -Connection $c -ErrorAction Stop } catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Alimail error invalid_client'
        ($err | Out-String) | Should -Not -Match 'wrong-secret'
        $c | Disconnect-MailProvider
    }

    It 'creates mailboxes in department paths, streams them back page by page, and creates nothing twice' {
        $c = Connect-Alimail
        $rows = 1..230 | ForEach-Object { [pscustomobject]@{ Address = "u$_@example.cn"; DisplayName = "用户$_"; Department = $(if ($_ % 2) { 'Sales/North' } else { 'R&D' }); Password = 'Start1234x' } }
        $made = $rows | New-Mailbox -CreateDepartment
        $made.Count | Should -Be 230
        ($made | Select-Object -First 1).Id | Should -Match '^u\d+$'
        $all = Get-Mailbox
        $all.Count | Should -Be 230
        (Get-Mailbox -Department Sales).Count | Should -Be 115
        (Get-Mailbox u1@example.cn).Department | Should -Be 'Sales/North'
        (Get-TestEmulatorState $emu).departments.Count | Should -Be 3
        $again = $null
        $rows | Select-Object -First 3 | New-Mailbox -ErrorVariable again -ErrorAction SilentlyContinue
        $again.Count | Should -Be 3
        $again[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $c | Disconnect-MailProvider
    }

    It 'updates, freezes and unfreezes, resets the password, manages aliases and removes a mailbox' {
        $c = Connect-Alimail
        New-Mailbox li@example.cn -DisplayName '李' -Password 'Start1234x' -Alias lee@example.cn | Out-Null
        (Get-Mailbox li@example.cn).Aliases | Should -Be 'lee@example.cn'
        (Set-Mailbox li@example.cn -JobTitle 'Lead' -AddAlias li.x@example.cn -RemoveAlias lee@example.cn -PassThru).Aliases | Should -Be 'li.x@example.cn'
        (Disable-Mailbox li@example.cn -PassThru -Confirm:$false).Enabled | Should -BeFalse
        (Get-Mailbox -Enabled $false | ForEach-Object Address) | Should -Be 'li@example.cn'
        (Enable-Mailbox li@example.cn -PassThru).Enabled | Should -BeTrue
        Reset-MailboxPassword li@example.cn -Password 'New5678y' -ForcePasswordChange
        Remove-Mailbox li@example.cn -Confirm:$false
        { Get-Mailbox li@example.cn -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxNotFound*'
        $c | Disconnect-MailProvider
    }

    It 'reviews the directory with Get-MailSecurityReport as far as the API reaches' {
        $c = Connect-Alimail
        New-Mailbox kept@example.cn -DisplayName Kept -Password 'Start1234x' | Out-Null
        New-Mailbox frozen@example.cn -DisplayName Frozen -Password 'Start1234x' | Out-Null
        Disable-Mailbox frozen@example.cn -Confirm:$false
        $r = Get-MailSecurityReport -SkipDns
        ($r | Where-Object Category -eq DisabledNotRemoved).Target | Should -Be @('frozen@example.cn')
        ($r | Where-Object Target -eq 'kept@example.cn' | Where-Object Category -ne Administrator) | Should -BeNullOrEmpty
        { New-MailRule kept@example.cn 'r' -Flag -ErrorAction Stop } | Should -Throw
        $c | Disconnect-MailProvider
    }

    It 'adds, verifies, aliases and removes domains, and shows the organisation' {
        $c = Connect-Alimail
        $d = Add-MailDomain contoso.cn -PassThru
        $d.Status | Should -Be 'Pending'
        $d.IsMxVerified | Should -BeFalse
        (Confirm-MailDomain contoso.cn).Status | Should -Be 'Verified'
        (Confirm-MailDomain pending.example.com -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
        Add-MailDomain pending.example.com | Out-Null
        (Confirm-MailDomain pending.example.com).Status | Should -Be 'Pending'
        (Add-MailDomainAlias contoso.cn -Alias contoso.com.cn -PassThru).Aliases | Should -Be 'contoso.com.cn'
        (Remove-MailDomainAlias contoso.cn -Alias contoso.com.cn -PassThru -Confirm:$false).Aliases | Should -BeNullOrEmpty
        (Get-MailDomain | ForEach-Object Name) | Should -Contain 'example.cn'
        (Get-MailDomain example.cn).IsPrimary | Should -BeTrue
        Remove-MailDomain contoso.cn -Confirm:$false
        { Get-MailDomain contoso.cn -ErrorAction Stop } | Should -Throw -ErrorId 'MailDomainNotFound*'
        (Get-MailOrganization).Name | Should -Be '示例科技有限公司'
        $r = Get-MailDomainDnsRecord example.cn
        ($r | Where-Object Type -eq MX | ForEach-Object Value) | Should -Be @('mx1.qiye.aliyun.com', 'mx2.qiye.aliyun.com', 'mx3.qiye.aliyun.com')
        ($r | Where-Object Type -eq CNAME | Where-Object Name -eq 'imap.example.cn').Value | Should -Be 'imap.qiye.aliyun.com'
        $c | Disconnect-MailProvider
    }

    It 'says NotSupported for the unconfirmed parts (groups, settings, delegation) and lists them' {
        $c = Connect-Alimail
        { Get-MailGroup -ErrorAction Stop } | Should -Throw '*Alimail provider does not support*'
        { Get-MailboxSetting a@example.cn -ErrorAction Stop } | Should -Throw '*Alimail provider does not support*'
        (Get-MailProvider Alimail).NotSupported | Should -Contain 'Groups'
        (Get-MailProvider Alimail).NotSupported | Should -Contain 'Permissions'
        # employeeType SERVICE is a service account that signs in with its own password; who may use it cannot be set (README)
        { New-Mailbox team@example.cn -DisplayName Team -Shared -ErrorAction Stop } | Should -Throw '*Alimail provider does not support shared mailboxes*'
        (Get-MailProvider Alimail).NotSupported | Should -Contain 'SharedMailboxes'
        $c | Disconnect-MailProvider
    }

    It 'keeps to 40 calls per second, and survives 429s, 5xx, dropped answers and short tokens without losing or doubling a mailbox' {
        Set-TestEmulator $emu @{ faultRate = 0.2; tokenLifetime = 2; slowMs = 300 }
        $c = Connect-Alimail @{ RequestsPerSecond = 200 }   # faster than the server allows: its 429s must be absorbed
        $rows = 1..200 | ForEach-Object { [pscustomobject]@{ Address = "f$_@example.cn"; DisplayName = "F $_"; Password = 'Start1234x' } }
        $errors = $null
        $made = $rows | New-Mailbox -ThrottleLimit 16 -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -BeNullOrEmpty
        $made.Count | Should -Be 200
        $state = Get-TestEmulatorState $emu
        $state.users.Count | Should -Be 200
        $state.duplicateCreates | Should -Be 0
        $state.faults | Should -BeGreaterThan 10
        $state.tokens | Should -BeGreaterThan 1
        $c | Disconnect-MailProvider
    }

    It 'keeps secrets, tokens and passwords out of -Debug' {
        $c = Connect-Alimail
        $debug = New-Mailbox d@example.cn -DisplayName D -Password 'Pa55word9' -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        $text = $debug.Message -join "`n"
        $text | Should -Match 'POST .*/v2/users'
        $text | Should -Match 'oauth2/v2.0/token'
        $text | Should -Not -Match 'Pa55word9|alimail-secret|at\.[0-9a-f]{32}'
        $c | Disconnect-MailProvider
    }
}

Describe 'DingTalk provider against the emulator' {
    BeforeEach { Reset-TestEmulator $emu; Set-TestEmulator $emu @{ faultRate = 0; tokenLifetime = 3600 } }

    It 'creates a mailbox with DingTalk''s own token and call, and points to Alimail for everything else' {
        $c = Connect-MailProvider -Provider DingTalk -AppKey $emu.AppKey -AppSecret $emu.AppSecret -ApiBaseUri $emu.ApiBaseUri -PassThru
        (New-Mailbox zhang@example.cn -DisplayName '张' -Password 'Start1234x').Address | Should -Be 'zhang@example.cn'
        (Get-TestEmulatorState $emu).users | Should -Be 'zhang@example.cn'
        $again = $null
        New-Mailbox zhang@example.cn -DisplayName '张' -Password 'Start1234x' -ErrorVariable again -ErrorAction SilentlyContinue
        $again[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        { Get-Mailbox zhang@example.cn -ErrorAction Stop } | Should -Throw '*DingTalk*does not offer reading mailboxes*Provider Alimail*'
        { New-Mailbox w@example.cn -DisplayName W -Password 'Start1234x' -Department Sales -ErrorAction Stop } | Should -Throw -ErrorId 'DingTalkNotSupported*'
        { Get-MailDomain -ErrorAction Stop } | Should -Throw '*DingTalk provider does not support*'
        # the same organisation seen through Alibaba Mail's API
        $a = Connect-Alimail
        (Get-Mailbox zhang@example.cn -Connection $a).DisplayName | Should -Be '张'
        $a, $c | Disconnect-MailProvider
    }

    It 'refuses wrong app credentials as an authentication error' {
        $c = Connect-MailProvider -Provider DingTalk -AppKey $emu.AppKey -AppSecret 'nope' -ApiBaseUri $emu.ApiBaseUri -PassThru
        $err = $null
        try { New-Mailbox q@example.cn -DisplayName Q -Password 'Start1234x' -ErrorAction Stop } catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $c | Disconnect-MailProvider
    }
}
