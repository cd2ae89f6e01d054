namespace Freshet.Log.Topics;

/// <summary>
/// How a topic stores the batches producers send (Kafka's <c>compression.type</c> topic setting).
/// </summary>
public enum TopicCompression
{
    /// <summary>Keep each batch in the codec its producer chose (<c>producer</c>, the default): batches are stored as sent.</summary>
    Producer = 0,

    /// <summary>Store every batch uncompressed (<c>uncompressed</c>): compressed batches are decompressed on append.</summary>
    Uncompressed,

    /// <summary>Store every batch GZIP-compressed (<c>gzip</c>).</summary>
    Gzip,

    /// <summary>Store every batch Snappy-compressed (<c>snappy</c>).</summary>
    Snappy,

    /// <summary>Store every batch LZ4-compressed (<c>lz4</c>).</summary>
    Lz4,

    /// <summary>Store every batch Zstandard-compressed (<c>zstd</c>).</summary>
    Zstd,
}
