using System.Text.Json.Serialization;

namespace Freshet.Log.Topics;

/// <summary>Source-generated JSON serialization of <see cref="TopicMetadata"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TopicMetadata))]
internal sealed partial class TopicMetadataJsonContext : JsonSerializerContext;
