# Publishing a mail domain's records to a DNS host: PowerDNS Authoritative with its HTTP API, started here on loopback,
# then Test-MailDomain and Wait-MailDnsPropagation against the same server.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    Import-Module (Join-Path $PSScriptRoot '../integration/PowerDnsApi.psm1') -Force
    $conn = Initialize-MailAdminTest -Name dnshost
    # the server outlives every Describe block below, so its folder is not under $TestDrive
    $pdnsFolder = Join-Path ([System.IO.Path]::GetTempPath()) ('mailadmin-pdnsapi-' + [guid]::NewGuid().ToString('n'))
    $dns = Start-TestPowerDnsApi -Folder $pdnsFolder
    $key = ConvertTo-SecureString $dns.ApiKey -AsPlainText -Force

    Add-MailDomain pub.test -MailHost mx1.pub.test | Out-Null
    # the zone exists at the host with the mail host's address, an SPF record of its own and an unrelated TXT record
    New-TestPowerDnsZone $dns 'pub.test' @('mx1 A 300 11.22.33.10', '@ TXT 300 "v=spf1 ip4:192.0.2.1 ~all"', '@ TXT 300 "site-verification=abc"', 'www A 300 192.0.2.80')
    New-TestPowerDnsZone $dns 'conflict.test' @('_dmarc CNAME 300 dmarc.vendor.example.', '@ TXT 300 "v=spf1 a -all"', '@ TXT 300 "v=spf1 mx -all"')
    New-TestPowerDnsZone $dns 'bad.test' @()
    function Api([string] $zone) { (Invoke-RestMethod "$($dns.ApiUri)/api/v1/servers/localhost/zones/$zone." -Headers @{ 'X-API-Key' = $dns.ApiKey }).rrsets }
}

AfterAll {
    if ($dns) { Stop-TestPowerDnsApi $dns }
    if ($pdnsFolder) { Remove-Item $pdnsFolder -Recurse -Force -ErrorAction Ignore }
}

Describe 'Connect-MailDnsHost and Get-MailDnsRecord' {
    It 'connects with a SecureString key that it never shows, and reads a zone as objects' {
        $c = Connect-MailDnsHost -Provider PowerDns -ApiBaseUri $dns.ApiUri -ApiKey $key -PassThru
        $c.Provider | Should -Be 'PowerDns'
        $c.IsDefault | Should -BeTrue
        ($c | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($dns.ApiKey))
        $records = Get-MailDnsRecord pub.test
        $spf = $records | Where-Object { $_.Type -eq 'TXT' -and $_.Value -like 'v=spf1*' }
        $spf.Value | Should -Be 'v=spf1 ip4:192.0.2.1 ~all'
        $spf.Name | Should -Be 'pub.test'
        $spf.Id | Should -Be '"v=spf1 ip4:192.0.2.1 ~all"'
        (Get-MailDnsRecord pub.test -Type A -Name 'mx*').Value | Should -Be '11.22.33.10'
    }

    It 'keeps the key out of -Debug, which shows the requests' {
        $debug = Get-MailDnsRecord pub.test -Debug 5>&1 4>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        ($debug.Message -join "`n") | Should -Match 'GET http://127.0.0.1'
        ($debug.Message -join "`n") | Should -Not -Match ([regex]::Escape($dns.ApiKey))
    }

    It 'names a zone the account does not host, and refuses a wrong key' {
        Get-MailDnsRecord nosuch.test -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike 'DnsZoneNotFound*'
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e[0].TargetObject | Should -Be 'nosuch.test'
        $wrong = Connect-MailDnsHost -Provider PowerDns -ApiBaseUri $dns.ApiUri -ApiKey (ConvertTo-SecureString 'wrong' -AsPlainText -Force) -PassThru
        Connect-MailDnsHost -Provider PowerDns -ApiBaseUri $dns.ApiUri -ApiKey $key   # the default again
        { Get-MailDnsRecord pub.test -DnsHost $wrong -ErrorAction Stop } | Should -Throw -ErrorId 'DnsHostAuthenticationFailed*'
    }
}

