using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.ReflectionFilled;

/// <summary>Bodies of the APIs without captured client bytes (admin, describe and KIP-848 APIs) built byte by byte from the protocol's documented layouts.</summary>
public class HandBuiltLayoutGoldenTests
{
    private static readonly Guid TopicId = new("6e1c395b-f11a-4c0e-9d2c-742b5a018d11");

    [Fact]
    public void DeleteRecordsRequest_V0_MatchesSpecBytes()
    {
        // Topics: 1 × (Name "t", Partitions: 1 × (PartitionIndex 2, Offset 5)) | TimeoutMs 1000
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x01,
            0x00, 0x01, (byte)'t',
            0x00, 0x00, 0x00, 0x01,
            0x00, 0x00, 0x00, 0x02,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
            0x00, 0x00, 0x03, 0xE8,
        ];
        var request = new DeleteRecordsRequest
        {
            Topics = [new DeleteRecordsTopic { Name = "t", Partitions = [new DeleteRecordsPartition { PartitionIndex = 2, Offset = 5 }] }],
            TimeoutMs = 1000,
        };

        Assert.Equal(expected, Codec.Encode(request, 0));
        Assert.Equal(5, Codec.Decode<DeleteRecordsRequest>(expected, 0).Topics[0].Partitions[0].Offset);
    }

    [Fact]
    public void ConsumerGroupHeartbeatResponse_V1WithAssignment_MatchesSpecBytes()
    {
        // ThrottleTimeMs 0 | ErrorCode 0 | ErrorMessage null | MemberId "m" | MemberEpoch 5 | HeartbeatIntervalMs 5000
        // | Assignment present (int8 1): TopicPartitions 1 × (TopicId, Partitions [0, 1], tags) , tags | tags
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00,
            0x00,
            0x02, (byte)'m',
            0x00, 0x00, 0x00, 0x05,
            0x00, 0x00, 0x13, 0x88,
            0x01,
            0x02, .. TopicId.ToByteArray(bigEndian: true), 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
            0x00,
            0x00,
        ];
        var response = new ConsumerGroupHeartbeatResponse
        {
            MemberId = "m",
            MemberEpoch = 5,
            HeartbeatIntervalMs = 5000,
            Assignment = new ConsumerGroupHeartbeatAssignment { TopicPartitions = [new ConsumerGroupHeartbeatTopicPartitions { TopicId = TopicId, Partitions = [0, 1] }] },
        };

        Assert.Equal(expected, Codec.Encode(response, 1));
        var decoded = Codec.Decode<ConsumerGroupHeartbeatResponse>(expected, 1);
        Assert.Equal(TopicId, Assert.Single(decoded.Assignment!.TopicPartitions).TopicId);
    }

    [Fact]
    public void ConsumerGroupDescribeResponse_V0OneMember_MatchesSpecBytes()
    {
        // ThrottleTimeMs 0 | Groups 1 × (ErrorCode 0 | ErrorMessage null | GroupId "g" | GroupState "Stable" | GroupEpoch 3
        // | AssignmentEpoch 3 | AssignorName "uniform" | Members 1 × (MemberId "m" | InstanceId null | RackId null
        // | MemberEpoch 3 | ClientId "c" | ClientHost "/h" | SubscribedTopicNames ["t"] | SubscribedTopicRegex null
        // | Assignment (in line, no marker): TopicPartitions 1 × (TopicId, TopicName "t", Partitions [0], tags), tags
        // | TargetAssignment: TopicPartitions empty, tags | tags) | AuthorizedOperations int32 min | tags) | tags
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x00,
            0x02,
            0x00, 0x00,
            0x00,
            0x02, (byte)'g',
            0x07, (byte)'S', (byte)'t', (byte)'a', (byte)'b', (byte)'l', (byte)'e',
            0x00, 0x00, 0x00, 0x03,
            0x00, 0x00, 0x00, 0x03,
            0x08, (byte)'u', (byte)'n', (byte)'i', (byte)'f', (byte)'o', (byte)'r', (byte)'m',
            0x02,
            0x02, (byte)'m',
            0x00,
            0x00,
            0x00, 0x00, 0x00, 0x03,
            0x02, (byte)'c',
            0x03, (byte)'/', (byte)'h',
            0x02, 0x02, (byte)'t',
            0x00,
            0x02, .. TopicId.ToByteArray(bigEndian: true), 0x02, (byte)'t', 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00,
            0x01,
            0x00,
            0x00,
            0x80, 0x00, 0x00, 0x00,
            0x00,
            0x00,
        ];
        var response = new ConsumerGroupDescribeResponse
        {
            Groups =
            [
                new ConsumerGroupDescribeGroup
                {
                    GroupId = "g",
                    GroupState = "Stable",
                    GroupEpoch = 3,
                    AssignmentEpoch = 3,
                    AssignorName = "uniform",
                    Members =
                    [
                        new ConsumerGroupDescribeMember
                        {
                            MemberId = "m",
                            MemberEpoch = 3,
                            ClientId = "c",
                            ClientHost = "/h",
                            SubscribedTopicNames = ["t"],
                            Assignment = new ConsumerGroupDescribeAssignment { TopicPartitions = [new ConsumerGroupDescribeTopicPartitions { TopicId = TopicId, TopicName = "t", Partitions = [0] }] },
                        },
                    ],
                },
            ],
        };

        Assert.Equal(expected, Codec.Encode(response, 0));
        var decoded = Codec.Decode<ConsumerGroupDescribeResponse>(expected, 0);
        Assert.Equal(int.MinValue, decoded.Groups[0].AuthorizedOperations);
        Assert.Equal("t", decoded.Groups[0].Members[0].Assignment.TopicPartitions[0].TopicName);
        Assert.Empty(decoded.Groups[0].Members[0].TargetAssignment.TopicPartitions);
    }

    [Fact]
    public void ConsumerGroupHeartbeatResponse_NullAssignment_IsMinusOneMarker()
    {
        var bytes = Codec.Encode(new ConsumerGroupHeartbeatResponse { MemberEpoch = 1 }, 0);

        // ... HeartbeatIntervalMs | Assignment null (int8 -1) | tags
        Assert.Equal([0xFF, 0x00], bytes[^2..]);
        Assert.Null(Codec.Decode<ConsumerGroupHeartbeatResponse>(bytes, 0).Assignment);
    }

    [Fact]
    public void ConsumerGroupHeartbeatRequest_V0_OmitsRegex()
    {
        var request = new ConsumerGroupHeartbeatRequest { GroupId = "g", MemberId = "m", SubscribedTopicNames = ["t"], SubscribedTopicRegex = "ignored" };

        // GroupId | MemberId | MemberEpoch 0 | InstanceId null | RackId null | RebalanceTimeoutMs -1
        // | SubscribedTopicNames ["t"] | ServerAssignor null | TopicPartitions null | tags
        byte[] expected =
        [
            0x02, (byte)'g', 0x02, (byte)'m', 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,
            0x02, 0x02, (byte)'t', 0x00, 0x00, 0x00,
        ];

        Assert.Equal(expected, Codec.Encode(request, 0));
    }
}
