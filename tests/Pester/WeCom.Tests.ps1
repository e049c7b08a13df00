# The WeCom mail provider (企业微信邮箱) behind the same cmdlets, against the loopback emulator of its server API
# (tests/emulators/WeComEmulator): the admin scenarios of the other providers, plus WeCom's UserID map, trusted-IP refusal,
# tokens and faults.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/Emulators.psm1') -Force
    Initialize-MailAdminTest -Name wecom | Out-Null
    $emu = Start-TestEmulator WeCom
    function Connect-Emulator([hashtable] $Extra = @{}) {
        $p = @{ Provider = 'WeCom'; CorpId = $emu.CorpId; Secret = $emu.Secret; ApiBaseUri = $emu.ApiBaseUri; RequestsPerSecond = 200
            Path = (Join-Path $TestDrive "map-$([guid]::NewGuid().ToString('n')).txt"); PassThru = $true }
        foreach ($k in $Extra.Keys) { $p[$k] = $Extra[$k] }
        Connect-MailProvider @p
    }
    $csv = Join-Path $TestDrive 'staff.csv'
    @(
        [pscustomobject]@{ Address = 'li.lei@contoso.com'; DisplayName = '李雷'; Department = 'Sales/East'; JobTitle = 'Rep'; UserId = 'lilei' }
        [pscustomobject]@{ Address = 'han.meimei@contoso.com'; DisplayName = '韩梅梅'; Department = 'Sales/East'; JobTitle = 'Lead'; UserId = '' }
        [pscustomobject]@{ Address = 'bad address'; DisplayName = 'Nobody'; Department = 'Sales'; JobTitle = ''; UserId = '' }
        [pscustomobject]@{ Address = 'wang.fang@contoso.com'; DisplayName = '王芳'; Department = 'R&D'; JobTitle = 'Engineer'; UserId = 'wangfang' }
    ) | Export-Csv $csv -NoTypeInformation -Encoding utf8
}

AfterAll {
    Get-MailConnection | Disconnect-MailProvider
    if ($emu) { Stop-TestEmulator $emu }
}

