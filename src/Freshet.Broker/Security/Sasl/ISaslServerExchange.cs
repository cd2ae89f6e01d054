namespace Freshet.Broker.Security.Sasl;

/// <summary>
/// The server side of one SASL authentication with one mechanism: fed the client's tokens in order, it answers each with
/// a <see cref="SaslStep"/>. A new exchange is made for every authentication and re-authentication. Not thread-safe:
/// a connection handles one request at a time.
/// </summary>
internal interface ISaslServerExchange
{
    /// <summary>The SASL mechanism name, for example <c>PLAIN</c>.</summary>
    string Mechanism { get; }

    /// <summary>Evaluates the client's next token. After a <see cref="SaslStepKind.Complete"/> or <see cref="SaslStepKind.Failed"/> step it is not called again.</summary>
    SaslStep Evaluate(ReadOnlySpan<byte> clientToken);
}
