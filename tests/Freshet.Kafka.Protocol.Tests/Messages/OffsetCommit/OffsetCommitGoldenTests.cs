using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.OffsetCommit;

/// <summary>
/// OffsetCommit bodies built byte by byte from Kafka's message definition: v8 (flexible: compact strings
/// and arrays as unsigned-varint N+1, a tagged-field section closing every struct) and v2 (classic, with
/// the retention time that v5 removed).
/// </summary>
public class OffsetCommitGoldenTests
{
    // GroupId "g" | GenerationIdOrMemberEpoch 3 | MemberId "m" | GroupInstanceId null
    // | Topics: 1 × (Name "t", Partitions: 1 × (PartitionIndex 0, CommittedOffset 42, CommittedLeaderEpoch 5,
    //   CommittedMetadata "", tags) , tags) | tags
    private static readonly byte[] RequestV8 =
    [
        0x02, (byte)'g',
        0x00, 0x00, 0x00, 0x03,
        0x02, (byte)'m',
        0x00,
        0x02,
        0x02, (byte)'t',
        0x02,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A,
        0x00, 0x00, 0x00, 0x05,
        0x01,
        0x00,
        0x00,
        0x00,
    ];

    // ThrottleTimeMs 0 | Topics: 1 × (Name "t", Partitions: 1 × (PartitionIndex 0, ErrorCode 0, tags), tags) | tags
    private static readonly byte[] ResponseV8 =
    [
        0x00, 0x00, 0x00, 0x00,
        0x02,
        0x02, (byte)'t',
        0x02,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00,
        0x00,
        0x00,
        0x00,
    ];

    private static OffsetCommitRequest SampleRequest() => new()
    {
        GroupId = "g",
        GenerationIdOrMemberEpoch = 3,
        MemberId = "m",
        Topics =
        [
            new OffsetCommitRequestTopic
            {
                Name = "t",
                Partitions = [new OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 42, CommittedLeaderEpoch = 5, CommittedMetadata = "" }],
            },
        ],
    };

    [Fact]
    public void WriteRequest_V8_MatchesSpecBytes()
    {
        Assert.Equal(RequestV8, Codec.Encode(SampleRequest(), 8));
    }

    [Fact]
    public void WriteRequest_V9_HasTheLayoutOfV8()
    {
        // v9 changed no field: it tells the broker the client commits with a KIP-848 member epoch.
        Assert.Equal(RequestV8, Codec.Encode(SampleRequest(), 9));
        Assert.Equal(3, Codec.Decode<OffsetCommitRequest>(RequestV8, 9).GenerationIdOrMemberEpoch);
        Assert.Equal(ResponseV8, Codec.Encode(Codec.Decode<OffsetCommitResponse>(ResponseV8, 9), 9));
    }

    [Fact]
    public void ReadRequest_V8SpecBytes_DecodesEveryField()
    {
        var request = Codec.Decode<OffsetCommitRequest>(RequestV8, 8);

        Assert.Equal("g", request.GroupId);
        Assert.Equal(3, request.GenerationIdOrMemberEpoch);
        Assert.Equal("m", request.MemberId);
        Assert.Null(request.GroupInstanceId);
        Assert.Equal(-1, request.RetentionTimeMs);
        var topic = Assert.Single(request.Topics);
        Assert.Equal("t", topic.Name);
        var partition = Assert.Single(topic.Partitions);
        Assert.Equal(0, partition.PartitionIndex);
        Assert.Equal(42, partition.CommittedOffset);
        Assert.Equal(5, partition.CommittedLeaderEpoch);
        Assert.Equal("", partition.CommittedMetadata);
    }

    [Fact]
    public void ReadRequest_V8WithUnknownTagsOnEveryStruct_SkipsThem()
    {
        // The same request, with an unknown tag (tag 7, 2 bytes) in each of the three tagged-field sections.
        byte[] bytes =
        [
            0x02, (byte)'g', 0x00, 0x00, 0x00, 0x03, 0x02, (byte)'m', 0x00,
            0x02,
            0x02, (byte)'t',
            0x02,
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A,
            0x00, 0x00, 0x00, 0x05,
            0x01,
            0x01, 0x07, 0x02, 0xAB, 0xCD,
            0x01, 0x07, 0x02, 0xAB, 0xCD,
            0x01, 0x07, 0x02, 0xAB, 0xCD,
        ];

        var request = Codec.Decode<OffsetCommitRequest>(bytes, 8);

        Structural.AssertEqual(SampleRequest(), request, "OffsetCommitRequest");
        Assert.Equal(RequestV8, Codec.Encode(request, 8));
    }

    [Fact]
    public void WriteResponse_V8_MatchesSpecBytes()
    {
        var response = new OffsetCommitResponse
        {
            Topics =
            [
                new OffsetCommitResponseTopic
                {
                    Name = "t",
                    Partitions = [new OffsetCommitResponsePartition { PartitionIndex = 0, ErrorCode = 0 }],
                },
            ],
        };

        Assert.Equal(ResponseV8, Codec.Encode(response, 8));
    }

    [Fact]
    public void ReadResponse_V8SpecBytes_DecodesEveryField()
    {
        var response = Codec.Decode<OffsetCommitResponse>(ResponseV8, 8);

        Assert.Equal(0, response.ThrottleTimeMs);
        var topic = Assert.Single(response.Topics);
        Assert.Equal("t", topic.Name);
        var partition = Assert.Single(topic.Partitions);
        Assert.Equal(0, partition.PartitionIndex);
        Assert.Equal(0, partition.ErrorCode);
    }

    [Fact]
    public void WriteRequest_V2_CarriesRetentionAndNoLeaderEpoch()
    {
        var request = SampleRequest();
        request.RetentionTimeMs = 86_400_000;
        request.Topics[0].Partitions[0].CommittedMetadata = null;
        byte[] expected =
        [
            0x00, 0x01, (byte)'g',
            0x00, 0x00, 0x00, 0x03,
            0x00, 0x01, (byte)'m',
            0x00, 0x00, 0x00, 0x00, 0x05, 0x26, 0x5C, 0x00,
            0x00, 0x00, 0x00, 0x01,
            0x00, 0x01, (byte)'t',
            0x00, 0x00, 0x00, 0x01,
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A,
            0xFF, 0xFF,
        ];

        Assert.Equal(expected, Codec.Encode(request, 2));
    }
}
