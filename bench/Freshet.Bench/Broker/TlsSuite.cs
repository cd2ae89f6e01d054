using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Freshet.Bench.Reporting;
using Freshet.Shared;

namespace Freshet.Bench.Broker;

/// <summary>
/// <c>broker --tls</c>: the Freshet broker's throughput over TLS against the same broker over plaintext, in the same run,
/// with identical Confluent.Kafka clients on 127.0.0.1: produce 1 KB values (acks=all, linger 5 ms) to one partition, then
/// consume them back (<see cref="ProducerThroughput"/>, <see cref="ConsumerThroughput"/>). Each repetition starts a fresh
/// plaintext broker and a fresh TLS broker (ECDSA P-256 certificate, TLS 1.3 as negotiated by librdkafka and .NET) and
/// alternates which goes first. Prints medians, each sample, the TLS/plaintext ratio, and
/// <c>RESULT {tls_produce_ratio, tls_consume_ratio, ...}</c>. Options: <c>--reps N</c> (default 5), <c>--messages-1kb N</c>
/// (default 150000), <c>--dir PATH</c>.
/// </summary>
internal static class TlsSuite
{
    private const int ValueBytes = 1000;

    public static int Run(string[] args)
    {
        var reps = 5;
        var messages = 150_000;
        string? parent = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            var number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : -1;
            switch (args[i])
            {
                case "--tls":
                    continue;
                case "--reps" when number > 0:
                    reps = number;
                    break;
                case "--messages-1kb" when number > 0:
                    messages = number;
                    break;
                case "--dir" when value is not null:
                    parent = value;
                    break;
                default:
                    Console.Error.WriteLine($"broker --tls: unknown or invalid option '{args[i]}'; usage: Freshet.Bench broker --tls [--reps N] [--messages-1kb N] [--dir PATH]");
                    return 2;
            }

            i++;
        }

        KafkaNativeLibrary.EnsureLoaded();
        using var scratch = new ScratchDirectory(parent);
        var certificates = BenchCertificates.Create(Path.Combine(scratch.Path, "certificates"));
        Console.WriteLine($"Freshet broker over TLS against plaintext: Confluent.Kafka {Confluent.Kafka.Library.VersionString}, 1 KB values, 1 partition, {messages:N0} messages, {reps} repetitions, medians");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, data {scratch.Path}");
        Console.WriteLine();

        var produce = new Comparison("produce 1 KB, 1p", "MB/s", "plaintext");
        var consume = new Comparison("consume 1 KB, 1p", "MB/s", "plaintext");
        var total = Stopwatch.StartNew();
        Progress("warm-up");
        RunRound(scratch, certificates, Math.Min(messages, 30_000), 0, null, null);
        for (var rep = 0; rep < reps; rep++)
        {
            Progress($"rep {rep + 1}/{reps}");
            RunRound(scratch, certificates, messages, rep, produce, consume);
        }

        Console.Write(ResultTable.Format([produce, consume]));
        Console.WriteLine("freshet = the broker over TLS (SSL listener); baseline = the same broker over plaintext; ratio = TLS median / plaintext median; MB = 10^6 bytes of values.");
        Console.WriteLine($"suite time {total.Elapsed.TotalSeconds:0} s");
        var result = new ResultLine();
        result.Add("tls_produce_1kb_mb_s", produce.FreshetMedian, 1);
        result.Add("plaintext_produce_1kb_mb_s", produce.BaselineMedian, 1);
        result.Add("tls_produce_ratio", produce.Ratio);
        result.Add("tls_consume_1kb_mb_s", consume.FreshetMedian, 1);
        result.Add("plaintext_consume_1kb_mb_s", consume.BaselineMedian, 1);
        result.Add("tls_consume_ratio", consume.Ratio);
        result.Add("reps", reps, 0);
        Console.WriteLine(result);
        return 0;
    }

    /// <summary>Produce then consume on a fresh plaintext broker and a fresh TLS broker, alternating which goes first; samples recorded when comparisons are given.</summary>
    private static void RunRound(ScratchDirectory scratch, BenchCertificates certificates, int messages, int round, Comparison? produce, Comparison? consume)
    {
        using var plainDirectory = new ScratchDirectory(scratch.Path);
        using var tlsDirectory = new ScratchDirectory(scratch.Path);
        using var plain = FreshetTarget.Start(plainDirectory.Path);
        using var tls = FreshetTarget.Start(tlsDirectory.Path, certificates);
        BenchTarget[] order = round % 2 == 0 ? [tls, plain] : [plain, tls];
        var topics = new Dictionary<BenchTarget, string>();
        foreach (var target in order)
        {
            var topic = "tls-bench-" + Guid.NewGuid().ToString("N")[..8];
            target.CreateTopic(topic, 1);
            topics[target] = topic;
            Quiesce();
            var elapsed = ProducerThroughput.Run(target, topic, 1, messages, ValueBytes);
            Record(produce, target == tls, messages * (double)ValueBytes / 1e6 / elapsed.TotalSeconds);
        }

        foreach (var target in order)
        {
            Quiesce();
            var (read, elapsed) = ConsumerThroughput.Run(target, topics[target], 1, messages, messages, ValueBytes);
            Record(consume, target == tls, read * (double)ValueBytes / 1e6 / elapsed.TotalSeconds);
        }
    }

    private static void Record(Comparison? comparison, bool isTls, double value)
    {
        if (comparison is null)
        {
            return;
        }

        if (isTls)
        {
            comparison.AddFreshet(value);
        }
        else
        {
            comparison.AddBaseline(value);
        }
    }

    private static void Quiesce()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
