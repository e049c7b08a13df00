using System;
using System.Globalization;
using MailAdmin.Errors;

namespace MailAdmin.Validation
{
    /// <summary>Validates and normalises domain names and mail addresses (RFC 5321/5322, IDNA 2008 via IdnMapping).</summary>
    public static class MailNames
    {
        private static readonly IdnMapping Idn = new IdnMapping { UseStd3AsciiRules = true, AllowUnassigned = false };
        private const string AText = "!#$%&'*+-/=?^_`{|}~";

        /// <summary>Returns the ASCII (punycode), lower-case form of a domain, or throws naming the value and the rule.</summary>
        public static string NormalizeDomain(string domain)
        {
            if (string.IsNullOrWhiteSpace(domain))
            {
                throw MailAdminException.Invalid("InvalidDomainName", "A domain name is required.", domain);
            }

            var d = domain.Trim();
            if (d.EndsWith(".", StringComparison.Ordinal))
            {
                d = d.Substring(0, d.Length - 1);
            }

            string ascii;
            try
            {
                ascii = Idn.GetAscii(d).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                throw MailAdminException.Invalid("InvalidDomainName",
                    $"'{domain}' is not a valid domain name: each label must be letters, digits or hyphens (or an internationalised name), 1-63 characters, "
                        + "not starting or ending with a hyphen (RFC 1035, RFC 5891).", domain);
            }
            if (ascii.Length > 253)
            {
                throw MailAdminException.Invalid(
                    "InvalidDomainName", $"'{domain}' is longer than the 253 characters a domain name may have (RFC 1035).", domain);
            }

            var labels = ascii.Split('.');
            if (labels.Length < 2)
            {
                throw MailAdminException.Invalid(
                    "InvalidDomainName",
                    $"'{domain}' is not a fully qualified domain name: a mail domain needs at least two labels, e.g. example.com.",
                    domain);
            }

            foreach (var label in labels)
            {
                if (label.Length == 0 || label.Length > 63)
                {
                    throw MailAdminException.Invalid("InvalidDomainName", $"'{domain}' has an empty label or one over 63 characters (RFC 1035).", domain);
                }
            }
            var tld = labels[labels.Length - 1];
            var allDigits = true;
            foreach (var c in tld)
            {
                if (!char.IsDigit(c))
                {
                    allDigits = false;
                    break;
                }
            }

            if (allDigits)
            {
                throw MailAdminException.Invalid(
                    "InvalidDomainName", $"'{domain}' looks like an IP address, not a domain name (a top-level label cannot be all digits, RFC 3696).", domain);
            }

            return ascii;
        }

        /// <summary>The Unicode form of a stored (ASCII) domain, for display.</summary>
        public static string ToUnicode(string asciiDomain)
        {
            if (string.IsNullOrEmpty(asciiDomain))
            {
                return asciiDomain;
            }

            try
            {
                return Idn.GetUnicode(asciiDomain);
            }
            catch (ArgumentException)
            {
                return asciiDomain;
            }
        }

        /// <summary>The address as shown: local part and Unicode domain.</summary>
        public static string AddressToUnicode(string address)
        {
            if (string.IsNullOrEmpty(address))
            {
                return address;
            }

            var at = address.LastIndexOf('@');
            return at < 0 ? address : address.Substring(0, at + 1) + ToUnicode(address.Substring(at + 1));
        }

