namespace MailAdmin.Models
{
    /// <summary>One table of a store copied by Copy-MailStore: how many rows the source has, how many this run copied, and
    /// whether the destination now holds the same rows (count and content digest compared after the copy).</summary>
    public sealed class MailStoreCopyResult
    {
        /// <summary>The table, with its schema: main.* (the directory) or secret.* (password hashes, app passwords, DKIM keys).</summary>
        public string Table { get; set; }

        /// <summary>Rows of the source to copy (host-specific settings left out).</summary>
        public long SourceRows { get; set; }

        /// <summary>Rows this run wrote (a re-run after an interruption writes only the rest).</summary>
        public long CopiedRows { get; set; }

        /// <summary>Rows of the destination after the copy (host-specific settings left out).</summary>
        public long DestinationRows { get; set; }

        /// <summary>Rows of the source not copied on purpose (settings that describe one mail host's files).</summary>
        public long SkippedRows { get; set; }

        /// <summary>True when the destination's rows equal the source's: same count and the same SHA-256 over every row in key order.</summary>
        public bool Verified { get; set; }

        /// <summary>The destination store (a file, or postgresql://user@host:port/database; never a password).</summary>
        public string Destination { get; set; }

        public override string ToString() => $"{Table} {CopiedRows}/{SourceRows} {(Verified ? "verified" : "NOT verified")}";
    }
}
