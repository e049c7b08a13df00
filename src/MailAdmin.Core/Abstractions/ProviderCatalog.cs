using System;
using System.Collections.Generic;
using System.Linq;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>The providers this build knows; the host (the cmdlet layer) registers them.</summary>
    public sealed class ProviderCatalog
    {
        private readonly List<ProviderDescriptor> _providers = new List<ProviderDescriptor>();
        public string DefaultProvider { get; set; }

        public void Register(ProviderDescriptor descriptor)
        {
            if (_providers.Any(p => string.Equals(p.Name, descriptor.Name, StringComparison.OrdinalIgnoreCase)))
            {
                return;
            }

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
}
