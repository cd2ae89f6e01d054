using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.CreateTopics;

public class CreateTopicsRequestTests
{
    private MessageContract<CreateTopicsRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<CreateTopicsRequest> Generate(short version) =>
        Gen.Select(
            Gens.ArrayOf(AnyCreatableTopic(version)),
            Gen.Int,
            Gens.Since(version, 1, Gen.Bool, false),
            (topics, timeoutMs, validateOnly) => new CreateTopicsRequest
            {
                Topics = topics,
                TimeoutMs = timeoutMs,
                ValidateOnly = validateOnly,
            });

    private static Gen<CreatableTopic> AnyCreatableTopic(short version) =>
        Gen.Select(
            Gens.String,
            Gen.Int,
            Gen.Short,
            Gens.ArrayOf(AnyCreatableReplicaAssignment(version)),
            Gens.ArrayOf(AnyCreatableTopicConfig(version)),
            (name, numPartitions, replicationFactor, assignments, configs) => new CreatableTopic
            {
                Name = name,
                NumPartitions = numPartitions,
                ReplicationFactor = replicationFactor,
                Assignments = assignments,
                Configs = configs,
            });

    private static Gen<CreatableReplicaAssignment> AnyCreatableReplicaAssignment(short version) =>
        Gen.Select(
            Gen.Int,
            Gens.Int32s,
            (partitionIndex, brokerIds) => new CreatableReplicaAssignment
            {
                PartitionIndex = partitionIndex,
                BrokerIds = brokerIds,
            });

    private static Gen<CreatableTopicConfig> AnyCreatableTopicConfig(short version) =>
        Gen.Select(
            Gens.String,
            Gens.NullableString,
            (name, value) => new CreatableTopicConfig { Name = name, Value = value });
}
