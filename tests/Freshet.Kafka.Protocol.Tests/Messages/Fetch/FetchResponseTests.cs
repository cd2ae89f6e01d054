using System.Runtime.InteropServices;
using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Fetch;

public class FetchResponseTests
{
    private MessageContract<FetchResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private static readonly Gen<AbortedTransaction> Aborted = Gen.Select(Gen.Long, Gen.Long, (pid, first) =>
        new AbortedTransaction { ProducerId = pid, FirstOffset = first });

    // Mostly defaults, so both "tag absent" and "tag present" are exercised.
    private static readonly Gen<EpochEndOffset> Diverging = Gen.Frequency(
        (1, Gen.Const(0).Select(_ => new EpochEndOffset())),
        (1, Gen.Select(Gen.Int, Gen.Long, (epoch, end) => new EpochEndOffset { Epoch = epoch, EndOffset = end })));

    private static readonly Gen<LeaderIdAndEpoch> Leader = Gen.Frequency(
        (1, Gen.Const(0).Select(_ => new LeaderIdAndEpoch())),
        (1, Gen.Select(Gen.Int, Gen.Int, (id, epoch) => new LeaderIdAndEpoch { LeaderId = id, LeaderEpoch = epoch })));

    private static readonly Gen<SnapshotId> Snapshot = Gen.Frequency(
        (1, Gen.Const(0).Select(_ => new SnapshotId())),
        (1, Gen.Select(Gen.Long, Gen.Int, (end, epoch) => new SnapshotId { EndOffset = end, Epoch = epoch })));

    private static Gen<FetchResponsePartition> Partition(short version) =>
        Gen.Select(
            Gen.Int,
            Gen.Short,
            Gen.Long,
            Gen.Long,
            Gens.Since(version, 5, Gen.Long, -1L),
            Gens.Since(version, 12, Diverging, new EpochEndOffset()),
            Gens.Since(version, 12, Leader, new LeaderIdAndEpoch()),
            Gens.Since(version, 12, Snapshot, new SnapshotId()),
            Gens.ArrayOf(Aborted).Null(0.3),
            Gens.Since(version, 11, Gen.Int, -1),
            Gens.Records,
            (index, error, hw, lso, logStart, diverging, leader, snapshot, aborted, replica, records) => new FetchResponsePartition
            {
                PartitionIndex = index,
                ErrorCode = error,
                HighWatermark = hw,
                LastStableOffset = lso,
                LogStartOffset = logStart,
                DivergingEpoch = diverging,
                CurrentLeader = leader,
                SnapshotId = snapshot,
                AbortedTransactions = aborted,
                PreferredReadReplica = replica,
                Records = records,
            });

    private Gen<FetchResponse> Generate(short version) =>
        Gen.Select(
            Gen.Int,
            Gens.Since(version, 7, Gen.Short, (short)0),
            Gens.Since(version, 7, Gen.Int, 0),
            Gens.ArrayOf(Gen.Select(Gens.String, Gens.ArrayOf(Partition(version)), (name, partitions) =>
                new FetchableTopicResponse { Topic = name, Partitions = partitions })),
            (throttle, error, session, responses) => new FetchResponse
            {
                ThrottleTimeMs = throttle,
                ErrorCode = error,
                SessionId = session,
                Responses = responses,
            });

    [Fact]
    public void Write_V12WithCurrentLeaderTag_MatchesSpecLayout()
    {
        byte[] batch = [0xB0, 0xB1, 0xB2];
        var response = new FetchResponse
        {
            Responses =
            [
                new FetchableTopicResponse
                {
                    Topic = "t",
                    Partitions =
                    [
                        new FetchResponsePartition
                        {
                            PartitionIndex = 0,
                            HighWatermark = 3,
                            LastStableOffset = 3,
                            LogStartOffset = 0,
                            CurrentLeader = new LeaderIdAndEpoch { LeaderId = 1, LeaderEpoch = 0 },
                            Records = batch,
                        },
                    ],
                },
            ],
        };
        byte[] expected =
        [
            0, 0, 0, 0,                   // throttle
            0, 0,                         // error
            0, 0, 0, 0,                   // session id
            0x02, 0x02, (byte)'t',        // one topic "t"
            0x02,                         // one partition
            0, 0, 0, 0, 0, 0,             // index 0, error 0
            0, 0, 0, 0, 0, 0, 0, 3,       // high watermark
            0, 0, 0, 0, 0, 0, 0, 3,       // last stable offset
            0, 0, 0, 0, 0, 0, 0, 0,       // log start offset
            0x00,                         // aborted transactions: compact null
            0xFF, 0xFF, 0xFF, 0xFF,       // preferred read replica -1
            0x04, 0xB0, 0xB1, 0xB2,       // compact records
            0x01, 0x01, 0x09, 0, 0, 0, 1, 0, 0, 0, 0, 0x00, // tag 1: CurrentLeader (1, 0), its own empty tags
            0x00,                         // topic tags
            0x00,                         // body tags
        ];
        var bytes = Codec.Encode(response, 12);
        Assert.Equal(expected, bytes);

        var decoded = Codec.Decode<FetchResponse>(bytes, 12);
        var partition = decoded.Responses[0].Partitions[0];
        Assert.Equal(1, partition.CurrentLeader.LeaderId);
        Assert.Equal(-1, partition.DivergingEpoch.Epoch);
        Assert.True(MemoryMarshal.TryGetArray(partition.Records!.Value, out var segment));
        Assert.Same(bytes, segment.Array);
    }

    [Fact]
    public void Read_V4_AbsentFieldsTakeDefaults()
    {
        var response = new FetchResponse
        {
            ErrorCode = 7,
            SessionId = 9,
            Responses = [new FetchableTopicResponse { Topic = "t", Partitions = [new FetchResponsePartition { LogStartOffset = 5, PreferredReadReplica = 2 }] }],
        };
        var decoded = Codec.Decode<FetchResponse>(Codec.Encode(response, 4), 4);
        Assert.Equal(0, decoded.ErrorCode);
        Assert.Equal(0, decoded.SessionId);
        Assert.Equal(-1, decoded.Responses[0].Partitions[0].LogStartOffset);
        Assert.Equal(-1, decoded.Responses[0].Partitions[0].PreferredReadReplica);
    }
}
