namespace Freshet.Kafka.Protocol.Tests.Support;

/// <summary>Encode and decode helpers shared by the message tests.</summary>
internal static class Codec
{
    public static byte[] Encode<T>(T value, short version)
        where T : IKafkaStruct<T>
    {
        using var buffer = new PooledBufferWriter();
        value.Write(new KafkaWriter(buffer), version);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes <paramref name="bytes"/> and checks that every byte was consumed.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> bytes, short version)
        where T : IKafkaStruct<T>
    {
        var reader = new KafkaReader(bytes);
        var value = T.Read(ref reader, version);
        Assert.True(reader.IsAtEnd, $"{typeof(T).Name} v{version}: {reader.Remaining} bytes left over");
        return value;
    }

    /// <summary>
    /// Write, read back, compare structurally, and check that writing the decoded value gives the same
    /// bytes again (so nothing was dropped or invented on the way).
    /// </summary>
    public static void AssertRoundTrip<T>(T value, short version)
        where T : IKafkaStruct<T>
    {
        var bytes = Encode(value, version);
        var decoded = Decode<T>(bytes, version);
        Structural.AssertEqual(value, decoded, $"{typeof(T).Name} v{version}");
        Assert.Equal(bytes, Encode(decoded, version));
    }

    /// <summary>Every strict prefix of a valid encoding must fail with <see cref="KafkaProtocolException"/>.</summary>
    public static void AssertEveryTruncationThrows<T>(byte[] bytes, short version)
        where T : IKafkaStruct<T>
    {
        for (int length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsMemory(0, length);
            Assert.Throws<KafkaProtocolException>(() =>
            {
                var reader = new KafkaReader(prefix);
                _ = T.Read(ref reader, version);
            });
        }
    }

    /// <summary>Decoding arbitrary bytes either succeeds or throws <see cref="KafkaProtocolException"/>; nothing else.</summary>
    public static void AssertDecodesOrThrowsProtocolException<T>(byte[] bytes, short version)
        where T : IKafkaStruct<T>
    {
        try
        {
            var reader = new KafkaReader(bytes);
            _ = T.Read(ref reader, version);
        }
        catch (KafkaProtocolException)
        {
        }
    }
}
