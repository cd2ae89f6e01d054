using Freshet.Log;
using Freshet.Nexmark.Model;

namespace Freshet.Nexmark.Tests;

/// <summary>
/// The first <see cref="Events"/> events written once per test class by <see cref="NexmarkJsonLogWriter"/> into the
/// topic <see cref="NexmarkSql.Topic"/> of a log store in a temporary directory (two partitions), with the same events
/// as <see cref="ReferenceData"/> for the LINQ reference, and q13's side input file. Deleted on dispose.
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
        for (long n = 0; n < Events; n++)
        {
            var e = Reference.Generator.Generate(n);
            if (e.Bid is { } bid)
            {
                Bids.Add(bid);
            }
            else if (e.Auction is { } auction)
            {
                Auctions.Add(auction);
            }
        }

        SideInputPath = Path.Combine(_directory, "side_input.txt");
        NexmarkSql.WriteSideInput(SideInputPath);
    }

    public ReferenceData Reference { get; }

    /// <summary>The bids with every field (<see cref="ReferenceData.Bids"/> drops channel, url and extra).</summary>
    public List<Bid> Bids { get; } = [];

    /// <summary>The auctions with every field.</summary>
    public List<Auction> Auctions { get; } = [];

    /// <summary>q13's side input file (<see cref="NexmarkSql.WriteSideInput"/>).</summary>
    public string SideInputPath { get; }

    public LogStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
