using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Providers.Exmail
{
    /// <summary>
    /// The part of a security policy Exmail's API reaches: a mailbox's forced secure login (useroption type 1). Password rules,
    /// spam filing and sender lists live in the admin console, with no API call to read or set them.
    /// </summary>
    public sealed partial class ExmailProvider : ISecurityPolicyStore
    {
        private MailAdminException PolicyNotSupported(string what, object target)
            => new MailAdminException(MailErrorKind.NotSupported, "ExmailPolicyNotSupported",
                $"Exmail's API offers only a mailbox's secure login (Set-MailSecurityPolicy -Mailbox -ForceSecureLogin); {what} is set in the Exmail admin "
                    + $"console.", target)
            { Provider = Name };

        public async Task<MailSecurityPolicy> GetSecurityPolicyAsync(string mailbox, CancellationToken ct)
        {
            if (mailbox == null)
            {
                throw PolicyNotSupported("the organisation's policy", Name);
            }

            var s = await GetSettingsAsync(mailbox, ct).ConfigureAwait(false);
            // only what the API reports is filled in; the rest stays null (not reported)
            return new MailSecurityPolicy
            {
                Mailbox = s.Identity,
                ForceSecureLogin = s.ForceSecureLogin,
                BlockedSenders = null,
                AllowedSenders = null,
                Overrides = new[] { nameof(MailSecurityPolicy.ForceSecureLogin) },
                Provider = Name,
            };
        }

        public async Task<MailSecurityPolicy> SetSecurityPolicyAsync(string mailbox, MailSecurityPolicyUpdate u, CancellationToken ct)
        {
            var other = new List<string>();
            if (u.MinPasswordLength.HasValue)
            {
                other.Add("MinPasswordLength");
            }

            if (u.RequireComplexity.HasValue)
            {
                other.Add("RequireComplexity");
            }

            if (u.PasswordMaxAgeDays.HasValue)
            {
                other.Add("PasswordMaxAgeDays");
            }

            if (u.PasswordHashCost.HasValue)
            {
                other.Add("PasswordHashCost");
            }

            if (u.SpamFilterLevel.HasValue)
            {
                other.Add("SpamFilterLevel");
            }

            if (u.RequireTls.HasValue)
            {
                other.Add("RequireTls");
            }

            if (u.BlockedSenders != null)
            {
                other.Add("BlockedSenders");
            }

            if (u.AllowedSenders != null)
            {
                other.Add("AllowedSenders");
            }

            if (u.Reset?.Length > 0)
            {
                other.Add("Reset");
            }

            if (other.Count > 0)
            {
                throw PolicyNotSupported(string.Join(", ", other), mailbox ?? Name);
            }

            if (mailbox == null)
            {
                throw PolicyNotSupported("a store-wide ForceSecureLogin", Name);
            }

            if (u.ForceSecureLogin.HasValue)
            {
                await SetSettingsAsync(mailbox, new MailboxSettingsUpdate { ForceSecureLogin = u.ForceSecureLogin }, ct).ConfigureAwait(false);
            }

            return await GetSecurityPolicyAsync(mailbox, ct).ConfigureAwait(false);
        }
    }
}
