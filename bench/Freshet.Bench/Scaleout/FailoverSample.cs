namespace Freshet.Bench.Scaleout;

/// <summary>
/// One failover: milliseconds from the SIGKILL of an instance until a survivor reported a new generation
/// (<see cref="RebalancedMs"/>), until the first of the killed instance's sink tasks ran again on a survivor
/// (<see cref="MovedTaskRunningMs"/>, -1 if the poll missed it), and until the first read_committed output record of
/// one of those tasks arrived (<see cref="FirstOutputMs"/>, the failover time).
/// </summary>
internal readonly record struct FailoverSample(string Victim, string MovedTasks, double RebalancedMs, double MovedTaskRunningMs, double FirstOutputMs);
