function Get-Median([double[]] $values) {
    $s = $values | Sort-Object
    if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 }
}
function Get-PwshCommand {
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if ((Split-Path ([Environment]::ProcessPath) -Leaf) -like 'dotnet*' -and (Test-Path $dll)) { @([Environment]::ProcessPath, $dll) } else { @([Environment]::ProcessPath) }
}
$ModulePath = (Resolve-Path (Join-Path $PSScriptRoot '../out/MailAdmin')).Path
