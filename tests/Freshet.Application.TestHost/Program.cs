using System.Runtime.InteropServices;
using Freshet.Application.TestHost;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.State;

// Arguments: bootstrap-servers application-id heap|rocksdb state-directory [instance-id|-] [variant] [standby-replicas] [exactly-once|at-least-once] [session-timeout-seconds]
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: Freshet.Application.TestHost bootstrap-servers application-id heap|rocksdb state-directory [instance-id|-] [variant] [standby-replicas] [exactly-once|at-least-once] [session-timeout-seconds]");
    return 2;
}

var bootstrap = args[0];
var applicationId = args[1];
var backend = args[2] == "rocksdb" ? StateBackend.RocksDb(Path.Combine(args[3], "rocksdb")) : StateBackend.Heap;
var instanceId = args.Length > 4 && args[4] != "-" ? args[4] : null;
var variant = args.Length > 5 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : 0;
var standbys = args.Length > 6 ? int.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture) : 0;
var guarantee = args.Length > 7 && args[7] == "at-least-once" ? DeliveryGuarantee.AtLeastOnce : DeliveryGuarantee.ExactlyOnce;
// Short by default, so that a killed instance's tasks move soon; tests that must see no rebalance pass a longer one.
var sessionTimeout = TimeSpan.FromSeconds(args.Length > 8 ? int.Parse(args[8], System.Globalization.CultureInfo.InvariantCulture) : 6);

var env = StreamEnvironment.Create(new StreamEnvironmentOptions
{
    StateBackend = backend,
    Application = new ApplicationOptions
    {
        ApplicationId = applicationId,
        BootstrapServers = bootstrap,
        CommitInterval = TimeSpan.FromMilliseconds(100),
        GroupInstanceId = instanceId,
        SessionTimeout = sessionTimeout,
        HeartbeatInterval = TimeSpan.FromMilliseconds(500),
        RebalanceTimeout = TimeSpan.FromSeconds(20),
        StateDirectory = args[3],
        NumStandbyReplicas = standbys,
        ProcessingGuarantee = guarantee,
    },
});
ApplicationTestJob.Build(env, bootstrap, "in", bounded: false, variant)
    .SinkToKafka(new KafkaSinkOptions { BootstrapServers = bootstrap, Topic = "out" }, Serializers.Utf8String);

Freshet.Streaming.Jobs.JobHandle job;
try
{
    job = await env.ExecuteAsync("application test job");
}
catch (Exception e)
{
    Console.Error.WriteLine($"refused: {e.Message}");
    return 3;
}

Console.WriteLine($"joined fingerprint={job.Application!.TopologyFingerprint}");
using var stop = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    _ = job.CancelAsync();
});
while (!job.Completion.IsCompleted)
{
    var status = job.Application!;
    Console.WriteLine($"status generation={status.Generation} tasks={string.Join(",", status.Tasks.Select(static t => $"{t.TaskId}:{t.State}"))}");
    Console.WriteLine($"replicas restored={string.Join(",", status.Tasks.Select(static t => $"{t.TaskId}:{t.RestoredRecords}"))} standbys={string.Join(",", status.Standbys.Select(static s => $"{s.TaskId}:{s.AppliedRecords}:{s.Lag}"))}");
    await Task.WhenAny(job.Completion, Task.Delay(500));
}

try
{
    await job.Completion;
}
catch (OperationCanceledException)
{
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"failed: {e}");
    return 1;
}

return 0;
