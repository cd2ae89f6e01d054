namespace Freshet.Kafka.Protocol.Framing;

/// <summary>
/// The header in front of every request body. Header v0: api key, api version, correlation id;
/// v1 adds the client id (a classic nullable string, never compact, even in v2); v2 adds a
/// tagged-field section. Which version a request carries follows from its api key and version
/// (<see cref="FlexibleVersions.RequestHeaderVersion"/>). No tagged fields are known; unknown ones are skipped.
/// </summary>
public sealed class RequestHeader : IKafkaStruct<RequestHeader>
{
    /// <summary>The API of the body that follows.</summary>
    public ApiKeys ApiKey { get; set; }

    /// <summary>The version of the body that follows.</summary>
    public short ApiVersion { get; set; }

    /// <summary>Chosen by the client; the response carries it back.</summary>
    public int CorrelationId { get; set; }

    /// <summary>The client's self-chosen id (header v1+); null when absent.</summary>
    public string? ClientId { get; set; }

    /// <summary>The header version this header's api key and version call for.</summary>
    public short HeaderVersion => FlexibleVersions.RequestHeaderVersion(ApiKey, ApiVersion);

    /// <summary>Reads a header, choosing its version from the api key and version it starts with.</summary>
    public static RequestHeader Read(ref KafkaReader reader)
    {
        var header = new RequestHeader
        {
            ApiKey = (ApiKeys)reader.ReadInt16("RequestApiKey"),
            ApiVersion = reader.ReadInt16("RequestApiVersion"),
            CorrelationId = reader.ReadInt32("CorrelationId"),
        };
        header.ReadRest(ref reader, header.HeaderVersion);
        return header;
    }

    /// <summary>Reads a header of the given header version (0 to 2).</summary>
    public static RequestHeader Read(ref KafkaReader reader, short version)
    {
        CheckVersion(version);
        var header = new RequestHeader
        {
            ApiKey = (ApiKeys)reader.ReadInt16("RequestApiKey"),
            ApiVersion = reader.ReadInt16("RequestApiVersion"),
            CorrelationId = reader.ReadInt32("CorrelationId"),
        };
        header.ReadRest(ref reader, version);
        return header;
    }

    /// <summary>Writes this header at the given header version (0 to 2).</summary>
    public void Write(KafkaWriter writer, short version)
    {
        CheckVersion(version);
        writer.WriteInt16((short)ApiKey);
        writer.WriteInt16(ApiVersion);
        writer.WriteInt32(CorrelationId);
        if (version >= 1)
        {
            writer.WriteNullableString(ClientId, compact: false, "ClientId");
        }

        if (version >= 2)
        {
            writer.WriteEmptyTaggedFields();
        }
    }

    private void ReadRest(ref KafkaReader reader, short version)
    {
        if (version >= 1)
        {
            ClientId = reader.ReadNullableString(compact: false, "ClientId");
        }

        if (version >= 2)
        {
            reader.SkipTaggedFields("RequestHeader");
        }
    }

    private static void CheckVersion(short version)
    {
        if (version is < 0 or > 2)
        {
            throw new KafkaProtocolException(null, $"RequestHeader version {version} is not supported (0-2).");
        }
    }
}
