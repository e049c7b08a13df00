<#
.SYNOPSIS
    The README's quickstart, run for real against a new Local store (build.ps1 demo runs it).
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/MailAdmin'),
    [string] $StorePath = (Join-Path ([System.IO.Path]::GetTempPath()) 'mailadmin-quickstart.db'),
    [string] $WorkFolder = ([System.IO.Path]::GetTempPath())
)
$ErrorActionPreference = 'Stop'
function Step([string] $text) { Write-Host "`n>>> $text" -ForegroundColor Cyan }

Import-Module (Join-Path $ModulePath 'MailAdmin.psd1')

Step 'Connect-MailProvider -Path company.db        # the embedded Local provider (SQLite, read by Postfix and Dovecot)'
Connect-MailProvider -Path $StorePath -PassThru | Format-Table Id, ProviderName, Target -AutoSize

Step 'Add-MailDomain contoso.com; Get-MailDomainDnsRecord contoso.com | Where-Object Required'
Add-MailDomain contoso.com | Format-Table Name, Status, MailHost -AutoSize
Get-MailDomainDnsRecord contoso.com | Where-Object Required | Format-Table Purpose, Type, Name, Priority, Value -AutoSize

Step 'Import-Csv staff.csv | New-Mailbox            # an HR export; one row is bad on purpose'
$csv = Join-Path $WorkFolder 'staff.csv'
@'
Address,DisplayName,Department,JobTitle,Mobile,Password
li.lei@contoso.com,李雷,Sales,Sales manager,+86 138 0000 0001,Li-Lei-2026!
han.meimei@contoso.com,韩梅梅,Sales,Account manager,+86 138 0000 0002,Han-Meimei-2026!
zhang.wei@contoso.com,张伟,IT,Administrator,+86 138 0000 0003,Zhang-Wei-2026!
wang.fang@contoso,王芳,Finance,Accountant,+86 138 0000 0004,Wang-Fang-2026!
'@ | Set-Content $csv -Encoding utf8
Import-Csv $csv | New-Mailbox -ErrorVariable rejected -ErrorAction SilentlyContinue | Format-Table
$rejected | ForEach-Object { Write-Host "rejected row: $($_.TargetObject.Address): $($_.Exception.Message)" -ForegroundColor Yellow }

Step 'Run it again: nothing is created twice'
Import-Csv $csv | New-Mailbox -SkipExisting -ErrorAction SilentlyContinue | Measure-Object | Format-Table Count

Step 'Roles, rights and switches'
Set-MailPermission zhang.wei@contoso.com -Role Admin
Set-MailPermission li.lei@contoso.com -Trustee han.meimei@contoso.com -AccessRights FullAccess, SendAs
Get-Mailbox -Department Sales | Set-MailboxSetting -PopEnabled $false
Get-MailPermission li.lei@contoso.com | Format-Table
Get-Mailbox -Department Sales | Get-MailboxSetting | Format-Table

Step 'A group, and who may write to it'
New-MailGroup sales@contoso.com -DisplayName 'Sales team' -Members (Get-Mailbox -Department Sales | ForEach-Object Address) -WhoCanSend Organization | Format-Table

Step 'Rules, an auto-reply and the security policy'
New-MailRule li.lei@contoso.com 'Invoices' -From billing@supplier.example -SubjectContains invoice -MoveToFolder Finance/Invoices | Format-Table
Set-MailAutoReply han.meimei@contoso.com -Enabled $true -Subject 'Away' -Body 'Back on Monday.' -PassThru | Format-Table
Set-MailSecurityPolicy -MinPasswordLength 10 -PasswordMaxAgeDays 180 -SpamFilterLevel High
Get-MailSecurityReport -SkipDns | Format-Table

Step 'A new password, shown once'
$cred = Reset-MailboxPassword han.meimei@contoso.com
"New password for $($cred.UserName): $($cred.GetNetworkCredential().Password.Substring(0, 4))... (hand it over; it is stored only as a bcrypt hash)"

Step 'Objects pipe into the rest of PowerShell'
Get-Mailbox | Select-Object Address, DisplayName, Department, Role | ConvertTo-Json -EnumsAsStrings
