namespace Freshet.Broker.Security.Sasl;

/// <summary>One stored SCRAM credential as it may be shown: the user, the mechanism and the iteration count (never the salt or keys).</summary>
/// <param name="User">The user name.</param>
/// <param name="Mechanism">The SCRAM mechanism, <c>SCRAM-SHA-256</c> or <c>SCRAM-SHA-512</c>.</param>
/// <param name="Iterations">The PBKDF2 iteration count of the credential.</param>
public sealed record ScramCredentialInfo(string User, string Mechanism, int Iterations);
