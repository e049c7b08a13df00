#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, demonstrates and packages the MailAdmin module.
.DESCRIPTION
    build    lays out out/MailAdmin: manifest (every cmdlet listed), formats, types, MAML help, deps/ with native SQLite.
    test     build, then xunit, then Pester in a fresh pwsh; ends with one line 'N passed, N failed, N skipped'.
    demo     build, then runs examples/quickstart.ps1 against a new Local store in a temp folder.
    package  build, then out/packages/MailAdmin.VERSION.nupkg that Install-PSResource can install.
    clean    removes out/ and the bin/obj folders.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'demo', 'package', 'clean')]
    [string] $Task = 'build',
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleDir = Join-Path $out 'MailAdmin'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

# A fresh pwsh like the one running this script (the dotnet tool runs as 'dotnet pwsh.dll').
function Invoke-Pwsh {
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if ((Split-Path ([Environment]::ProcessPath) -Leaf) -like 'dotnet*' -and (Test-Path $dll)) { & ([Environment]::ProcessPath) $dll @args }
    else { & ([Environment]::ProcessPath) @args }
}

function Invoke-Native([string] $what, [scriptblock] $command) {
    & $command
    if ($LASTEXITCODE -ne 0) { throw "$what failed with exit code $LASTEXITCODE" }
}

function Get-ModuleVersion {
    ([xml](Get-Content (Join-Path $root 'Directory.Build.props') -Raw)).Project.PropertyGroup.Version | Select-Object -First 1
}

