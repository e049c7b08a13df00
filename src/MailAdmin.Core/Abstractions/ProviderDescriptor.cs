using System;
using System.Collections.Generic;
using System.Linq;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>A provider kind: its name, what it supports and how to open it.</summary>
    public sealed class ProviderDescriptor
    {
        public ProviderDescriptor(string name, string description, MailCapability capabilities, Func<ProviderOptions, IMailProvider> open)
        {
            Name = name;
            Description = description;
            Capabilities = capabilities;
            Open = open;
        }
        public string Name { get; }
        public string Description { get; }
        public MailCapability Capabilities { get; }
        public Func<ProviderOptions, IMailProvider> Open { get; }

        public MailProviderInfo ToInfo(bool isDefault)
        {
            var missing = Enum.GetValues(typeof(MailCapability)).Cast<MailCapability>()
                .Where(c => c != MailCapability.None && (Capabilities & c) == 0)
                .Select(c => c.ToString()).ToArray();
            return new MailProviderInfo { Name = Name, Description = Description, Capabilities = Capabilities, NotSupported = missing, IsDefault = isDefault };
        }
    }
}
