using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.CreateTopics;

public class CreateTopicsRequestTests : MessageContractTests<CreateTopicsRequest>
{
    protected override Gen<CreateTopicsRequest> Generate(short version) =>
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
