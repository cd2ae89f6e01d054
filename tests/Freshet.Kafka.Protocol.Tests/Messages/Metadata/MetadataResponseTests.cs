using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Metadata;

public class MetadataResponseTests
{
    private MessageContract<MetadataResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private static Gen<MetadataResponseBroker> Broker(short version) =>
        Gen.Select(Gen.Int, Gens.String, Gen.Int, Gens.Since(version, 1, Gens.NullableString, null), (id, host, port, rack) =>
            new MetadataResponseBroker { NodeId = id, Host = host, Port = port, Rack = rack });

    private static Gen<MetadataResponsePartition> Partition(short version) =>
        Gen.Select(
            Gen.Short,
            Gen.Int,
            Gen.Int,
            Gens.Since(version, 7, Gen.Int, -1),
            Gens.Int32s,
            Gens.Int32s,
            Gens.Since(version, 5, Gens.Int32s, []),
            (error, index, leader, epoch, replicas, isr, offline) => new MetadataResponsePartition
            {
                ErrorCode = error,
                PartitionIndex = index,
                LeaderId = leader,
                LeaderEpoch = epoch,
                ReplicaNodes = replicas,
                IsrNodes = isr,
                OfflineReplicas = offline,
            });

    private static Gen<MetadataResponseTopic> Topic(short version) =>
        Gen.Select(
            Gen.Short,
            version >= 12 ? Gens.NullableString : Gens.String.Select(s => (string?)s),
            Gens.Since(version, 10, Gen.Guid, Guid.Empty),
            Gens.Since(version, 1, Gen.Bool, false),
            Gens.ArrayOf(Partition(version)),
            Gens.Since(version, 8, Gen.Int, int.MinValue),
            (error, name, id, isInternal, partitions, ops) => new MetadataResponseTopic
            {
                ErrorCode = error,
                Name = name,
                TopicId = id,
                IsInternal = isInternal,
                Partitions = partitions,
                TopicAuthorizedOperations = ops,
            });

    private Gen<MetadataResponse> Generate(short version) =>
        Gen.Select(
            Gens.Since(version, 3, Gen.Int, 0),
            Gens.ArrayOf(Broker(version)),
            Gens.Since(version, 2, Gens.NullableString, null),
            Gens.Since(version, 1, Gen.Int, -1),
            Gens.ArrayOf(Topic(version)),
            version is >= 8 and <= 10 ? Gen.Int : Gen.Const(int.MinValue),
            (throttle, brokers, cluster, controller, topics, ops) => new MetadataResponse
            {
                ThrottleTimeMs = throttle,
                Brokers = brokers,
                ClusterId = cluster,
                ControllerId = controller,
                Topics = topics,
                ClusterAuthorizedOperations = ops,
            });

    [Fact]
    public void Write_V1SingleBrokerNoTopics_MatchesSpecLayout()
    {
        var response = new MetadataResponse
        {
            Brokers = [new MetadataResponseBroker { NodeId = 1, Host = "h", Port = 9092, Rack = null }],
            ControllerId = 1,
        };
        byte[] expected =
        [
            0, 0, 0, 1,                   // one broker
            0, 0, 0, 1, 0, 1, (byte)'h', 0, 0, 0x23, 0x84, 0xFF, 0xFF,
            0, 0, 0, 1,                   // controller id
            0, 0, 0, 0,                   // no topics
        ];
        Assert.Equal(expected, Codec.Encode(response, 1));
    }
}
