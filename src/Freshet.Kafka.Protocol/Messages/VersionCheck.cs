namespace Freshet.Kafka.Protocol.Messages;

/// <summary>Refuses message versions outside the range the codec implements, before any field is touched.</summary>
internal static class VersionCheck
{
    public static void Require<T>(short version)
        where T : IKafkaMessage<T>
    {
        if (version < T.LowestSupportedVersion || version > T.HighestSupportedVersion)
        {
            throw new KafkaProtocolException(
                null,
                $"{typeof(T).Name} version {version} is not supported ({T.LowestSupportedVersion}-{T.HighestSupportedVersion}).");
        }
    }
}
