using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.OffsetFetch;

/// <summary>Topics may be null ("all topics the group committed") only from v2; v1 has no way to say it.</summary>
public class OffsetFetchRequestNullTopicsTests
{
    [Fact]
    public void Write_NullTopicsAtV1_ThrowsProtocolException()
    {
        var request = new OffsetFetchRequest { GroupId = "g", Topics = null };

        var error = Assert.Throws<KafkaProtocolException>(() => Codec.Encode(request, 1));
        Assert.Equal("Topics", error.Field);
    }

    [Fact]
    public void Read_NullTopicsAtV1_ThrowsProtocolException()
    {
        byte[] bytes = [0x00, 0x01, (byte)'g', 0xFF, 0xFF, 0xFF, 0xFF];

        Assert.Throws<KafkaProtocolException>(() => Codec.Decode<OffsetFetchRequest>(bytes, 1));
    }

    [Fact]
    public void Read_NullTopicsAtV2_DecodesAsNull()
    {
        byte[] bytes = [0x00, 0x01, (byte)'g', 0xFF, 0xFF, 0xFF, 0xFF];

        Assert.Null(Codec.Decode<OffsetFetchRequest>(bytes, 2).Topics);
    }

    [Fact]
    public void Write_NullTopicsAtV7_UsesCompactNullAndRequireStable()
    {
        var request = new OffsetFetchRequest { GroupId = "g", Topics = null, RequireStable = true };

        // compact "g" | compact null array | RequireStable | tags
        Assert.Equal([0x02, (byte)'g', 0x00, 0x01, 0x00], Codec.Encode(request, 7));
    }
}
