namespace Freshet.Log;

/// <summary>
/// An operation on the log was refused or failed. <see cref="ErrorCode"/> says why in Kafka's terms;
/// the message names the topic, partition, file or offset involved. Nothing already stored is changed
/// by an operation that throws this.
/// </summary>
public sealed class LogException : Exception
{
    /// <summary>Creates an exception with the given code and message.</summary>
    public LogException(LogErrorCode errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>Creates an exception with the given code, message and cause.</summary>
    public LogException(LogErrorCode errorCode, string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The Kafka error code that describes the failure.</summary>
    public LogErrorCode ErrorCode { get; }
}