Describe 'Publish-MailDnsRecord to PowerDNS' {
    It 'fails Test-MailDomain before publishing' {
        $before = Get-MailDomain pub.test | Test-MailDomain -Server $dns.Server -SkipMtaStsPolicy
        $before.Failures | Should -BeGreaterThan 0
    }

    It '-WhatIf shows adds, the SPF merge and nothing else, and changes nothing' {
        $before = (Get-MailDnsRecord pub.test).Count
        $plan = Get-MailDomainDnsRecord pub.test | Publish-MailDnsRecord -WhatIf
        ($plan | Where-Object Type -eq MX).Action | Should -Be 'Add'
        $spf = $plan | Where-Object { $_.Type -eq 'TXT' -and $_.Name -eq 'pub.test' }
        $spf.Action | Should -Be 'Update'
        $spf.Value | Should -Be 'v=spf1 ip4:192.0.2.1 mx ~all'
        $spf.OldValue | Should -Be 'v=spf1 ip4:192.0.2.1 ~all'
        ($plan | Where-Object Name -like '*._domainkey.pub.test').Action | Should -Be 'Add'
        ($plan | Where-Object Name -eq '_dmarc.pub.test').Action | Should -Be 'Add'
        $plan.Count | Should -Be 4   # required only; MTA-STS, TLS-RPT and SRV need -IncludeOptional
        (Get-MailDnsRecord pub.test).Count | Should -Be $before
        ($plan | Format-Table | Out-String) | Should -Match 'Action'
    }

    It 'publishes, after which Test-MailDomain passes against the same server' {
        $done = Get-MailDomainDnsRecord pub.test | Publish-MailDnsRecord -Confirm:$false
        @($done | Where-Object Status -eq 'Applied').Count | Should -Be 4
        $txt = Get-MailDnsRecord pub.test -Type TXT -Name pub.test
        @($txt | Where-Object Value -like 'v=spf1*').Count | Should -Be 1
        $txt.Value | Should -Contain 'site-verification=abc'
        (Get-MailDnsRecord pub.test -Type A -Name www.pub.test).Value | Should -Be '192.0.2.80'
        # the 2048-bit DKIM key is stored as quoted strings of at most 255 octets
        $dkim = (Api 'pub.test') | Where-Object { $_.name -like '*._domainkey.pub.test.' }
        $content = $dkim.records[0].content
        $content | Should -Match '^"v=DKIM1; k=rsa; p=[^"]+" "[^"]+"'
        ([regex]::Matches($content, '"([^"]*)"') | ForEach-Object { $_.Groups[1].Value.Length } | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 255
        (Get-MailDnsRecord pub.test -Name $dkim.name).Value | Should -Be ((Get-MailDomainDnsRecord pub.test | Where-Object Purpose -eq Dkim).Value)

        $r = Get-MailDomain pub.test | Test-MailDomain -Server $dns.Server -SkipMtaStsPolicy
        $r.Failures | Should -Be 0 -Because ($r.Problems -join "`n")
        @($r.Checks | Where-Object { $_.Id -eq 'ProviderRecords' -and $_.Status -eq 'Pass' }).Count | Should -BeGreaterOrEqual 4
    }

    It 'changes nothing when run again, with one API call' {
        $host0 = Connect-MailDnsHost -Provider PowerDns -ApiBaseUri $dns.ApiUri -ApiKey $key -PassThru
        $again = Get-MailDomainDnsRecord pub.test | Publish-MailDnsRecord -DnsHost $host0 -Confirm:$false
        $again.Count | Should -Be 4
        $again | ForEach-Object { $_.Action | Should -Be 'Unchanged' }
        $host0.Requests | Should -Be 1
    }

    It 'publishes the optional records with -IncludeOptional' {
        $opt = Get-MailDomainDnsRecord pub.test | Publish-MailDnsRecord -IncludeOptional -Confirm:$false
        ($opt | Where-Object Name -eq '_imaps._tcp.pub.test').Status | Should -Be 'Applied'
        (Get-MailDnsRecord pub.test -Type SRV -Name '_imaps._tcp.pub.test') | ForEach-Object { "$($_.Priority) $($_.Value)" } | Should -Be '0 1 993 mx1.pub.test'
        (Get-MailDnsRecord pub.test -Type CNAME).Value | Should -Be 'mx1.pub.test'
    }

    It 'refuses a CNAME where a TXT is needed, naming it, and turns two SPF records into one' {
        $req = @(
            [pscustomobject]@{ Zone = 'conflict.test'; Name = '_dmarc.conflict.test'; Type = 'TXT'; Value = 'v=DMARC1; p=none' }
            [pscustomobject]@{ Zone = 'conflict.test'; Name = 'conflict.test'; Type = 'TXT'; Value = 'v=spf1 mx -all' }
            [pscustomobject]@{ Zone = 'conflict.test'; Name = 'conflict.test'; Type = 'MX'; Value = 'mx.conflict.test'; Priority = 10 })
        $out = $req | Publish-MailDnsRecord -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e.Count | Should -Be 1
        $cname = $e | Where-Object { $_.FullyQualifiedErrorId -like 'DnsCnameConflict*' }
        $cname.Exception.Message | Should -Match '_dmarc.conflict.test holds a CNAME'
        $cname.TargetObject.Name | Should -Be '_dmarc.conflict.test'
        $cname.CategoryInfo.Category | Should -Be 'ResourceExists'
        ($out | Where-Object Type -eq MX).Status | Should -Be 'Applied'
        ($out | Where-Object { $_.Type -eq 'TXT' -and $_.Action -eq 'Update' }).Value | Should -Be 'v=spf1 a mx -all'
        ($out | Where-Object { $_.Type -eq 'TXT' -and $_.Action -eq 'Remove' }).Value | Should -Be 'v=spf1 mx -all'
        (Get-MailDnsRecord conflict.test -Type TXT).Value | Should -Be 'v=spf1 a mx -all'
        (Get-MailDnsRecord conflict.test -Type CNAME).Value | Should -Be 'dmarc.vendor.example'
    }

    It 'removes what a required name and type must not hold, shows it under -WhatIf, and a re-run changes nothing' {
        New-TestPowerDnsZone $dns 'move.test' @('@ MX 3600 10 mxbiz1.oldmail.example.', '@ MX 3600 20 mxbiz2.oldmail.example.',
            '@ TXT 3600 "v=spf1 include:spf.oldmail.example -all"', '@ TXT 3600 "google-site-verification=xyz"', '@ A 3600 192.0.2.7',
            'sel._domainkey TXT 3600 "v=DKIM1; p=STALE1"', 'sel._domainkey TXT 3600 "v=DKIM1; p=STALE2"', 'old._domainkey TXT 3600 "v=DKIM1; p=OTHER"',
            '_dmarc TXT 3600 "v=DMARC1; p=none"', '_dmarc TXT 3600 "v=DMARC1; p=reject"', 'www A 3600 192.0.2.80')
        $req = @(
            [pscustomobject]@{ Zone = 'move.test'; Name = 'move.test'; Type = 'MX'; Value = 'mx1.move.test'; Priority = 10 }
            [pscustomobject]@{ Zone = 'move.test'; Name = 'move.test'; Type = 'TXT'; Value = 'v=spf1 mx -all' }
            [pscustomobject]@{ Zone = 'move.test'; Name = 'sel._domainkey.move.test'; Type = 'TXT'; Value = 'v=DKIM1; k=rsa; p=NEWKEY' }
            [pscustomobject]@{ Zone = 'move.test'; Name = '_dmarc.move.test'; Type = 'TXT'; Value = 'v=DMARC1; p=quarantine' })
        $plan = $req | Publish-MailDnsRecord -WhatIf -Server $dns.Server
        ($plan | ForEach-Object { "$($_.Action) $($_.Name) $($_.Type) $($_.Value)" }) | Should -Be @(
            'Add move.test MX mx1.move.test', 'Update move.test TXT v=spf1 include:spf.oldmail.example mx -all',
            'Update sel._domainkey.move.test TXT v=DKIM1; k=rsa; p=NEWKEY', 'Update _dmarc.move.test TXT v=DMARC1; p=quarantine',
            'Remove move.test MX mxbiz1.oldmail.example', 'Remove move.test MX mxbiz2.oldmail.example',
            'Remove sel._domainkey.move.test TXT v=DKIM1; p=STALE2', 'Remove _dmarc.move.test TXT v=DMARC1; p=reject')
        ($plan | Format-Table | Out-String) | Should -Match 'Remove +Planned +move\.test +MX'
        @(Get-MailDnsRecord move.test -Type MX).Count | Should -Be 2   # -WhatIf changed nothing

        $done = $req | Publish-MailDnsRecord -Confirm:$false -Server $dns.Server
        @($done | Where-Object Status -eq Applied).Count | Should -Be 8
        (Get-MailDnsRecord move.test -Type MX) | ForEach-Object { "$($_.Priority) $($_.Value)" } | Should -Be '10 mx1.move.test'
        (Get-MailDnsRecord move.test -Type TXT -Name move.test).Value | Sort-Object | Should -Be @('google-site-verification=xyz', 'v=spf1 include:spf.oldmail.example mx -all')
        (Get-MailDnsRecord move.test -Name sel._domainkey.move.test).Value | Should -Be 'v=DKIM1; k=rsa; p=NEWKEY'
        (Get-MailDnsRecord move.test -Name old._domainkey.move.test).Value | Should -Be 'v=DKIM1; p=OTHER'
        (Get-MailDnsRecord move.test -Name _dmarc.move.test).Value | Should -Be 'v=DMARC1; p=quarantine'
        (Get-MailDnsRecord move.test -Type A | Where-Object Name -notlike 'ns?.*').Value | Sort-Object | Should -Be @('192.0.2.7', '192.0.2.80')

        $again = $req | Publish-MailDnsRecord -Confirm:$false -Server $dns.Server
        $again | ForEach-Object { $_.Action | Should -Be 'Unchanged' }
        $again.Count | Should -Be 4
        # the removed MX are gone from the name server, the new one is served
        $w = $done | Wait-MailDnsPropagation -NameServer $dns.Server -IntervalSec 1 -WaitSec 20
        $w.Propagated | Should -BeTrue
        ($w.Checks | Where-Object Expected -like 'absent: *').Count | Should -Be 4
    }

    It 'counts a TTL-only difference as a change' {
        $r = [pscustomobject]@{ Zone = 'move.test'; Name = '_dmarc.move.test'; Type = 'TXT'; Value = 'v=DMARC1; p=quarantine'; Ttl = 600 }
        $out = $r | Publish-MailDnsRecord -Confirm:$false
        $out.Action | Should -Be 'Update'
        $out.Reason | Should -Be 'TTL 3600 -> 600'
        ((Api 'move.test') | Where-Object name -eq '_dmarc.move.test.').ttl | Should -Be 600
        ($r | Publish-MailDnsRecord -Confirm:$false).Action | Should -Be 'Unchanged'
    }

    It 'refuses an SPF merge whose include chain passes 10 lookups, naming the count, and changes nothing' {
        New-TestPowerDnsZone $dns 'spfchain.test' @('@ TXT 3600 "v=spf1 include:_a.spfchain.test ~all"',
            '_a TXT 3600 "v=spf1 include:_b.spfchain.test include:_c.spfchain.test -all"',
            '_b TXT 3600 "v=spf1 a mx ptr exists:x.spfchain.test -all"',
            '_c TXT 3600 "v=spf1 a:one.spfchain.test a:two.spfchain.test mx:three.spfchain.test -all"')
        $r = [pscustomobject]@{ Zone = 'spfchain.test'; Name = 'spfchain.test'; Type = 'TXT'; Value = 'v=spf1 mx -all' }
        $out = $r | Publish-MailDnsRecord -Confirm:$false -Server $dns.Server -ErrorVariable e -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'SpfLookupLimit*'
        $e[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $e[0].Exception.Message | Should -Match 'spfchain.test: SPF would need 11 DNS lookups following include'
        $e[0].Exception.Message | Should -Match 'include:_a.spfchain.test = 10'
        (Get-MailDnsRecord spfchain.test -Type TXT -Name spfchain.test).Value | Should -Be 'v=spf1 include:_a.spfchain.test ~all'
    }

    It 'names a record the host refuses and still applies the good ones, so a re-run finishes' {
        $req = @(
            [pscustomobject]@{ Zone = 'bad.test'; Name = 'bad.test'; Type = 'MX'; Value = 'not a host name'; Priority = 10 }
            [pscustomobject]@{ Zone = 'bad.test'; Name = '_dmarc.bad.test'; Type = 'TXT'; Value = 'v=DMARC1; p=reject' })
        $out = $req | Publish-MailDnsRecord -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'DnsRecordRefused*'
        $e[0].TargetObject.Name | Should -Be 'bad.test'
        $e[0].Exception.Message | Should -Match 'bad.test MX'
        $out.Name | Should -Be '_dmarc.bad.test'
        (Get-MailDnsRecord bad.test -Type TXT).Value | Should -Be 'v=DMARC1; p=reject'
        @(Get-MailDnsRecord bad.test -Type MX).Count | Should -Be 0
    }
}

Describe 'Wait-MailDnsPropagation against the same server' {
    It 'sees every published record on the named server, per record and server, and passes the domain on' {
        $r = Get-MailDomainDnsRecord pub.test | Publish-MailDnsRecord -Confirm:$false | Wait-MailDnsPropagation -NameServer $dns.Server -Resolver $dns.Server -IntervalSec 1 -WaitSec 20
        $r.Domain | Should -Be 'pub.test'
        $r.Propagated | Should -BeTrue
        $r.Checks.Count | Should -Be 8   # 4 records, asked as the authoritative server and as a resolver
        ($r.Checks | Where-Object ServerRole -eq 'Resolver').Count | Should -Be 4
        $r.Checks | ForEach-Object { $_.Seen | Should -BeTrue; $_.Server | Should -Be $dns.Server }
        ($r.Checks | Where-Object { $_.Type -eq 'MX' -and $_.ServerRole -eq 'Authoritative' }).Answer | Should -Be '10 mx1.pub.test'
        # binds to Confirm-MailDomain by its Domain property
        (Get-Command Confirm-MailDomain).Parameters['Name'].Aliases | Should -Contain 'Domain'
    }

    It 'gives up after -WaitSec with the records each server lacks' {
        $missing = [pscustomobject]@{ Zone = 'pub.test'; Name = 'nothere.pub.test'; Type = 'TXT'; Value = 'v=TLSRPTv1; rua=mailto:x@pub.test' }
        $out = $missing | Wait-MailDnsPropagation -NameServer $dns.Server -IntervalSec 1 -WaitSec 2 -ErrorVariable e -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike 'DnsPropagationTimeout*'
        $e[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $e[0].TargetObject.Checks[0].Seen | Should -BeFalse
        $e[0].TargetObject.Checks[0].Answer | Should -Be 'NxDomain'
    }
}

Describe 'Publish-MailDnsRecord to Cloudflare (emulator)' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../integration/Emulators.psm1') -Force
        $cf = Start-TestEmulator -Kind DnsHost
        $token = ConvertTo-SecureString $cf.Token -AsPlainText -Force
        function New-CfZone([string] $name, [hashtable[]] $records = @()) {
            $z = Invoke-RestMethod -Method Post "$($cf.Base)/_emulator/zone" -Body (@{ name = $name } | ConvertTo-Json) -ContentType 'application/json'
            foreach ($r in $records) {
                Invoke-RestMethod -Method Post "$($cf.Base)/zones/$($z.id)/dns_records" -Headers @{ Authorization = "Bearer $($cf.Token)" } -Body ($r | ConvertTo-Json) -ContentType 'application/json' | Out-Null
            }
        }
        New-CfZone 'pub.test' @(@{ type = 'TXT'; name = 'pub.test'; content = '"v=spf1 include:_spf.google.com ~all"'; ttl = 1 })
        New-CfZone 'limit.test'
        New-CfZone 'faults.test'
    }
    AfterAll { if ($cf) { Stop-TestEmulator $cf } }

    It 'publishes with a Bearer token, quoting and splitting TXT, merging SPF; a re-run reads and changes nothing' {
        $c = Connect-MailDnsHost -Provider Cloudflare -ApiBaseUri $cf.ApiBaseUri -ApiToken $token -PassThru
        $done = Get-MailDomainDnsRecord pub.test | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
        @($done | Where-Object Status -eq 'Applied').Count | Should -Be 4
        $state = Get-TestEmulatorState $cf
        $records = $state.zones.'pub.test'
        $spf = @($records | Where-Object { $_.type -eq 'TXT' -and $_.content -like '*v=spf1*' })
        $spf.Count | Should -Be 1
        $spf[0].content | Should -Be '"v=spf1 include:_spf.google.com mx ~all"'
        $dkim = $records | Where-Object name -like '*._domainkey.pub.test'
        $dkim.content | Should -Match '^"v=DKIM1; k=rsa; p=[^"]{200,}" "[^"]+"$'
        ($records | Where-Object type -eq MX).priority | Should -Be 10
        (Get-MailDnsRecord pub.test -DnsHost $c -Name $dkim.name).Value | Should -Be ((Get-MailDomainDnsRecord pub.test | Where-Object Purpose -eq Dkim).Value)

        $before = $c.Requests
        $again = Get-MailDomainDnsRecord pub.test | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
        $again | ForEach-Object { $_.Action | Should -Be 'Unchanged' }
        $c.Requests - $before | Should -Be 1   # the zone id is cached; one list call
        (Get-TestEmulatorState $cf).creates | Should -Be ($state.creates)
    }

    It 'refuses a wrong token as an authentication error, and never shows the token in -Debug' {
        $bad = Connect-MailDnsHost -Provider Cloudflare -ApiBaseUri $cf.ApiBaseUri -ApiToken (ConvertTo-SecureString 'not-the-token' -AsPlainText -Force) -PassThru
        { Get-MailDnsRecord pub.test -DnsHost $bad -ErrorAction Stop } | Should -Throw -ErrorId 'DnsHostAuthenticationFailed*'
        $good = Connect-MailDnsHost -Provider Cloudflare -ApiBaseUri $cf.ApiBaseUri -ApiToken $token -PassThru
        $debug = Get-MailDnsRecord pub.test -DnsHost $good -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        ($debug.Message -join "`n") | Should -Match 'dns_records'
        ($debug.Message -join "`n") | Should -Not -Match $cf.Token
        { Get-MailDnsRecord nosuch.test -DnsHost $good -ErrorAction Stop } | Should -Throw -ErrorId 'DnsZoneNotFound*'
    }

    It 'keeps to the client-side limit, and rides out 429s from a server with a tighter one' {
        Set-TestEmulator $cf @{ ratelimit = 5; window = 1 }
        Start-Sleep -Milliseconds 1100   # the requests of the tests before leave the window
        try {
            $records = 1..8 | ForEach-Object { [pscustomobject]@{ Zone = 'limit.test'; Name = "s$_._domainkey.limit.test"; Type = 'TXT'; Value = "v=DKIM1; p=KEY$_" } }
            $polite = Connect-MailDnsHost -Provider Cloudflare -ApiBaseUri $cf.ApiBaseUri -ApiToken $token -RequestsPerSecond 4 -PassThru
            $r0 = (Get-TestEmulatorState $cf).rateLimited
            ($records | Publish-MailDnsRecord -DnsHost $polite -Confirm:$false | Where-Object Status -eq Applied).Count | Should -Be 8
            (Get-TestEmulatorState $cf).rateLimited | Should -Be $r0
            $eager = Connect-MailDnsHost -Provider Cloudflare -ApiBaseUri $cf.ApiBaseUri -ApiToken $token -RequestsPerSecond 1000 -PassThru
            $more = 1..8 | ForEach-Object { [pscustomobject]@{ Zone = 'limit.test'; Name = "t$_._domainkey.limit.test"; Type = 'TXT'; Value = "v=DKIM1; p=KEY$_" } }
            ($more | Publish-MailDnsRecord -DnsHost $eager -Confirm:$false | Where-Object Status -eq Applied).Count | Should -Be 8
            (Get-TestEmulatorState $cf).rateLimited | Should -BeGreaterThan $r0
        }
        finally { Set-TestEmulator $cf @{ ratelimit = 1200; window = 300 } }
    }

    It 'creates each record once when answers are lost after the change (faults), and a re-run finishes' {
        Set-TestEmulator $cf @{ faultrate = 0.3; faults = 'dropAfter,500,503' }
        try {
            $records = 1..10 | ForEach-Object { [pscustomobject]@{ Zone = 'faults.test'; Name = "h$_.faults.test"; Type = 'TXT'; Value = "v=TLSRPTv1; rua=mailto:r$_@faults.test" } }
            $c = Connect-MailDnsHost -Provider Cloudflare -ApiBaseUri $cf.ApiBaseUri -ApiToken $token -RequestsPerSecond 1000 -PassThru
            $records | Publish-MailDnsRecord -DnsHost $c -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
            Set-TestEmulator $cf @{ faultrate = 0 }
            $records | Publish-MailDnsRecord -DnsHost $c -Confirm:$false | Out-Null
            $held = (Get-TestEmulatorState $cf).zones.'faults.test'
            $held.Count | Should -Be 10
            ($held.name | Sort-Object -Unique).Count | Should -Be 10
            (Get-TestEmulatorState $cf).faults | Should -BeGreaterThan 0
        }
        finally { Set-TestEmulator $cf @{ faultrate = 0 } }
    }
}

Describe 'Publish-MailDnsRecord removals at Cloudflare (emulator)' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../integration/Emulators.psm1') -Force
        $cf = Start-TestEmulator -Kind DnsHost
        $token = ConvertTo-SecureString $cf.Token -AsPlainText -Force
        function New-CfZone([string] $name, [hashtable[]] $records = @()) {
            $z = Invoke-RestMethod -Method Post "$($cf.Base)/_emulator/zone" -Body (@{ name = $name } | ConvertTo-Json) -ContentType 'application/json'
            foreach ($r in $records) {
                Invoke-RestMethod -Method Post "$($cf.Base)/zones/$($z.id)/dns_records" -Headers @{ Authorization = "Bearer $($cf.Token)" } -Body ($r | ConvertTo-Json) -ContentType 'application/json' | Out-Null
            }
        }
        $oldMx = @(@{ type = 'MX'; name = 'move.test'; content = 'mxbiz1.oldmail.example'; priority = 5; ttl = 3600 }
            @{ type = 'MX'; name = 'move.test'; content = 'mxbiz2.oldmail.example'; priority = 10; ttl = 3600 }
            @{ type = 'TXT'; name = '_dmarc.move.test'; content = '"v=DMARC1; p=none"'; ttl = 3600 }
            @{ type = 'TXT'; name = '_dmarc.move.test'; content = '"v=DMARC1; p=reject"'; ttl = 3600 })
        New-CfZone 'move.test' $oldMx
        New-CfZone 'keep.test' ($oldMx | ForEach-Object { $c = $_.Clone(); $c.name = $c.name -replace 'move', 'keep'; $c })
        $c = Connect-MailDnsHost -Provider Cloudflare -ApiBaseUri $cf.ApiBaseUri -ApiToken $token -RequestsPerSecond 1000 -PassThru
        function New-Req([string] $zone, [string] $mx) {
            [pscustomobject]@{ Zone = $zone; Name = $zone; Type = 'MX'; Value = $mx; Priority = 10 }
            [pscustomobject]@{ Zone = $zone; Name = "mx2.$zone"; Type = 'MX'; Value = "mx2.$zone"; Priority = 20 }
            [pscustomobject]@{ Zone = $zone; Name = "_dmarc.$zone"; Type = 'TXT'; Value = 'v=DMARC1; p=quarantine' }
        }
    }
    AfterAll { if ($cf) { Stop-TestEmulator $cf } }

    It 'keeps the old MX when the new one is refused, so the domain never has no MX' {
        $out = New-Req 'keep.test' 'not a host' | Publish-MailDnsRecord -DnsHost $c -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue -WarningVariable w -WarningAction SilentlyContinue
        ($e | Where-Object { $_.FullyQualifiedErrorId -like 'DnsRecordRefused*' }).TargetObject.Name | Should -Be 'keep.test'
        @($w).Count | Should -Be 2
        $w[0].Message | Should -Match 'keep.test MX 5 mxbiz1.oldmail.example kept: a new MX record of keep.test was not applied'
        $held = (Get-TestEmulatorState $cf).zones.'keep.test'
        ($held | Where-Object { $_.type -eq 'MX' -and $_.name -eq 'keep.test' }).content | Sort-Object | Should -Be @('mxbiz1.oldmail.example', 'mxbiz2.oldmail.example')
        # the DMARC group went ahead: one record, the required one
        ($held | Where-Object name -eq '_dmarc.keep.test').content | Should -Be '"v=DMARC1; p=quarantine"'
        ($out | Where-Object Action -eq Remove).Name | Should -Be '_dmarc.keep.test'
    }

    It 'names the record a rate limit that never clears stopped, as a typed ResourceBusy error; a re-run finishes' {
        Invoke-RestMethod -Method Post "$($cf.Base)/_emulator/zone" -Body (@{ name = 'busy.test' } | ConvertTo-Json) -ContentType 'application/json' | Out-Null
        $r = [pscustomobject]@{ Zone = 'busy.test'; Name = '_dmarc.busy.test'; Type = 'TXT'; Value = 'v=DMARC1; p=none' }
        Set-TestEmulator $cf @{ faultrate = 1; faults = '429'; faultwritesonly = 'true' }   # the zone is read; every write is refused
        try { $out = $r | Publish-MailDnsRecord -DnsHost $c -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue }
        finally { Set-TestEmulator $cf @{ faultrate = 0; faultwritesonly = 'false' } }
        $out | Should -BeNullOrEmpty
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'RemoteBusy*'
        $e[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $e[0].TargetObject.Name | Should -Be '_dmarc.busy.test'
        $e[0].Exception.Message | Should -Match 'HTTP 429'
        ($r | Publish-MailDnsRecord -DnsHost $c -Confirm:$false).Status | Should -Be 'Applied'
    }

    It 'deletes with faults (lost answers, 5xx) and never leaves the name without MX; a re-run finishes with nothing twice' {
        Set-TestEmulator $cf @{ faultrate = 0.4; faults = 'dropAfter,500,503' }
        try {
            1..3 | ForEach-Object {
                New-Req 'move.test' 'mx1.move.test' | Publish-MailDnsRecord -DnsHost $c -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
                @((Get-TestEmulatorState $cf).zones.'move.test' | Where-Object { $_.type -eq 'MX' -and $_.name -eq 'move.test' }).Count | Should -BeGreaterThan 0
            }
        }
        finally { Set-TestEmulator $cf @{ faultrate = 0 } }
        New-Req 'move.test' 'mx1.move.test' | Publish-MailDnsRecord -DnsHost $c -Confirm:$false | Out-Null
        $held = (Get-TestEmulatorState $cf).zones.'move.test'
        ($held | Where-Object type -eq MX) | ForEach-Object { "$($_.name) $($_.priority) $($_.content)" } | Sort-Object | Should -Be @('move.test 10 mx1.move.test', 'mx2.move.test 20 mx2.move.test')
        ($held | Where-Object name -eq '_dmarc.move.test').content | Should -Be '"v=DMARC1; p=quarantine"'
        (Get-TestEmulatorState $cf).faults | Should -BeGreaterThan 0
        # 2 MX and 1 DMARC here, 1 DMARC in keep.test: each deleted once (a retried DELETE finds it gone and reads the zone)
        (Get-TestEmulatorState $cf).deletes | Should -Be 4
        $again = New-Req 'move.test' 'mx1.move.test' | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
        $again | ForEach-Object { $_.Action | Should -Be 'Unchanged' }
    }
}

