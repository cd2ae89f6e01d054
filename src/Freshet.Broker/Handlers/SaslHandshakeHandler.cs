using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// SaslHandshake 0-1: on a SASL listener, the connection's <see cref="Security.Sasl.ConnectionAuthentication"/> chooses the
/// mechanism (or begins a re-authentication); UNSUPPORTED_SASL_MECHANISM (33) with the enabled mechanisms, then the
/// connection closes, for a mechanism that is not enabled. On other listeners, and on an authenticated connection that
/// may not re-authenticate now, ILLEGAL_SASL_STATE (34), as Kafka answers.
/// </summary>
internal sealed class SaslHandshakeHandler : ApiHandler<SaslHandshakeRequest, SaslHandshakeResponse>
{
    /// <inheritdoc/>
    protected override ValueTask<SaslHandshakeResponse?> HandleAsync(RequestContext context, SaslHandshakeRequest request)
    {
        if (context.Authentication is not { } authentication)
        {
            return new(new SaslHandshakeResponse { ErrorCode = KafkaErrorCode.IllegalSaslState });
        }

        var response = authentication.Handshake(context.ApiVersion, request.Mechanism, Environment.TickCount64, out var close);
        context.CloseConnection = close;
        return new(response);
    }
}
