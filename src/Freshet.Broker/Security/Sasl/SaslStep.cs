namespace Freshet.Broker.Security.Sasl;

/// <summary>What a <see cref="ISaslServerExchange"/> answers to one client token.</summary>
internal enum SaslStepKind
{
    /// <summary>The exchange goes on: send <see cref="SaslStep.ServerToken"/> and wait for the client's next token.</summary>
    Challenge,

    /// <summary>The client proved who it is: send <see cref="SaslStep.ServerToken"/>; <see cref="SaslStep.User"/> is authenticated.</summary>
    Complete,

    /// <summary>Authentication failed: answer SASL_AUTHENTICATION_FAILED with <see cref="SaslStep.Error"/> and close the connection.</summary>
    Failed,
}

/// <summary>One step of a SASL exchange on the server side. Immutable.</summary>
/// <param name="Kind">Whether the exchange goes on, completed or failed.</param>
/// <param name="ServerToken">The bytes to send to the client (empty when there are none).</param>
/// <param name="User">The authenticated user name (<see cref="SaslStepKind.Complete"/> only).</param>
/// <param name="Error">The message for the client (<see cref="SaslStepKind.Failed"/> only): says nothing about whether the user exists.</param>
/// <param name="Detail">What exactly went wrong, for the broker's log only (<see cref="SaslStepKind.Failed"/>).</param>
internal readonly record struct SaslStep(SaslStepKind Kind, byte[] ServerToken, string? User, string? Error, string? Detail)
{
    /// <summary>Continue with <paramref name="token"/>.</summary>
    public static SaslStep Challenge(byte[] token) => new(SaslStepKind.Challenge, token, null, null, null);

    /// <summary><paramref name="user"/> is authenticated; the last server token is <paramref name="token"/>.</summary>
    public static SaslStep Complete(string user, byte[] token) => new(SaslStepKind.Complete, token, user, null, null);

    /// <summary>Failed with <paramref name="error"/> for the client and <paramref name="detail"/> for the log.</summary>
    public static SaslStep Fail(string error, string detail) => new(SaslStepKind.Failed, [], null, error, detail);
}
