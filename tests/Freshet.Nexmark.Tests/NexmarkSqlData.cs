using Freshet.Log;

namespace Freshet.Nexmark.Tests;

/// <summary>
/// The first <see cref="Events"/> events written once per test class by <see cref="NexmarkJsonLogWriter"/> into the
/// topic <see cref="NexmarkSql.Topic"/> of a log store in a temporary directory (two partitions), with the same events
/// as <see cref="ReferenceData"/> for the LINQ reference. Deleted on dispose.
/// </summary>
public sealed class NexmarkSqlData : IDisposable
{
    public const long Events = 100_000;

    public const int Partitions = 2;

    private readonly string _directory = Directory.CreateTempSubdirectory("freshet-nexmark-sql-").FullName;

    public NexmarkSqlData()
    {
        Reference = new ReferenceData(Events);
        Store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        NexmarkJsonLogWriter.Write(Store, NexmarkSql.Topic, Reference.Generator, 0, Events, Partitions);
    }

    public ReferenceData Reference { get; }

    public LogStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
