using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.OffsetFetch;

public class OffsetFetchRequestTests : MessageContractTests<OffsetFetchRequest>
{
    protected override Gen<OffsetFetchRequest> Generate(short version) =>
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
