using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Transactions;

public class AddPartitionsToTxnRequestTests
{
    private MessageContract<AddPartitionsToTxnRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<AddPartitionsToTxnRequest> Generate(short version) =>
        Gen.Select(
            Gens.String,
            Gen.Long,
            Gen.Short,
            Gens.ArrayOf(Gen.Select(Gens.String, Gens.Int32s, (name, partitions) => new AddPartitionsToTxnTopic { Name = name, Partitions = partitions })),
            (id, pid, epoch, topics) => new AddPartitionsToTxnRequest { TransactionalId = id, ProducerId = pid, ProducerEpoch = epoch, Topics = topics });

    [Fact]
    public void Read_V0Bytes_DecodesEveryField()
    {
        byte[] body =
        [
            0x00, 0x02, (byte)'t', (byte)'x',                  // transactional id "tx"
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,    // producer id 7
            0x00, 0x02,                                        // epoch 2
            0x00, 0x00, 0x00, 0x01,                            // one topic
            0x00, 0x01, (byte)'a',                             // "a"
            0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, // partitions [0, 3]
        ];

        var request = Codec.Decode<AddPartitionsToTxnRequest>(body, 0);

        Assert.Equal(("tx", 7L, (short)2), (request.TransactionalId, request.ProducerId, request.ProducerEpoch));
        var topic = Assert.Single(request.Topics);
        Assert.Equal("a", topic.Name);
        Assert.Equal([0, 3], topic.Partitions);
        Assert.Equal(body, Codec.Encode(request, 0));
    }
}

public class AddPartitionsToTxnResponseTests
{
    private MessageContract<AddPartitionsToTxnResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<AddPartitionsToTxnResponse> Generate(short version) =>
        Gen.Select(
            Gen.Int,
            Gens.ArrayOf(Gen.Select(
                Gens.String,
                Gens.ArrayOf(Gen.Select(Gen.Int, Gen.Short, (index, error) => new AddPartitionsToTxnPartitionResult { PartitionIndex = index, PartitionErrorCode = error })),
                (name, results) => new AddPartitionsToTxnTopicResult { Name = name, Results = results })),
            (throttle, results) => new AddPartitionsToTxnResponse { ThrottleTimeMs = throttle, Results = results });
}

public class AddOffsetsToTxnRequestTests
{
    private MessageContract<AddOffsetsToTxnRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<AddOffsetsToTxnRequest> Generate(short version) =>
        Gen.Select(Gens.String, Gen.Long, Gen.Short, Gens.String, (id, pid, epoch, group) =>
            new AddOffsetsToTxnRequest { TransactionalId = id, ProducerId = pid, ProducerEpoch = epoch, GroupId = group });
}

public class AddOffsetsToTxnResponseTests
{
    private MessageContract<AddOffsetsToTxnResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<AddOffsetsToTxnResponse> Generate(short version) =>
        Gen.Select(Gen.Int, Gen.Short, (throttle, error) => new AddOffsetsToTxnResponse { ThrottleTimeMs = throttle, ErrorCode = error });
}

public class EndTxnRequestTests
{
    private MessageContract<EndTxnRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<EndTxnRequest> Generate(short version) =>
        Gen.Select(Gens.String, Gen.Long, Gen.Short, Gen.Bool, (id, pid, epoch, committed) =>
            new EndTxnRequest { TransactionalId = id, ProducerId = pid, ProducerEpoch = epoch, Committed = committed });

    [Fact]
    public void Read_V3FlexibleBytes_DecodesEveryField()
    {
        byte[] body =
        [
            0x03, (byte)'t', (byte)'x',                        // compact string "tx"
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,    // producer id 256
            0x00, 0x05,                                        // epoch 5
            0x01,                                              // committed
            0x00,                                              // no tagged fields
        ];

        var request = Codec.Decode<EndTxnRequest>(body, 3);

        Assert.Equal(("tx", 256L, (short)5, true), (request.TransactionalId, request.ProducerId, request.ProducerEpoch, request.Committed));
        Assert.Equal(body, Codec.Encode(request, 3));
    }
}

public class EndTxnResponseTests
{
    private MessageContract<EndTxnResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<EndTxnResponse> Generate(short version) =>
        Gen.Select(Gen.Int, Gen.Short, (throttle, error) => new EndTxnResponse { ThrottleTimeMs = throttle, ErrorCode = error });
}

public class TxnOffsetCommitRequestTests
{
    private MessageContract<TxnOffsetCommitRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<TxnOffsetCommitRequest> Generate(short version) =>
        Gen.Select(
            Gen.Select(Gens.String, Gens.String, Gen.Long, Gen.Short),
            Gen.Select(Gens.Since(version, 3, Gen.Int, -1), Gens.Since(version, 3, Gens.String, ""), Gens.Since(version, 3, Gens.NullableString, null)),
            Gens.ArrayOf(Gen.Select(
                Gens.String,
                Gens.ArrayOf(Gen.Select(Gen.Int, Gen.Long, Gens.Since(version, 2, Gen.Int, -1), Gens.NullableString, (index, offset, leaderEpoch, metadata) =>
                    new TxnOffsetCommitRequestPartition { PartitionIndex = index, CommittedOffset = offset, CommittedLeaderEpoch = leaderEpoch, CommittedMetadata = metadata })),
                (name, partitions) => new TxnOffsetCommitRequestTopic { Name = name, Partitions = partitions })),
            (head, member, topics) => new TxnOffsetCommitRequest
            {
                TransactionalId = head.Item1,
                GroupId = head.Item2,
                ProducerId = head.Item3,
                ProducerEpoch = head.Item4,
                GenerationId = member.Item1,
                MemberId = member.Item2,
                GroupInstanceId = member.Item3,
                Topics = topics,
            });
}

public class TxnOffsetCommitResponseTests
{
    private MessageContract<TxnOffsetCommitResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<TxnOffsetCommitResponse> Generate(short version) =>
        Gen.Select(
            Gen.Int,
            Gens.ArrayOf(Gen.Select(
                Gens.String,
                Gens.ArrayOf(Gen.Select(Gen.Int, Gen.Short, (index, error) => new TxnOffsetCommitResponsePartition { PartitionIndex = index, ErrorCode = error })),
                (name, partitions) => new TxnOffsetCommitResponseTopic { Name = name, Partitions = partitions })),
            (throttle, topics) => new TxnOffsetCommitResponse { ThrottleTimeMs = throttle, Topics = topics });
}
