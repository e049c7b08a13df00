using System;
using System.Security.Cryptography;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Abstractions;
using MailAdmin.Models;

namespace MailAdmin.Providers.Local
{
    /// <summary>DKIM key pairs: RSA 2048 (RFC 8301), private key as PKCS#1 PEM for OpenDKIM, public key for the p= tag.</summary>
    internal static class DkimKeys
    {
        public static (string privatePem, string publicBase64) Generate()
        {
            using (var rsa = RSA.Create(2048))
            {
                var pem = rsa.ExportRSAPrivateKeyPem() + "\n";
                var spki = rsa.ExportSubjectPublicKeyInfo();
                return (pem, Convert.ToBase64String(spki));
            }
        }
    }
}
