using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace MailAdmin.Providers.WeCom
{
    /// <summary>
    /// The UserID ↔ mail address map WeCom no longer gives newer applications (user/get omits biz_mail since 2022-06-20,
    /// PROVIDERS-ADDENDUM.md 1.2), and each mailbox's mail state as last set through act_email (no API reads it back).
    /// Kept in memory and, when a path is given, in an append-only text file of tab-separated lines (M userid address,
    /// R userid, E userid 0|1), so the map survives the session. It holds no secret.
    /// </summary>
    public sealed class WeComAddressMap
    {
        private readonly object _lock = new object();
        private readonly Dictionary<string, string> _addressOf = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string> _userOf = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, bool> _enabled = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        public WeComAddressMap(string path)
        {
            Path = path;
            if (path == null || !File.Exists(path))
            {
                return;
            }

            foreach (var line in File.ReadAllLines(path, Encoding.UTF8))
            {
                Apply(line.Split('\t'));
            }
        }

        /// <summary>The file, or null when the map lives only in memory.</summary>
        public string Path { get; }

        private void Apply(string[] f)
        {
            if (f.Length >= 3 && f[0] == "M")
            {
                Forget(f[1]);
                _addressOf[f[1]] = f[2];
                _userOf[f[2]] = f[1];
            }
            else if (f.Length >= 2 && f[0] == "R")
            {
                Forget(f[1]);
                _enabled.Remove(f[1]);
            }
            else if (f.Length >= 3 && f[0] == "E") _enabled[f[1]] = f[2] == "1";
        }

        private void Forget(string userId)
        {
            if (_addressOf.TryGetValue(userId, out var old))
            {
                _addressOf.Remove(userId);
                _userOf.Remove(old);
            }
        }

        private void Write(params string[] fields)
        {
            lock (_lock)
            {
                Apply(fields);
                if (Path == null)
                {
                    return;
                }

                var dir = System.IO.Path.GetDirectoryName(Path);
                if (!string.IsNullOrEmpty(dir))
                {
                    Directory.CreateDirectory(dir);
                }

                File.AppendAllText(Path, string.Join("\t", fields) + "\n", new UTF8Encoding(false));
            }
        }

        public void Record(string userId, string address)
        {
            lock (_lock)
            {
                if (_addressOf.TryGetValue(userId, out var a) && string.Equals(a, address, StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }
            }

            Write("M", userId, address.ToLowerInvariant());
        }

        public void Remove(string userId) => Write("R", userId);
        public void SetEnabled(string userId, bool enabled) => Write("E", userId, enabled ? "1" : "0");

        public string AddressOf(string userId)
        {
            lock (_lock)
            {
                return userId != null && _addressOf.TryGetValue(userId, out var a) ? a : null;
            }
        }
        public string UserIdOf(string address)
        {
            lock (_lock)
            {
                return address != null && _userOf.TryGetValue(address, out var u) ? u : null;
            }
        }
        public bool EnabledOf(string userId)
        {
            lock (_lock)
            {
                return !_enabled.TryGetValue(userId, out var e) || e;
            }
        }
        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _addressOf.Count;
                }
            }
        }
        public IReadOnlyList<string> UserIds
        {
            get
            {
                lock (_lock)
                {
                    return _addressOf.Keys.ToList();
                }
            }
        }
    }
}
