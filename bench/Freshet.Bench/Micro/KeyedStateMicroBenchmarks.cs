using BenchmarkDotNet.Attributes;
using Freshet.Streaming.Operators;
using Freshet.Streaming.State;
using Freshet.Streaming.Time;

namespace Freshet.Bench.Micro;

/// <summary>
/// Cost of one keyed state access as a keyed operator makes it (set the current key, then read-modify-write), over
/// 10,000 keys visited round robin: the baseline is the same update on a plain <c>Dictionary&lt;long, long&gt;</c>;
/// then value, reducing and map state without TTL, and value and map state with TTL (clock read, stamping,
/// incremental cleanup of 5 keys per access). One operation = 1,024 accesses. Run with
/// <c>-- micro --filter '*KeyedStateMicro*'</c>.
/// </summary>
[MemoryDiagnoser]
public class KeyedStateMicroBenchmarks
{
    private const int Keys = 10_000;
    private const int AccessesPerOperation = 1024;

    private readonly Dictionary<long, long> _dictionary = [];
    private readonly KeyContext<long> _key = new();
    private ValueState<long> _value = null!;
    private ReducingState<long> _reducing = null!;
    private MapState<int, long> _map = null!;
    private ValueState<long> _valueTtl = null!;
    private MapState<int, long> _mapTtl = null!;
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        var context = new KeyedRuntimeContext<long>(_key, 0, 1, new ProcessingTimeService(TimeProvider.System));
        _value = context.GetState(new ValueStateDescriptor<long>("value"));
        _reducing = context.GetReducingState(new ReducingStateDescriptor<long>("reducing", static (a, b) => a + b));
        _map = context.GetMapState(new MapStateDescriptor<int, long>("map"));
        var valueTtl = new ValueStateDescriptor<long>("value-ttl");
        valueTtl.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromHours(1)));
        _valueTtl = context.GetState(valueTtl);
        var mapTtl = new MapStateDescriptor<int, long>("map-ttl");
        mapTtl.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromHours(1)));
        _mapTtl = context.GetMapState(mapTtl);
        for (var k = 0L; k < Keys; k++)
        {
            _dictionary[k] = 0;
            SetKey(k);
            _value.Update(0);
            _reducing.Add(0);
            _map.Put(0, 0);
            _valueTtl.Update(0);
            _mapTtl.Put(0, 0);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = AccessesPerOperation)]
    public void Dictionary()
    {
        for (var i = 0; i < AccessesPerOperation; i++)
        {
            var k = NextKey();
            _dictionary[k] = _dictionary[k] + 1;
        }
    }

    [Benchmark(OperationsPerInvoke = AccessesPerOperation)]
    public void ValueState()
    {
        for (var i = 0; i < AccessesPerOperation; i++)
        {
            SetKey(NextKey());
            _value.Update(_value.Value + 1);
        }
    }

    [Benchmark(OperationsPerInvoke = AccessesPerOperation)]
    public void ReducingState()
    {
        for (var i = 0; i < AccessesPerOperation; i++)
        {
            SetKey(NextKey());
            _reducing.Add(1);
        }
    }

    [Benchmark(OperationsPerInvoke = AccessesPerOperation)]
    public void MapState()
    {
        for (var i = 0; i < AccessesPerOperation; i++)
        {
            SetKey(NextKey());
            _map.Put(0, _map.TryGetValue(0, out var v) ? v + 1 : 1);
        }
    }

    [Benchmark(OperationsPerInvoke = AccessesPerOperation)]
    public void ValueStateWithTtl()
    {
        for (var i = 0; i < AccessesPerOperation; i++)
        {
            SetKey(NextKey());
            _valueTtl.Update(_valueTtl.Value + 1);
        }
    }

    [Benchmark(OperationsPerInvoke = AccessesPerOperation)]
    public void MapStateWithTtl()
    {
        for (var i = 0; i < AccessesPerOperation; i++)
        {
            SetKey(NextKey());
            _mapTtl.Put(0, _mapTtl.TryGetValue(0, out var v) ? v + 1 : 1);
        }
    }

    private long NextKey()
    {
        var k = _next;
        _next = k + 1 == Keys ? 0 : k + 1;
        return k;
    }

    private void SetKey(long key)
    {
        _key.Current = key;
        _key.IsSet = true;
    }
}
