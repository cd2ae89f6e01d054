namespace Freshet.Log.Records;

/// <summary>The compression codec of a record batch: bits 0–2 of the batch attributes, as in Kafka.</summary>
public enum CompressionType : byte
{
    /// <summary>Records are stored uncompressed.</summary>
    None = 0,

    /// <summary>GZIP (RFC 1952) through System.IO.Compression.</summary>
    Gzip = 1,

    /// <summary>Snappy (raw block; the xerial framing that the Java client writes is also read).</summary>
    Snappy = 2,

    /// <summary>LZ4 frame format.</summary>
    Lz4 = 3,

    /// <summary>Zstandard frame format.</summary>
    Zstd = 4,
}
