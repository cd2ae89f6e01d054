using System.Buffers.Binary;
using Freshet.Broker.Handlers;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Security.Sasl;

/// <summary>
/// The SASL state of one connection on a SASL listener (SASL_PLAINTEXT, SASL_SSL), with Kafka's rules
/// (SaslServerAuthenticator and KIP-368):
/// <list type="bullet">
/// <item>Before authentication only ApiVersions (first), SaslHandshake and then SaslAuthenticate are admitted; any other
/// request closes the connection without an answer (Kafka's ILLEGAL_SASL_STATE handling), and so does a frame larger than
/// <see cref="SaslServer.MaxUnauthenticatedFrameBytes"/>.</item>
/// <item>SaslHandshake naming a mechanism that is not enabled answers UNSUPPORTED_SASL_MECHANISM (33) with the enabled
/// ones, then closes; a failed SaslAuthenticate answers SASL_AUTHENTICATION_FAILED (58) with Kafka's message, then closes.</item>
/// <item>After SaslHandshake v0 the tokens travel as raw size-prefixed frames without request headers
/// (<see cref="ExpectsRawToken"/>, <see cref="HandleRawToken"/>); a failure then closes without an answer.</item>
/// <item>With <c>connections.max.reauth.ms</c> set, a successful authentication tells the client its session lifetime
/// (SaslAuthenticate v1+). The client re-authenticates on the same connection with SaslHandshake and SaslAuthenticate
/// (same mechanism, same principal, at most once a second); a request other than SaslHandshake after the session
/// expired closes the connection. During re-authentication the previous principal stays in force.</item>
/// </list>
/// Thread-safety: used by its connection only, one request at a time.
/// </summary>
internal sealed class ConnectionAuthentication
{
    /// <summary>Kafka's message for a SaslAuthenticate request on an authenticated connection that did not start a re-authentication.</summary>
    public const string UnexpectedAuthenticate = "SaslAuthenticate request received after successful authentication";

    // Kafka's KafkaChannel.MIN_REAUTH_INTERVAL_ONE_SECOND_NANOS.
    private const long MinReauthenticationIntervalMs = 1000;

    private readonly SaslServer _server;
    private readonly long _connectionId;
    private readonly string _client;
    private State _state = State.Initial;
    private ISaslServerExchange? _exchange;
    private string? _mechanism;
    private string? _reauthenticationProblem;
    private long _sessionExpiresAtMs = long.MaxValue;
    private long? _lastReauthenticationStartMs;

    public ConnectionAuthentication(SaslServer server, long connectionId, string client)
    {
        _server = server;
        _connectionId = connectionId;
        _client = client;
    }

    private enum State
    {
        /// <summary>Nothing yet: ApiVersions or SaslHandshake.</summary>
        Initial,

        /// <summary>After SaslHandshake v1: SaslAuthenticate requests only.</summary>
        Authenticating,

        /// <summary>After SaslHandshake v0: raw token frames only.</summary>
        RawTokens,

        /// <summary>Authenticated: every request, until the session expires.</summary>
        Authenticated,

        /// <summary>Re-authenticating after SaslHandshake on an authenticated connection: SaslAuthenticate requests only.</summary>
        Reauthenticating,
    }

    /// <summary>The authenticated user; <see cref="KafkaPrincipal.Anonymous"/> until the first authentication completes.</summary>
    public KafkaPrincipal Principal { get; private set; } = KafkaPrincipal.Anonymous;

    /// <summary>Whether the next frame is a raw SASL token (after SaslHandshake v0) rather than a Kafka request.</summary>
    public bool ExpectsRawToken => _state == State.RawTokens;

    /// <summary>Whether a request frame of <paramref name="size"/> bytes may be read now (large frames only after authentication).</summary>
    public bool AcceptsFrameOf(int size) => _state == State.Authenticated || size <= SaslServer.MaxUnauthenticatedFrameBytes;

    /// <summary>
    /// Whether the request with <paramref name="header"/> may be handled at <paramref name="nowMs"/>
    /// (<see cref="Environment.TickCount64"/>); when not, <paramref name="problem"/> says why and the connection must be
    /// closed without an answer.
    /// </summary>
    public bool Admit(RequestHeader header, long nowMs, out string problem)
    {
        var api = header.ApiKey;
        problem = _state switch
        {
            State.Initial when api is ApiKeys.ApiVersions or ApiKeys.SaslHandshake => "",
            State.Initial => $"Unexpected Kafka request of type {api} during SASL handshake.",
            State.Authenticating or State.Reauthenticating when api == ApiKeys.SaslAuthenticate => "",
            State.Authenticating or State.Reauthenticating => $"Unexpected Kafka request of type {api} during SASL authentication.",
            State.Authenticated when api == ApiKeys.SaslHandshake || nowMs < _sessionExpiresAtMs => "",
            State.Authenticated => $"The SASL session of {Principal} expired without re-authentication (connections.max.reauth.ms {_server.ConnectionsMaxReauthMs}); {api} refused.",
            _ => "Unexpected request after SASL handshake v0: raw SASL tokens expected.",
        };
        return problem.Length == 0;
    }

