using Freshet.Kafka.Protocol;

namespace Freshet.Streaming.Application.Membership;

/// <summary>One API a broker cannot serve at a version Freshet speaks. An immutable value.</summary>
/// <param name="ApiKey">The API.</param>
/// <param name="Offered">The versions the broker advertises for it; null when it does not offer the API at all.</param>
/// <param name="Needed">The versions Freshet can use.</param>
internal readonly record struct ApiVersionMismatch(ApiKeys ApiKey, ApiVersionRange? Offered, ApiVersionRange Needed)
{
    /// <summary>The mismatch in words, for example <c>"JoinGroup: the broker offers versions 0-4, Freshet needs 5-5"</c>.</summary>
    public override string ToString() =>
        Offered is { } offered
            ? $"{ApiKey}: the broker offers versions {offered.MinVersion}-{offered.MaxVersion}, Freshet needs {Needed.MinVersion}-{Needed.MaxVersion}"
            : $"{ApiKey}: the broker does not offer it, Freshet needs versions {Needed.MinVersion}-{Needed.MaxVersion}";
}
