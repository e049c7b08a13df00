using System;
using System.Data.Common;

namespace MailAdmin.Providers.Local
{
    /// <summary>
    /// What differs between the databases a Local store can live in (SQLite, the embedded default, and PostgreSQL for several
    /// mail hosts). The stores write every query once, in SQLite's spelling; a dialect opens connections, begins write
    /// transactions, keeps the schema version, and rewrites the few constructs the other database spells differently.
    /// </summary>
    internal abstract class StoreDialect
    {
        /// <summary>Where the store is, safe to show (a file path, or host and database: never a password).</summary>
        public abstract string Location { get; }

        /// <summary>Short name for messages: "SQLite" or "PostgreSQL".</summary>
        public abstract string Name { get; }

        /// <summary>True when several processes on several machines may write at once (PostgreSQL).</summary>
        public abstract bool IsShared { get; }

        /// <summary>Creates the database's containers (files, schemas, helper functions) before the first migration.</summary>
        public abstract void Prepare();

        /// <summary>An open connection ready for the stores' SQL (secrets attached, search path set).</summary>
        public abstract DbConnection OpenConnection();

        /// <summary>A transaction that takes the write lock at once, so writers never deadlock on an upgrade.</summary>
        public abstract DbTransaction BeginWrite(DbConnection c);

        /// <summary>The transaction migrations run in.</summary>
        public abstract DbTransaction BeginMigration(DbConnection c);

        /// <summary>A unique or primary key constraint refused a row (another writer took the name first).</summary>
        public abstract bool IsUniqueViolation(Exception e);

        /// <summary>Serialises migrations between processes until the transaction ends.</summary>
        public abstract void LockForMigration(DbConnection c, DbTransaction tx);

        public abstract int ReadVersion(DbConnection c, DbTransaction tx);

        public abstract void WriteVersion(DbConnection c, DbTransaction tx, int version);

        /// <summary>Makes freed pages of the secrets overwritten where the database can (SQLite's secure_delete).</summary>
        public abstract void SecureDelete(DbConnection c, DbTransaction tx);

        /// <summary>Before a run of migrations, outside their transaction.</summary>
        public abstract void BeforeMigrations(DbConnection c);

        /// <summary>After migrations moved secrets out: rewrite the directory so no old copy survives (SQLite VACUUM).</summary>
        public abstract void CompactAfterSecretsMoved(DbConnection c);



        /// <summary>A failure that is the database's or the connection's, not one piece's: the whole batch fails (or is retried).</summary>
        public abstract bool IsFatal(Exception e);

        /// <summary>A conflict between concurrent transactions (serialization failure, deadlock): the batch is run again.</summary>
        public abstract bool IsRetryable(Exception e);

        /// <summary>Drops the idle pooled connections (after one was found broken, the others may be too).</summary>
        public virtual void ResetConnections()
        {
        }

        /// <summary>The connection broke: whether a commit landed is unknown until the batch marker is looked up.</summary>
        public abstract bool IsConnectionLost(Exception e);
    }
}
