using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.CreatePartitions;

public class CreatePartitionsRequestTests
{
    private MessageContract<CreatePartitionsRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<CreatePartitionsRequest> Generate(short version) =>
        Gen.Select(
            Gens.ArrayOf(AnyCreatePartitionsTopic(version)),
            Gen.Int,
            Gen.Bool,
            (topics, timeoutMs, validateOnly) => new CreatePartitionsRequest
            {
                Topics = topics,
                TimeoutMs = timeoutMs,
                ValidateOnly = validateOnly,
            });

    private static Gen<CreatePartitionsTopic> AnyCreatePartitionsTopic(short version) =>
        Gen.Select(
            Gens.String,
            Gen.Int,
            Gens.ArrayOf(AnyCreatePartitionsAssignment(version)).Null(0.2),
            (name, count, assignments) => new CreatePartitionsTopic
            {
                Name = name,
                Count = count,
                Assignments = assignments,
            });

    private static Gen<CreatePartitionsAssignment> AnyCreatePartitionsAssignment(short version) =>
        Gens.Int32s.Select(brokerIds => new CreatePartitionsAssignment { BrokerIds = brokerIds });
}
