using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>DKIM keys of self-hosted domains: the one that signs, the next one (published before it signs) and the previous one.</summary>
    public interface IMailDkimKeyManager
    {
        IReadOnlyList<MailDkimKey> GetDkimKeys(string domain);
        /// <summary>Generates the next key (replacing an unused next key); it signs nothing until <see cref="SwitchDkimKey"/>.</summary>
        MailDkimKey NewDkimKey(string domain, string selector);
        /// <summary>The next key signs from now on; the key that signed until now stays published as the previous key.</summary>
        MailDkimKey SwitchDkimKey(string domain);
    }
}
