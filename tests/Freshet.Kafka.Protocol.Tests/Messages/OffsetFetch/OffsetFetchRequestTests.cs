using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.OffsetFetch;

public class OffsetFetchRequestTests
{
    private MessageContract<OffsetFetchRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<OffsetFetchRequest> Generate(short version) =>
        Gen.Select(
            Gens.String,
            Gens.ArrayOf(AnyOffsetFetchRequestTopic(version)).Null(version >= 2 ? 0.2 : 0.0),
            Gens.Since(version, 7, Gen.Bool, false),
            (groupId, topics, requireStable) => new OffsetFetchRequest
            {
                GroupId = groupId,
                Topics = topics,
                RequireStable = requireStable,
            });

    private static Gen<OffsetFetchRequestTopic> AnyOffsetFetchRequestTopic(short version) =>
        Gen.Select(
            Gens.String,
            Gens.Int32s,
            (name, partitionIndexes) => new OffsetFetchRequestTopic { Name = name, PartitionIndexes = partitionIndexes });
}
