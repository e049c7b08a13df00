using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;

namespace MailAdmin.Dns
{
    public enum BlocklistStatus
    {
        NotListed, Listed, Error
    }
}
