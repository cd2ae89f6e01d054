namespace Freshet.Broker.Security;

/// <summary>
/// Who sent a request, as Kafka names it: a type and a name, written <c>User:alice</c>. A client that did not
/// authenticate (a PLAINTEXT or SSL listener without a client certificate) is <see cref="Anonymous"/>. ACLs and
/// super users name principals in this form. Immutable; thread-safe.
/// </summary>
public sealed record KafkaPrincipal(string Type, string Name)
{
    /// <summary>The principal type of every authenticated user and of <see cref="Anonymous"/>.</summary>
    public const string UserType = "User";

    /// <summary>The principal of an unauthenticated client, <c>User:ANONYMOUS</c>.</summary>
    public static KafkaPrincipal Anonymous { get; } = new(UserType, "ANONYMOUS");

    /// <summary>The principal <c>User:<paramref name="name"/></c>.</summary>
    public static KafkaPrincipal User(string name) => new(UserType, name);

    /// <summary>Reads <c>Type:Name</c> (the name may itself contain colons, as a certificate subject does).</summary>
    /// <exception cref="FormatException">There is no colon, or the type or the name is empty.</exception>
    public static KafkaPrincipal Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new FormatException($"A principal is written Type:Name, for example User:alice (got '{text}').");
        }

        return new KafkaPrincipal(text[..colon], text[(colon + 1)..]);
    }

    /// <summary><c>Type:Name</c>, as Kafka prints principals.</summary>
    public override string ToString() => Type + ":" + Name;
}
