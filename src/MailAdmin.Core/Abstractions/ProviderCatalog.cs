using System;
using System.Collections.Generic;
using System.Linq;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>Options a provider is opened with; secrets are SecretText.</summary>
    public sealed class ProviderOptions
    {
        private readonly Dictionary<string, object> _values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        public object this[string name]
        {
            get => _values.TryGetValue(name, out var v) ? v : null;
            set => _values[name] = value;
        }
        public string GetString(string name) => this[name] as string;
    }

    /// <summary>A provider kind: its name, what it supports and how to open it.</summary>
    public sealed class ProviderDescriptor
    {
        public ProviderDescriptor(string name, string description, MailCapability capabilities, Func<ProviderOptions, IMailProvider> open)
        {
            Name = name; Description = description; Capabilities = capabilities; Open = open;
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

    /// <summary>The providers this build knows; the host (the cmdlet layer) registers them.</summary>
    public sealed class ProviderCatalog
    {
        private readonly List<ProviderDescriptor> _providers = new List<ProviderDescriptor>();
        public string DefaultProvider { get; set; }

        public void Register(ProviderDescriptor descriptor)
        {
            if (_providers.Any(p => string.Equals(p.Name, descriptor.Name, StringComparison.OrdinalIgnoreCase))) return;
            _providers.Add(descriptor);
        }

        public IReadOnlyList<ProviderDescriptor> All => _providers;

        public ProviderDescriptor Get(string name)
        {
            var d = _providers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (d == null)
                throw MailAdminException.NotFound("MailProviderNotFound",
                    $"There is no mail provider named '{name}'. Known providers: {string.Join(", ", _providers.Select(p => p.Name))}.", name);
            return d;
        }
    }

    /// <summary>
    /// Gets a capability of a provider or fails with one clear error that names the provider and what it does support.
    /// </summary>
    public static class Capabilities
    {
        /// <summary>Refuses an operation the provider lacks the capability for (a flag rather than an interface: shared mailboxes).</summary>
        public static void Require(IMailProvider provider, MailCapability capability, string operation)
        {
            if ((provider.Capabilities & capability) == capability) return;
            throw new MailAdminException(MailErrorKind.NotSupported, "MailProviderNotSupported",
                $"The {provider.Name} provider does not support {operation}. It supports: {provider.Capabilities}.", provider.Name)
            { Provider = provider.Name };
        }

        public static T Require<T>(IMailProvider provider, string operation) where T : class
        {
            if (provider is T t) return t;
            throw new MailAdminException(MailErrorKind.NotSupported, "MailProviderNotSupported",
                $"The {provider.Name} provider does not support {operation}. It supports: {provider.Capabilities}.", provider.Name)
            { Provider = provider.Name };
        }
    }
}
