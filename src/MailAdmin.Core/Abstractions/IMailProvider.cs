using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Models;

namespace MailAdmin.Abstractions
{
    /// <summary>A back end. It implements the capability interfaces below that it supports.</summary>
    public interface IMailProvider : IDisposable
    {
        string Name { get; }
        MailCapability Capabilities { get; }
        /// <summary>Where it points: a store path or an API host; never a secret.</summary>
        string Target { get; }
    }
}