Describe 'Publish-MailDnsRecord to DNSPod (emulator that verifies TC3-HMAC-SHA256)' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../integration/Emulators.psm1') -Force
        $dp = Start-TestEmulator -Kind DnsHost -Setting @{ kind = 'dnspod'; ratelimit = 20; window = 1 }
        $secretKey = ConvertTo-SecureString $dp.SecretKey -AsPlainText -Force
        foreach ($z in 'pub.test', 'empty.test') { Invoke-RestMethod -Method Post "$($dp.Base)/_emulator/zone" -Body (@{ name = $z } | ConvertTo-Json) -ContentType 'application/json' | Out-Null }
    }
    AfterAll { if ($dp) { Stop-TestEmulator $dp } }

    It 'reads DNSPod''s "no records" error for an empty zone as an empty list' {
        $c = Connect-MailDnsHost -Provider DnsPod -SecretId $dp.SecretId -SecretKey $secretKey -ApiBaseUri $dp.ApiBaseUri -PassThru
        $r = Get-MailDnsRecord empty.test -DnsHost $c -ErrorVariable e
        $r | Should -BeNullOrEmpty
        $e | Should -BeNullOrEmpty
        $c.Requests | Should -Be 1
        (Get-TestEmulatorState $dp).authFailures | Should -Be 0
    }

    It 'publishes with signed requests the emulator accepts; a re-run changes nothing' {
        $c = Connect-MailDnsHost -Provider DnsPod -SecretId $dp.SecretId -SecretKey $secretKey -ApiBaseUri $dp.ApiBaseUri -PassThru
        $done = Get-MailDomainDnsRecord pub.test | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
        @($done | Where-Object Status -eq 'Applied').Count | Should -Be 4
        $held = (Get-TestEmulatorState $dp).zones.'pub.test'
        ($held | Where-Object Type -eq MX) | ForEach-Object { "$($_.Name) $($_.MX) $($_.Value)" } | Should -Be '@ 10 mx1.pub.test.'
        ($held | Where-Object Name -eq '_dmarc').Value | Should -Be 'v=DMARC1; p=quarantine; adkim=s; aspf=s; rua=mailto:postmaster@pub.test'
        (Get-MailDnsRecord pub.test -DnsHost $c -Type MX).Value | Should -Be 'mx1.pub.test'
        $again = Get-MailDomainDnsRecord pub.test | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
        $again | ForEach-Object { $_.Action | Should -Be 'Unchanged' }
        (Get-TestEmulatorState $dp).authFailures | Should -Be 0
    }

    It 'refuses a wrong SecretKey as the real API does (AuthFailure.SignatureFailure), without showing the key' {
        $bad = Connect-MailDnsHost -Provider DnsPod -SecretId $dp.SecretId -SecretKey (ConvertTo-SecureString 'not-the-key' -AsPlainText -Force) -ApiBaseUri $dp.ApiBaseUri -PassThru
        $err = $null
        try { Get-MailDnsRecord pub.test -DnsHost $bad -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'DnsHostAuthenticationFailed*'
        $err.Exception.Message | Should -Match 'AuthFailure.SignatureFailure'
        $err.Exception.Message | Should -Not -Match 'not-the-key'
        (Get-TestEmulatorState $dp).authFailures | Should -BeGreaterThan 0
        $good = Connect-MailDnsHost -Provider DnsPod -SecretId $dp.SecretId -SecretKey $secretKey -ApiBaseUri $dp.ApiBaseUri -PassThru
        $debug = Get-MailDnsRecord pub.test -DnsHost $good -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        ($debug.Message -join "`n") | Should -Match 'DescribeRecordList|"Domain":"pub.test"'
        ($debug.Message -join "`n") | Should -Not -Match $dp.SecretKey
    }

    It 'retries LimitExceeded.RequestLimitExceeded from a server with a tighter limit' {
        Set-TestEmulator $dp @{ ratelimit = 3; window = 1 }
        Start-Sleep -Milliseconds 1100
        try {
            $c = Connect-MailDnsHost -Provider DnsPod -SecretId $dp.SecretId -SecretKey $secretKey -ApiBaseUri $dp.ApiBaseUri -RequestsPerSecond 100 -PassThru
            $recs = 1..6 | ForEach-Object { [pscustomobject]@{ Zone = 'pub.test'; Name = "k$_._domainkey.pub.test"; Type = 'TXT'; Value = "v=DKIM1; p=K$_" } }
            ($recs | Publish-MailDnsRecord -DnsHost $c -Confirm:$false | Where-Object Status -eq Applied).Count | Should -Be 6
            (Get-TestEmulatorState $dp).rateLimited | Should -BeGreaterThan 0
        }
        finally { Set-TestEmulator $dp @{ ratelimit = 20 } }
    }

    It 'replaces the old MX with DeleteRecord once the new one is in; a re-run changes nothing' {
        Invoke-RestMethod -Method Post "$($dp.Base)/_emulator/zone" -Body (@{ name = 'move.test' } | ConvertTo-Json) -ContentType 'application/json' | Out-Null
        $c = Connect-MailDnsHost -Provider DnsPod -SecretId $dp.SecretId -SecretKey $secretKey -ApiBaseUri $dp.ApiBaseUri -PassThru
        $a0 = (Get-TestEmulatorState $dp).authFailures
        [pscustomobject]@{ Zone = 'move.test'; Name = 'move.test'; Type = 'MX'; Value = 'mxbiz1.oldmail.example'; Priority = 5 } | Publish-MailDnsRecord -DnsHost $c -Confirm:$false | Out-Null
        $new = [pscustomobject]@{ Zone = 'move.test'; Name = 'move.test'; Type = 'MX'; Value = 'mx1.move.test'; Priority = 10 }
        $out = $new | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
        ($out | ForEach-Object { "$($_.Action) $($_.Status) $($_.Value)" }) | Should -Be @('Add Applied mx1.move.test', 'Remove Applied mxbiz1.oldmail.example')
        ((Get-TestEmulatorState $dp).zones.'move.test' | Where-Object Type -eq MX) | ForEach-Object { "$($_.MX) $($_.Value)" } | Should -Be '10 mx1.move.test.'
        (Get-TestEmulatorState $dp).deletes | Should -Be 1
        ($new | Publish-MailDnsRecord -DnsHost $c -Confirm:$false).Action | Should -Be 'Unchanged'
        (Get-TestEmulatorState $dp).authFailures | Should -Be $a0
    }

    It 'names a zone the account does not hold' {
        $c = Connect-MailDnsHost -Provider DnsPod -SecretId $dp.SecretId -SecretKey $secretKey -ApiBaseUri $dp.ApiBaseUri -PassThru
        Get-MailDnsRecord nosuch.test -DnsHost $c -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'DnsZoneNotFound*'
        $e[0].TargetObject | Should -Be 'nosuch.test'
    }
}

