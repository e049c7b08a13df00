using System.Diagnostics;
using MailAdmin.Models;
using Npgsql;

namespace MailAdmin.Providers.Local.Tests;

/// <summary>
/// A real PostgreSQL for the store tests: the server build.ps1 started for the whole run (MAILADMIN_TEST_PG, a superuser
/// connection string), or, when this project runs alone, a private cluster started here (initdb as the postgres user, on
/// 127.0.0.1 at a free port below the ephemeral range) and stopped at the end. Each store gets a database of its own.
/// </summary>
public sealed class PostgresFixture : IDisposable
{
    private readonly string _ownFolder;
    private readonly string _bin;

    public PostgresFixture()
    {
        var shared = Environment.GetEnvironmentVariable("MAILADMIN_TEST_PG");
        if (!string.IsNullOrEmpty(shared))
        {
            Server = new NpgsqlConnectionStringBuilder(shared);
            return;
        }

        _bin = Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin"))
            .LastOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed: run build.ps1 test (it installs it) or apt-get install postgresql.");
        _ownFolder = Path.Combine(Path.GetTempPath(), "ma-xunit-pg-" + Guid.NewGuid().ToString("n")[..8]);
        var data = Path.Combine(_ownFolder, "data");
        Directory.CreateDirectory(data);
        var password = Guid.NewGuid().ToString("n");
        File.WriteAllText(Path.Combine(_ownFolder, "pw"), password);
        Run("chown", "-R", "postgres:postgres", _ownFolder);
        Run("chmod", "700", data);
        Run("runuser", "-u", "postgres", "--", Path.Combine(_bin, "initdb"), "-D", data, "-U", "mailadmin", "--pwfile=" + Path.Combine(_ownFolder, "pw"),
            "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8");
        File.Delete(Path.Combine(_ownFolder, "pw"));
        var port = Random.Shared.Next(5000, 10000);
        Run("runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", data, "-l", Path.Combine(_ownFolder, "log"), "-w", "-t", "30",
            "-o", $"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={_ownFolder} -c fsync=off -c max_connections=200", "start");
        Server = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "mailadmin", Password = password };
    }

    /// <summary>The server, connected as a superuser (to create databases).</summary>
    public NpgsqlConnectionStringBuilder Server { get; }

    /// <summary>A new empty database; returns its connection string without the password (the module takes that apart).</summary>
    public string NewDatabase()
    {
        var name = "t" + Guid.NewGuid().ToString("n")[..16];
        var admin = new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = "postgres", Pooling = false };
        using (var c = new NpgsqlConnection(admin.ConnectionString))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            cmd.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder { Host = Server.Host, Port = Server.Port, Username = Server.Username, Database = name }.ConnectionString;
    }

    public SecretText Password => new(Server.Password);

    /// <summary>A connection to a store's database as the tests read it (search path 'main', like the module's).</summary>
    public NpgsqlConnection Connect(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString) { Password = Server.Password, SearchPath = "main", Pooling = false };
        var c = new NpgsqlConnection(b.ConnectionString);
        c.Open();
        return c;
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (_ownFolder != null)
        {
            Run("runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_ownFolder, "data"), "-m", "immediate", "-w", "stop");
            Directory.Delete(_ownFolder, true);
        }
    }

    private static void Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({p.ExitCode}): {output} {err.Result}");
    }
}
