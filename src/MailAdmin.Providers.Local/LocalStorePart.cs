namespace MailAdmin.Providers.Local
{
    /// <summary>What every store of the Local provider shares: the hub it belongs to and the one database.</summary>
    internal abstract class LocalStorePart
    {
        protected readonly LocalStore _s;

        protected LocalStorePart(LocalStore s)
        {
            _s = s;
        }

        protected LocalDatabase _db => _s.Db;
        protected static string Name => LocalMailProvider.ProviderName;
        protected string StorePath => _s.Db.Path;
    }
}