        /// <summary>
        /// Returns the stored form of an address (lower-case dot-atom local part @ ASCII domain), or throws naming the value
        /// and the rule. Quoted local parts and non-ASCII local parts are refused: Postfix and Dovecot lookups and most
        /// clients do not handle them reliably.
        /// </summary>
        public static string NormalizeAddress(string address)
        {
            if (string.IsNullOrWhiteSpace(address))
            {
                throw MailAdminException.Invalid("InvalidAddress", "A mail address is required.", address);
            }

            var a = address.Trim();
            var at = a.LastIndexOf('@');
            if (at <= 0 || at == a.Length - 1)
            {
                throw MailAdminException.Invalid("InvalidAddress", $"'{address}' is not a mail address: it needs the form local-part@domain.", address);
            }

            var local = a.Substring(0, at);
            var domainPart = a.Substring(at + 1);
            ValidateLocalPart(local, address);
            string domain;
            try
            {
                domain = NormalizeDomain(domainPart);
            }
            catch (MailAdminException e)
            {
                throw MailAdminException.Invalid("InvalidAddress", $"'{address}' has an invalid domain part: {e.Message}", address);
            }
            var result = local.ToLowerInvariant() + "@" + domain;
            if (result.Length > 254)
            {
                throw MailAdminException.Invalid(
                    "InvalidAddress", $"'{address}' is longer than the 254 characters an address may have (RFC 5321 4.5.3.1).", address);
            }

            return result;
        }

        /// <summary>True when NormalizeAddress would accept the value.</summary>
        public static bool TryNormalizeAddress(string address, out string normalized)
        {
            try
            {
                normalized = NormalizeAddress(address);
                return true;
            }
            catch (MailAdminException)
            {
                normalized = null;
                return false;
            }
        }

        private static void ValidateLocalPart(string local, string address)
        {
            if (local.Length > 64)
            {
                throw MailAdminException.Invalid("InvalidAddress", $"'{address}': the local part is longer than 64 characters (RFC 5321 4.5.3.1.1).", address);
            }

            if (local.StartsWith(".", StringComparison.Ordinal) || local.EndsWith(".", StringComparison.Ordinal) || local.Contains(".."))
            {
                throw MailAdminException.Invalid(
                    "InvalidAddress", $"'{address}': the local part may not start or end with a dot or have two dots in a row (RFC 5322 dot-atom).", address);
            }

            foreach (var c in local)
            {
                var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || AText.IndexOf(c) >= 0;
                if (!ok)
                    throw MailAdminException.Invalid("InvalidAddress",
                        $"'{address}': the local part has '{c}', which a mailbox name may not contain; use ASCII letters, digits and {AText} (RFC 5322 "
                            + "dot-atom, no quoted or non-ASCII local parts).", address);
            }
        }

        /// <summary>A header field name (RFC 5322 3.6.8: printable ASCII but ':'), at most 76 characters so it fits a line.</summary>
        public static bool IsHeaderFieldName(string name)
        {
            if (string.IsNullOrEmpty(name) || name.Length > 76)
            {
                return false;
            }

            foreach (var c in name)
            {
                if (c < '!' || c > '~' || c == ':')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A host name as DNS data may name one (MX, SRV, CNAME targets): dot-separated LDH labels (letters, digits, inner
        /// hyphens; 1-63 characters each, 253 in all), optionally with a final dot. Anything else (spaces, slashes, options for a
        /// command line, an address) is refused wherever a host name from DNS is used.</summary>
        public static bool IsHostName(string name)
        {
            if (string.IsNullOrEmpty(name))
            {
                return false;
            }

            if (name.EndsWith(".", StringComparison.Ordinal))
            {
                name = name.Substring(0, name.Length - 1);
            }

            if (name.Length == 0 || name.Length > 253)
            {
                return false;
            }

            foreach (var label in name.Split('.'))
            {
                if (label.Length == 0 || label.Length > 63 || label[0] == '-' || label[label.Length - 1] == '-')
                {
                    return false;
                }

                foreach (var c in label)
                {
                    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                    {
                        return false;
                    }
                }
            }
            return true;
        }

        /// <summary>The domain part of a normalised address.</summary>
        public static string DomainOf(string normalizedAddress) => normalizedAddress.Substring(normalizedAddress.LastIndexOf('@') + 1);
        public static string LocalPartOf(string normalizedAddress) => normalizedAddress.Substring(0, normalizedAddress.LastIndexOf('@'));
    }
}
