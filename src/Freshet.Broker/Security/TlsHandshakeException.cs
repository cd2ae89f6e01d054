namespace Freshet.Broker.Security;

/// <summary>A TLS handshake with a client failed, timed out or was cancelled; the message says why. Closes that connection only.</summary>
public sealed class TlsHandshakeException : Exception
{
    /// <summary>Creates the exception with the reason and the failure behind it.</summary>
    public TlsHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the reason.</summary>
    public TlsHandshakeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public TlsHandshakeException()
        : base("The TLS handshake failed.")
    {
    }
}
