namespace Freshet.Kafka.Protocol;

/// <summary>An API key and the inclusive range of its versions, as ApiVersions advertises it. An immutable value.</summary>
/// <param name="ApiKey">The API.</param>
/// <param name="MinVersion">The lowest supported version, inclusive.</param>
/// <param name="MaxVersion">The highest supported version, inclusive.</param>
public readonly record struct ApiVersionRange(ApiKeys ApiKey, short MinVersion, short MaxVersion)
{
    /// <summary>Whether <paramref name="version"/> lies inside the range.</summary>
    public bool Contains(short version) => version >= MinVersion && version <= MaxVersion;
}
