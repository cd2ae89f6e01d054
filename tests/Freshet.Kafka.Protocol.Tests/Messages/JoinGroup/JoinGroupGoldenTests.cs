using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.JoinGroup;

/// <summary>JoinGroup v5 bodies built byte by byte from Kafka's message definition (classic encoding: int16 string lengths, int32 array and bytes lengths, -1 for null).</summary>
public class JoinGroupGoldenTests
{
    // GroupId "g" | SessionTimeoutMs 10000 | RebalanceTimeoutMs 300000 | MemberId "" | GroupInstanceId null
    // | ProtocolType "consumer" | Protocols: 1 × (Name "range", Metadata 01 02 03)
    private static readonly byte[] RequestV5 =
    [
        0x00, 0x01, (byte)'g',
        0x00, 0x00, 0x27, 0x10,
        0x00, 0x04, 0x93, 0xE0,
        0x00, 0x00,
        0xFF, 0xFF,
        0x00, 0x08, .. "consumer"u8,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x05, .. "range"u8,
        0x00, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03,
    ];

    // ThrottleTimeMs 0 | ErrorCode 0 | GenerationId 1 | ProtocolName "range" | Leader "m-1" | MemberId "m-2"
    // | Members: 1 × (MemberId "m-1", GroupInstanceId "i-1", Metadata AA)
    private static readonly byte[] ResponseV5 =
    [
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x05, .. "range"u8,
        0x00, 0x03, .. "m-1"u8,
        0x00, 0x03, .. "m-2"u8,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x03, .. "m-1"u8,
        0x00, 0x03, .. "i-1"u8,
        0x00, 0x00, 0x00, 0x01, 0xAA,
    ];

    [Fact]
    public void WriteRequest_V5_MatchesSpecBytes()
    {
        var request = new JoinGroupRequest
        {
            GroupId = "g",
            SessionTimeoutMs = 10_000,
            RebalanceTimeoutMs = 300_000,
            MemberId = "",
            GroupInstanceId = null,
            ProtocolType = "consumer",
            Protocols = [new JoinGroupRequestProtocol { Name = "range", Metadata = [1, 2, 3] }],
        };

        Assert.Equal(RequestV5, Codec.Encode(request, 5));
    }

    [Fact]
    public void ReadRequest_V5SpecBytes_DecodesEveryField()
    {
        var request = Codec.Decode<JoinGroupRequest>(RequestV5, 5);

        Assert.Equal("g", request.GroupId);
        Assert.Equal(10_000, request.SessionTimeoutMs);
        Assert.Equal(300_000, request.RebalanceTimeoutMs);
        Assert.Equal("", request.MemberId);
        Assert.Null(request.GroupInstanceId);
        Assert.Equal("consumer", request.ProtocolType);
        var protocol = Assert.Single(request.Protocols);
        Assert.Equal("range", protocol.Name);
        Assert.Equal([1, 2, 3], protocol.Metadata);
    }

    [Fact]
    public void WriteResponse_V5_MatchesSpecBytes()
    {
        var response = new JoinGroupResponse
        {
            GenerationId = 1,
            ProtocolName = "range",
            Leader = "m-1",
            MemberId = "m-2",
            Members = [new JoinGroupResponseMember { MemberId = "m-1", GroupInstanceId = "i-1", Metadata = [0xAA] }],
        };

        Assert.Equal(ResponseV5, Codec.Encode(response, 5));
    }

    [Fact]
    public void ReadResponse_V5SpecBytes_DecodesEveryField()
    {
        var response = Codec.Decode<JoinGroupResponse>(ResponseV5, 5);

        Assert.Equal(0, response.ThrottleTimeMs);
        Assert.Equal(0, response.ErrorCode);
        Assert.Equal(1, response.GenerationId);
        Assert.Equal("range", response.ProtocolName);
        Assert.Equal("m-1", response.Leader);
        Assert.Equal("m-2", response.MemberId);
        var member = Assert.Single(response.Members);
        Assert.Equal("m-1", member.MemberId);
        Assert.Equal("i-1", member.GroupInstanceId);
        Assert.Equal([0xAA], member.Metadata);
    }

    [Fact]
    public void WriteRequest_V0_OmitsRebalanceTimeoutAndInstanceId()
    {
        var request = new JoinGroupRequest
        {
            GroupId = "g",
            SessionTimeoutMs = 10_000,
            RebalanceTimeoutMs = 300_000,
            GroupInstanceId = "ignored below v5",
            ProtocolType = "consumer",
        };
        byte[] expected =
        [
            0x00, 0x01, (byte)'g',
            0x00, 0x00, 0x27, 0x10,
            0x00, 0x00,
            0x00, 0x08, .. "consumer"u8,
            0x00, 0x00, 0x00, 0x00,
        ];

        Assert.Equal(expected, Codec.Encode(request, 0));
        Assert.Equal(-1, Codec.Decode<JoinGroupRequest>(expected, 0).RebalanceTimeoutMs);
    }
}
