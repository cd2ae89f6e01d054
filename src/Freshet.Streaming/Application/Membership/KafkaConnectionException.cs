namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// A <see cref="KafkaConnection"/> failed: the broker could not be reached, closed the connection, did not answer
/// in time, or sent bytes that are not the expected response. The message names the broker and the request. The
/// connection is closed afterwards; a new one must be opened.
/// </summary>
internal sealed class KafkaConnectionException : IOException
{
    /// <summary>Creates the exception with a message that names the broker and what failed.</summary>
    public KafkaConnectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
