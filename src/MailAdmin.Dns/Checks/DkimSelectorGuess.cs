namespace MailAdmin.Dns.Checks
{
    /// <summary>How Test-MailDomain finds DKIM selectors when none is known for a domain (selectors cannot be listed from DNS).</summary>
    public enum DkimSelectorGuess
    {
        /// <summary>Ask ten commonly used selectors.</summary>
        Common,

        /// <summary>Ask none: only the selectors named (-DkimSelector), the connected provider's and the provider table's.</summary>
        None,

        /// <summary>Ask the common selectors and those of widely used sending services (about 25 questions).</summary>
        Extended,
    }
}
