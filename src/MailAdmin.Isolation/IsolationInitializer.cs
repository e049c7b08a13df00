using System.IO;
using System.Management.Automation;

namespace MailAdmin.Isolation
{
    /// <summary>Runs when the manifest imports this nested module: installs MailAdmin's load context over deps/.</summary>
    public sealed class IsolationInitializer : IModuleAssemblyInitializer
    {
        public void OnImport()
        {
            var root = Path.GetDirectoryName(typeof(IsolationInitializer).Assembly.Location);
            var deps = Path.Combine(root, "deps");
            if (Directory.Exists(deps))
            {
                ModuleLoadContext.Install(deps);
            }
        }
    }
}
