using System.Buffers.Binary;

namespace Freshet.Log.Tests.Records;

/// <summary>
/// Writes snappy data framed as the Java client's xerial SnappyOutputStream does (magic, two versions, then
/// blocks of big-endian length and raw snappy block), a block per 64 KiB written. Leaves the output open.
/// </summary>
internal sealed class XerialSnappyWriter(Stream output) : Stream
{
    private const int BlockBytes = 64 * 1024;
    private static readonly byte[] Header = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1];
    private readonly byte[] _block = new byte[BlockBytes];
    private int _filled;
    private bool _headerWritten;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var n = Math.Min(buffer.Length, BlockBytes - _filled);
            buffer[..n].CopyTo(_block.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == BlockBytes)
            {
                Flush();
            }
        }
    }

    public override void Flush()
    {
        if (!_headerWritten)
        {
            output.Write(Header);
            _headerWritten = true;
        }

        if (_filled == 0)
        {
            return;
        }

        var compressed = Snappier.Snappy.CompressToArray(_block.AsSpan(0, _filled));
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, compressed.Length);
        output.Write(length);
        output.Write(compressed);
        _filled = 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }
}
