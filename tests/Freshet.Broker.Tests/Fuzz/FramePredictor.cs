using System.Buffers.Binary;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Fuzz;

/// <summary>
/// Decodes a frame exactly as the broker's connection does (frame size, request header, dispatch by API
/// key and version, body) to predict whether the broker answers it, stays silent or closes the
/// connection. Pure; thread-safe.
/// <para>
/// It also flags admin requests asking for more than <see cref="PartitionLimit"/> partitions in a topic,
/// which the fuzzer does not send: the broker caps the partitions it hosts (BrokerOptions.MaxPartitions,
/// default 4000, tested by AdminClientTests), and a fuzz run should not spend its time creating thousands
/// of partition directories up to that cap.
/// </para>
/// </summary>
internal static class FramePredictor
{
    /// <summary>The most partitions per topic a fuzzed CreateTopics or CreatePartitions request may ask for.</summary>
    public const int PartitionLimit = 64;

    public static FramePrediction Predict(byte[] frame, int maxFrameBytes)
    {
        if (frame.Length < 4)
        {
            return new(FrameOutcome.Closes, 0, null);
        }

        var size = BinaryPrimitives.ReadInt32BigEndian(frame);
        if (size < 0 || size > maxFrameBytes || size > frame.Length - 4)
        {
            // Refused, or incomplete when the client stops sending: either way the connection ends.
            return new(FrameOutcome.Closes, 0, null);
        }

        var payload = frame.AsMemory(4, size);
        RequestHeader header;
        try
        {
            var reader = new KafkaReader(payload);
            header = RequestHeader.Read(ref reader);
            payload = payload[reader.Position..];
        }
        catch (KafkaProtocolException)
        {
            return new(FrameOutcome.Closes, 0, null);
        }
        catch (Exception e)
        {
            return new(FrameOutcome.Closes, 0, e);
        }

        if (!SupportedApis.IsSupported(header.ApiKey, header.ApiVersion))
        {
            return header.ApiKey == ApiKeys.ApiVersions
                ? new(FrameOutcome.Answered, header.CorrelationId, null)
                : new(FrameOutcome.Closes, 0, null);
        }

        try
        {
            var request = DecodeBody(header.ApiKey, header.ApiVersion, payload);
            var outcome = request is ProduceRequest { Acks: 0 } ? FrameOutcome.Silent : FrameOutcome.Answered;
            var manyPartitions = request switch
            {
                CreateTopicsRequest create => create.Topics.Any(t => t.NumPartitions > PartitionLimit || t.Assignments.Count > PartitionLimit),
                CreatePartitionsRequest grow => grow.Topics.Any(t => t.Count > PartitionLimit),
                _ => false,
            };
            return new(outcome, header.CorrelationId, null, manyPartitions);
        }
        catch (KafkaProtocolException)
        {
            return new(FrameOutcome.Closes, 0, null);
        }
        catch (Exception e)
        {
            return new(FrameOutcome.Closes, 0, e);
        }
    }

    private static object DecodeBody(ApiKeys api, short version, ReadOnlyMemory<byte> body) => api switch
    {
        ApiKeys.Produce => Read<ProduceRequest>(body, version),
        ApiKeys.Fetch => Read<FetchRequest>(body, version),
        ApiKeys.ListOffsets => Read<ListOffsetsRequest>(body, version),
        ApiKeys.Metadata => Read<MetadataRequest>(body, version),
        ApiKeys.OffsetCommit => Read<OffsetCommitRequest>(body, version),
        ApiKeys.OffsetFetch => Read<OffsetFetchRequest>(body, version),
        ApiKeys.FindCoordinator => Read<FindCoordinatorRequest>(body, version),
        ApiKeys.JoinGroup => Read<JoinGroupRequest>(body, version),
        ApiKeys.Heartbeat => Read<HeartbeatRequest>(body, version),
        ApiKeys.LeaveGroup => Read<LeaveGroupRequest>(body, version),
        ApiKeys.SyncGroup => Read<SyncGroupRequest>(body, version),
        ApiKeys.DescribeGroups => Read<DescribeGroupsRequest>(body, version),
        ApiKeys.ListGroups => Read<ListGroupsRequest>(body, version),
        ApiKeys.ApiVersions => Read<ApiVersionsRequest>(body, version),
        ApiKeys.CreateTopics => Read<CreateTopicsRequest>(body, version),
        ApiKeys.DeleteTopics => Read<DeleteTopicsRequest>(body, version),
        ApiKeys.InitProducerId => Read<InitProducerIdRequest>(body, version),
        ApiKeys.AddPartitionsToTxn => Read<AddPartitionsToTxnRequest>(body, version),
        ApiKeys.AddOffsetsToTxn => Read<AddOffsetsToTxnRequest>(body, version),
        ApiKeys.EndTxn => Read<EndTxnRequest>(body, version),
        ApiKeys.TxnOffsetCommit => Read<TxnOffsetCommitRequest>(body, version),
        ApiKeys.DescribeConfigs => Read<DescribeConfigsRequest>(body, version),
        ApiKeys.CreatePartitions => Read<CreatePartitionsRequest>(body, version),
        ApiKeys.OffsetForLeaderEpoch => Read<OffsetForLeaderEpochRequest>(body, version),
        ApiKeys.DescribeCluster => Read<DescribeClusterRequest>(body, version),
        ApiKeys.DescribeProducers => Read<DescribeProducersRequest>(body, version),
        ApiKeys.DescribeTransactions => Read<DescribeTransactionsRequest>(body, version),
        ApiKeys.ListTransactions => Read<ListTransactionsRequest>(body, version),
        ApiKeys.DeleteRecords => Read<DeleteRecordsRequest>(body, version),
        ApiKeys.AlterConfigs => Read<AlterConfigsRequest>(body, version),
        ApiKeys.DeleteGroups => Read<DeleteGroupsRequest>(body, version),
        ApiKeys.IncrementalAlterConfigs => Read<IncrementalAlterConfigsRequest>(body, version),
        ApiKeys.OffsetDelete => Read<OffsetDeleteRequest>(body, version),
        ApiKeys.ConsumerGroupHeartbeat => Read<ConsumerGroupHeartbeatRequest>(body, version),
        ApiKeys.ConsumerGroupDescribe => Read<ConsumerGroupDescribeRequest>(body, version),
        ApiKeys.DescribeAcls => Read<DescribeAclsRequest>(body, version),
        ApiKeys.CreateAcls => Read<CreateAclsRequest>(body, version),
        ApiKeys.DeleteAcls => Read<DeleteAclsRequest>(body, version),
        ApiKeys.SaslHandshake => Read<SaslHandshakeRequest>(body, version),
        ApiKeys.SaslAuthenticate => Read<SaslAuthenticateRequest>(body, version),
        ApiKeys.DescribeUserScramCredentials => Read<DescribeUserScramCredentialsRequest>(body, version),
        ApiKeys.AlterUserScramCredentials => Read<AlterUserScramCredentialsRequest>(body, version),
        _ => throw new InvalidOperationException($"The predictor does not know advertised API {api}; add it."),
    };

    private static T Read<T>(ReadOnlyMemory<byte> body, short version)
        where T : IKafkaMessage<T>
    {
        var reader = new KafkaReader(body);
        return T.Read(ref reader, version);
    }
}
