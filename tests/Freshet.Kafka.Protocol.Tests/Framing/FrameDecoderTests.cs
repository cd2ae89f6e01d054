using System.Buffers;
using CsCheck;
using Freshet.Kafka.Protocol.Framing;

namespace Freshet.Kafka.Protocol.Tests.Framing;

public class FrameDecoderTests
{
    private static readonly FrameDecoder Decoder = new(maxFrameBytes: 1024);

    [Fact]
    public void TryReadFrame_CompleteFrame_ReturnsPayloadAndAdvances()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 2, 0xAA, 0xBB, 0, 0 });
        Assert.True(Decoder.TryReadFrame(ref buffer, out var payload));
        Assert.Equal([0xAA, 0xBB], payload.ToArray());
        Assert.Equal(2, buffer.Length);
    }

    [Fact]
    public void TryReadFrame_Incomplete_ReturnsFalseAndLeavesBuffer()
    {
        foreach (var bytes in new[] { Array.Empty<byte>(), new byte[] { 0, 0, 0 }, new byte[] { 0, 0, 0, 3, 1, 2 } })
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            Assert.False(Decoder.TryReadFrame(ref buffer, out _));
            Assert.Equal(bytes.Length, buffer.Length);
            Assert.False(Decoder.TryReadFrame(bytes, out _, out int consumed));
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void TryReadFrame_NegativeSize_Throws()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0xFF, 0xFF, 0xFF, 0xFE });
        Assert.Throws<KafkaProtocolException>(() => Decoder.TryReadFrame(ref buffer, out _));
        Assert.Throws<KafkaProtocolException>(() => Decoder.TryReadFrame(new byte[] { 0x80, 0, 0, 0 }, out _, out _));
    }

    [Fact]
    public void TryReadFrame_SizeAboveMaximum_ThrowsBeforePayloadArrives()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0x04, 0x01 });
        var error = Assert.Throws<KafkaProtocolException>(() => Decoder.TryReadFrame(ref buffer, out _));
        Assert.Contains("1025", error.Message);
    }

    [Fact]
    public void TryReadSize_PrefixArrived_ReturnsTheSizeBeforeThePayloadAndChecksIt()
    {
        Assert.False(Decoder.TryReadSize(new ReadOnlySequence<byte>(new byte[] { 0, 0, 1 }), out _));
        Assert.True(Decoder.TryReadSize(new ReadOnlySequence<byte>(new byte[] { 0, 0, 1, 0, 9 }), out var size));
        Assert.Equal(256, size);
        Assert.Throws<KafkaProtocolException>(() => Decoder.TryReadSize(new ReadOnlySequence<byte>(new byte[] { 0, 0, 0x04, 0x01 }), out _));
        Assert.Throws<KafkaProtocolException>(() => Decoder.TryReadSize(new ReadOnlySequence<byte>(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }), out _));
    }

    [Fact]
    public void TryReadFrame_ZeroSize_IsAnEmptyFrame()
    {
        Assert.True(Decoder.TryReadFrame(new byte[] { 0, 0, 0, 0 }, out var payload, out int consumed));
        Assert.Equal(0, payload.Length);
        Assert.Equal(4, consumed);
    }

    [Fact]
    public void TryReadFrame_FramesSplitAcrossSegments_ReassemblesAll() =>
        Gen.Select(Gen.Byte.Array[0, 50].Array[1, 6], Gen.Int[1, 7]).Sample((payloads, segmentSize) =>
        {
            var stream = new List<byte>();
            foreach (var p in payloads)
            {
                stream.AddRange([0, 0, (byte)(p.Length >> 8), (byte)p.Length]);
                stream.AddRange(p);
            }

            var buffer = Segments.Split([.. stream], segmentSize);
            foreach (var expected in payloads)
            {
                Assert.True(Decoder.TryReadFrame(ref buffer, out var payload));
                Assert.Equal(expected, payload.ToArray());
            }

            Assert.Equal(0, buffer.Length);
            Assert.False(Decoder.TryReadFrame(ref buffer, out _));
        });

    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Split(byte[] bytes, int segmentSize)
        {
            if (bytes.Length == 0)
            {
                return ReadOnlySequence<byte>.Empty;
            }

            var first = new Segments(bytes.AsMemory(0, Math.Min(segmentSize, bytes.Length)), 0);
            var last = first;
            for (int start = segmentSize; start < bytes.Length; start += segmentSize)
            {
                var next = new Segments(bytes.AsMemory(start, Math.Min(segmentSize, bytes.Length - start)), start);
                last.Next = next;
                last = next;
            }

            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
