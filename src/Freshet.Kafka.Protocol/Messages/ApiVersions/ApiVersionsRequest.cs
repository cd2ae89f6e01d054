namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// ApiVersions request (key 18), versions 0-3, flexible from 3. Empty before v3; v3 names the client
/// software (KIP-511). A broker answers an ApiVersions request of a version it does not support with
/// a v0 response carrying error 35 (UNSUPPORTED_VERSION) and its supported APIs, without decoding the body.
/// </summary>
public sealed class ApiVersionsRequest : IKafkaMessage<ApiVersionsRequest>
{
    internal const short FirstFlexibleVersion = 3;

    /// <inheritdoc/>
    public static ApiKeys ApiKey => ApiKeys.ApiVersions;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>The client library's name, for example "librdkafka" (v3+; "" before).</summary>
    public string ClientSoftwareName { get; set; } = "";

    /// <summary>The client library's version (v3+; "" before).</summary>
    public string ClientSoftwareVersion { get; set; } = "";

    /// <inheritdoc/>
    public static ApiVersionsRequest Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<ApiVersionsRequest>(version);
        var message = new ApiVersionsRequest();
        if (version >= 3)
        {
            message.ClientSoftwareName = reader.ReadString(compact: true, "ClientSoftwareName");
            message.ClientSoftwareVersion = reader.ReadString(compact: true, "ClientSoftwareVersion");
            reader.SkipTaggedFields("ApiVersionsRequest");
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<ApiVersionsRequest>(version);
        if (version >= 3)
        {
            writer.WriteString(ClientSoftwareName, compact: true, "ClientSoftwareName");
            writer.WriteString(ClientSoftwareVersion, compact: true, "ClientSoftwareVersion");
            writer.WriteEmptyTaggedFields();
        }
    }
}
