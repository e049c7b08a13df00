namespace MailAdmin.Models
{
    /// <summary>Where a store copy is: the table being copied and its rows done out of its total.</summary>
    public sealed class MailStoreCopyProgress
    {
        public string Table { get; set; }

        /// <summary>1-based position of the table in the copy order.</summary>
        public int TableNumber { get; set; }

        public int TableCount { get; set; }

        /// <summary>Rows of this table in the destination so far (copied earlier or by this run).</summary>
        public long RowsDone { get; set; }

        public long RowsTotal { get; set; }
    }
}