Describe 'Publish-MailDnsRecord to Alibaba Cloud DNS (emulator that verifies ACS3-HMAC-SHA256)' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../integration/Emulators.psm1') -Force
        $ali = Start-TestEmulator -Kind DnsHost -Setting @{ kind = 'alidns'; ratelimit = 60; window = 1 }
        $aliSecret = ConvertTo-SecureString $ali.AccessKeySecret -AsPlainText -Force
        Invoke-RestMethod -Method Post "$($ali.Base)/_emulator/zone" -Body (@{ name = 'pub.test' } | ConvertTo-Json) -ContentType 'application/json' | Out-Null
    }
    AfterAll { if ($ali) { Stop-TestEmulator $ali } }

    It 'publishes with signed requests the emulator accepts, unquoted TXT, and a re-run changes nothing' {
        $c = Connect-MailDnsHost -Provider AliDns -AccessKeyId $ali.AccessKeyId -AccessKeySecret $aliSecret -ApiBaseUri $ali.ApiBaseUri -PassThru
        (Get-MailDnsRecord pub.test -DnsHost $c) | Should -BeNullOrEmpty
        $done = Get-MailDomainDnsRecord pub.test | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
        @($done | Where-Object Status -eq 'Applied').Count | Should -Be 4
        $held = (Get-TestEmulatorState $ali).zones.'pub.test'
        ($held | Where-Object Type -eq MX) | ForEach-Object { "$($_.RR) $($_.Priority) $($_.Value)" } | Should -Be '@ 10 mx1.pub.test'
        $dkim = $held | Where-Object RR -like '*._domainkey'
        $dkim.Value | Should -Be ((Get-MailDomainDnsRecord pub.test | Where-Object Purpose -eq Dkim).Value)
        $dkim.Value | Should -Not -Match '"'
        $again = Get-MailDomainDnsRecord pub.test | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
        $again | ForEach-Object { $_.Action | Should -Be 'Unchanged' }
        (Get-TestEmulatorState $ali).authFailures | Should -Be 0
    }

    It 'updates a differing DMARC record in place' {
        $c = Connect-MailDnsHost -Provider AliDns -AccessKeyId $ali.AccessKeyId -AccessKeySecret $aliSecret -ApiBaseUri $ali.ApiBaseUri -PassThru
        $r = [pscustomobject]@{ Zone = 'pub.test'; Name = '_dmarc.pub.test'; Type = 'TXT'; Value = 'v=DMARC1; p=reject' } | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
        $r.Action | Should -Be 'Update'
        $r.Status | Should -Be 'Applied'
        @((Get-TestEmulatorState $ali).zones.'pub.test' | Where-Object RR -eq '_dmarc').Value | Should -Be 'v=DMARC1; p=reject'
    }

    It 'names a TXT value the host cannot hold, and refuses a wrong secret as SignatureDoesNotMatch' {
        $c = Connect-MailDnsHost -Provider AliDns -AccessKeyId $ali.AccessKeyId -AccessKeySecret $aliSecret -ApiBaseUri $ali.ApiBaseUri -PassThru
        [pscustomobject]@{ Zone = 'pub.test'; Name = 'long.pub.test'; Type = 'TXT'; Value = 'x' * 600 } | Publish-MailDnsRecord -DnsHost $c -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -BeLike 'DnsRecordRefused*'
        $e[0].Exception.Message | Should -Match 'long.pub.test TXT: 600 characters'
        $bad = Connect-MailDnsHost -Provider AliDns -AccessKeyId $ali.AccessKeyId -AccessKeySecret (ConvertTo-SecureString 'wrong' -AsPlainText -Force) -ApiBaseUri $ali.ApiBaseUri -PassThru
        $err = $null
        try { Get-MailDnsRecord pub.test -DnsHost $bad -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'DnsHostAuthenticationFailed*'
        $err.Exception.Message | Should -Match 'SignatureDoesNotMatch'
        Get-MailDnsRecord nosuch.test -DnsHost $c -ErrorVariable z -ErrorAction SilentlyContinue
        $z[0].FullyQualifiedErrorId | Should -BeLike 'DnsZoneNotFound*'
    }

    It 'creates each record once when answers are lost after the change (faults), and a re-run finishes' {
        Invoke-RestMethod -Method Post "$($ali.Base)/_emulator/zone" -Body (@{ name = 'faults.test' } | ConvertTo-Json) -ContentType 'application/json' | Out-Null
        $a0 = (Get-TestEmulatorState $ali).authFailures
        Set-TestEmulator $ali @{ faultrate = 0.3; faults = 'dropAfter,500,503' }
        try {
            $c = Connect-MailDnsHost -Provider AliDns -AccessKeyId $ali.AccessKeyId -AccessKeySecret $aliSecret -ApiBaseUri $ali.ApiBaseUri -PassThru
            $recs = 1..10 | ForEach-Object { [pscustomobject]@{ Zone = 'faults.test'; Name = "h$_.faults.test"; Type = 'TXT'; Value = "v=TLSRPTv1; rua=mailto:r$_@faults.test" } }
            $recs | Publish-MailDnsRecord -DnsHost $c -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
            Set-TestEmulator $ali @{ faultrate = 0 }
            $recs | Publish-MailDnsRecord -DnsHost $c -Confirm:$false | Out-Null
            $held = (Get-TestEmulatorState $ali).zones.'faults.test'
            $held.Count | Should -Be 10
            ($held.RR | Sort-Object -Unique).Count | Should -Be 10
            (Get-TestEmulatorState $ali).faults | Should -BeGreaterThan 0
            (Get-TestEmulatorState $ali).authFailures | Should -Be $a0   # every retry is signed afresh (a reused nonce is refused)
        }
        finally { Set-TestEmulator $ali @{ faultrate = 0 } }
    }

    It 'replaces the old MX with DeleteDomainRecord once the new one is in; a re-run changes nothing' {
        Invoke-RestMethod -Method Post "$($ali.Base)/_emulator/zone" -Body (@{ name = 'move.test' } | ConvertTo-Json) -ContentType 'application/json' | Out-Null
        $c = Connect-MailDnsHost -Provider AliDns -AccessKeyId $ali.AccessKeyId -AccessKeySecret $aliSecret -ApiBaseUri $ali.ApiBaseUri -PassThru
        $a0 = (Get-TestEmulatorState $ali).authFailures
        [pscustomobject]@{ Zone = 'move.test'; Name = 'move.test'; Type = 'MX'; Value = 'mxbiz1.oldmail.example'; Priority = 5 } | Publish-MailDnsRecord -DnsHost $c -Confirm:$false | Out-Null
        $new = [pscustomobject]@{ Zone = 'move.test'; Name = 'move.test'; Type = 'MX'; Value = 'mx1.move.test'; Priority = 10 }
        $out = $new | Publish-MailDnsRecord -DnsHost $c -Confirm:$false
        ($out | ForEach-Object { "$($_.Action) $($_.Status) $($_.Value)" }) | Should -Be @('Add Applied mx1.move.test', 'Remove Applied mxbiz1.oldmail.example')
        ((Get-TestEmulatorState $ali).zones.'move.test' | Where-Object Type -eq MX) | ForEach-Object { "$($_.Priority) $($_.Value)" } | Should -Be '10 mx1.move.test'
        (Get-TestEmulatorState $ali).deletes | Should -Be 1
        ($new | Publish-MailDnsRecord -DnsHost $c -Confirm:$false).Action | Should -Be 'Unchanged'
        (Get-TestEmulatorState $ali).authFailures | Should -Be $a0
    }

    It 'rides out Throttling.User from a server with a tighter limit' {
        Set-TestEmulator $ali @{ ratelimit = 3; window = 1 }
        Start-Sleep -Milliseconds 1100
        try {
            $c = Connect-MailDnsHost -Provider AliDns -AccessKeyId $ali.AccessKeyId -AccessKeySecret $aliSecret -ApiBaseUri $ali.ApiBaseUri -PassThru
            $recs = 1..6 | ForEach-Object { [pscustomobject]@{ Zone = 'pub.test'; Name = "k$_._domainkey.pub.test"; Type = 'TXT'; Value = "v=DKIM1; p=K$_" } }
            ($recs | Publish-MailDnsRecord -DnsHost $c -Confirm:$false | Where-Object Status -eq Applied).Count | Should -Be 6
            (Get-TestEmulatorState $ali).rateLimited | Should -BeGreaterThan 0
        }
        finally { Set-TestEmulator $ali @{ ratelimit = 60 } }
    }
}

