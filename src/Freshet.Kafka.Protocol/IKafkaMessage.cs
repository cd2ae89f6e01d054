namespace Freshet.Kafka.Protocol;

/// <summary>
/// A top-level request or response body of one API. Its supported range is the range this codec
/// implements, which may be narrower than the range Kafka defines; <see cref="IKafkaStruct{TSelf}.Read"/>
/// refuses versions outside it with a <see cref="KafkaProtocolException"/>.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IKafkaMessage<TSelf> : IKafkaStruct<TSelf>
    where TSelf : IKafkaMessage<TSelf>
{
    /// <summary>The API this message belongs to.</summary>
    static abstract ApiKeys ApiKey { get; }

    /// <summary>The lowest version this codec reads and writes.</summary>
    static abstract short LowestSupportedVersion { get; }

    /// <summary>The highest version this codec reads and writes.</summary>
    static abstract short HighestSupportedVersion { get; }
}
