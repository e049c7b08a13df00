using System;

namespace MailAdmin.Models
{
    /// <summary>
    /// A secret (password, API secret) held so that it never prints: ToString, serialisers and
    /// debuggers see a mask. The cmdlet layer builds it from a SecureString.
    /// </summary>
    public sealed class SecretText
    {
        private readonly char[] _value;
        public SecretText(string value)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            _value = value.ToCharArray();
        }
        public int Length => _value.Length;
        /// <summary>Reveals the secret; call only where it is hashed or sent.</summary>
        public string Reveal() => new string(_value);
        public override string ToString() => "********";
    }
}
