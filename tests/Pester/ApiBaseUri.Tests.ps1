# -ApiBaseUri names the host for every remote provider: a URI without a path gets the provider's documented path
# (issue 14, item 4: Exmail needed ".../cgi-bin/" spelled out, and a bare host failed with a 404 on the token call).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/Emulators.psm1') -Force
    Initialize-MailAdminTest -Name apibaseuri | Out-Null
    $exmail = Start-TestEmulator Exmail
    $alimail = Start-TestEmulator Alimail
}

AfterAll {
    Get-MailConnection | Disconnect-MailProvider
    if ($exmail) { Stop-TestEmulator $exmail }
    if ($alimail) { Stop-TestEmulator $alimail }
}

Describe '-ApiBaseUri is the host' {
    It 'Exmail: a bare host gets /cgi-bin/ and reaches the API' {
        Reset-TestEmulator $exmail
        $c = Connect-MailProvider -Provider Exmail -CorpId $exmail.CorpId -Secret $exmail.Secret -ApiBaseUri $exmail.Base -PassThru
        New-Mailbox host.only@contoso.com -DisplayName 'Host Only' -Password 'Start1234x' -Connection $c -ErrorAction Stop | Out-Null
        (Get-TestEmulatorState $exmail).users | Should -Be @('host.only@contoso.com')
        $c.Target | Should -BeLike "$($exmail.Base)/cgi-bin/*"
        $c | Disconnect-MailProvider
    }

    It 'Exmail: a host with a trailing slash gets /cgi-bin/ too, and a URI with a path is kept as given' {
        Reset-TestEmulator $exmail
        $c = Connect-MailProvider -Provider Exmail -CorpId $exmail.CorpId -Secret $exmail.Secret -ApiBaseUri "$($exmail.Base)/" -PassThru
        (Get-Mailbox -Connection $c -ErrorAction Stop) | Should -BeNullOrEmpty
        $c.Target | Should -BeLike "$($exmail.Base)/cgi-bin/*"
        $c | Disconnect-MailProvider
        $c = Connect-MailProvider -Provider Exmail -CorpId $exmail.CorpId -Secret $exmail.Secret -ApiBaseUri $exmail.ApiBaseUri -PassThru
        $c.Target | Should -BeLike "$($exmail.ApiBaseUri)*"
        (Get-Mailbox -Connection $c -ErrorAction Stop) | Should -BeNullOrEmpty
        $c | Disconnect-MailProvider
    }

    It 'Alimail: the bare host still works' {
        Reset-TestEmulator $alimail
        $c = Connect-MailProvider -Provider Alimail -ClientId $alimail.ClientId -ClientSecret $alimail.ClientSecret -ApiBaseUri $alimail.Base -PassThru
        (Get-Mailbox -Connection $c -ErrorAction Stop) | Should -BeNullOrEmpty
        $c | Disconnect-MailProvider
    }
}
