using Freshet.Nexmark.Generation;

namespace Freshet.Nexmark.Tests;

public sealed class SerializerTests
{
    [Fact]
    public void Deserialize_SerializedEvents_RoundTrips()
    {
        var generator = new NexmarkGenerator(new NexmarkConfig { Seed = 7 });
        for (long n = 0; n < 20_000; n++)
        {
            var e = generator.Generate(n);
            var back = NexmarkSerializer.Deserialize(NexmarkSerializer.Serialize(e));
            Assert.Equal(e.Kind, back.Kind);
            Assert.Equal(e.DateTime, back.DateTime);
            Assert.Equal(e.Person, back.Person);
            Assert.Equal(e.Auction, back.Auction);
            Assert.Equal(e.Bid, back.Bid);
        }
    }

    [Fact]
    public void JsonDeserializer_EventsWrittenAsJson_RoundTrip()
    {
        var generator = new NexmarkGenerator(new NexmarkConfig { Seed = 11 });
        for (long n = 0; n < 20_000; n++)
        {
            var e = generator.Generate(n);
            var back = NexmarkJsonDeserializer.Deserialize(NexmarkJsonLogWriter.Serialize(e));
            Assert.Equal(e.Kind, back.Kind);
            Assert.Equal(e.DateTime, back.DateTime);
            Assert.Equal(e.Person, back.Person);
            Assert.Equal(e.Auction, back.Auction);
            Assert.Equal(e.Bid, back.Bid);
        }
    }

    [Fact]
    public void Deserialize_MalformedBytes_ThrowsInvalidData()
    {
        var bid = NexmarkSerializer.Serialize(new NexmarkGenerator().Generate(10));
        Assert.Throws<InvalidDataException>(() => NexmarkSerializer.Deserialize(null));
        Assert.Throws<InvalidDataException>(() => NexmarkSerializer.Deserialize([]));
        Assert.Throws<InvalidDataException>(() => NexmarkSerializer.Deserialize([9, 1, 2]));
        Assert.Throws<InvalidDataException>(() => NexmarkSerializer.Deserialize(bid[..^3]));
        Assert.Throws<InvalidDataException>(() => NexmarkSerializer.Deserialize([.. bid, 0]));
    }
}
