using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Fetch;

public class FetchRequestTests
{
    private MessageContract<FetchRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private static Gen<FetchPartition> Partition(short version) =>
        Gen.Select(
            Gen.Int,
            Gens.Since(version, 9, Gen.Int, -1),
            Gen.Long,
            Gens.Since(version, 12, Gen.Int, -1),
            Gens.Since(version, 5, Gen.Long, -1L),
            Gen.Int,
            (partition, leaderEpoch, offset, lastEpoch, logStart, maxBytes) => new FetchPartition
            {
                Partition = partition,
                CurrentLeaderEpoch = leaderEpoch,
                FetchOffset = offset,
                LastFetchedEpoch = lastEpoch,
                LogStartOffset = logStart,
                PartitionMaxBytes = maxBytes,
            });

    private static Gen<FetchTopic> Topic(short version) =>
        Gen.Select(Gens.String, Gens.ArrayOf(Partition(version)), (name, partitions) => new FetchTopic { Topic = name, Partitions = partitions });

    private static readonly Gen<ForgottenTopic> Forgotten = Gen.Select(Gens.String, Gens.Int32s, (name, partitions) =>
        new ForgottenTopic { Topic = name, Partitions = partitions });

    private Gen<FetchRequest> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 12, Gens.NullableString, null),
            Gen.Int,
            Gen.Int,
            Gen.Int,
            Gen.Int,
            Gen.SByte,
            Gens.Since(version, 7, Gen.Int, 0),
            Gens.Since(version, 7, Gen.Int, -1),
            Gens.ArrayOf(Topic(version)),
            Gens.Since(version, 7, Gens.ArrayOf(Forgotten), []),
            Gens.Since(version, 11, Gens.String, ""),
            (cluster, replica, maxWait, minBytes, maxBytes, isolation, session, epoch, topics, forgotten, rack) => new FetchRequest
            {
                ClusterId = cluster,
                ReplicaId = replica,
                MaxWaitMs = maxWait,
                MinBytes = minBytes,
                MaxBytes = maxBytes,
                IsolationLevel = isolation,
                SessionId = session,
                SessionEpoch = epoch,
                Topics = topics,
                ForgottenTopicsData = forgotten,
                RackId = rack,
            });

    [Fact]
    public void Read_V12WithClusterIdTag_DecodesEveryField()
    {
        byte[] body =
        [
            0xFF, 0xFF, 0xFF, 0xFF,       // replica -1
            0x00, 0x00, 0x01, 0xF4,       // max wait 500
            0x00, 0x00, 0x00, 0x01,       // min bytes 1
            0x03, 0x20, 0x00, 0x00,       // max bytes 52428800
            0x01,                         // read_committed
            0x00, 0x00, 0x00, 0x00,       // session 0
            0xFF, 0xFF, 0xFF, 0xFF,       // session epoch -1
            0x02, 0x02, (byte)'t',        // one topic "t"
            0x02,                         // one partition
            0x00, 0x00, 0x00, 0x00,       // partition 0
            0x00, 0x00, 0x00, 0x05,       // current leader epoch 5
            0, 0, 0, 0, 0, 0, 0, 42,      // fetch offset 42
            0xFF, 0xFF, 0xFF, 0xFF,       // last fetched epoch -1
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // log start -1
            0x00, 0x10, 0x00, 0x00,       // partition max bytes 1 MiB
            0x00,                         // partition tags
            0x00,                         // topic tags
            0x01,                         // no forgotten topics
            0x01,                         // rack ""
            0x01, 0x00, 0x02, 0x02, (byte)'c', // tag 0 (2 bytes): ClusterId = "c"
        ];
        var request = Codec.Decode<FetchRequest>(body, 12);
        Assert.Equal(-1, request.ReplicaId);
        Assert.Equal(500, request.MaxWaitMs);
        Assert.Equal(52428800, request.MaxBytes);
        Assert.Equal(1, request.IsolationLevel);
        Assert.Equal(-1, request.SessionEpoch);
        var partition = Assert.Single(Assert.Single(request.Topics).Partitions);
        Assert.Equal(5, partition.CurrentLeaderEpoch);
        Assert.Equal(42, partition.FetchOffset);
        Assert.Equal(1 << 20, partition.PartitionMaxBytes);
        Assert.Empty(request.ForgottenTopicsData);
        Assert.Equal("", request.RackId);
        Assert.Equal("c", request.ClusterId);
        Assert.Equal(body, Codec.Encode(request, 12));
    }
}
