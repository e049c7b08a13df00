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
}