    /// <summary>Handles SaslHandshake; <paramref name="close"/> is set when the connection must be closed after the answer.</summary>
    public SaslHandshakeResponse Handshake(short version, string mechanism, long nowMs, out bool close)
    {
        close = false;
        var enabled = _server.EnabledMechanisms;
        if (_state == State.Initial)
        {
            if (!_server.IsEnabled(mechanism))
            {
                close = true;
                _server.CountFailure();
                if (_server.Logger.IsEnabled(LogLevel.Information))
                {
                    _server.Logger.AuthenticationFailed(_connectionId, _client, Printable(mechanism), $"mechanism not enabled (sasl.enabled.mechanisms: {string.Join(',', enabled)})");
                }

                return new SaslHandshakeResponse { ErrorCode = KafkaErrorCode.UnsupportedSaslMechanism, Mechanisms = enabled };
            }

            _exchange = _server.CreateExchange(mechanism, reauthenticating: false);
            _state = version == 0 ? State.RawTokens : State.Authenticating;
            return new SaslHandshakeResponse { Mechanisms = enabled };
        }

        // Authenticated: a handshake begins re-authentication, if the session has a lifetime and the last one began a second ago or more.
        if (_sessionExpiresAtMs == long.MaxValue || version == 0 || nowMs - _lastReauthenticationStartMs < MinReauthenticationIntervalMs)
        {
            return new SaslHandshakeResponse { ErrorCode = KafkaErrorCode.IllegalSaslState };
        }

        if (!_server.IsEnabled(mechanism))
        {
            close = true;
            _server.CountFailure();
            if (_server.Logger.IsEnabled(LogLevel.Information))
            {
                _server.Logger.AuthenticationFailed(_connectionId, _client, Printable(mechanism), "re-authentication with a mechanism that is not enabled");
            }

            return new SaslHandshakeResponse { ErrorCode = KafkaErrorCode.UnsupportedSaslMechanism, Mechanisms = enabled };
        }

        _lastReauthenticationStartMs = nowMs;
        _reauthenticationProblem = mechanism == _mechanism ? null : $"SASL mechanism '{mechanism}' requested by client is not supported for re-authentication of mechanism '{_mechanism}'";
        _exchange = _server.CreateExchange(mechanism, reauthenticating: true);
        _state = State.Reauthenticating;
        return new SaslHandshakeResponse { Mechanisms = enabled };
    }

    /// <summary>Handles SaslAuthenticate; <paramref name="close"/> is set when the connection must be closed after the answer.</summary>
    public SaslAuthenticateResponse Authenticate(ReadOnlySpan<byte> token, long nowMs, out bool close)
    {
        close = false;
        if (_state == State.Authenticated)
        {
            return new SaslAuthenticateResponse { ErrorCode = KafkaErrorCode.IllegalSaslState, ErrorMessage = UnexpectedAuthenticate };
        }

        var reauthenticating = _state == State.Reauthenticating;
        var step = _reauthenticationProblem is { } problem ? SaslStep.Fail(problem, problem) : _exchange!.Evaluate(token);
        if (step.Kind == SaslStepKind.Complete && reauthenticating && step.User != Principal.Name)
        {
            var changed = $"Cannot change principals during re-authentication from {Principal.Type}.{Principal.Name}: {KafkaPrincipal.UserType}.{step.User}";
            step = SaslStep.Fail(changed, changed);
        }

        switch (step.Kind)
        {
            case SaslStepKind.Challenge:
                return new SaslAuthenticateResponse { AuthBytes = step.ServerToken };
            case SaslStepKind.Complete:
                var lifetimeMs = Complete(step.User!, nowMs, reauthenticating);
                return new SaslAuthenticateResponse { AuthBytes = step.ServerToken, SessionLifetimeMs = lifetimeMs };
            default:
                close = true;
                Fail(step);
                return new SaslAuthenticateResponse { ErrorCode = KafkaErrorCode.SaslAuthenticationFailed, ErrorMessage = step.Error };
        }
    }

    /// <summary>
    /// Handles a raw token frame (after SaslHandshake v0): writes the server's token as a size-prefixed frame to
    /// <paramref name="output"/>; false when authentication failed and the connection must be closed (without an answer).
    /// </summary>
    public bool HandleRawToken(ReadOnlySpan<byte> token, long nowMs, PooledBufferWriter output)
    {
        var step = _exchange!.Evaluate(token);
        if (step.Kind == SaslStepKind.Failed)
        {
            Fail(step);
            return false;
        }

        if (step.Kind == SaslStepKind.Complete)
        {
            Complete(step.User!, nowMs, reauthentication: false);
        }

        var span = output.GetSpan(4 + step.ServerToken.Length);
        BinaryPrimitives.WriteInt32BigEndian(span, step.ServerToken.Length);
        step.ServerToken.CopyTo(span[4..]);
        output.Advance(4 + step.ServerToken.Length);
        return true;
    }

    private long Complete(string user, long nowMs, bool reauthentication)
    {
        var lifetimeMs = _server.ConnectionsMaxReauthMs;
        _sessionExpiresAtMs = lifetimeMs > 0 ? nowMs + lifetimeMs : long.MaxValue;
        _mechanism = _exchange!.Mechanism;
        _exchange = null;
        _state = State.Authenticated;
        Principal = KafkaPrincipal.User(user);
        _server.CountSuccess(reauthentication);
        if (reauthentication)
        {
            _server.Logger.Reauthenticated(_connectionId, _client, Principal, _mechanism, lifetimeMs);
        }
        else
        {
            _server.Logger.Authenticated(_connectionId, _client, Principal, _mechanism, lifetimeMs);
        }

        return lifetimeMs;
    }

    private void Fail(SaslStep step)
    {
        _server.CountFailure();
        _server.Logger.AuthenticationFailed(_connectionId, _client, _exchange?.Mechanism ?? "?", step.Detail ?? step.Error ?? "");
        _exchange = null;
    }

    /// <summary>A client-chosen name as it may go into the log: at most 64 characters, control characters replaced.</summary>
    private static string Printable(string text)
    {
        var cut = text.Length > 64 ? text[..64] + "..." : text;
        return string.Create(cut.Length, cut, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
