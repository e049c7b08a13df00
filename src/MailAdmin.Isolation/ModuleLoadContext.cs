using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace MailAdmin.Isolation
{
    /// <summary>
    /// Loads MailAdmin's own assemblies and third-party dependencies (SQLite, BouncyCastle, later MailKit/MimeKit/Newtonsoft)
    /// from the module's deps/ folder into a private AssemblyLoadContext, so the module works beside other modules that ship
    /// other versions of the same libraries. Native libraries (e_sqlite3) are resolved from deps/runtimes/RID/native.
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private static readonly object Gate = new object();
        private static ModuleLoadContext _instance;
        private readonly string _deps;

        private ModuleLoadContext(string deps) : base("MailAdmin", isCollectible: false)
        {
            _deps = deps;
        }

        /// <summary>Called once by the cmdlet assembly's module initializer with the full path of deps/.</summary>
        public static void Install(string depsDirectory)
        {
            lock (Gate)
            {
                if (_instance != null)
                {
                    return;
                }

                _instance = new ModuleLoadContext(depsDirectory);
                AssemblyLoadContext.Default.Resolving += OnDefaultResolving;
            }
        }

        // The cmdlet assembly lives in the default context; its references into deps/ are served from the private context.
        private static Assembly OnDefaultResolving(AssemblyLoadContext context, AssemblyName name)
        {
            var path = Path.Combine(_instance._deps, name.Name + ".dll");
            if (!File.Exists(path) || Platform.Contains(name.Name) && name.Name.StartsWith("System.", StringComparison.Ordinal))
            {
                return null;
            }

            return _instance.LoadFromAssemblyName(name);
        }

        private static readonly System.Collections.Generic.HashSet<string> Platform = PlatformAssemblies();

        private static System.Collections.Generic.HashSet<string> PlatformAssemblies()
        {
            var set = new System.Collections.Generic.HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
            foreach (var p in tpa.Split(Path.PathSeparator))
            {
                if (p.Length > 0)
                {
                    set.Add(Path.GetFileNameWithoutExtension(p));
                }
            }

            return set;
        }

        protected override Assembly Load(AssemblyName name)
        {
            // Framework assemblies (System.Memory and friends that netstandard2.0 packages carry) come from the runtime:
            // a second copy would make types that cannot be passed to the framework.
            if (Platform.Contains(name.Name)
                && (name.Name.StartsWith("System.", StringComparison.Ordinal) || name.Name.StartsWith("Microsoft.Win32", StringComparison.Ordinal)
                || name.Name == "netstandard"))
            {
                return null;
            }

            var path = Path.Combine(_deps, name.Name + ".dll");
            // Everything we ship loads here, whatever the default context already holds; the rest (the framework) falls back.
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            foreach (var candidate in NativeCandidates(unmanagedDllName))
            {
                if (File.Exists(candidate))
                {
                    return LoadUnmanagedDllFromPath(candidate);
                }
            }
            return IntPtr.Zero;
        }

        private System.Collections.Generic.IEnumerable<string> NativeCandidates(string name)
        {
            var rid = RuntimeRid();
            string[] files;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                files = new[] { name + ".dll", name };
            }
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                files = new[] { "lib" + name + ".dylib", name + ".dylib", name };
            }
            else
            {
                files = new[] { "lib" + name + ".so", name + ".so", name };
            }

            foreach (var f in files)
            {
                yield return Path.Combine(_deps, "runtimes", rid, "native", f);
                yield return Path.Combine(_deps, f);
            }
        }

        private static string RuntimeRid()
        {
            var arch = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => "x64",
                Architecture.Arm64 => "arm64",
                Architecture.X86 => "x86",
                Architecture.Arm => "arm",
                _ => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            };
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return "win-" + arch;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return "osx-" + arch;
            }
            // musl (Alpine) ships its own native build.
            var musl = File.Exists("/lib/ld-musl-x86_64.so.1") || File.Exists("/lib/ld-musl-aarch64.so.1");
            return (musl ? "linux-musl-" : "linux-") + arch;
        }
    }
}
