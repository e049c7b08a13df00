using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Errors;
using MailAdmin.Models;

namespace MailAdmin.PowerShell
{
    /// <summary>Accepts a SecureString, a PSCredential (its password) or plain text (as Import-Csv gives) for -Password.</summary>
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var v = inputData is PSObject p ? p.BaseObject : inputData;
            switch (v)
            {
                case null: return null;
                case SecureString s: return s;
                case PSCredential c: return c.Password;
                case string t:
                    if (t.Length == 0)
                    {
                        return null;
                    }

                    var ss = new SecureString();
                    foreach (var ch in t)
                    {
                        ss.AppendChar(ch);
                    }

                    ss.MakeReadOnly();
                    return ss;
                default: throw new ArgumentTransformationMetadataException("A password must be a SecureString, a PSCredential or a string.");
            }
        }
    }
}
