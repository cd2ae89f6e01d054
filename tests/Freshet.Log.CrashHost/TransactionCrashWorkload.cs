using System.Text;
using Freshet.Log.Records;
using Freshet.Log.Transactions;

namespace Freshet.Log.CrashHost;

/// <summary>
/// The transactional crash workload: one transactional producer ("crash-txn") commits transactions
/// forever, each writing two records to each of the two partitions of <see cref="Topic"/>, and prints
/// "COMMIT id END" after each EndTransaction returns. Transaction ids are "epoch-n", so every run (a new
/// epoch) writes ids never written before. The test kills it at random moments.
/// </summary>
public static class TransactionCrashWorkload
{
    public const string Topic = "txn-crash";

    public const string TransactionalId = "crash-txn";

    public const int Partitions = 2;

    public const int RecordsPerPartition = 2;

    /// <summary>Value of record <paramref name="index"/> of transaction <paramref name="id"/> in <paramref name="partition"/>.</summary>
    public static string Value(string id, int partition, int index) => $"{id}/{partition}/{index}";

    public static int Run(string directory)
    {
        using var store = LogStore.Open(directory, new LogStoreOptions { BackgroundMaintenance = false });
        if (!store.TryGetPartition(Topic, 0, out _))
        {
            store.CreateTopic(Topic, Partitions);
        }

        var producer = store.Transactions.InitProducerId(TransactionalId, 60_000);
        using var stdout = Console.OpenStandardOutput();
        var sequences = new int[Partitions];
        for (var n = 0L; ; n++)
        {
            var id = $"{producer.ProducerEpoch}-{n}";
            store.Transactions.AddPartitions(TransactionalId, producer.ProducerId, producer.ProducerEpoch, [new TransactionPartition(Topic, 0), new TransactionPartition(Topic, 1)]);
            for (var p = 0; p < Partitions; p++)
            {
                var builder = new RecordBatchBuilder { ProducerId = producer.ProducerId, ProducerEpoch = producer.ProducerEpoch, BaseSequence = sequences[p], IsTransactional = true };
                for (var i = 0; i < RecordsPerPartition; i++)
                {
                    builder.Add(n, Encoding.UTF8.GetBytes(id), Encoding.UTF8.GetBytes(Value(id, p, i)));
                }

                store.GetPartition(Topic, p).Append(builder.Build());
                sequences[p] += RecordsPerPartition;
            }

            store.Transactions.EndTransaction(TransactionalId, producer.ProducerId, producer.ProducerEpoch, commit: true);
            try
            {
                stdout.Write(Encoding.ASCII.GetBytes($"COMMIT {id} END\n"));
                stdout.Flush();
            }
            catch (IOException)
            {
                return 4;
            }
        }
    }
}
