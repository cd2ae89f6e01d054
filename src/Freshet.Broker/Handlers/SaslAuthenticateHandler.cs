using Freshet.Broker.Security.Sasl;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// SaslAuthenticate 0-2: one token of the SASL exchange the connection's <see cref="ConnectionAuthentication"/> runs. A
/// failure answers SASL_AUTHENTICATION_FAILED (58) with Kafka's message, then the connection closes; success answers the
/// server's last token and (v1+) the session lifetime. On listeners without SASL, and on an authenticated connection
/// that did not begin a re-authentication, ILLEGAL_SASL_STATE (34).
/// </summary>
internal sealed class SaslAuthenticateHandler : ApiHandler<SaslAuthenticateRequest, SaslAuthenticateResponse>
{
    /// <inheritdoc/>
    protected override ValueTask<SaslAuthenticateResponse?> HandleAsync(RequestContext context, SaslAuthenticateRequest request)
    {
        if (context.Authentication is not { } authentication)
        {
            return new(new SaslAuthenticateResponse { ErrorCode = KafkaErrorCode.IllegalSaslState, ErrorMessage = ConnectionAuthentication.UnexpectedAuthenticate });
        }

        var response = authentication.Authenticate(request.AuthBytes, Environment.TickCount64, out var close);
        context.CloseConnection = close;
        return new(response);
    }
}
