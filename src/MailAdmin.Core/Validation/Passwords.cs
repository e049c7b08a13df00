using System;
using System.Security.Cryptography;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Validation
{
    /// <summary>Password rules and strong password generation.</summary>
    public static class Passwords
    {
        public const int DefaultMinLength = 8;
        public const int MaxLength = 256;

        /// <summary>Checks a password against the policy; the message names the rule, never the password.</summary>
        public static void Validate(SecretText password, int minLength, string address) => Validate(password, minLength, false, address);

        /// <summary>As above; with complexity the password needs three of: lower case, upper case, digits, other characters.</summary>
        public static void Validate(SecretText password, int minLength, bool requireComplexity, string address)
        {
            if (password == null)
            {
                return;
            }

            var p = password.Reveal();
            if (p.Length < minLength)
            {
                throw MailAdminException.Invalid(
                    "WeakPassword",
                    $"The password for '{address}' is too short: it has {p.Length} characters and the policy asks for at least {minLength}.",
                    address);
            }

            if (p.Length > MaxLength)
            {
                throw MailAdminException.Invalid("WeakPassword", $"The password for '{address}' is longer than {MaxLength} characters.", address);
            }

            foreach (var c in p)
            {
                if (char.IsControl(c))
                {
                    throw MailAdminException.Invalid(
                        "WeakPassword", $"The password for '{address}' contains a control character, which mail clients cannot type.", address);
                }
            }
            if (!string.IsNullOrEmpty(address))
            {
                var at = address.IndexOf('@');
                var local = at > 0 ? address.Substring(0, at) : address;
                if (local.Length >= 3 && p.IndexOf(local, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    throw MailAdminException.Invalid("WeakPassword", $"The password for '{address}' contains the mailbox name '{local}'.", address);
                }
            }
            if (requireComplexity)
            {
                int lower = 0, upper = 0, digit = 0, other = 0;
                foreach (var c in p)
                {
                    if (char.IsLower(c))
                    {
                        lower = 1;
                    }
                    else if (char.IsUpper(c))
                    {
                        upper = 1;
                    }
                    else if (char.IsDigit(c))
                    {
                        digit = 1;
                    }
                    else
                    {
                        other = 1;
                    }
                }
                if (lower + upper + digit + other < 3)
                {
                    throw MailAdminException.Invalid(
                        "WeakPassword", $"The password for '{address}' is not complex enough: the policy asks for three of lower case, upper case, digits and "
                            + $"other characters, and it has {lower + upper + digit + other}.", address);
                }
            }
            var distinct = 0;
            var seen = new bool[char.MaxValue + 1];
            foreach (var c in p)
            {
                if (!seen[c])
                {
                    seen[c] = true;
                    distinct++;
                }
            }

            if (distinct < Math.Min(4, p.Length))
            {
                throw MailAdminException.Invalid("WeakPassword", $"The password for '{address}' uses fewer than 4 different characters.", address);
            }
        }

        private const string Lower = "abcdefghijkmnopqrstuvwxyz";
        private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        private const string Digits = "23456789";
        private const string Symbols = "!#%+-=?@^_~";

        /// <summary>A random password with letters of both cases, digits and symbols (look-alike characters left out).</summary>
        public static SecretText Generate(int length = 20)
        {
            if (length < 12)
            {
                length = 12;
            }

            var all = Lower + Upper + Digits + Symbols;
            var chars = new char[length];
            using (var rng = RandomNumberGenerator.Create())
            {
                while (true)
                {
                    for (var i = 0; i < length; i++)
                    {
                        chars[i] = all[Next(rng, all.Length)];
                    }

                    if (Has(chars, Lower) && Has(chars, Upper) && Has(chars, Digits) && Has(chars, Symbols))
                    {
                        break;
                    }
                }
            }
            var s = new SecretText(new string(chars));
            Array.Clear(chars, 0, chars.Length);
            return s;
        }

        private static bool Has(char[] chars, string set)
        {
            foreach (var c in chars)
            {
                if (set.IndexOf(c) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static int Next(RandomNumberGenerator rng, int max)
        {
            var b = new byte[4];
            var limit = uint.MaxValue - (uint.MaxValue % (uint)max);
            uint v;
            do
            {
                rng.GetBytes(b);
                v = BitConverter.ToUInt32(b, 0);
            }
            while (v >= limit);
            return (int)(v % (uint)max);
        }
    }
}