Describe 'WeCom provider against the emulator' {
    BeforeEach { Reset-TestEmulator $emu; Set-TestEmulator $emu @{ faultRate = 0; tokenLifetime = 7200; rateLimit = 0; latency = 0; trustedIp = 'true'; revealBizMail = 'false' } }

    It 'refuses a wrong secret with the provider''s code and without showing the secret' {
        $c = Connect-Emulator @{ Secret = 'not-the-secret' }
        $err = $null
        try { Get-Mailbox lilei -Connection $c -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'WeComInvalidCredential*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        ($err | Out-String) + $err.Exception.Message | Should -Not -Match 'not-the-secret'
        $c | Disconnect-MailProvider
    }

    It 'names the trusted-IP refusal (errcode 60020) and what to set' {
        Set-TestEmulator $emu @{ trustedIp = 'false' }
        $c = Connect-Emulator
        $err = $null
        try { Get-Mailbox -Connection $c -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'WeComIpNotTrusted*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.Exception.Message | Should -Match '企业可信IP'
        $err.Exception.Message | Should -Match 'errcode 60020'
        $c | Disconnect-MailProvider
    }

    It 'creates members with business mailboxes from a CSV, keeps the UserID map the API no longer gives, and shows both' {
        $map = Join-Path $TestDrive 'map-csv.txt'
        $c = Connect-Emulator @{ Path = $map }
        $bad = $null
        $made = Import-Csv $csv | New-Mailbox -CreateDepartment -ErrorVariable bad -ErrorAction SilentlyContinue
        $made.Count | Should -Be 3
        $bad.Count | Should -Be 1
        $bad[0].TargetObject.Address | Should -Be 'bad address'
        $state = Get-TestEmulatorState $emu
        ($state.users | ForEach-Object { "$($_.userid)=$($_.biz_mail)" }) | Should -Be @('han.meimei=han.meimei@contoso.com', 'lilei=li.lei@contoso.com', 'wangfang=wang.fang@contoso.com')
        # one department/create per level, however many rows needed it
        ($state.departments | Where-Object name -eq 'East').Count | Should -Be 1
        # user/get no longer returns biz_mail: the address comes from the map
        $li = Get-Mailbox li.lei@contoso.com
        $li.UserId | Should -Be 'lilei'
        $li.Address | Should -Be 'li.lei@contoso.com'
        $li.Department | Should -Be 'Sales/East'
        $li.DisplayName | Should -Be '李雷'
        (Get-Mailbox wangfang).Address | Should -Be 'wang.fang@contoso.com'
        (Get-Mailbox -Department Sales | ForEach-Object UserId) | Should -Be @('han.meimei', 'lilei')
        (Get-Mailbox *@contoso.com).Count | Should -Be 3
        Get-Content $map | Should -Contain "M`tlilei`tli.lei@contoso.com"
        # a new session with the same map file still knows the addresses
        $c | Disconnect-MailProvider
        $c2 = Connect-Emulator @{ Path = $map }
        (Get-Mailbox han.meimei@contoso.com).UserId | Should -Be 'han.meimei'
        # a second run creates nothing twice
        $again = $null
        Import-Csv $csv | Select-Object -First 2 | New-Mailbox -ErrorVariable again -ErrorAction SilentlyContinue
        $again.Count | Should -Be 2
        $again[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        (Import-Csv $csv | Select-Object -First 2 | New-Mailbox -SkipExisting -ErrorAction Stop) | Should -BeNullOrEmpty
        $c2 | Disconnect-MailProvider
    }

    It 'says which member an unmapped address belongs to cannot be told, and finds it where WeCom still returns biz_mail' {
        $c = Connect-Emulator
        New-Mailbox zhou@contoso.com -DisplayName Zhou | Out-Null
        $c | Disconnect-MailProvider
        $c = Connect-Emulator   # a fresh, empty map
        { Get-Mailbox zhou@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'WeComAddressUnknown*'
        (Get-Mailbox zhou).Address | Should -BeNullOrEmpty
        Set-TestEmulator $emu @{ revealBizMail = 'true' }
        (Get-Mailbox zhou@contoso.com).UserId | Should -Be 'zhou'
        $c | Disconnect-MailProvider
    }

    It 'names a missing department instead of creating it without -CreateDepartment, and refuses a password' {
        $c = Connect-Emulator
        { New-Mailbox x@contoso.com -DisplayName X -Department 'Nowhere/Team' -ErrorAction Stop } | Should -Throw -ErrorId 'DepartmentNotFound*'
        (Get-TestEmulatorState $emu).departments.Count | Should -Be 1
        $e = $null
        try { New-Mailbox y@contoso.com -DisplayName Y -Password 'Start1234x' -ErrorAction Stop } catch { $e = $_ }
        $e.CategoryInfo.Category | Should -Be 'NotImplemented'
        $e.Exception.Message | Should -Match '^WeCom: the API cannot set'
        $e.Exception.Message | Should -Not -Match 'Start1234x'
        @((Get-TestEmulatorState $emu).users).Count | Should -Be 0
        $c | Disconnect-MailProvider
    }

    It 'updates, disables and enables (act_email), says Reset-MailboxPassword cannot, and removes a mailbox' {
        $c = Connect-Emulator
        New-Mailbox zhao.lei@contoso.com -DisplayName '赵雷' -Alias zl@contoso.com | Out-Null
        (Set-Mailbox zhao.lei@contoso.com -JobTitle 'Manager' -PassThru).JobTitle | Should -Be 'Manager'
        (Get-Mailbox zhao.lei@contoso.com).Aliases | Should -Be @('zl@contoso.com')
        (Disable-Mailbox zhao.lei@contoso.com -PassThru -Confirm:$false).Enabled | Should -BeFalse
        ((Get-TestEmulatorState $emu).users | Where-Object userid -eq 'zhao.lei').mailEnabled | Should -BeFalse
        (Get-Mailbox -Enabled $false | ForEach-Object Address) | Should -Be 'zhao.lei@contoso.com'
        (Enable-Mailbox zhao.lei@contoso.com -PassThru).Enabled | Should -BeTrue
        ((Get-TestEmulatorState $emu).users | Where-Object userid -eq 'zhao.lei').mailEnabled | Should -BeTrue
        $e = $null
        try { Reset-MailboxPassword zhao.lei@contoso.com -Password 'Other5678y' -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'WeComPasswordNotSupported*'
        $e.CategoryInfo.Category | Should -Be 'NotImplemented'
        $e.Exception.Message | Should -Match 'admin console'
        $e.Exception.Message | Should -Not -Match 'Other5678y'
        (New-Mailbox off@contoso.com -DisplayName Off -Disabled).Enabled | Should -BeFalse
        ((Get-TestEmulatorState $emu).users | Where-Object userid -eq 'off').mailEnabled | Should -BeFalse
        Remove-Mailbox zhao.lei@contoso.com -Confirm:$false
        { Get-Mailbox zhao.lei@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxNotFound*'
        $c | Disconnect-MailProvider
    }

    It 'reads the Enabled state back: a member disabled in WeCom, and a member re-created after a disabled one of the same UserID' {
        $c = Connect-Emulator
        New-Mailbox en@contoso.com -DisplayName En | Out-Null
        (Get-Mailbox en@contoso.com).Enabled | Should -BeTrue
        # what the admin console (or another tool) does: the member is disabled (user/update enable=0, WC/90197)
        $token = (Invoke-RestMethod "$($emu.ApiBaseUri)gettoken?corpid=$($emu.CorpId)&corpsecret=$($emu.Secret)").access_token
        $r = Invoke-RestMethod -Method Post "$($emu.ApiBaseUri)user/update?access_token=$token" -ContentType 'application/json' `
            -Body '{"userid":"en","enable":0}'
        $r.errcode | Should -Be 0
        (Get-Mailbox en@contoso.com).Enabled | Should -BeFalse
        (Get-Mailbox -Enabled $false | ForEach-Object Address) | Should -Contain 'en@contoso.com'
        # disabled here, then removed in the console and made again: the new member's mailbox is enabled
        New-Mailbox re@contoso.com -DisplayName Re | Out-Null
        Disable-Mailbox re@contoso.com -Confirm:$false
        $r = Invoke-RestMethod "$($emu.ApiBaseUri)user/delete?access_token=$token&userid=re"
        $r.errcode | Should -Be 0
        New-Mailbox re@contoso.com -DisplayName Re | Out-Null
        (Get-Mailbox re@contoso.com).Enabled | Should -BeTrue
        ((Get-TestEmulatorState $emu).users | Where-Object userid -eq 're').mailEnabled | Should -BeTrue
        $c | Disconnect-MailProvider
    }

    It 'uses a department made in the console meanwhile under one it made itself (60008 answered, the tree read again)' {
        $c = Connect-Emulator
        New-Mailbox a@contoso.com -DisplayName A -Department Ops -CreateDepartment | Out-Null
        $ops = ((Get-TestEmulatorState $emu).departments | Where-Object name -eq 'Ops').id
        $token = (Invoke-RestMethod "$($emu.ApiBaseUri)gettoken?corpid=$($emu.CorpId)&corpsecret=$($emu.Secret)").access_token
        $body = @{ name = 'Late'; parentid = $ops } | ConvertTo-Json
        $r = Invoke-RestMethod -Method Post "$($emu.ApiBaseUri)department/create?access_token=$token" -ContentType 'application/json' -Body $body
        $r.errcode | Should -Be 0
        (New-Mailbox b@contoso.com -DisplayName B -Department Ops/Late -CreateDepartment).Department | Should -Be 'Ops/Late'
        @((Get-TestEmulatorState $emu).departments | Where-Object name -eq 'Late').Count | Should -Be 1
        (Get-Mailbox b@contoso.com).Department | Should -Be 'Ops/Late'
        $c | Disconnect-MailProvider
    }

    It 'with -CreateDepartment on a new connection, creates the top level beside the first tree read and takes an existing one from the tree' {
        $c = Connect-Emulator
        New-Mailbox first@contoso.com -DisplayName First -Department Sales -CreateDepartment | Out-Null
        $c | Disconnect-MailProvider
        $before = Get-TestEmulatorState $emu
        # a new connection has not read the tree yet: 'Sales' is created at once beside the read, refused as existing (60008)
        # and taken from the tree, not made twice; 'East' under it is made once
        $c = Connect-Emulator
        (New-Mailbox second@contoso.com -DisplayName Second -Department Sales/East -CreateDepartment).Department | Should -Be 'Sales/East'
        $after = Get-TestEmulatorState $emu
        @($after.departments | Where-Object name -eq 'Sales').Count | Should -Be 1
        @($after.departments | Where-Object name -eq 'East').Count | Should -Be 1
        # the refused 'Sales' and 'East' (only 'East' should the read have come back before the create was sent: a stalled thread)
        $after.paths.'department/create' - $before.paths.'department/create' | Should -BeIn @(1, 2)
        $after.paths.'department/list' - $before.paths.'department/list' | Should -Be 1
        (Get-Mailbox second@contoso.com).Department | Should -Be 'Sales/East'
        # and on a connection that has read the tree, an existing top level costs no create
        (New-Mailbox third@contoso.com -DisplayName Third -Department Sales/West -CreateDepartment).Department | Should -Be 'Sales/West'
        (Get-TestEmulatorState $emu).paths.'department/create' - $after.paths.'department/create' | Should -Be 1
        $c | Disconnect-MailProvider
    }

    It 'makes shared mailboxes as public mailboxes (publicmail): create, get, list, aliases, users through Set-MailPermission, disable, remove' {
        $c = Connect-Emulator
        New-Mailbox zhang@contoso.com -DisplayName '张' | Out-Null
        { New-Mailbox support@contoso.com -DisplayName 'Support' -Shared -ErrorAction Stop } | Should -Throw -ErrorId 'WeComPublicMailboxNeedsUsers*'
        New-Mailbox support@contoso.com -DisplayName 'Support' -Shared -Department Service -WhatIf
        (Get-TestEmulatorState $emu).publicMailboxes | Should -BeNullOrEmpty
        $m = New-Mailbox support@contoso.com -DisplayName 'Support' -Shared -Department Service -CreateDepartment -Alias help@contoso.com
        $m.Type | Should -Be 'Shared'
        $m.IsShared | Should -BeTrue
        $m.Id | Should -Match '^\d+$'
        $m.Aliases | Should -Be @('help@contoso.com')
        $state = (Get-TestEmulatorState $emu).publicMailboxes
        $state.email | Should -Be 'support@contoso.com'
        $state.aliases | Should -Be @('help@contoso.com')
        { New-Mailbox support@contoso.com -DisplayName 'Support 2' -Shared -Department Service -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxExists*'
        (Get-Mailbox support@contoso.com).Type | Should -Be 'Shared'
        (Get-Mailbox help@contoso.com).Address | Should -Be 'support@contoso.com'
        (Get-Mailbox -Shared | ForEach-Object Address) | Should -Be @('support@contoso.com')
        (Get-Mailbox -Type User | ForEach-Object Address) | Should -Be @('zhang@contoso.com')
        (Get-Mailbox | ForEach-Object Address) | Should -Be @('zhang@contoso.com', 'support@contoso.com')
        $m = Set-Mailbox support@contoso.com -DisplayName 'Service desk' -AddAlias desk@contoso.com -RemoveAlias help@contoso.com -PassThru
        $m.DisplayName | Should -Be 'Service desk'
        $m.Aliases | Should -Be @('desk@contoso.com')
        (Get-TestEmulatorState $emu).publicMailboxes.aliases | Should -Be @('desk@contoso.com')
        # who may use it: members by UserID (FullAccess), and the department it was made for
        Set-MailPermission support@contoso.com -Trustee zhang@contoso.com -AccessRights FullAccess
        (Get-TestEmulatorState $emu).publicMailboxes.users | Should -Be @('zhang')
        $rows = Get-MailPermission support@contoso.com
        ($rows | ForEach-Object { "$($_.Trustee)=$($_.AccessRights)" }) | Should -Be @('zhang@contoso.com=FullAccess', 'department:Service=FullAccess')
        (Get-MailPermission -Trustee zhang@contoso.com).Identity | Should -Be 'support@contoso.com'
        { Set-MailPermission support@contoso.com -Trustee zhang@contoso.com -AccessRights SendAs -ErrorAction Stop } |
            Should -Throw -ErrorId 'WeComPermissionNotSupported*'
        Remove-MailPermission support@contoso.com -Trustee zhang@contoso.com -AccessRights FullAccess -Confirm:$false
        (Get-TestEmulatorState $emu).publicMailboxes.users | Should -BeNullOrEmpty
        (Disable-Mailbox support@contoso.com -PassThru -Confirm:$false).Enabled | Should -BeFalse
        (Get-TestEmulatorState $emu).publicMailboxes.mailEnabled | Should -BeFalse
        (Get-Mailbox support@contoso.com).Enabled | Should -BeFalse
        Enable-Mailbox support@contoso.com
        (Get-TestEmulatorState $emu).publicMailboxes.mailEnabled | Should -BeTrue
        { Set-Mailbox support@contoso.com -Type User -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'WeComMailboxTypeFixed*'
        $pw = ConvertTo-SecureString 'Other5678y' -AsPlainText -Force
        { Reset-MailboxPassword support@contoso.com -Password $pw -ErrorAction Stop } | Should -Throw -ErrorId 'WeComPasswordNotSupported*'
        Remove-Mailbox support@contoso.com -Confirm:$false
        (Get-TestEmulatorState $emu).publicMailboxes | Should -BeNullOrEmpty
        { Get-Mailbox support@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxNotFound*'
        $c | Disconnect-MailProvider
    }

    It 'gives public mailboxes client-specific passwords through the app-password cmdlets: shown once, listed without it, deleted by name or id' {
        $c = Connect-Emulator
        New-Mailbox zhou@contoso.com -DisplayName '周' | Out-Null
        New-Mailbox desk@contoso.com -DisplayName 'Desk' -Shared -Department Front -CreateDepartment | Out-Null
        $debug = New-MailAppPassword desk@contoso.com -Name 'Front PC' -Debug 5>&1 -Confirm:$false
        $made = $debug | Where-Object { $_ -isnot [System.Management.Automation.DebugRecord] }
        $secret = $made.Credential.GetNetworkCredential().Password
        $secret | Should -Match '^[0-9a-f]{16}$'
        $made.Name | Should -Be 'Front PC'
        ($debug | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | Out-String) | Should -Not -Match $secret
        (Get-TestEmulatorState $emu).publicMailboxes.authCodes | Should -Be 1
        $list = @(Get-MailAppPassword desk@contoso.com)
        $list.Count | Should -Be 1
        $list[0].Name | Should -Be 'Front PC'
        $list[0].Id | Should -Not -BeNullOrEmpty
        $list[0].LastUsedAt | Should -BeNullOrEmpty
        ($list | Format-List * | Out-String) | Should -Not -Match $secret
        New-MailAppPassword desk@contoso.com -Name 'Front PC' | Out-Null
        { Remove-MailAppPassword desk@contoso.com -Name 'Front PC' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'AppPasswordAmbiguous*'
        Get-MailAppPassword desk@contoso.com | Select-Object -First 1 | Remove-MailAppPassword -Confirm:$false
        (Get-TestEmulatorState $emu).publicMailboxes.authCodes | Should -Be 1
        Remove-MailAppPassword desk@contoso.com -Name 'Front PC' -Confirm:$false
        @(Get-MailAppPassword desk@contoso.com).Count | Should -Be 0
        { New-MailAppPassword zhou@contoso.com -Name 'Phone' -ErrorAction Stop } | Should -Throw -ErrorId 'WeComAppPasswordNotSupported*'
        # the documented limit: 10 made through the API (deleted ones counted out)
        1..10 | ForEach-Object { New-MailAppPassword desk@contoso.com -Name "pc$_" | Out-Null }
        { New-MailAppPassword desk@contoso.com -Name 'pc11' -ErrorAction Stop } | Should -Throw -ErrorId 'WeComInvalidValue*'
        $c | Disconnect-MailProvider
    }

    It 'manages groups: lists every group, nested groups and departments as members, WhoCanSend as allow_type' {
        $c = Connect-Emulator
        'a@contoso.com', 'b@contoso.com', 'c@contoso.com' | ForEach-Object { New-Mailbox $_ -DisplayName $_ -Department Ops -CreateDepartment } | Out-Null
        $g = New-MailGroup sales@contoso.com -DisplayName Sales -Members a@contoso.com, b@contoso.com -WhoCanSend Listed -AllowedSenders c@contoso.com, 'department:Ops'
        $g.WhoCanSend | Should -Be 'Listed'
        $g.Members | Should -Be @('a@contoso.com', 'b@contoso.com')
        $g.AllowedSenders | Should -Be @('c@contoso.com', 'department:Ops')
        $all = New-MailGroup all@contoso.com -DisplayName All -Members sales@contoso.com, 'department:Ops'
        $all.Members | Should -Be @('sales@contoso.com', 'department:Ops')
        (Add-MailGroupMember sales@contoso.com -Member c@contoso.com -PassThru).MemberCount | Should -Be 3
        Remove-MailGroupMember sales@contoso.com -Member a@contoso.com -Confirm:$false
        (Get-MailGroupMember sales@contoso.com | ForEach-Object Address) | Should -Be @('b@contoso.com', 'c@contoso.com')
        # Get-MailGroup with no address lists every group (group/search, fuzzy=0)
        (Get-MailGroup | ForEach-Object Address) | Should -Be @('all@contoso.com', 'sales@contoso.com')
        (Get-MailGroup 's*' | ForEach-Object Address) | Should -Be @('sales@contoso.com')
        (Get-TestEmulatorState $emu).paths.'exmail/group/search' | Should -BeGreaterThan 0
        { Get-MailGroup nope@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailGroupNotFound*'
        (Set-MailGroup sales@contoso.com -WhoCanSend Organization -PassThru).WhoCanSend | Should -Be 'Organization'
        (Get-MailGroup sales@contoso.com).AllowedSenders | Should -BeNullOrEmpty
        { New-MailGroup empty@contoso.com -DisplayName Empty -ErrorAction Stop } | Should -Throw -ErrorId 'GroupNeedsMembers*'
        Remove-MailGroup all@contoso.com -Confirm:$false
        (Get-TestEmulatorState $emu).groups | Should -Be @('sales@contoso.com')
        $c | Disconnect-MailProvider
    }

    It 'switches IMAP, POP and secure login through useroption, and says what it cannot switch' {
        $c = Connect-Emulator
        New-Mailbox s@contoso.com -DisplayName S | Out-Null
        $s = Set-MailboxSetting s@contoso.com -ImapEnabled $false -ForceSecureLogin $true -PassThru
        $s.ImapEnabled | Should -BeFalse
        $s.PopEnabled | Should -BeTrue
        $s.ForceSecureLogin | Should -BeTrue
        (Get-MailboxSetting s@contoso.com).ImapEnabled | Should -BeFalse
        { Set-MailboxSetting s@contoso.com -ArchiveEnabled $true -ErrorAction Stop } | Should -Throw -ErrorId 'WeComSettingNotSupported*'
        $c | Disconnect-MailProvider
    }

    It 'refuses the settings of a public mailbox with one error that names WeCom and what to do instead (useroption takes members only)' {
        $c = Connect-Emulator
        New-Mailbox desk.user@contoso.com -DisplayName 'Desk user' | Out-Null
        New-Mailbox frontdesk@contoso.com -DisplayName 'Front desk' -Shared -Department Desk -CreateDepartment | Out-Null
        $before = (Get-TestEmulatorState $emu).paths
        $calls = { Get-MailboxSetting frontdesk@contoso.com -ErrorAction Stop },
            { Set-MailboxSetting frontdesk@contoso.com -ImapEnabled $false -ErrorAction Stop }
        foreach ($cmd in $calls) {
            $e = $null
            try { & $cmd } catch { $e = $_ }
            $e | Should -Not -BeNullOrEmpty
            $e.FullyQualifiedErrorId | Should -BeLike 'WeComPublicMailboxSettingsNotSupported*'
            $e.CategoryInfo.Category | Should -Be 'NotImplemented'
            $e.Exception.Message | Should -Match '^WeCom: .*frontdesk@contoso\.com.* public mailbox'
            $e.Exception.Message | Should -Match 'admin console'
            $e.Exception.Message | Should -Match 'New-MailAppPassword'
        }
        # nothing was sent to useroption for it, and a member's settings still work beside it
        $after = (Get-TestEmulatorState $emu).paths
        $after.'exmail/useroption/get' | Should -Be $before.'exmail/useroption/get'
        $after.'exmail/useroption/update' | Should -Be $before.'exmail/useroption/update'
        (Get-MailboxSetting desk.user@contoso.com).ImapEnabled | Should -BeTrue
        { Get-MailboxSetting nobody@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxNotFound*'
        $c | Disconnect-MailProvider
    }

    It 'says NotSupported for what WeCom cannot do, naming the provider, and lists its capabilities in Get-MailProvider' {
        $c = Connect-Emulator
        New-Mailbox p@contoso.com -DisplayName P | Out-Null
        foreach ($cmd in { New-MailRule p@contoso.com 'r' -Flag -ErrorAction Stop }, { Get-MailLog -Kind Mail -ErrorAction Stop }) {
            $e = $null
            try { & $cmd } catch { $e = $_ }
            $e.CategoryInfo.Category | Should -Be 'NotImplemented'
            $e.Exception.Message | Should -Match 'WeCom provider does not support'
        }
        # permissions exist for public mailboxes only, and mean one right (their users read and send as them)
        $e = $null
        try { Set-MailPermission p@contoso.com -Trustee p@contoso.com -AccessRights ReadOnly -ErrorAction Stop } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -BeLike 'WeComPermissionNotSupported*'
        $e.CategoryInfo.Category | Should -Be 'NotImplemented'
        $e.Exception.Message | Should -Match '^WeCom: '
        $p = Get-MailProvider WeCom
        $p.Capabilities | Should -Match 'Mailboxes'
        $p.Capabilities | Should -Match 'Groups'
        $p.Capabilities | Should -Match 'SharedMailboxes'
        $p.Capabilities | Should -Match 'AppPasswords'
        $p.NotSupported | Should -Contain 'Rules'
        $c | Disconnect-MailProvider
    }

    It 'shows advanced-feature seats on Get-Mailbox and gives and takes them with Set-Mailbox (exmail/vip)' {
        $c = Connect-Emulator
        $rows = 1..210 | ForEach-Object { [pscustomobject]@{ Address = "seat$_@contoso.com"; DisplayName = "Seat $_" } }
        ($rows | New-Mailbox -ThrottleLimit 16 | Where-Object AdvancedFeatures -eq $false).Count | Should -Be 210
        (Set-Mailbox seat1@contoso.com -AdvancedFeatures $true -PassThru).AdvancedFeatures | Should -BeTrue
        # the other 209 (seat1 has its seat already) in one pipeline run, batched by the provider
        $rows[1..($rows.Count - 1)] | Set-Mailbox -AdvancedFeatures $true
        (Get-TestEmulatorState $emu).vip.Count | Should -Be 210
        # vip/list pages by 200: the 210 seats are all seen
        (Get-Mailbox 'seat*' | Where-Object AdvancedFeatures).Count | Should -Be 210
        (Get-TestEmulatorState $emu).paths.'exmail/vip/list' | Should -BeGreaterThan 1
        Set-Mailbox seat2@contoso.com -AdvancedFeatures $false
        (Get-Mailbox seat2@contoso.com).AdvancedFeatures | Should -BeFalse
        (Get-TestEmulatorState $emu).vip | Should -Not -Contain 'seat2'
        $c | Disconnect-MailProvider
        # a provider without seats says so, naming itself
        $local = Connect-MailProvider -Path (Join-Path $TestDrive 'seats-local.db') -PassThru
        Add-MailDomain contoso.com -Connection $local | Out-Null
        New-Mailbox l@contoso.com -DisplayName L -Connection $local | Out-Null
        $e = $null
        try { Set-Mailbox l@contoso.com -AdvancedFeatures $true -Connection $local -ErrorAction Stop } catch { $e = $_ }
        $e.CategoryInfo.Category | Should -Be 'NotImplemented'
        $e.Exception.Message | Should -Match 'Local provider does not support advanced-feature seats'
        (Get-Mailbox l@contoso.com -Connection $local).AdvancedFeatures | Should -BeNullOrEmpty
        $local | Disconnect-MailProvider
    }

    It 'keeps the secret and tokens out of -Debug' {
        Set-TestEmulator $emu @{ tokenLifetime = 1 }
        $c = Connect-Emulator
        $debug = New-Mailbox dbg@contoso.com -DisplayName Dbg -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        Start-Sleep -Milliseconds 1200
        $debug += Get-Mailbox dbg@contoso.com -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        $text = $debug.Message -join "`n"
        $text | Should -Match 'gettoken\?corpid=wwwecomcorp&corpsecret=\*\*\*'
        $text | Should -Match 'user/create'
        $text | Should -Not -Match 'mail-app-secret|wctok-'
        (Get-TestEmulatorState $emu).tokens | Should -BeGreaterThan 1
        $c | Disconnect-MailProvider
    }

    It 'takes a bare host as -ApiBaseUri' {
        $c = Connect-Emulator @{ ApiBaseUri = $emu.Base }
        New-Mailbox host@contoso.com -DisplayName Host | Out-Null
        $c.Target | Should -BeLike "$($emu.Base)/cgi-bin/*"
        @((Get-TestEmulatorState $emu).users).Count | Should -Be 1
        $c | Disconnect-MailProvider
    }

    It 'refreshes short-lived tokens and survives injected faults: no mailbox lost, none created twice, one department lookup' {
        Set-TestEmulator $emu @{ tokenLifetime = 2; faultRate = 0.2; slowMs = 300 }
        $c = Connect-Emulator
        $rows = 1..150 | ForEach-Object { [pscustomobject]@{ Address = "user$_@contoso.com"; DisplayName = "User $_"; Department = 'Ops/Night' } }
        $errors = $null
        $made = $rows | New-Mailbox -CreateDepartment -ThrottleLimit 16 -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -BeNullOrEmpty
        $made.Count | Should -Be 150
        $state = Get-TestEmulatorState $emu
        $state.users.Count | Should -Be 150
        $state.duplicateCreates | Should -Be 0
        $state.faults | Should -BeGreaterThan 10
        $state.tokens | Should -BeGreaterThan 1
        ($state.departments | Where-Object name -eq 'Night').Count | Should -Be 1
        # department lookups are shared, not one per row (a few more only after faults or when a level is created)
        $state.paths.'department/list' | Should -BeLessThan 10
        $c | Disconnect-MailProvider
    }
}
