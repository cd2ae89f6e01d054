namespace Freshet.Streaming.Jobs;

/// <summary>
/// A job failed because code in one of its operators threw. <see cref="Exception.InnerException"/> is the original
/// exception; <see cref="OperatorName"/> and <see cref="Subtask"/> say where it was thrown.
/// </summary>
public sealed class JobExecutionException : Exception
{
    /// <summary>Wraps <paramref name="innerException"/>, thrown in subtask <paramref name="subtask"/> of <paramref name="operatorName"/>.</summary>
    public JobExecutionException(string operatorName, int subtask, int parallelism, Exception innerException)
        : base($"Operator '{operatorName}' (subtask {subtask + 1}/{parallelism}) failed: {innerException.Message}", innerException)
    {
        OperatorName = operatorName;
        Subtask = subtask;
    }

    /// <summary>Creates an exception with a message only (no operator).</summary>
    public JobExecutionException()
        : this("The job failed.")
    {
    }

    /// <summary>Creates an exception with a message only (no operator).</summary>
    public JobExecutionException(string message)
        : base(message)
    {
        OperatorName = string.Empty;
        Subtask = -1;
    }

    /// <summary>Creates an exception with a message and cause (no operator).</summary>
    public JobExecutionException(string message, Exception innerException)
        : base(message, innerException)
    {
        OperatorName = string.Empty;
        Subtask = -1;
    }

    /// <summary>The operator whose code threw.</summary>
    public string OperatorName { get; }

    /// <summary>The 0-based index of the subtask that threw; −1 when unknown.</summary>
    public int Subtask { get; }
}
