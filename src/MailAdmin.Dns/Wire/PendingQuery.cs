using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailAdmin.Dns.Wire
{
    /// <summary>A query waiting for its answer: what was sent, to whom, how many tries are left, and when this one times out.</summary>
    internal sealed class PendingQuery
    {
        public PendingQuery(byte[] query, IReadOnlyList<IPEndPoint> servers, TimeSpan timeout, int tries)
        {
            Query = query;
            Servers = servers;
            Timeout = timeout;
            Tries = tries;
        }

        public byte[] Query { get; }

        public ushort Id { get; set; }

        public IReadOnlyList<IPEndPoint> Servers { get; }

        public TimeSpan Timeout { get; }

        public int Tries { get; }

        /// <summary>The try under way (0 first); each try goes to the next server in turn.</summary>
        public int Attempt => Volatile.Read(ref _attempt);

        /// <summary>Whether TCP has the query (after a truncated answer); the timer leaves it alone then.</summary>
        public bool OverTcp => Volatile.Read(ref _overTcp) == 1;

        private int _attempt;
        private int _overTcp;

        /// <summary>Moves on to the next try, if one is left and TCP does not have the query.</summary>
        public bool TryNext()
        {
            while (true)
            {
                var a = Volatile.Read(ref _attempt);
                if (a + 1 >= Tries || OverTcp)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _attempt, a + 1, a) == a)
                {
                    return true;
                }
            }
        }

        /// <summary>Hands the query to TCP once (a second truncated answer, to a duplicate or a retry, starts nothing).</summary>
        public bool HandOverToTcp()
        {
            if (Interlocked.CompareExchange(ref _overTcp, 1, 0) != 0)
            {
                return false;
            }

            Deadline = long.MaxValue;
            return true;
        }

        /// <summary>Environment.TickCount64 at which the try under way times out (long.MaxValue while TCP has it).</summary>
        public long Deadline
        {
            get => Volatile.Read(ref _deadline);
            set => Volatile.Write(ref _deadline, value);
        }

        private long _deadline;

        public IPEndPoint Server => Servers[Attempt % Servers.Count];

        /// <summary>Completed by the receive loop, whose thread then runs the awaiting code itself (no RunContinuationsAsynchronously):
        /// one answer costs no hop through the thread pool.</summary>
        public TaskCompletionSource<DnsExchange> Completion { get; } = new TaskCompletionSource<DnsExchange>();

        public CancellationTokenRegistration Cancellation { get; set; }

        /// <summary>An answer counts only from a server this query was sent to (address and port).</summary>
        public bool SentTo(IPEndPoint from)
        {
            for (var i = 0; i < Servers.Count; i++)
            {
                var s = Servers[i];
                if (s.Port == from.Port && s.Address.Equals(from.Address))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>Whether an answer's question section is the one asked (RFC 5452 9.1), ASCII letters in any case.</summary>
        public bool AsksSameQuestion(ReadOnlySpan<byte> answer)
        {
            // the question: the name, then type and class (4 bytes), then the OPT record (11 bytes) this query carries
            var question = Query.AsSpan(12, Query.Length - 12 - 11);
            if (answer.Length < 12 + question.Length)
            {
                return false;
            }

            var theirs = answer.Slice(12, question.Length);
            var name = question.Length - 4;
            for (var i = 0; i < name; i++)
            {
                if (Fold(question[i]) != Fold(theirs[i]))
                {
                    return false;
                }
            }
            return question.Slice(name).SequenceEqual(theirs.Slice(name));
        }

        private static byte Fold(byte b) => b >= (byte)'A' && b <= (byte)'Z' ? (byte)(b | 0x20) : b;
    }
}
