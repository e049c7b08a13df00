using System;
using System.Collections.Generic;

namespace MailAdmin.Models
{
    /// <summary>A provider as Get-MailProvider shows it.</summary>
    public sealed class MailProviderInfo
    {
        public string Name { get; set; }
        public string Description { get; set; }
        public MailCapability Capabilities { get; set; }
        public string[] NotSupported { get; set; } = new string[0];
        public bool IsDefault { get; set; }
        public override string ToString() => Name;
    }
}
