<#
.SYNOPSIS
    Writes MAML help for the MailAdmin cmdlets from their XML doc comments, and prints the cmdlet names.
.DESCRIPTION
    Run in a child pwsh by build.ps1 (the DLL is loaded here, not in the build's own process). Synopsis = <summary> of the
    cmdlet class, description = <remarks>, examples = <example><code/><para/></example>, parameter text = the property's
    <summary>. Syntax, types, positions and pipeline input come from the compiled cmdlets themselves.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleDll,
    [Parameter(Mandatory)] [string] $DocXml,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
$module = Import-Module $ModuleDll -PassThru
$doc = [xml](Get-Content $DocXml -Raw)
$members = @{}
foreach ($m in $doc.doc.members.member) { $members[$m.name] = $m }

function Text([System.Xml.XmlNode] $node) {
    if (-not $node) { return '' }
    (($node.InnerText -split "`n" | ForEach-Object { $_.Trim() }) -join ' ').Trim()
}
function CodeText([System.Xml.XmlNode] $node) {
    (($node.InnerText -split "`n" | ForEach-Object { $_.Trim() } | Where-Object { $_ }) -join "`n")
}
function Esc([string] $s) { [System.Security.SecurityElement]::Escape($s) }
function TypeName([type] $t) {
    $u = [Nullable]::GetUnderlyingType($t); if ($u) { $t = $u }
    if ($t -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $t.Name
}

$common = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name +
          [System.Management.Automation.Internal.ShouldProcessParameters].GetProperties().Name
$sb = [System.Text.StringBuilder]::new()
[void]$sb.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
[void]$sb.AppendLine('<helpItems schema="maml" xmlns="http://msh">')
$names = @()
foreach ($cmd in Get-Command -Module $module.Name -CommandType Cmdlet | Where-Object { $_.ImplementingType.Assembly.GetName().Name -eq "MailAdmin.PowerShell" } | Sort-Object Name) {
    $type = $cmd.ImplementingType
    $tdoc = $members["T:$($type.FullName)"]
    if (-not $tdoc -or -not $tdoc.SelectSingleNode('summary')) { throw "$($cmd.Name) has no <summary> doc comment" }
    $examples = @($tdoc.SelectNodes('example'))
    if ($examples.Count -lt 2) { throw "$($cmd.Name) has fewer than two <example> doc comments" }
    $names += $cmd.Name
    $paramDoc = {
        param($name)
        $prop = $type.GetProperty($name)
        if (-not $prop) { return '' }
        $m = $members["P:$($prop.DeclaringType.FullName).$name"]; if ($m) { Text $m.SelectSingleNode('summary') } else { '' }
    }
    $paramXml = {
        param($p, [bool] $inSet)
        $attr = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
        $pipe = @(); if ($attr.ValueFromPipeline) { $pipe += 'ByValue' }; if ($attr.ValueFromPipelineByPropertyName) { $pipe += 'ByPropertyName' }
        $pipeText = if ($pipe) { "True ($($pipe -join ', '))" } else { 'False' }
        $pos = if ($attr.Position -ge 0) { $attr.Position } else { 'named' }
        $aliases = if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }
        $glob = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        $tn = TypeName $p.ParameterType
        @"
      <command:parameter required="$($attr.Mandatory.ToString().ToLower())" variableLength="$($p.ParameterType.IsArray.ToString().ToLower())" globbing="$($glob.ToString().ToLower())" pipelineInput="$pipeText" position="$pos" aliases="$(Esc $aliases)">
        <maml:name>$($p.Name)</maml:name>
        <maml:description><maml:para>$(Esc (& $paramDoc $p.Name))</maml:para></maml:description>
        <command:parameterValue required="true" variableLength="$($p.ParameterType.IsArray.ToString().ToLower())">$tn</command:parameterValue>
        <dev:type><maml:name>$(Esc $p.ParameterType.FullName)</maml:name></dev:type>
      </command:parameter>
"@
    }
    [void]$sb.AppendLine('<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')
    [void]$sb.AppendLine("  <command:details><command:name>$($cmd.Name)</command:name><command:verb>$($cmd.Verb)</command:verb><command:noun>$($cmd.Noun)</command:noun>")
    [void]$sb.AppendLine("    <maml:description><maml:para>$(Esc (Text $tdoc.SelectSingleNode('summary')))</maml:para></maml:description></command:details>")
    [void]$sb.AppendLine("  <maml:description><maml:para>$(Esc (Text $tdoc.SelectSingleNode('remarks')))</maml:para></maml:description>")
    [void]$sb.AppendLine('  <command:syntax>')
    foreach ($set in $cmd.ParameterSets) {
        [void]$sb.AppendLine("    <command:syntaxItem><maml:name>$($cmd.Name)</maml:name>")
        foreach ($sp in $set.Parameters | Where-Object Name -notin $common) {
            $p = $cmd.Parameters[$sp.Name]
            [void]$sb.Append((& $paramXml $p $true))
        }
        [void]$sb.AppendLine('    </command:syntaxItem>')
    }
    [void]$sb.AppendLine('  </command:syntax>')
    [void]$sb.AppendLine('  <command:parameters>')
    foreach ($p in $cmd.Parameters.Values | Where-Object Name -notin $common) { [void]$sb.Append((& $paramXml $p $false)) }
    [void]$sb.AppendLine('  </command:parameters>')
    [void]$sb.AppendLine('  <command:returnValues>')
    foreach ($o in $cmd.OutputType) { [void]$sb.AppendLine("    <command:returnValue><dev:type><maml:name>$(Esc $o.Name)</maml:name></dev:type></command:returnValue>") }
    [void]$sb.AppendLine('  </command:returnValues>')
    [void]$sb.AppendLine('  <command:examples>')
    $i = 0
    foreach ($ex in $examples) {
        $i++
        [void]$sb.AppendLine("    <command:example><maml:title>-------------------------- Example $i --------------------------</maml:title>")
        [void]$sb.AppendLine("      <dev:code>$(Esc (CodeText $ex.SelectSingleNode('code')))</dev:code>")
        [void]$sb.AppendLine("      <dev:remarks><maml:para>$(Esc (Text $ex.SelectSingleNode('para')))</maml:para></dev:remarks></command:example>")
    }
    [void]$sb.AppendLine('  </command:examples>')
    [void]$sb.AppendLine('  <command:relatedLinks><maml:navigationLink><maml:linkText>about_MailAdmin</maml:linkText><maml:uri></maml:uri></maml:navigationLink></command:relatedLinks>')
    [void]$sb.AppendLine('</command:command>')
}
[void]$sb.AppendLine('</helpItems>')
[System.IO.File]::WriteAllText($OutFile, $sb.ToString(), [System.Text.UTF8Encoding]::new($false))
$names
