using System;

namespace MailAdmin.Models
{
    /// <summary>How eagerly mail the spam filter scored is filed in Junk.</summary>
    public enum SpamFilterLevel
    {
        /// <summary>Nothing is filed in Junk.</summary>
        Off,
        /// <summary>Only what the filter flags as spam, or scores 10 or more.</summary>
        Low,
        /// <summary>Flagged, or a score of 5 or more (SpamAssassin's default threshold).</summary>
        Medium,
        /// <summary>Flagged, or a score of 3 or more.</summary>
        High,
    }
}
