using BenchmarkDotNet.Attributes;
using Freshet.Streaming.Exchange;

namespace Freshet.Bench.Micro;

/// <summary>
/// Cost of routing a record by key (<c>KeyBy</c>'s per-record work in the exchange: select the key, stable hash, key
/// group, subtask) for keys of different types: <see cref="long"/> (the baseline, hashed inline), <see cref="string"/>,
/// a value tuple <c>(string, int)</c> and a record of a string, an int and a nested record struct (both hashed by a
/// delegate compiled once per type). 1,000 distinct keys; one operation = one record of a 1,024-record batch routed to
/// 4 subtasks over 128 key groups. Run with <c>-- micro --filter '*KeyHashMicro*'</c>.
/// </summary>
[MemoryDiagnoser]
public class KeyHashMicroBenchmarks
{
    private const int Records = 1024;
    private const int Keys = 1000;

    private readonly int[] _targets = new int[Records];
    private readonly long[] _longs = new long[Records];
    private readonly string[] _strings = new string[Records];
    private readonly (string, int)[] _tuples = new (string, int)[Records];
    private readonly Order[] _records = new Order[Records];
    private readonly KeyGroupRouter<long, long> _longRouter = new(static v => v, 128, 4);
    private readonly KeyGroupRouter<string, string> _stringRouter = new(static v => v, 128, 4);
    private readonly KeyGroupRouter<(string, int), (string, int)> _tupleRouter = new(static v => v, 128, 4);
    private readonly KeyGroupRouter<Order, Order> _recordRouter = new(static v => v, 128, 4);

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Records; i++)
        {
            var k = i % Keys;
            _longs[i] = k * 7919L;
            _strings[i] = "customer-" + k;
            _tuples[i] = ("customer-" + k, k % 7);
            _records[i] = new Order("customer-" + k, k % 7, new Money(k % 13, "EUR"));
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public void Long() => _longRouter.Route(_longs, _targets);

    [Benchmark(OperationsPerInvoke = Records)]
    public void String() => _stringRouter.Route(_strings, _targets);

    [Benchmark(OperationsPerInvoke = Records)]
    public void ValueTuple() => _tupleRouter.Route(_tuples, _targets);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Record() => _recordRouter.Route(_records, _targets);

    public readonly record struct Money(decimal Amount, string Currency);

    public sealed record Order(string Customer, int Region, Money Price);
}
