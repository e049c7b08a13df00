BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $conn = Initialize-MailAdminTest
    Add-MailDomain contoso.com
    'boss', 'pa', 'a', 'b', 'intern' | ForEach-Object { [pscustomobject]@{ Address = "$_@contoso.com"; Department = if ($_ -eq 'intern') { 'Interns' } else { 'Office' } } } | New-Mailbox | Out-Null
}

Describe 'Groups' {
    It 'creates a group from mailboxes, with -WhatIf doing nothing' {
        New-MailGroup office@contoso.com -WhatIf
        Get-MailGroup | Should -BeNullOrEmpty
        $g = New-MailGroup office@contoso.com -DisplayName 'Office' -Members (Get-Mailbox -Department Office | ForEach-Object Address)
        $g.MemberCount | Should -Be 4
        $g.WhoCanSend | Should -Be 'Organization'
    }

    It 'adds and removes members from the pipeline by property name' {
        Get-Mailbox -Department Interns | Add-MailGroupMember office@contoso.com
        'partner@outside.org' | Add-MailGroupMember office@contoso.com
        $m = Get-MailGroupMember office@contoso.com
        $m.Count | Should -Be 6
        ($m | Where-Object Address -eq 'partner@outside.org').IsInternal | Should -BeFalse
        Get-MailGroupMember office@contoso.com | Where-Object { -not $_.IsInternal } | Remove-MailGroupMember office@contoso.com -Confirm:$false
        (Get-MailGroup office@contoso.com).Members | Should -Not -Contain 'partner@outside.org'
        { Remove-MailGroupMember office@contoso.com -Member nobody@contoso.com -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'MailGroupMemberNotFound,*'
    }

    It 'sets WhoCanSend, requiring senders for Listed' {
        { Set-MailGroup office@contoso.com -WhoCanSend Listed -ErrorAction Stop } | Should -Throw -ErrorId 'AllowedSendersRequired,*'
        $g = Set-MailGroup office@contoso.com -WhoCanSend Listed -AllowedSenders boss@contoso.com -PassThru
        $g.WhoCanSend | Should -Be 'Listed'
        $g.AllowedSenders | Should -Be 'boss@contoso.com'
        (Set-MailGroup office@contoso.com -WhoCanSend Anyone -PassThru).WhoCanSend | Should -Be 'Anyone'
        New-MailGroup members-only@contoso.com -WhoCanSend Members -Members a@contoso.com | Out-Null
        (Get-MailGroup | Where-Object WhoCanSend -eq Anyone).PrimarySmtpAddress | Should -Be 'office@contoso.com'
    }

    It 'refuses an address in use and removes groups' {
        { New-MailGroup a@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailGroupExists,*'
        Get-MailGroup members-* | Remove-MailGroup -Confirm:$false
        (Get-MailGroup).PrimarySmtpAddress | Should -Be 'office@contoso.com'
    }
}

Describe 'Permissions' {
    It 'gives and lists trustee rights' {
        Set-MailPermission boss@contoso.com -Trustee pa@contoso.com -AccessRights FullAccess, SendAs
        $rows = Get-MailPermission boss@contoso.com
        $rows.AccessRights | Sort-Object | Should -Be @('FullAccess', 'SendAs')
        $rows.Trustee | Sort-Object -Unique | Should -Be 'pa@contoso.com'
        (Get-MailPermission -Trustee pa@contoso.com).Count | Should -Be 2
        Set-MailPermission boss@contoso.com -Trustee a@contoso.com -AccessRights ReadOnly -WhatIf
        (Get-MailPermission boss@contoso.com).Count | Should -Be 2
    }

    It 'rejects outsiders and the owner with typed errors' {
        { Set-MailPermission boss@contoso.com -Trustee x@outside.org -AccessRights ReadOnly -ErrorAction Stop } | Should -Throw -ErrorId 'TrusteeNotFound,*'
        { Set-MailPermission boss@contoso.com -Trustee boss@contoso.com -AccessRights ReadOnly -ErrorAction Stop } | Should -Throw -ErrorId 'TrusteeIsOwner,*'
        { Set-MailPermission boss@contoso.com -Trustee pa@contoso.com -AccessRights Everything -ErrorAction Stop } | Should -Throw
    }

    It 'sets Role and SendScope from the pipeline' {
        Get-Mailbox -Department Interns | Set-MailPermission -SendScope Internal
        Set-MailPermission boss@contoso.com -Role Admin
        $i = Get-MailPermission intern@contoso.com
        $i.SendScope | Should -Be 'Internal'
        $i.Trustee | Should -BeNullOrEmpty
        (Get-Mailbox -Role Admin).PrimarySmtpAddress | Should -Be 'boss@contoso.com'
        (Get-MailboxSetting intern@contoso.com).ExternalSendEnabled | Should -BeFalse
    }

    It 'removes rights, also by piping Get-MailPermission rows' {
        Remove-MailPermission boss@contoso.com -Trustee pa@contoso.com -AccessRights SendAs -Confirm:$false
        (Get-MailPermission boss@contoso.com).AccessRights | Should -Be 'FullAccess'
        Get-MailPermission -Trustee pa@contoso.com | Remove-MailPermission -Confirm:$false
        Get-MailPermission -Trustee pa@contoso.com | Should -BeNullOrEmpty
        # rows that only show Role/SendScope (no trustee) pass through without an error
        Get-MailPermission intern@contoso.com | Remove-MailPermission -Confirm:$false -ErrorVariable none
        $none | Should -BeNullOrEmpty
        $e = $null
        Remove-MailPermission boss@contoso.com -Trustee pa@contoso.com -AccessRights ReadOnly -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'MailPermissionNotFound,MailAdmin.PowerShell.Commands.RemoveMailPermissionCommand'
    }
}

Describe 'Mailbox settings' {
    It 'switches protocols and features, only those given' {
        $s = Set-MailboxSetting a@contoso.com -PopEnabled $false -ArchiveEnabled $true -ForceSecureLogin $true -PassThru
        $s.PopEnabled | Should -BeFalse
        $s.ImapEnabled | Should -BeTrue
        $s.SmtpEnabled | Should -BeTrue
        $s.ArchiveEnabled | Should -BeTrue
        $s.ForceSecureLogin | Should -BeTrue
        Set-MailboxSetting a@contoso.com -ImapEnabled $false -WhatIf
        (Get-MailboxSetting a@contoso.com).ImapEnabled | Should -BeTrue
    }

    It 'works across the pipeline and ties ExternalSendEnabled to SendScope' {
        Get-Mailbox -Department Office | Set-MailboxSetting -ExternalSendEnabled $false
        (Get-Mailbox -Department Office | Get-MailboxSetting | Where-Object ExternalSendEnabled) | Should -BeNullOrEmpty
        (Get-MailPermission boss@contoso.com | Select-Object -First 1).SendScope | Should -Be 'Internal'
        Set-MailboxSetting boss@contoso.com -ExternalSendEnabled $true
        (Get-MailPermission boss@contoso.com | Select-Object -First 1).SendScope | Should -Be 'Any'
    }

    It 'warns when no switch is given' {
        Set-MailboxSetting a@contoso.com -WarningVariable w -WarningAction SilentlyContinue
        $w | Should -Not -BeNullOrEmpty
    }

    It 'reports a missing mailbox as ObjectNotFound' {
        { Get-MailboxSetting nobody@contoso.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailboxNotFound,MailAdmin.PowerShell.Commands.GetMailboxSettingCommand'
    }
}
