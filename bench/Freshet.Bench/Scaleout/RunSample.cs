namespace Freshet.Bench.Scaleout;

/// <summary>
/// One throughput run: seconds from start until the read_committed output was complete, seconds until its first
/// record, CPU seconds of the job's processes and of the broker over the run, and whether the output was exactly the
/// expected one (record count and the sum of window counts); for application runs, the assignments the instances
/// received (summed) and the task restarts after failures they reported when the output was complete.
/// </summary>
internal readonly record struct RunSample(double Seconds, double FirstOutputSeconds, double JobCpuSeconds, double BrokerCpuSeconds, bool ExactlyOnce, int Assignments = 0, long TaskRestarts = 0);
