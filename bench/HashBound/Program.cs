// Usage: HashBound <cost> <hashes>  -> prints hashes per second using all cores (Parallel.For), and on one core.
using System.Diagnostics;

var cost = args.Length > 0 ? int.Parse(args[0]) : 10;
var n = args.Length > 1 ? int.Parse(args[1]) : 200;
BCrypt.Net.BCrypt.HashPassword("warm-up", BCrypt.Net.BCrypt.GenerateSalt(cost, 'b'));
var sw = Stopwatch.StartNew();
Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
    i => BCrypt.Net.BCrypt.HashPassword($"Bench-Passw0rd-{i}", BCrypt.Net.BCrypt.GenerateSalt(cost, 'b')));
var all = n / sw.Elapsed.TotalSeconds;
sw.Restart();
var one = Math.Max(10, n / 4);
for (var i = 0; i < one; i++) BCrypt.Net.BCrypt.HashPassword($"Bench-Passw0rd-{i}", BCrypt.Net.BCrypt.GenerateSalt(cost, 'b'));
Console.WriteLine($"cost={cost} cores={Environment.ProcessorCount} all_cores_per_s={all:F1} one_core_per_s={one / sw.Elapsed.TotalSeconds:F1}");
