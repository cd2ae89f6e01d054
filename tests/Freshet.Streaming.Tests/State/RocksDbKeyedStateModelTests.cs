using CsCheck;
using Freshet.Streaming.Operators;
using Freshet.Streaming.State;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.State;

/// <summary>The RocksDB list and map states behave like the heap ones for any sequence of operations.</summary>
public sealed class RocksDbKeyedStateModelTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-rocks-model-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_serializer_given_on_the_descriptor_is_the_one_RocksDB_uses()
    {
        var key = new KeyContext<string> { IsSet = true, Current = "k" };
        using var rocks = new KeyedRuntimeContext<string>(key, 0, 1, new ProcessingTimeService(TimeProvider.System), StateBackend.RocksDb(_directory), 128, "serializers");
        var counting = new CountingSerializer();
        var state = rocks.GetState(new ValueStateDescriptor<long>("v") { Serializer = counting });
        state.Update(42);
        Assert.Equal(42, state.Value);
        Assert.Equal((1, 1), (counting.Serialized, counting.Deserialized));
    }

    [Fact]
    public void List_and_map_state_match_the_heap_backend()
    {
        // Operation: (key, kind, user key, value). Kinds: 0 list add, 1 list update, 2 list clear, 3 map put,
        // 4 map remove, 5 map clear.
        var operations = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 5], Gen.Int[0, 6], Gen.String[0, 8]).Array[0, 120];
        operations.Sample(ops =>
        {
            var heapKey = new KeyContext<string> { IsSet = true };
            var rocksKey = new KeyContext<string> { IsSet = true };
            var processing = new ProcessingTimeService(TimeProvider.System);
            using var heap = new KeyedRuntimeContext<string>(heapKey, 0, 1, processing);
            using var rocks = new KeyedRuntimeContext<string>(rocksKey, 0, 1, processing, StateBackend.RocksDb(_directory), 128, "model");
            var heapList = heap.GetListState(new ListStateDescriptor<string>("list"));
            var rocksList = rocks.GetListState(new ListStateDescriptor<string>("list"));
            var heapMap = heap.GetMapState(new MapStateDescriptor<int, string>("map"));
            var rocksMap = rocks.GetMapState(new MapStateDescriptor<int, string>("map"));
            foreach (var (key, kind, userKey, value) in ops)
            {
                heapKey.Current = rocksKey.Current = "key-" + key;
                switch (kind)
                {
                    case 0:
                        heapList.Add(value);
                        rocksList.Add(value);
                        break;
                    case 1:
                        heapList.Update([value, value + "!"]);
                        rocksList.Update([value, value + "!"]);
                        break;
                    case 2:
                        heapList.Clear();
                        rocksList.Clear();
                        break;
                    case 3:
                        heapMap.Put(userKey, value);
                        rocksMap.Put(userKey, value);
                        break;
                    case 4:
                        Assert.Equal(heapMap.Remove(userKey), rocksMap.Remove(userKey));
                        break;
                    case 5:
                        heapMap.Clear();
                        rocksMap.Clear();
                        break;
                }

                Assert.Equal(heapList.Get(), rocksList.Get());
                Assert.Equal(heapMap.IsEmpty, rocksMap.IsEmpty);
                Assert.Equal(heapMap.Contains(userKey), rocksMap.Contains(userKey));
                Assert.Equal(heapMap.Entries().OrderBy(e => e.Key), rocksMap.Entries().OrderBy(e => e.Key));
            }
        }, iter: 40);
    }

    private sealed class CountingSerializer : Freshet.Streaming.Serialization.ISerializer<long>
    {
        public int Serialized { get; private set; }

        public int Deserialized { get; private set; }

        public void Serialize(long value, System.Buffers.IBufferWriter<byte> output)
        {
            Serialized++;
            Freshet.Streaming.Serialization.Serializers.Int64.Serialize(value, output);
        }

        public long Deserialize(ReadOnlySpan<byte> input)
        {
            Deserialized++;
            return Freshet.Streaming.Serialization.Serializers.Int64.Deserialize(input);
        }
    }
}
