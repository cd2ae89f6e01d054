namespace Freshet.Broker.Security.Authorization;

/// <summary>
/// Who may (or may not) do what from where (Kafka's <c>AccessControlEntry</c>): a principal written <c>User:alice</c>
/// (<see cref="WildcardPrincipal"/> for every user), a host (the client's IP address, or <see cref="WildcardHost"/>), an
/// operation and allow or deny. Immutable; thread-safe.
/// </summary>
/// <param name="Principal">The principal, <c>Type:Name</c>.</param>
/// <param name="Host">The client IP address the entry applies to, or <c>*</c>.</param>
/// <param name="Operation">The operation; <see cref="AclOperation.All"/> covers every one.</param>
/// <param name="Permission"><see cref="AclPermissionType.Allow"/> or <see cref="AclPermissionType.Deny"/>.</param>
public sealed record AccessControlEntry(string Principal, string Host, AclOperation Operation, AclPermissionType Permission)
{
    /// <summary>The principal that matches every user.</summary>
    public const string WildcardPrincipal = "User:*";

    /// <summary>The host that matches every client address.</summary>
    public const string WildcardHost = "*";

    /// <inheritdoc/>
    public override string ToString() => $"{Principal} from {Host} {Permission} {Operation}";
}
