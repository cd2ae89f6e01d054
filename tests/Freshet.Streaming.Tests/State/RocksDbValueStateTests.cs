using CsCheck;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.State.Heap;
using Freshet.Streaming.State.RocksDb;

namespace Freshet.Streaming.Tests.State;

public sealed class RocksDbValueStateTests : IDisposable
{
    private const int MaxParallelism = 128;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-rocksdb-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Behaves_like_the_heap_value_state_for_any_sequence_of_operations()
    {
        // Operation: (key, kind 0 = update, 1 = clear, 2 = read, value).
        var operations = Gen.Select(Gen.Long[0, 20], Gen.Int[0, 2], Gen.String).Array[0, 200];
        var run = 0;
        operations.Sample(ops =>
        {
            var keyContext = new KeyContext<long>();
            using var store = new RocksDbStateStore(Path.Combine(_directory, $"run-{run++}"));
            var rocks = new RocksDbValueState<long, string>(store, "s", keyContext, new RocksDbKeySerializer<long>(Serializers.Int64, MaxParallelism), Serializers.Utf8String, "none");
            var heap = new HeapValueState<long, string>(keyContext, "none");
            keyContext.IsSet = true;
            foreach (var (key, kind, value) in ops)
            {
                keyContext.Current = key;
                switch (kind)
                {
                    case 0:
                        rocks.Update(value);
                        heap.Update(value);
                        break;
                    case 1:
                        rocks.Clear();
                        heap.Clear();
                        break;
                }

                Assert.Equal(heap.HasValue, rocks.HasValue);
                Assert.Equal(heap.Value, rocks.Value);
            }
        }, iter: 50);
    }

    [Fact]
    public void A_snapshot_sees_the_state_as_of_its_creation_in_key_group_order()
    {
        var keyContext = new KeyContext<long> { IsSet = true };
        using var store = new RocksDbStateStore(Path.Combine(_directory, "snapshot"));
        var keys = new RocksDbKeySerializer<long>(Serializers.Int64, MaxParallelism);
        var state = new RocksDbValueState<long, long>(store, "sum", keyContext, keys, Serializers.Int64, 0);
        for (long k = 0; k < 10_000; k++)
        {
            keyContext.Current = k;
            state.Update(k * 10);
        }

        using var snapshot = store.CreateSnapshot();

        // Writes after the snapshot must not show in it.
        for (long k = 0; k < 10_000; k++)
        {
            keyContext.Current = k;
            state.Update(-1);
        }

        keyContext.Current = 20_000;
        state.Update(5);

        var seen = new Dictionary<long, long>();
        var lastKeyGroup = -1;
        store.ReadEntries("sum", snapshot, (key, value) =>
        {
            var keyGroup = RocksDbStateStore.KeyGroupOf(key);
            Assert.True(keyGroup >= lastKeyGroup, "entries come in key-group order");
            lastKeyGroup = keyGroup;
            var k = keys.Deserialize(key);
            Assert.Equal(KeyGroups.Of(KeyHash<long>.Of(k), MaxParallelism), keyGroup);
            seen.Add(k, Serializers.Int64.Deserialize(value));
        });

        Assert.Equal(10_000, seen.Count);
        Assert.All(seen, entry => Assert.Equal(entry.Key * 10, entry.Value));
    }

    [Fact]
    public void The_working_directory_is_private_leftovers_are_cleared_and_dispose_removes_it()
    {
        var path = Path.Combine(_directory, "work");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "left-by-a-killed-process"), "x");
        var keyContext = new KeyContext<string> { IsSet = true, Current = "a" };
        using (var store = new RocksDbStateStore(path))
        {
            Assert.False(File.Exists(Path.Combine(path, "left-by-a-killed-process")));
            var state = new RocksDbValueState<string, int>(store, "v", keyContext, new RocksDbKeySerializer<string>(Serializers.Utf8String, MaxParallelism), Serializers.Int32, -1);
            Assert.Equal(-1, state.Value);
            state.Update(7);
            Assert.Equal(7, state.Value);
            Assert.Equal(["v"], store.StateNames);
        }

        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void Using_state_outside_a_keyed_call_is_a_clear_error()
    {
        using var store = new RocksDbStateStore(Path.Combine(_directory, "unkeyed"));
        var state = new RocksDbValueState<long, long>(store, "v", new KeyContext<long>(), new RocksDbKeySerializer<long>(Serializers.Int64, MaxParallelism), Serializers.Int64, 0);
        Assert.Contains("only be used while a record or timer", Assert.Throws<InvalidOperationException>(() => state.Value).Message);
    }
}
