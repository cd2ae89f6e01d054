using CsCheck;
using Freshet.Streaming.Operators;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.State;

/// <summary>
/// Random operation sequences on map and list state, with and without TTL, on the heap and on RocksDB, while a manual
/// clock advances, compared step by step with a direct model (each element with its stamp; expired when
/// now − stamp ≥ TTL): both backends keep the same TTL semantics.
/// </summary>
public sealed class StateModelTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-state-model-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private const long TtlMs = 100;

    /// <summary>(operation, key, user key, value, clock advance in ms).</summary>
    private static readonly Gen<(int Op, int Key, int UserKey, int Value, int Advance)[]> Operations =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 1000], Gen.Int[0, 60]).Array[0, 150];

    [Theory]
    [InlineData(false, null, 5)]
    [InlineData(false, StateTtlUpdateType.OnCreateAndWrite, 0)]
    [InlineData(false, StateTtlUpdateType.OnCreateAndWrite, 3)]
    [InlineData(false, StateTtlUpdateType.OnReadAndWrite, 2)]
    [InlineData(true, null, 5)]
    [InlineData(true, StateTtlUpdateType.OnCreateAndWrite, 0)]
    [InlineData(true, StateTtlUpdateType.OnCreateAndWrite, 3)]
    [InlineData(true, StateTtlUpdateType.OnReadAndWrite, 2)]
    public void MapState_RandomOperations_MatchModel(bool rocksDb, StateTtlUpdateType? updateType, int cleanupPerAccess)
    {
        Operations.Sample(
            operations =>
            {
                var clock = new ManualClock(1_000);
                var key = new KeyContext<int>();
                using var context = NewContext(key, clock, rocksDb);
                var descriptor = new MapStateDescriptor<int, int>("m");
                if (updateType is { } type)
                {
                    descriptor.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromMilliseconds(TtlMs)) { UpdateType = type, CleanupEntriesPerAccess = cleanupPerAccess });
                }

                var state = context.GetMapState(descriptor);
                var model = new Dictionary<int, Dictionary<int, (int Value, long Stamp)>>();
                var updateOnRead = updateType == StateTtlUpdateType.OnReadAndWrite;
                foreach (var (op, k, userKey, value, advance) in operations)
                {
                    clock.NowMs += advance;
                    var now = clock.NowMs;
                    key.Current = k;
                    key.IsSet = true;
                    var entries = model.TryGetValue(k, out var existing) ? existing : model[k] = [];
                    if (updateType is not null)
                    {
                        foreach (var expired in entries.Where(e => now - e.Value.Stamp >= TtlMs).Select(e => e.Key).ToArray())
                        {
                            entries.Remove(expired);
                        }
                    }

                    switch (op)
                    {
                        case 0:
                            state.Put(userKey, value);
                            entries[userKey] = (value, now);
                            break;
                        case 1:
                        case 5:
                            var found = op == 1 ? state.TryGetValue(userKey, out var actual) : (state.Contains(userKey), actual = 0).Item1;
                            Assert.Equal(entries.ContainsKey(userKey), found);
                            if (found)
                            {
                                if (op == 1)
                                {
                                    Assert.Equal(entries[userKey].Value, actual);
                                }

                                if (updateOnRead)
                                {
                                    entries[userKey] = (entries[userKey].Value, now);
                                }
                            }

                            break;
                        case 2:
                            Assert.Equal(entries.Remove(userKey), state.Remove(userKey));
                            break;
                        case 3:
                            Assert.Equal(entries.Select(e => (e.Key, e.Value.Value)).Order(), state.Entries().Select(e => (e.Key, e.Value)).Order());
                            if (updateOnRead)
                            {
                                foreach (var userKeyRead in entries.Keys.ToArray())
                                {
                                    entries[userKeyRead] = (entries[userKeyRead].Value, now);
                                }
                            }

                            break;
                        default:
                            state.Clear();
                            entries.Clear();
                            break;
                    }

                    Assert.Equal(entries.Count == 0, state.IsEmpty);
                }
            },
            iter: rocksDb ? 40 : 200,
            threads: 1);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(false, StateTtlUpdateType.OnCreateAndWrite)]
    [InlineData(false, StateTtlUpdateType.OnReadAndWrite)]
    [InlineData(true, null)]
    [InlineData(true, StateTtlUpdateType.OnCreateAndWrite)]
    [InlineData(true, StateTtlUpdateType.OnReadAndWrite)]
    public void ListState_RandomOperations_MatchModel(bool rocksDb, StateTtlUpdateType? updateType)
    {
        Operations.Sample(
            operations =>
            {
                var clock = new ManualClock(1_000);
                var key = new KeyContext<int>();
                using var context = NewContext(key, clock, rocksDb);
                var descriptor = new ListStateDescriptor<int>("l");
                if (updateType is { } type)
                {
                    descriptor.EnableTimeToLive(new StateTtlConfig(TimeSpan.FromMilliseconds(TtlMs)) { UpdateType = type, CleanupEntriesPerAccess = 1 });
                }

                var state = context.GetListState(descriptor);
                var model = new Dictionary<int, List<(int Value, long Stamp)>>();
                foreach (var (op, k, count, value, advance) in operations)
                {
                    clock.NowMs += advance;
                    var now = clock.NowMs;
                    key.Current = k;
                    key.IsSet = true;
                    var list = model.TryGetValue(k, out var existing) ? existing : model[k] = [];
                    if (updateType is not null)
                    {
                        list.RemoveAll(e => now - e.Stamp >= TtlMs);
                    }

                    var added = Enumerable.Range(value, count).ToArray();
                    switch (op)
                    {
                        case 0:
                            state.Add(value);
                            list.Add((value, now));
                            break;
                        case 1:
                            state.AddAll(added);
                            list.AddRange(added.Select(v => (v, now)));
                            break;
                        case 2:
                            state.Update(added);
                            list.Clear();
                            list.AddRange(added.Select(v => (v, now)));
                            break;
                        case 3:
                        case 5:
                            Assert.Equal(list.Select(e => e.Value), state.Get());
                            if (updateType == StateTtlUpdateType.OnReadAndWrite)
                            {
                                for (var i = 0; i < list.Count; i++)
                                {
                                    list[i] = (list[i].Value, now);
                                }
                            }

                            break;
                        default:
                            state.Clear();
                            list.Clear();
                            break;
                    }
                }
            },
            iter: rocksDb ? 40 : 200,
            threads: 1);
    }

    private KeyedRuntimeContext<int> NewContext(KeyContext<int> key, ManualClock clock, bool rocksDb) =>
        rocksDb
            ? new KeyedRuntimeContext<int>(key, 0, 1, new ProcessingTimeService(clock), StateBackend.RocksDb(_directory), 128, "model")
            : new KeyedRuntimeContext<int>(key, 0, 1, new ProcessingTimeService(clock));
}
