# Dot-sourced by every suite: imports the laid-out module and opens a fresh Local store in $TestDrive.
function Initialize-MailAdminTest {
    param([string] $Name = 'store')
    Import-Module (Join-Path $env:MAILADMIN_TEST_MODULE 'MailAdmin.psd1') -Force
    Get-MailConnection | Disconnect-MailProvider
    $path = Join-Path $TestDrive "$Name-$([guid]::NewGuid().ToString('n').Substring(0,6)).db"
    $conn = Connect-MailProvider -Path $path -PassThru
    # The cheapest bcrypt cost keeps suites fast; the default cost is asserted in Mailbox.Tests.
    Set-MailSecurityPolicy -PasswordHashCost 4
    $conn
}

function Get-TestPwsh {
    # The pwsh running the tests, started the same way (dotnet pwsh.dll for the local tool).
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if ((Split-Path ([Environment]::ProcessPath) -Leaf) -like 'dotnet*' -and (Test-Path $dll)) { @([Environment]::ProcessPath, $dll) }
    else { @([Environment]::ProcessPath) }
}

function Start-TestPwsh {
    # Starts a separate pwsh process running $Command (passed encoded, so no quoting is lost on the way).
    param([Parameter(Mandatory)] [string] $Command)
    $pwsh = Get-TestPwsh
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes("`$ProgressPreference = 'SilentlyContinue'; " + $Command))
    Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) -PassThru
}
