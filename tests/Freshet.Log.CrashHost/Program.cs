using System.Globalization;
using System.Text;
using Freshet.Log;
using Freshet.Log.CrashHost;
using Freshet.Log.Records;

// The crash host: opens the LogStore in args[0], then appends CrashWorkload batches forever,
// writing "ACK <baseOffset> <lastOffset> <counter> END" to stdout after each append returns.
// The test kills it with SIGKILL at a random moment; a line the test has read is therefore an
// acknowledged append. On start it resumes after the counter found in the last stored key.
// Exit codes: 0 after the optional batch limit (args[1]), 2 on a usage error, 3 when the
// stored data does not match the workload, 4 when stdout is gone (the test process died).
// "txn <data-directory>" runs TransactionCrashWorkload instead.
if (args.Length == 2 && args[0] == "txn")
{
    return TransactionCrashWorkload.Run(args[1]);
}

if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: Freshet.Log.CrashHost <data-directory> [max-batches]");
    return 2;
}

var maxBatches = args.Length == 2 ? long.Parse(args[1], CultureInfo.InvariantCulture) : long.MaxValue;
using var store = LogStore.Open(args[0], new LogStoreOptions { BackgroundMaintenance = false });
if (!store.TryGetPartition(CrashWorkload.Topic, 0, out var partition))
{
    store.CreateTopic(CrashWorkload.Topic, 1, CrashWorkload.TopicConfig);
    partition = store.GetPartition(CrashWorkload.Topic, 0);
}

long counter = 0;
if (partition.LogEndOffset > partition.LogStartOffset)
{
    LogRecord? last = null;
    foreach (var record in RecordBatchReader.ReadRecords(partition.Read(partition.LogEndOffset - 1, 1).Records))
    {
        last = record;
    }

    if (last is null || !CrashWorkload.TryParseKey(last.Key, out var lastCounter, out var lastIndex) || lastIndex != CrashWorkload.RecordCount(lastCounter) - 1)
    {
        Console.Error.WriteLine($"the last stored record ({last}) is not the end of a workload batch");
        return 3;
    }

    counter = lastCounter + 1;
}

using var stdout = Console.OpenStandardOutput();
WriteLine(stdout, $"READY {partition.LogEndOffset} {counter}");
for (var written = 0L; written < maxBatches; written++, counter++)
{
    var result = partition.Append(CrashWorkload.BuildBatch(counter));

    // One write per line, well under PIPE_BUF, so the reader never sees half a line from a live
    // process; the END marker tells a line cut short by the kill from a complete one.
    if (!WriteLine(stdout, $"ACK {result.BaseOffset} {result.LastOffset} {counter} END"))
    {
        return 4;
    }
}

return 0;

static bool WriteLine(Stream stdout, string line)
{
    try
    {
        stdout.Write(Encoding.ASCII.GetBytes(line + "\n"));
        stdout.Flush();
        return true;
    }
    catch (IOException)
    {
        return false;
    }
}
