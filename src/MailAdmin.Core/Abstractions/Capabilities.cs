using System;
using System.Collections.Generic;
using System.Linq;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>
    /// Gets a capability of a provider or fails with one clear error that names the provider and what it does support.
    /// </summary>
    public static class Capabilities
    {
        /// <summary>Refuses an operation the provider lacks the capability for (a flag rather than an interface: shared mailboxes).</summary>
        public static void Require(IMailProvider provider, MailCapability capability, string operation)
        {
            if ((provider.Capabilities & capability) == capability)
            {
                return;
            }

            throw new MailAdminException(MailErrorKind.NotSupported, "MailProviderNotSupported",
                $"The {provider.Name} provider does not support {operation}. It supports: {provider.Capabilities}.", provider.Name)
            { Provider = provider.Name };
        }

        public static T Require<T>(IMailProvider provider, string operation) where T : class
        {
            if (provider is T t)
            {
                return t;
            }

            throw new MailAdminException(MailErrorKind.NotSupported, "MailProviderNotSupported",
                $"The {provider.Name} provider does not support {operation}. It supports: {provider.Capabilities}.", provider.Name)
            { Provider = provider.Name };
        }
    }
}
