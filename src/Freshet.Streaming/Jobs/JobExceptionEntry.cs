namespace Freshet.Streaming.Jobs;

/// <summary>One failure that restarted or failed a job (see <see cref="JobHandle.GetExceptionHistory"/>). Immutable.</summary>
/// <param name="Timestamp">When the failure ended the attempt, on the job's clock (<see cref="StreamEnvironmentOptions.Clock"/>).</param>
/// <param name="ExceptionType">The full name of the exception's type. For a failure in an operator, the exception the operator's code threw (the <see cref="Exception.InnerException"/> of the <see cref="JobExecutionException"/> naming the operator).</param>
/// <param name="Message">That exception's message.</param>
/// <param name="Details">That exception's <see cref="Exception.ToString"/>: type, message, inner exceptions and stack traces.</param>
/// <param name="TaskName">The task that failed, as "operator (subtask/parallelism)"; null when the failure was not a task's (the checkpoint coordinator, planning a restart).</param>
/// <param name="Restarted">True when the restart strategy restarted the job after it; false when the job failed with it.</param>
public sealed record JobExceptionEntry(DateTimeOffset Timestamp, string ExceptionType, string Message, string Details, string? TaskName, bool Restarted);
