using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Unadvertised;

// The contract (round trip, truncation, mutation, version range) for every message whose codec exists
// ahead of a broker handler, on reflection-filled values (Support/AnyMessage).

public class DeleteRecordsRequestTests : MessageContractTests<DeleteRecordsRequest>
{
    protected override Gen<DeleteRecordsRequest> Generate(short version) => AnyMessage.At<DeleteRecordsRequest>(version);
}

public class DeleteRecordsResponseTests : MessageContractTests<DeleteRecordsResponse>
{
    protected override Gen<DeleteRecordsResponse> Generate(short version) => AnyMessage.At<DeleteRecordsResponse>(version);
}

public class OffsetForLeaderEpochRequestTests : MessageContractTests<OffsetForLeaderEpochRequest>
{
    protected override Gen<OffsetForLeaderEpochRequest> Generate(short version) => AnyMessage.At<OffsetForLeaderEpochRequest>(version);
}

public class OffsetForLeaderEpochResponseTests : MessageContractTests<OffsetForLeaderEpochResponse>
{
    protected override Gen<OffsetForLeaderEpochResponse> Generate(short version) => AnyMessage.At<OffsetForLeaderEpochResponse>(version);
}

public class AlterConfigsRequestTests : MessageContractTests<AlterConfigsRequest>
{
    protected override Gen<AlterConfigsRequest> Generate(short version) => AnyMessage.At<AlterConfigsRequest>(version);
}

public class AlterConfigsResponseTests : MessageContractTests<AlterConfigsResponse>
{
    protected override Gen<AlterConfigsResponse> Generate(short version) => AnyMessage.At<AlterConfigsResponse>(version);
}

public class DeleteGroupsRequestTests : MessageContractTests<DeleteGroupsRequest>
{
    protected override Gen<DeleteGroupsRequest> Generate(short version) => AnyMessage.At<DeleteGroupsRequest>(version);
}

public class DeleteGroupsResponseTests : MessageContractTests<DeleteGroupsResponse>
{
    protected override Gen<DeleteGroupsResponse> Generate(short version) => AnyMessage.At<DeleteGroupsResponse>(version);
}

public class IncrementalAlterConfigsRequestTests : MessageContractTests<IncrementalAlterConfigsRequest>
{
    protected override Gen<IncrementalAlterConfigsRequest> Generate(short version) => AnyMessage.At<IncrementalAlterConfigsRequest>(version);
}

public class IncrementalAlterConfigsResponseTests : MessageContractTests<IncrementalAlterConfigsResponse>
{
    protected override Gen<IncrementalAlterConfigsResponse> Generate(short version) => AnyMessage.At<IncrementalAlterConfigsResponse>(version);
}

public class OffsetDeleteRequestTests : MessageContractTests<OffsetDeleteRequest>
{
    protected override Gen<OffsetDeleteRequest> Generate(short version) => AnyMessage.At<OffsetDeleteRequest>(version);
}

public class OffsetDeleteResponseTests : MessageContractTests<OffsetDeleteResponse>
{
    protected override Gen<OffsetDeleteResponse> Generate(short version) => AnyMessage.At<OffsetDeleteResponse>(version);
}

public class DescribeClusterRequestTests : MessageContractTests<DescribeClusterRequest>
{
    protected override Gen<DescribeClusterRequest> Generate(short version) => AnyMessage.At<DescribeClusterRequest>(version);
}

public class DescribeClusterResponseTests : MessageContractTests<DescribeClusterResponse>
{
    protected override Gen<DescribeClusterResponse> Generate(short version) => AnyMessage.At<DescribeClusterResponse>(version);
}

public class DescribeProducersRequestTests : MessageContractTests<DescribeProducersRequest>
{
    protected override Gen<DescribeProducersRequest> Generate(short version) => AnyMessage.At<DescribeProducersRequest>(version);
}

public class DescribeProducersResponseTests : MessageContractTests<DescribeProducersResponse>
{
    protected override Gen<DescribeProducersResponse> Generate(short version) => AnyMessage.At<DescribeProducersResponse>(version);
}

public class DescribeTransactionsRequestTests : MessageContractTests<DescribeTransactionsRequest>
{
    protected override Gen<DescribeTransactionsRequest> Generate(short version) => AnyMessage.At<DescribeTransactionsRequest>(version);
}

public class DescribeTransactionsResponseTests : MessageContractTests<DescribeTransactionsResponse>
{
    protected override Gen<DescribeTransactionsResponse> Generate(short version) => AnyMessage.At<DescribeTransactionsResponse>(version);
}

public class ListTransactionsRequestTests : MessageContractTests<ListTransactionsRequest>
{
    protected override Gen<ListTransactionsRequest> Generate(short version) => AnyMessage.At<ListTransactionsRequest>(version);
}

public class ListTransactionsResponseTests : MessageContractTests<ListTransactionsResponse>
{
    protected override Gen<ListTransactionsResponse> Generate(short version) => AnyMessage.At<ListTransactionsResponse>(version);
}

public class ConsumerGroupHeartbeatRequestTests : MessageContractTests<ConsumerGroupHeartbeatRequest>
{
    protected override Gen<ConsumerGroupHeartbeatRequest> Generate(short version) => AnyMessage.At<ConsumerGroupHeartbeatRequest>(version);
}

public class ConsumerGroupHeartbeatResponseTests : MessageContractTests<ConsumerGroupHeartbeatResponse>
{
    protected override Gen<ConsumerGroupHeartbeatResponse> Generate(short version) => AnyMessage.At<ConsumerGroupHeartbeatResponse>(version);
}
