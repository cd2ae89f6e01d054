using Freshet.Log;

namespace Freshet.Broker.Cluster;

/// <summary>
/// The cluster id Metadata reports: a random UUID in Kafka's form (22 characters of URL-safe base64),
/// created once and kept in <c>DIR/cluster.id</c> of the log store's directory, so it is stable for
/// the life of the data. Clients compare it across reconnects to detect that they reached a different
/// cluster.
/// </summary>
internal static class ClusterIdFile
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "cluster.id";

    /// <summary>Reads the cluster id of the data directory, creating it on first use.</summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.KafkaStorageError"/> if the file exists but does not hold a valid id.</exception>
    public static string LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var existing = DurableFile.TryReadAllText(path);
        if (existing is not null)
        {
            var id = existing.Trim();
            if (!IsValid(id))
            {
                throw new LogException(LogErrorCode.KafkaStorageError, $"The cluster id file '{path}' does not hold a valid cluster id (22 characters of URL-safe base64); it holds '{Truncate(id)}'.");
            }

            return id;
        }

        var created = NewClusterId();
        DurableFile.WriteAllText(path, created + "\n");
        return created;
    }

    /// <summary>A random UUID as Kafka prints one: URL-safe base64 without padding.</summary>
    public static string NewClusterId() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool IsValid(string id)
    {
        if (id.Length != 22)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
