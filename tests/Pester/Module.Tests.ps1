BeforeDiscovery {
    Import-Module (Join-Path $env:MAILADMIN_TEST_MODULE 'MailAdmin.psd1') -Force
    $script:cmdlets = Get-Command -Module MailAdmin | ForEach-Object { @{ Name = $_.Name } }
    $script:changers = Get-Command -Module MailAdmin | Where-Object Verb -in 'New', 'Set', 'Remove', 'Add', 'Enable', 'Disable', 'Reset' | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $env:MAILADMIN_TEST_MODULE 'MailAdmin.psd1') -Force
    $manifest = Import-PowerShellDataFile (Join-Path $env:MAILADMIN_TEST_MODULE 'MailAdmin.psd1')
}

Describe 'The laid-out module' {
    It 'exports exactly the cmdlets the manifest lists' {
        $exported = (Get-Command -Module MailAdmin).Name | Sort-Object
        $listed = $manifest.CmdletsToExport | Sort-Object
        $listed | Should -Not -Contain '*'
        $exported | Should -Be $listed
        $exported.Count | Should -BeGreaterOrEqual 29
    }

    It 'keeps only the cmdlet and loader assemblies at the root; the rest is in deps/' {
        (Get-ChildItem $env:MAILADMIN_TEST_MODULE -Filter *.dll).Name | Sort-Object | Should -Be @('MailAdmin.Isolation.dll', 'MailAdmin.PowerShell.dll')
        Join-Path $env:MAILADMIN_TEST_MODULE 'deps/MailAdmin.Core.dll' | Should -Exist
        Join-Path $env:MAILADMIN_TEST_MODULE 'deps/runtimes/linux-x64/native/libe_sqlite3.so' | Should -Exist
        Join-Path $env:MAILADMIN_TEST_MODULE 'deps/runtimes/win-x64/native/e_sqlite3.dll' | Should -Exist
    }

    It 'loads its dependencies in its own AssemblyLoadContext' {
        Initialize-MailAdminTest | Out-Null
        Get-Mailbox | Out-Null
        $alc = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'MailAdmin'
        $alc | Should -Not -BeNullOrEmpty
        $names = $alc.Assemblies | ForEach-Object { $_.GetName().Name }
        $names | Should -Contain 'Microsoft.Data.Sqlite'
        $names | Should -Contain 'MailAdmin.Providers.Local'
        $names | Should -Not -Contain 'System.Memory'
    }

    It 'has about_MailAdmin help' {
        (Get-Help about_MailAdmin | Out-String) | Should -Match 'Import-Csv staff.csv \| New-Mailbox'
    }
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    It 'has a synopsis, a description and at least two examples' {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ('^\s*' + $Name + '\s*\[')
        ($help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($e in $help.examples.example) { $e.code | Should -Match '\w+-\w+' }
    }

    It 'documents every parameter' {
        $cmd = Get-Command $Name
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($p in $cmd.Parameters.Keys | Where-Object { $_ -notin $common -and $_ -ne 'InputObject' }) {
            $ph = Get-Help $Name -Parameter $p
            ($ph.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "$Name -$p needs a description"
        }
    }
}

Describe '<Name> changes state safely' -ForEach $changers {
    It 'supports -WhatIf and -Confirm' {
        $cmd = Get-Command $Name
        $cmd.Parameters.Keys | Should -Contain 'WhatIf'
        $cmd.Parameters.Keys | Should -Contain 'Confirm'
    }
}

Describe 'Remove cmdlets ask first' {
    It '<_> has ConfirmImpact High' -ForEach @('Remove-Mailbox', 'Remove-MailDomain', 'Remove-MailGroup', 'Remove-MailPermission') {
        $type = (Get-Command $_).ImplementingType
        $attr = $type.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attr.ConfirmImpact | Should -Be 'High'
    }
}

Describe 'Beside another module with other versions of the same libraries' {
    It 'works after a module that loaded Microsoft.Data.Sqlite 8 into the default context' {
        $nuget = (dotnet nuget locals global-packages --list | Select-Object -First 1) -replace '^global-packages:\s*', ''
        $other = Join-Path $TestDrive 'OtherSqlite'
        New-Item -ItemType Directory $other | Out-Null
        Copy-Item (Join-Path $nuget 'microsoft.data.sqlite.core/8.0.30/lib/net8.0/Microsoft.Data.Sqlite.dll') $other
        Set-Content (Join-Path $other 'OtherSqlite.psm1') "Add-Type -Path (Join-Path `$PSScriptRoot 'Microsoft.Data.Sqlite.dll'); function Get-OtherSqliteVersion { [Microsoft.Data.Sqlite.SqliteConnection].Assembly.GetName().Version.ToString() }"
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$other/OtherSqlite.psm1'
`$before = Get-OtherSqliteVersion
Import-Module '$env:MAILADMIN_TEST_MODULE/MailAdmin.psd1'
Connect-MailProvider -Path '$TestDrive/beside.db'
Set-MailSecurityPolicy -PasswordHashCost 4
Add-MailDomain contoso.com | Out-Null
New-Mailbox a@contoso.com -Password 'Passw0rd-123' | Out-Null
`$mine = ([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'MailAdmin').Assemblies | Where-Object { `$_.GetName().Name -eq 'Microsoft.Data.Sqlite' }
"`$before|`$(Get-OtherSqliteVersion)|`$(`$mine.GetName().Version)|`$((Get-Mailbox).Address)"
"@
        $pwsh = Get-TestPwsh
        $out = & $pwsh[0] $pwsh[1..9] -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        $parts = ($out | Select-Object -Last 1) -split '\|'
        $parts[0] | Should -BeLike '8.*'
        $parts[1] | Should -BeLike '8.*'
        $parts[2] | Should -BeLike '9.*'
        $parts[3] | Should -Be 'a@contoso.com'
    }

    It 'works after a module (like Mailozaurr) that loaded MailKit into the default context first' {
        # the cmdlets once named MailKit types, which then bound to this other copy: MissingMethodException
        $script = @"
`$ErrorActionPreference = 'Stop'
`$deps = '$env:MAILADMIN_TEST_MODULE/deps'
Add-Type -Path "`$deps/BouncyCastle.Cryptography.dll", "`$deps/MimeKit.dll", "`$deps/MailKit.dll"
Import-Module '$env:MAILADMIN_TEST_MODULE/MailAdmin.psd1'
`$l = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0); `$l.Start(); `$port = `$l.LocalEndpoint.Port; `$l.Stop()
`$c = [pscredential]::new('a@b.test', (ConvertTo-SecureString 'x' -AsPlainText -Force))
`$r = Test-MailLogin 127.0.0.1 -Credential `$c -Protocol Imap -ImapPort `$port
`$id = try { Send-Mail -SmtpServer 127.0.0.1 -Port `$port -From a@b.test -To c@d.test -Subject x -Body y; 'sent' } catch { `$_.FullyQualifiedErrorId }
"`$(`$r.Accepted)|`$(`$r.Reason -ne `$null)|`$id"
"@
        $pwsh = Get-TestPwsh
        $out = & $pwsh[0] $pwsh[1..9] -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        $parts = ($out | Select-Object -Last 1) -split '\|'
        $parts[0] | Should -Be 'False'
        $parts[1] | Should -Be 'True'
        $parts[2] | Should -BeLike 'SmtpConnectionFailed*'
    }
}
