using System.Globalization;
using Freshet.KeyHash.TestHost;

// Prints one line per generated key, "<index> <hash> <key group>" (KeySamples.Lines), then "end".
// Usage: Freshet.KeyHash.TestHost SEED COUNT. Exit code 2 on a usage error.
if (args.Length != 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var seed) || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var count))
{
    Console.Error.WriteLine("usage: Freshet.KeyHash.TestHost SEED COUNT");
    return 2;
}

using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
foreach (var line in KeySamples.Lines(seed, count))
{
    output.WriteLine(line);
}

output.WriteLine("end");
return 0;
