BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $conn = Initialize-MailAdminTest
}

Describe 'Domains' {
    It 'Add-MailDomain -WhatIf adds nothing' {
        Add-MailDomain contoso.com -WhatIf
        Get-MailDomain | Should -BeNullOrEmpty
    }

    It 'adds domains; the first is primary; IDN shown in Unicode' {
        (Add-MailDomain contoso.com -PassThru).IsPrimary | Should -BeTrue
        $d = Add-MailDomain 例子.测试 -MailHost mx.example.net -PassThru
        $d.Name | Should -Be '例子.测试'
        $d.AsciiName | Should -Be 'xn--fsqu00a.xn--0zwm56d'
        $d.IsPrimary | Should -BeFalse
        $d.MailHost | Should -Be 'mx.example.net'
        (Get-MailDomain).Name | Should -Be @('contoso.com', '例子.测试')
        (Get-MailDomain 'xn--fsqu00a.xn--0zwm56d').Name | Should -Be '例子.测试'
    }

    It 'rejects bad and duplicate names with clear typed errors' {
        { Add-MailDomain 'bad_domain' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDomainName,MailAdmin.PowerShell.Commands.AddMailDomainCommand'
        { Add-MailDomain CONTOSO.com -ErrorAction Stop } | Should -Throw -ErrorId 'MailDomainExists,*'
        $e = $null; Get-MailDomain nowhere.example -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e[0].TargetObject | Should -Be 'nowhere.example'
    }

    It 'lists the DNS records the domain needs, from the pipeline' {
        $r = Get-MailDomain contoso.com | Get-MailDomainDnsRecord
        ($r | Where-Object Type -eq MX).Value | Should -Be 'mail.contoso.com'
        ($r | Where-Object Purpose -eq Spf).Value | Should -Be 'v=spf1 mx -all'
        ($r | Where-Object Purpose -eq Dkim).Value | Should -Match '^v=DKIM1; k=rsa; p=MIIBIjAN'
        ($r | Where-Object Purpose -eq Dmarc).Name | Should -Be '_dmarc.contoso.com'
        ($r | Where-Object Purpose -eq TlsRpt).Value | Should -Match '^v=TLSRPTv1; rua=mailto:'
        ($r | Where-Object { $_.Purpose -eq 'MtaSts' -and $_.Type -eq 'TXT' }).Value | Should -Match '^v=STSv1; id=\d{14}$'
        @($r | Where-Object Type -eq SRV).Count | Should -Be 4
        ($r | Where-Object Required | ForEach-Object { $_.Purpose.ToString() }) | Sort-Object -Unique | Should -Be @('Dkim', 'Dmarc', 'Mx', 'Spf')
    }

    It 'Remove-MailDomain refuses while mailboxes exist, unless -Force' {
        Set-MailSecurityPolicy -PasswordHashCost 4
        New-Mailbox a@例子.测试 | Out-Null
        { Remove-MailDomain 例子.测试 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'MailDomainNotEmpty,*'
        Remove-MailDomain 例子.测试 -Force -WhatIf
        (Get-MailDomain 例子.测试).MailboxCount | Should -Be 1
        Remove-MailDomain 例子.测试 -Force -Confirm:$false
        { Get-MailDomain 例子.测试 -ErrorAction Stop } | Should -Throw -ErrorId 'MailDomainNotFound,*'
        Get-Mailbox | Should -BeNullOrEmpty
    }
}

Describe 'Connections and providers' {
    It 'Get-MailProvider lists Local with its capabilities' {
        $p = Get-MailProvider Local
        $p.IsDefault | Should -BeTrue
        $p.Capabilities.ToString() | Should -Match 'Mailboxes'
        { Get-MailProvider NoSuch -ErrorAction Stop } | Should -Throw -ErrorId 'MailProviderNotFound,*'
        { Connect-MailProvider -Provider NoSuch -ErrorAction Stop } | Should -Throw -ErrorId 'MailProviderNotFound,*'
    }

    It 'uses two stores in one script through -Connection' {
        $a = Connect-MailProvider -Path (Join-Path $TestDrive 'a.db') -PassThru
        $b = Connect-MailProvider -Path (Join-Path $TestDrive 'b.db') -PassThru
        (Get-MailConnection | Where-Object IsDefault).Id | Should -Be $b.Id
        Add-MailDomain a.example -Connection $a
        Add-MailDomain b.example
        (Get-MailDomain -Connection $a).Name | Should -Be 'a.example'
        (Get-MailDomain).Name | Should -Be 'b.example'
        Set-MailSecurityPolicy -PasswordHashCost 4 -Connection $a
        New-Mailbox x@a.example -Connection $a | Out-Null
        # copy mailboxes from one store into another
        Get-MailDomain -Connection $a | Add-MailDomain -Connection $b -ErrorAction SilentlyContinue
        Get-Mailbox -Connection $a | New-Mailbox -Connection $b | Out-Null
        (Get-Mailbox -Connection $b).PrimarySmtpAddress | Should -Be 'x@a.example'
        Disconnect-MailProvider $a
        { Get-Mailbox -Connection $a -ErrorAction Stop } | Should -Throw -ErrorId 'MailConnectionClosed,*'
        Disconnect-MailProvider
        Get-MailConnection | Where-Object Id -eq $b.Id | Should -BeNullOrEmpty
    }

    It 'opens the default Local store when nothing is connected' {
        Get-MailConnection | Disconnect-MailProvider
        $env:MAILADMIN_STORE | Should -Not -BeNullOrEmpty
        Get-MailDomain | Out-Null
        (Get-MailConnection | Where-Object IsDefault).Target | Should -Be $env:MAILADMIN_STORE
    }
}