Describe 'The seed step exactly as the issue writes it (Local provider, PowerDNS)' {
    BeforeAll {
        # contoso.cn moves from another mail service: its MX and SPF are there already
        New-TestPowerDnsZone $dns 'contoso.cn' @('@ MX 3600 5 mxbiz1.qq.com.', '@ MX 3600 10 mxbiz2.qq.com.', '@ TXT 3600 "v=spf1 include:spf.mail.qq.com -all"')
        Connect-MailDnsHost -Provider PowerDns -ApiBaseUri $dns.ApiUri -ApiKey $key
        # what the world's DNS would say: the zone's name servers are this test server (a high port, so named here once)
        $PSDefaultParameterValues['Wait-MailDnsPropagation:NameServer'] = $dns.Server
        $PSDefaultParameterValues['Wait-MailDnsPropagation:IntervalSec'] = 1
        $PSDefaultParameterValues['Wait-MailDnsPropagation:WaitSec'] = 30
    }
    AfterAll { $PSDefaultParameterValues.Clear() }

    It 'adds the domain, publishes exactly its records, waits for the name server and confirms it, in one line' {
        $d = Add-MailDomain contoso.cn | Get-MailDomainDnsRecord | Publish-MailDnsRecord | Wait-MailDnsPropagation | Confirm-MailDomain
        $d.Name | Should -Be 'contoso.cn'
        $d.Status | Should -Be 'Verified'
        (Get-MailDnsRecord contoso.cn -Type MX) | ForEach-Object { "$($_.Priority) $($_.Value)" } | Should -Be '10 mail.contoso.cn'
        (Get-MailDnsRecord contoso.cn -Type TXT -Name contoso.cn).Value | Should -Be 'v=spf1 include:spf.mail.qq.com mx -all'
        $dkim = Get-MailDomainDnsRecord contoso.cn | Where-Object Purpose -eq Dkim
        (Get-MailDnsRecord contoso.cn -Name $dkim.Name).Value | Should -Be $dkim.Value
        @(Get-MailDnsRecord contoso.cn -Name _dmarc.contoso.cn).Count | Should -Be 1
        # each stage hands the next what it binds: the domain, the records, the plan rows, the zone's result
        (Get-Command Get-MailDomainDnsRecord).Parameters['Name'].Attributes.ValueFromPipeline | Should -Contain $true
        (Get-Command Wait-MailDnsPropagation).Parameters['Action'].Attributes.ValueFromPipelineByPropertyName | Should -Contain $true
    }
}

