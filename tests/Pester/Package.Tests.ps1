BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'The .nupkg from build.ps1 package' {
    It 'installs with PSResourceGet from a local repository and works' {
        $env:MAILADMIN_TEST_PACKAGES | Should -Not -BeNullOrEmpty -Because 'build.ps1 test packs the module first'
        $version = (Import-PowerShellDataFile (Join-Path $env:MAILADMIN_TEST_MODULE 'MailAdmin.psd1')).ModuleVersion
        Join-Path $env:MAILADMIN_TEST_PACKAGES "MailAdmin.$version.nupkg" | Should -Exist
        $repo = 'MailAdminTest' + [guid]::NewGuid().ToString('n').Substring(0, 6)
        $dest = Join-Path $TestDrive 'modules'
        New-Item -ItemType Directory $dest | Out-Null
        Register-PSResourceRepository -Name $repo -Uri $env:MAILADMIN_TEST_PACKAGES -Trusted
        try {
            $found = Find-PSResource -Name MailAdmin -Repository $repo
            $found.Version.ToString() | Should -Be $version
            $found.Includes.Cmdlet | Should -Contain 'New-Mailbox'
            Save-PSResource -Name MailAdmin -Repository $repo -Path $dest -TrustRepository
        }
        finally { Unregister-PSResourceRepository -Name $repo }
        $psd1 = Join-Path $dest "MailAdmin/$version/MailAdmin.psd1"
        $psd1 | Should -Exist
        $out = & (Get-TestPwsh)[0] @(Get-TestPwshArguments) -NoProfile -NonInteractive -Command "`$env:MAILADMIN_STORE = '$TestDrive/pkg.db'; Import-Module '$psd1'; (Get-Command -Module MailAdmin).Count; (Add-MailDomain pkg.example -PassThru).Name"
        $LASTEXITCODE | Should -Be 0
        [int]$out[0] | Should -Be (Import-PowerShellDataFile $psd1).CmdletsToExport.Count
        $out[1] | Should -Be 'pkg.example'
    }
}
