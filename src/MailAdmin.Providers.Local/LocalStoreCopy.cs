using System;
using System.Collections.Generic;
using System.Threading;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>Copy-MailStore's entry point: a Local store copied whole into another (SQLite or PostgreSQL), resumable and verified.</summary>
    public static class LocalStoreCopy
    {
        /// <summary>
        /// Opens the destination the options name (Path: a SQLite file, created when missing; ConnectionString with Username and
        /// Password: a PostgreSQL database, its schemas created when empty) and returns the copy, one verified table at a time.
        /// Nothing is read or written until the result is enumerated; stopping the enumeration leaves every committed batch, and
        /// running the copy again goes on from there.
        /// </summary>
        public static IEnumerable<MailStoreCopyResult> Copy(LocalMailProvider source, ProviderOptions destination,
            IProgress<MailStoreCopyProgress> progress, CancellationToken ct)
        {
            if (source == null)
            {
                throw new ArgumentNullException(nameof(source));
            }

            RequireDestination(destination);
            var target = LocalMailProvider.Open(destination);
            return new LocalStoreCopier(source.Database, target.Database).Copy(progress, ct);
        }

        /// <summary>Where the options point, safe to show (a full file path, or postgresql://user@host:port/database), without opening it.</summary>
        public static string Describe(ProviderOptions destination)
        {
            RequireDestination(destination);
            var cs = destination.GetString("ConnectionString");
            return string.IsNullOrWhiteSpace(cs)
                ? System.IO.Path.GetFullPath(destination.GetString("Path"))
                : new PostgresStoreDialect(cs, null, destination.GetString("Username")).Location;
        }

        private static void RequireDestination(ProviderOptions destination)
        {
            if (string.IsNullOrWhiteSpace(destination?.GetString("ConnectionString")) && string.IsNullOrWhiteSpace(destination?.GetString("Path")))
            {
                throw MailAdminException.Invalid("StoreCopyNoDestination",
                    "Name the destination store: a SQLite file (-DestinationPath) or a PostgreSQL database (-DestinationConnectionString).", null);
            }
        }
    }
}