function Get-NuGetPackageRoot {
    $line = dotnet nuget locals global-packages --list | Select-Object -First 1
    ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-Build {
    $publish = Join-Path $out 'publish'
    Remove-Item $publish, $moduleDir -Recurse -Force -ErrorAction Ignore
    Invoke-Native 'dotnet publish (cmdlets)' { dotnet publish (Join-Path $root 'src/MailAdmin.PowerShell') -c $Configuration -o (Join-Path $publish 'ps') --nologo -v q }
    Invoke-Native 'dotnet publish (loader)' { dotnet publish (Join-Path $root 'src/MailAdmin.Isolation') -c $Configuration -o (Join-Path $publish 'iso') --nologo -v q }

    $deps = Join-Path $moduleDir 'deps'
    New-Item -ItemType Directory -Force -Path $deps, (Join-Path $moduleDir 'en-US') | Out-Null
    # The root holds only what PowerShell loads itself; everything else goes to deps/ and loads in MailAdmin's own context.
    Copy-Item (Join-Path $publish 'ps/MailAdmin.PowerShell.dll') $moduleDir
    Copy-Item (Join-Path $publish 'iso/MailAdmin.Isolation.dll') $moduleDir
    Get-ChildItem (Join-Path $publish 'ps') -Filter *.dll |
        Where-Object Name -notin 'MailAdmin.PowerShell.dll', 'System.Management.Automation.dll' |
        Copy-Item -Destination $deps

    # Native SQLite for each platform, chosen at load time by the loader (PITFALLS 1).
    $depsJson = Get-Content (Join-Path $publish 'ps/MailAdmin.PowerShell.deps.json') -Raw | ConvertFrom-Json
    $lib = $depsJson.libraries.PSObject.Properties.Name | Where-Object { $_ -like 'SQLitePCLRaw.lib.e_sqlite3/*' } | Select-Object -First 1
    if (-not $lib) { throw 'SQLitePCLRaw.lib.e_sqlite3 is not among the dependencies' }
    $nativeRoot = Join-Path (Get-NuGetPackageRoot) ($depsJson.libraries.$lib.path) 'runtimes'
    foreach ($rid in 'linux-x64', 'linux-arm64', 'linux-musl-x64', 'linux-musl-arm64', 'osx-x64', 'osx-arm64', 'win-x64', 'win-x86', 'win-arm64') {
        $src = Join-Path $nativeRoot "$rid/native"
        if (Test-Path $src) {
            $dst = Join-Path $deps "runtimes/$rid/native"
            New-Item -ItemType Directory -Force -Path $dst | Out-Null
            Copy-Item (Join-Path $src '*') $dst
        }
    }

    Copy-Item (Join-Path $root 'module/MailAdmin.Format.ps1xml'), (Join-Path $root 'module/MailAdmin.Types.ps1xml') $moduleDir
    Copy-Item (Join-Path $root 'module/en-US/*') (Join-Path $moduleDir 'en-US')
    Copy-Item (Join-Path $root 'module/templates') $moduleDir -Recurse

    # MAML help from the XML doc comments; the cmdlet list from the compiled module itself (in a child process, so the DLL stays unloaded here).
    $helpFile = Join-Path $moduleDir 'en-US/MailAdmin.PowerShell.dll-Help.xml'
    $manifest = Join-Path $moduleDir 'MailAdmin.psd1'
    $template = Get-Content (Join-Path $root 'module/MailAdmin.psd1.template') -Raw
    $template.Replace('{{ModuleVersion}}', (Get-ModuleVersion)).Replace('{{CmdletsToExport}}', "'*'") | Set-Content $manifest -Encoding utf8
    $names = Invoke-Pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tools/New-MailAdminHelp.ps1') `
        -ModuleDll $manifest -DocXml (Join-Path $publish 'ps/MailAdmin.PowerShell.xml') -OutFile $helpFile
    if ($LASTEXITCODE -ne 0 -or -not $names) { throw 'help generation failed' }
    $list = ($names | Sort-Object | ForEach-Object { "'$_'" }) -join ",`n        "
    $template.
        Replace('{{ModuleVersion}}', (Get-ModuleVersion)).
        Replace('{{CmdletsToExport}}', "`n        $list`n    ") | Set-Content $manifest -Encoding utf8
    Remove-Item $publish -Recurse -Force
    Write-Host "Built $moduleDir ($(@($names).Count) cmdlets)."
}

function Get-Pester {
    $proj = Join-Path $root 'tests/tools/tools.proj'
    Invoke-Native 'restore of test tools' { dotnet restore $proj --nologo -v q }
    $pester = Join-Path (Get-NuGetPackageRoot) 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { $pester = Join-Path (Get-NuGetPackageRoot) 'pester/5.7.1/Pester.psd1' }
    if (-not (Test-Path $pester)) { throw "Pester 5.7.1 was not restored ($pester)" }
    $pester
}

function Invoke-Test {
    Invoke-Package
    $results = Join-Path $out 'test-results'
    Remove-Item $results -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Force -Path $results | Out-Null
    $passed = 0; $failed = 0; $skipped = 0

    # PostgreSQL (the Local store's second database) is started once for the whole run and shared by xunit and Pester
    Import-Module (Join-Path $root 'tests/integration/Postgres.psm1') -Force
    $postgres = Start-TestPostgres
    $env:MAILADMIN_TEST_PG = $postgres.Server
    try {
        Invoke-TestSuites $results ([ref]$passed) ([ref]$failed) ([ref]$skipped)
    }
    finally {
        Stop-TestPostgres $postgres
        Remove-Item Env:MAILADMIN_TEST_PG -ErrorAction Ignore
    }

    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-TestSuites([string] $results, [ref] $passedRef, [ref] $failedRef, [ref] $skippedRef) {
    $passed = 0; $failed = 0; $skipped = 0

    # 1. xunit
    foreach ($proj in Get-ChildItem (Join-Path $root 'tests') -Recurse -Filter '*.Tests.csproj') {
        $trx = "$($proj.BaseName).trx"
        dotnet test $proj.FullName -c $Configuration --nologo -v q --logger "trx;LogFileName=$trx" --results-directory $results | Out-Host
        $file = Join-Path $results $trx
        if (Test-Path $file) {
            $c = ([xml](Get-Content $file -Raw)).TestRun.ResultSummary.Counters
            $passed += [int]$c.passed; $failed += [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
            $skipped += [int]$c.notExecuted
            Write-Host "xunit $($proj.BaseName): $($c.passed) passed, $($c.failed) failed, $($c.notExecuted) skipped"
        }
        else { $failed++; Write-Host "xunit $($proj.BaseName): no results (build or run failed)" }
    }

    # 2. Pester, in a fresh pwsh that imports the laid-out module (the remote-API emulators are built first)
    foreach ($emulator in 'ExmailEmulator', 'AlimailEmulator', 'DnsHostEmulator', 'WeComEmulator') {
        Invoke-Native "dotnet build ($emulator)" { dotnet build (Join-Path $root "tests/emulators/$emulator") -c Release --nologo -v q }
    }
    $pester = Get-Pester
    $summary = Join-Path $results 'pester.json'
    Invoke-Pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tests/Invoke-PesterSuite.ps1') -PesterPath $pester -ModulePath $moduleDir -Summary $summary -Packages (Join-Path $out 'packages')
    if (Test-Path $summary) {
        $p = Get-Content $summary -Raw | ConvertFrom-Json
        $passed += $p.Passed; $failed += $p.Failed; $skipped += $p.Skipped
        Write-Host "Pester: $($p.Passed) passed, $($p.Failed) failed, $($p.Skipped) skipped"
    }
    else { $failed++; Write-Host 'Pester: no results' }
    $passedRef.Value = $passed; $failedRef.Value = $failed; $skippedRef.Value = $skipped
}

function Invoke-Demo {
    Invoke-Build
    $tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("mailadmin-demo-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory -Path $tmp | Out-Null
    try {
        Invoke-Pwsh -NoProfile -NonInteractive -File (Join-Path $root 'examples/quickstart.ps1') -ModulePath $moduleDir -StorePath (Join-Path $tmp 'company.db') -WorkFolder $tmp
        if ($LASTEXITCODE -ne 0) { throw "the quickstart failed with exit code $LASTEXITCODE" }
    }
    finally { Remove-Item $tmp -Recurse -Force -ErrorAction Ignore }
}

function Invoke-Package {
    Invoke-Build
    $version = Get-ModuleVersion
    $pkgDir = Join-Path $out 'packages'
    New-Item -ItemType Directory -Force -Path $pkgDir | Out-Null
    $cmdlets = (Import-PowerShellDataFile (Join-Path $moduleDir 'MailAdmin.psd1')).CmdletsToExport
    $tags = @('PSModule', 'PSIncludes_Cmdlet', 'Mail', 'Postfix', 'Dovecot') + ($cmdlets | ForEach-Object { "PSCmdlet_$_", "PSCommand_$_" })
    $nuspec = Join-Path $out 'MailAdmin.nuspec'
    @"
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>MailAdmin</id>
    <version>$version</version>
    <authors>MailAdmin</authors>
    <description>Run an organisation's email from PowerShell: domains, mailboxes, groups, permissions and security on Postfix + Dovecot and hosted providers.</description>
    <license type="expression">MIT</license>
    <tags>$($tags -join ' ')</tags>
  </metadata>
  <files>
    <file src="MailAdmin/**" target="" />
  </files>
</package>
"@ | Set-Content $nuspec -Encoding utf8
    Invoke-Native 'dotnet pack' { dotnet pack (Join-Path $root 'tools/MailAdmin.Package.csproj') -o $pkgDir --nologo -v q "-p:NuspecFile=$nuspec" "-p:NuspecBasePath=$out" }
    Write-Host "Package: $(Join-Path $pkgDir "MailAdmin.$version.nupkg")"
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' { Invoke-Test }
    'demo' { Invoke-Demo }
    'package' { Invoke-Package }
    'clean' {
        Remove-Item $out -Recurse -Force -ErrorAction Ignore
        Get-ChildItem $root -Recurse -Directory -Include bin, obj | Remove-Item -Recurse -Force -ErrorAction Ignore
    }
}
