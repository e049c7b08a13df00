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

function Get-TestPwshArguments {
    # what comes before pwsh's own arguments: pwsh.dll when it runs as 'dotnet pwsh.dll', nothing for a pwsh executable
    $pwsh = @(Get-TestPwsh)
    if ($pwsh.Count -gt 1) { $pwsh[1..($pwsh.Count - 1)] }
}

function Start-TestPwsh {
    # Starts a separate pwsh process running $Command (passed encoded, so no quoting is lost on the way).
    param([Parameter(Mandatory)] [string] $Command)
    $pwsh = Get-TestPwsh
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes("`$ProgressPreference = 'SilentlyContinue'; " + $Command))
    Start-Process -FilePath $pwsh[0] -ArgumentList (@(Get-TestPwshArguments) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) -PassThru
}

function New-TestCertificateAuthority([string] $Name = 'MailAdmin Test CA') {
    # A throw-away CA for the tests' TLS servers; pass it to -TrustedCertificate.
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    $req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$Name", $key, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $req.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $req.CreateSelfSigned([datetimeoffset]::Now.AddDays(-1), [datetimeoffset]::Now.AddDays(30))
}

function New-TestServerCertificate($Ca, [string[]] $Names, [int] $Days = 29) {
    # A server certificate for $Names signed by $Ca; .ChainPem (leaf + CA) and .KeyPem for a server's files.
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    $req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$($Names[0])", $key, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
    foreach ($n in $Names) { $san.AddDnsName($n) }
    $req.CertificateExtensions.Add($san.Build())
    $serial = [byte[]]::new(8); [System.Security.Cryptography.RandomNumberGenerator]::Fill($serial)
    $cert = $req.Create($Ca, [datetimeoffset]::Now.AddDays(-1), [datetimeoffset]::Now.AddDays($Days), $serial)
    [pscustomobject]@{ Certificate = $cert; ChainPem = $cert.ExportCertificatePem() + "`n" + $Ca.ExportCertificatePem(); KeyPem = $key.ExportPkcs8PrivateKeyPem() }
}

function Get-TrustAnchor($Ca) { [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Ca.Export('Cert')) }

function New-TestMarkCertificate($Ca, [string[]] $Names, [string] $Svg, [switch] $NoBimiUsage) {
    # A BIMI mark certificate (VMC-like) signed by $Ca: SAN $Names, the BIMI key usage (1.3.6.1.5.5.7.3.31) and a
    # logotype extension (1.3.6.1.5.5.7.1.12) holding $Svg as a gzip-compressed data: URI. Returns the PEM chain.
    $key = [System.Security.Cryptography.RSA]::Create(2048)
    $req = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$($Names[0]) mark, O=MailAdmin Tests", $key, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $san = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
    foreach ($n in $Names) { $san.AddDnsName($n) }
    $req.CertificateExtensions.Add($san.Build())
    $usage = [System.Security.Cryptography.OidCollection]::new()
    $usage.Add([System.Security.Cryptography.Oid]::new($(if ($NoBimiUsage) { '1.3.6.1.5.5.7.3.1' } else { '1.3.6.1.5.5.7.3.31' }))) | Out-Null
    $req.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($usage, $false))
    $ms = [System.IO.MemoryStream]::new()
    $gz = [System.IO.Compression.GZipStream]::new($ms, [System.IO.Compression.CompressionLevel]::Optimal, $true)
    $bytes = [System.Text.Encoding]::UTF8.GetBytes($Svg); $gz.Write($bytes, 0, $bytes.Length); $gz.Dispose()
    $w = [System.Formats.Asn1.AsnWriter]::new([System.Formats.Asn1.AsnEncodingRules]::DER)
    $w.PushSequence() | Out-Null
    $w.WriteCharacterString([System.Formats.Asn1.UniversalTagNumber]::IA5String, 'data:image/svg+xml;base64,' + [Convert]::ToBase64String($ms.ToArray()))
    $w.PopSequence()
    $req.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509Extension]::new('1.3.6.1.5.5.7.1.12', $w.Encode(), $false))
    $serial = [byte[]]::new(8); [System.Security.Cryptography.RandomNumberGenerator]::Fill($serial)
    $cert = $req.Create($Ca, [datetimeoffset]::Now.AddDays(-1), [datetimeoffset]::Now.AddDays(25), $serial)
    $cert.ExportCertificatePem() + "`n" + $Ca.ExportCertificatePem()
}
