using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MailAdmin.Errors;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MailAdmin.Remote
{
    /// <summary>Lenient reading of JSON values that providers send as numbers or strings.</summary>
    public static class Json
    {
        public static long? Long(JToken t)
        {
            if (t == null || t.Type == JTokenType.Null)
            {
                return null;
            }

            if (t.Type == JTokenType.Integer)
            {
                return t.Value<long>();
            }

            return long.TryParse(t.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (long?)null;
        }
        public static int? Int(JToken t)
        {
            var l = Long(t);
            return l.HasValue ? (int)l.Value : (int?)null;
        }
        public static string Str(JToken t) => t == null || t.Type == JTokenType.Null ? null : t.Type == JTokenType.String ? t.Value<string>()
            : t.ToString(Formatting.None);
        public static bool? Bool(JToken t)
        {
            if (t == null || t.Type == JTokenType.Null)
            {
                return null;
            }

            if (t.Type == JTokenType.Boolean)
            {
                return t.Value<bool>();
            }

            var l = Long(t);
            if (l.HasValue)
            {
                return l.Value != 0;
            }

            var s = t.ToString();
            return s.Equals("true", StringComparison.OrdinalIgnoreCase) ? true : s.Equals("false", StringComparison.OrdinalIgnoreCase) ? false : (bool?)null;
        }
        public static string[] Strings(JToken t) => t is JArray a ? a.Select(Str).Where(x => x != null).ToArray() : new string[0];
    }
}
