namespace Freshet.Streaming.Application.Membership.Security;

/// <summary>
/// The broker refused the member's credentials or certificate, or could not prove its own identity: retrying with
/// the same settings cannot help, so the member stops with this message instead of retrying.
/// </summary>
internal sealed class KafkaAuthenticationException : Exception
{
    /// <summary>Creates the exception with a message that names what was refused.</summary>
    public KafkaAuthenticationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
