namespace Freshet.Kafka.Protocol.Framing;

/// <summary>
/// The header in front of every response body: the request's correlation id; v1 adds a tagged-field
/// section. Which version to use follows from the request (<see cref="FlexibleVersions.ResponseHeaderVersion"/>).
/// No tagged fields are known; unknown ones are skipped.
/// </summary>
public sealed class ResponseHeader : IKafkaStruct<ResponseHeader>
{
    /// <summary>The correlation id of the request this answers.</summary>
    public int CorrelationId { get; set; }

    /// <summary>Reads a header of the given header version (0 or 1).</summary>
    public static ResponseHeader Read(ref KafkaReader reader, short version)
    {
        CheckVersion(version);
        var header = new ResponseHeader { CorrelationId = reader.ReadInt32("CorrelationId") };
        if (version >= 1)
        {
            reader.SkipTaggedFields("ResponseHeader");
        }

        return header;
    }

    /// <summary>Writes this header at the given header version (0 or 1).</summary>
    public void Write(KafkaWriter writer, short version)
    {
        CheckVersion(version);
        writer.WriteInt32(CorrelationId);
        if (version >= 1)
        {
            writer.WriteEmptyTaggedFields();
        }
    }

    private static void CheckVersion(short version)
    {
        if (version is < 0 or > 1)
        {
            throw new KafkaProtocolException(null, $"ResponseHeader version {version} is not supported (0-1).");
        }
    }
}
