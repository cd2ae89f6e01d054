using System.Runtime.Serialization;
using System.Text.Json.Serialization;
using CsCheck;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Tests.Serialization;

public sealed record SensorReading(string SensorId, double Celsius, long TimeMs);

[JsonSerializable(typeof(SensorReading))]
internal sealed partial class SensorJsonContext : JsonSerializerContext;

public sealed class SerializersTests
{
    [Fact]
    public void Integers_are_big_endian_like_the_kafka_clients()
    {
        Assert.Equal(new byte[] { 0, 0, 1, 2 }, Serializers.Int32.SerializeToArray(258));
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE }, Serializers.Int64.SerializeToArray(-2));
        Assert.Equal(new byte[] { 0x3F, 0xF0, 0, 0, 0, 0, 0, 0 }, Serializers.Double.SerializeToArray(1.0));
    }

    [Fact]
    public void Primitives_round_trip() =>
        Gen.Select(Gen.Int, Gen.Long, Gen.Double, Gen.Float, Gen.Bool, Gen.Guid).Sample((i, l, d, f, b, g) =>
        {
            Assert.Equal(i, RoundTrip(Serializers.Int32, i));
            Assert.Equal(l, RoundTrip(Serializers.Int64, l));
            Assert.Equal(d, RoundTrip(Serializers.Double, d));
            Assert.Equal(f, RoundTrip(Serializers.Single, f));
            Assert.Equal(b, RoundTrip(Serializers.Boolean, b));
            Assert.Equal(g, RoundTrip(Serializers.Guid, g));
        });

    [Fact]
    public void Strings_and_bytes_round_trip() =>
        Gen.Select(Gen.String, Gen.Byte.Array).Sample((s, bytes) =>
        {
            Assert.Equal(s, RoundTrip(Serializers.Utf8String, s));
            Assert.Equal(bytes, RoundTrip(Serializers.Bytes, bytes));
        });

    [Fact]
    public void Guid_uses_rfc4122_byte_order()
    {
        var guid = System.Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), Serializers.Guid.SerializeToArray(guid));
    }

    [Fact]
    public void Default_picks_the_built_in_or_json()
    {
        Assert.Same(Serializers.Int64, Serializers.Default<long>());
        Assert.Same(Serializers.Utf8String, Serializers.Default<string>());
        Assert.Same(Serializers.Bytes, Serializers.Default<byte[]>());
        var reading = new SensorReading("s-1", 21.5, 1_700_000_000_000);
        var json = Serializers.Default<SensorReading>().SerializeToArray(reading);
        Assert.Equal("""{"SensorId":"s-1","Celsius":21.5,"TimeMs":1700000000000}""", System.Text.Encoding.UTF8.GetString(json));
        Assert.Equal(reading, Serializers.Default<SensorReading>().Deserialize(json));
    }

    [Fact]
    public void Default_of_a_two_input_record_round_trips_both_sides()
    {
        // Window joins keep these as window contents: in RocksDB and in checkpoints they go through this serializer.
        var serializer = Serializers.Default<Freshet.Streaming.Exchange.TaggedUnion<string, long>>();
        var first = serializer.Deserialize(serializer.SerializeToArray(Freshet.Streaming.Exchange.TaggedUnion<string, long>.OfFirst("left")));
        var second = serializer.Deserialize(serializer.SerializeToArray(Freshet.Streaming.Exchange.TaggedUnion<string, long>.OfSecond(42)));
        Assert.Equal((false, "left"), (first.IsSecond, first.First));
        Assert.Equal((true, 42L), (second.IsSecond, second.Second));
    }

    [Fact]
    public void Json_with_a_source_generated_context_round_trips()
    {
        var serializer = Serializers.Json(SensorJsonContext.Default.SensorReading);
        var reading = new SensorReading("s-2", -3.25, 42);
        Assert.Equal(reading, RoundTrip(serializer, reading));
        Assert.Equal(Serializers.Default<SensorReading>().SerializeToArray(reading), serializer.SerializeToArray(reading));
    }

    [Fact]
    public void Bad_input_gives_a_serialization_exception_naming_the_problem()
    {
        Assert.Contains("expected 8 bytes, got 3", Assert.Throws<SerializationException>(() => Serializers.Int64.Deserialize(new byte[3])).Message);
        Assert.Contains("neither 0 nor 1", Assert.Throws<SerializationException>(() => Serializers.Boolean.Deserialize(new byte[] { 7 })).Message);
        Assert.Contains("UTF-8", Assert.Throws<SerializationException>(() => Serializers.Utf8String.Deserialize(new byte[] { 0xC3, 0x28 })).Message);
        Assert.Contains("JSON", Assert.Throws<SerializationException>(() => Serializers.Default<SensorReading>().Deserialize("{oops"u8)).Message);
        Assert.Throws<ArgumentNullException>(() => Serializers.Utf8String.SerializeToArray(null!));
    }

    private static T RoundTrip<T>(ISerializer<T> serializer, T value) => serializer.Deserialize(serializer.SerializeToArray(value));
}
