namespace Freshet.Kafka.Protocol.Messages;

/// <summary>
/// ApiVersions response (key 18), versions 0-3, flexible from 3. Its response header is always v0.
/// v1 adds the throttle time; v3 adds four tagged fields (supported features, finalized features epoch
/// and levels, ZooKeeper-migration readiness), written only when they differ from their defaults.
/// </summary>
public sealed class ApiVersionsResponse : IKafkaMessage<ApiVersionsResponse>
{
    internal const short FirstFlexibleVersion = 3;

    private const uint SupportedFeaturesTag = 0;
    private const uint FinalizedFeaturesEpochTag = 1;
    private const uint FinalizedFeaturesTag = 2;
    private const uint ZkMigrationReadyTag = 3;

    /// <inheritdoc/>
    public static Protocol.ApiKeys ApiKey => Protocol.ApiKeys.ApiVersions;

    /// <inheritdoc/>
    public static short LowestSupportedVersion => 0;

    /// <inheritdoc/>
    public static short HighestSupportedVersion => 3;

    /// <summary>The top-level error code; 35 (UNSUPPORTED_VERSION) when the request's version is unknown.</summary>
    public short ErrorCode { get; set; }

    /// <summary>The APIs the broker supports.</summary>
    public IReadOnlyList<ApiVersionsResponseKey> ApiKeys { get; set; } = [];

    /// <summary>Milliseconds the request was throttled for a quota, 0 if not (v1+).</summary>
    public int ThrottleTimeMs { get; set; }

    /// <summary>Features the broker supports (v3+, tag 0).</summary>
    public IReadOnlyList<SupportedFeatureKey> SupportedFeatures { get; set; } = [];

    /// <summary>Epoch of the finalized features, -1 when unknown (v3+, tag 1).</summary>
    public long FinalizedFeaturesEpoch { get; set; } = -1;

    /// <summary>Cluster-wide finalized feature levels (v3+, tag 2).</summary>
    public IReadOnlyList<FinalizedFeatureKey> FinalizedFeatures { get; set; } = [];

    /// <summary>Set by a KRaft controller ready for ZooKeeper migration (v3+, tag 3).</summary>
    public bool ZkMigrationReady { get; set; }

    /// <inheritdoc/>
    public static ApiVersionsResponse Read(ref KafkaReader reader, short version)
    {
        VersionCheck.Require<ApiVersionsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        var message = new ApiVersionsResponse
        {
            ErrorCode = reader.ReadInt16("ErrorCode"),
            ApiKeys = reader.ReadArray<ApiVersionsResponseKey>(flexible, version, "ApiKeys"),
        };
        if (version >= 1)
        {
            message.ThrottleTimeMs = reader.ReadInt32("ThrottleTimeMs");
        }

        if (flexible)
        {
            int count = reader.ReadTaggedFieldCount("ApiVersionsResponse");
            for (int i = 0; i < count; i++)
            {
                var field = reader.ReadTaggedField(out uint tag, "ApiVersionsResponse");
                switch (tag)
                {
                    case SupportedFeaturesTag:
                        message.SupportedFeatures = field.ReadArray<SupportedFeatureKey>(compact: true, version, "SupportedFeatures");
                        break;
                    case FinalizedFeaturesEpochTag:
                        message.FinalizedFeaturesEpoch = field.ReadInt64("FinalizedFeaturesEpoch");
                        break;
                    case FinalizedFeaturesTag:
                        message.FinalizedFeatures = field.ReadArray<FinalizedFeatureKey>(compact: true, version, "FinalizedFeatures");
                        break;
                    case ZkMigrationReadyTag:
                        message.ZkMigrationReady = field.ReadBool("ZkMigrationReady");
                        break;
                    default:
                        break;
                }
            }
        }

        return message;
    }

    /// <inheritdoc/>
    public void Write(KafkaWriter writer, short version)
    {
        VersionCheck.Require<ApiVersionsResponse>(version);
        bool flexible = version >= FirstFlexibleVersion;
        writer.WriteInt16(ErrorCode);
        writer.WriteArray(ApiKeys, flexible, version, "ApiKeys");
        if (version >= 1)
        {
            writer.WriteInt32(ThrottleTimeMs);
        }

        if (flexible)
        {
            bool hasSupported = SupportedFeatures is { Count: > 0 };
            bool hasEpoch = FinalizedFeaturesEpoch != -1;
            bool hasFinalized = FinalizedFeatures is { Count: > 0 };
            writer.WriteTaggedFieldCount((hasSupported ? 1 : 0) + (hasEpoch ? 1 : 0) + (hasFinalized ? 1 : 0) + (ZkMigrationReady ? 1 : 0));
            if (hasSupported)
            {
                writer.WriteTaggedArray(SupportedFeaturesTag, SupportedFeatures, version, "SupportedFeatures");
            }

            if (hasEpoch)
            {
                writer.WriteTaggedInt64(FinalizedFeaturesEpochTag, FinalizedFeaturesEpoch);
            }

            if (hasFinalized)
            {
                writer.WriteTaggedArray(FinalizedFeaturesTag, FinalizedFeatures, version, "FinalizedFeatures");
            }

            if (ZkMigrationReady)
            {
                writer.WriteTaggedBool(ZkMigrationReadyTag, ZkMigrationReady);
            }
        }
    }
}