Describe 'The seed step in one line: Alimail (emulator) for mail, PowerDNS for DNS' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../integration/Emulators.psm1') -Force
        $am = Start-TestEmulator -Kind Alimail
        $mail = Connect-MailProvider -Provider Alimail -ClientId $am.ClientId -ClientSecret $am.ClientSecret -ApiBaseUri $am.ApiBaseUri -PassThru
        New-TestPowerDnsZone $dns 'seed.test' @()
        Connect-MailDnsHost -Provider PowerDns -ApiBaseUri $dns.ApiUri -ApiKey $key
    }
    AfterAll {
        if ($mail) { $mail | Disconnect-MailProvider }
        if ($am) { Stop-TestEmulator $am }
    }

    It 'adds the domain, publishes its records, waits for the name server, and verifies it' {
        $d = Add-MailDomain seed.test -Connection $mail | Get-MailDomainDnsRecord -Connection $mail | Publish-MailDnsRecord -Confirm:$false |
            Wait-MailDnsPropagation -NameServer $dns.Server -IntervalSec 1 -WaitSec 20 | Confirm-MailDomain -Connection $mail -Confirm:$false
        $d.Name | Should -Be 'seed.test'
        $d.Status | Should -Be 'Verified'
        (Get-MailDnsRecord seed.test -Type MX | Sort-Object Priority).Value | Should -Be @('mx1.qiye.aliyun.com', 'mx2.qiye.aliyun.com', 'mx3.qiye.aliyun.com')
        (Get-MailDnsRecord seed.test -Type TXT).Value | Should -Be 'v=spf1 include:spf.qiye.aliyun.com -all'
    }
}
