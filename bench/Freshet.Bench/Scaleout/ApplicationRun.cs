namespace Freshet.Bench.Scaleout;

/// <summary>What the instances of one application share: the broker, the application id, the input and output topics and the job's shape.</summary>
internal sealed record ApplicationRun(string BootstrapServers, string ApplicationId, string InputTopic, string OutputTopic, JobShape Shape);
