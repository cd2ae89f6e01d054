namespace Freshet.Broker.Security.Authorization;

/// <summary>
/// The ACLs arranged for checks: literal names in a dictionary by (resource type, name), and per resource type the
/// literal wildcard entries and the prefixed patterns by prefix, with the distinct prefix lengths of the type. A check
/// looks up the literal name, scans the wildcard list, and looks up the name's leading characters once per distinct
/// prefix length (a span lookup: no substring is built), so its cost does not grow with the number of prefixed ACLs
/// and it allocates nothing. Built once per ACL change; immutable; thread-safe.
/// </summary>
internal sealed class AclIndex
{
    private static readonly Entry[] NoEntries = [];

    private readonly Dictionary<(AclResourceType Type, string Name), Entry[]> _literal;
    private readonly Entry[][] _wildcard;
    private readonly Dictionary<string, Entry[]>.AlternateLookup<ReadOnlySpan<char>>[] _prefixed;
    private readonly int[][] _prefixLengths;
    private readonly (ResourcePattern Pattern, Entry Entry)[][] _byType;

    private AclIndex(Dictionary<(AclResourceType, string), Entry[]> literal, Entry[][] wildcard, Dictionary<string, Entry[]>[] prefixed, (ResourcePattern, Entry)[][] byType)
    {
        _literal = literal;
        _wildcard = wildcard;
        _prefixed = [.. prefixed.Select(static d => d.GetAlternateLookup<ReadOnlySpan<char>>())];
        _prefixLengths = [.. prefixed.Select(static d => d.Keys.Select(static k => k.Length).Distinct().Order().ToArray())];
        _byType = byType;
    }

    /// <summary>The index of no ACLs.</summary>
    public static AclIndex Empty { get; } = Build([]);

    /// <summary>Arranges <paramref name="acls"/> (valid bindings) for checks.</summary>
    public static AclIndex Build(IReadOnlyList<AclBinding> acls)
    {
        var typeCount = (int)AclResourceType.User + 1;
        var literal = new Dictionary<(AclResourceType, string), List<Entry>>();
        var wildcard = new List<Entry>[typeCount];
        var prefixed = new Dictionary<string, List<Entry>>[typeCount];
        var byType = new List<(ResourcePattern, Entry)>[typeCount];
        foreach (var acl in acls)
        {
            var entry = Entry.From(acl.Entry);
            var type = acl.Pattern.ResourceType;
            (byType[(int)type] ??= []).Add((acl.Pattern, entry));
            if (acl.Pattern.PatternType == AclPatternType.Prefixed)
            {
                var byPrefix = prefixed[(int)type] ??= new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
                (byPrefix.TryGetValue(acl.Pattern.Name, out var list) ? list : byPrefix[acl.Pattern.Name] = []).Add(entry);
            }
            else if (acl.Pattern.Name == ResourcePattern.WildcardName)
            {
                (wildcard[(int)type] ??= []).Add(entry);
            }
            else
            {
                var key = (type, acl.Pattern.Name);
                (literal.TryGetValue(key, out var list) ? list : literal[key] = []).Add(entry);
            }
        }

        return new AclIndex(
            literal.ToDictionary(static p => p.Key, static p => p.Value.ToArray()),
            [.. wildcard.Select(static l => l?.ToArray() ?? NoEntries)],
            [.. prefixed.Select(static d => (d ?? []).ToDictionary(static p => p.Key, static p => p.Value.ToArray(), StringComparer.Ordinal))],
            [.. byType.Select(static l => l?.ToArray() ?? [])]);
    }

    /// <summary>
    /// Whether some resource of <paramref name="type"/> allows <paramref name="operation"/> to the principal (Kafka's
    /// <c>authorizeByResourceType</c>, used for idempotent producers: WRITE on any topic): an allow ACL of the type applies
    /// to the principal and host, and no deny for the operation covers its whole pattern (a deny on the literal
    /// wildcard, on the same pattern, or on a prefix of it). With no ACL of the type at all, <paramref name="allowIfNoAcl"/>.
    /// </summary>
    public bool AllowsAnyOfType(KafkaPrincipal principal, string host, AclOperation operation, AclResourceType type, bool allowIfNoAcl)
    {
        var all = _byType[(int)type];
        if (all.Length == 0)
        {
            return allowIfNoAcl;
        }

        foreach (var (pattern, entry) in all)
        {
            if (entry.Permission != AclPermissionType.Allow || !entry.AppliesTo(principal, host) || !AclOperations.Implies(entry.Operation, operation))
            {
                continue;
            }

            var denied = false;
            foreach (var (denyPattern, deny) in all)
            {
                if (deny.Permission == AclPermissionType.Deny && deny.AppliesTo(principal, host) && (deny.Operation == operation || deny.Operation == AclOperation.All)
                    && Covers(denyPattern, pattern))
                {
                    denied = true;
                    break;
                }
            }

            if (!denied)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether every resource <paramref name="inner"/> matches is also matched by <paramref name="outer"/>.</summary>
    private static bool Covers(ResourcePattern outer, ResourcePattern inner) =>
        (outer.PatternType == AclPatternType.Literal && outer.Name == ResourcePattern.WildcardName)
        || outer == inner
        || (outer.PatternType == AclPatternType.Prefixed && inner.Name.StartsWith(outer.Name, StringComparison.Ordinal) && inner.Name != ResourcePattern.WildcardName);

    /// <summary>
    /// Decides <paramref name="operation"/> on resource <paramref name="name"/> of <paramref name="type"/> for
    /// <paramref name="principal"/> connecting from <paramref name="host"/>, without super users: a matching deny wins,
    /// else a matching allow (with implications), else <paramref name="allowIfNoAcl"/> when no ACL applies to the
    /// resource at all, else denied.
    /// </summary>
    public bool IsAllowed(KafkaPrincipal principal, string host, AclOperation operation, AclResourceType type, string name, bool allowIfNoAcl)
    {
        var verdict = Verdict.NoAcl;
        if (_literal.TryGetValue((type, name), out var literal) && Decide(literal, principal, host, operation, ref verdict))
        {
            return false;
        }

        if (Decide(_wildcard[(int)type], principal, host, operation, ref verdict))
        {
            return false;
        }

        var prefixed = _prefixed[(int)type];
        foreach (var length in _prefixLengths[(int)type])
        {
            if (length > name.Length)
            {
                break;
            }

            if (prefixed.TryGetValue(name.AsSpan(0, length), out var entries) && Decide(entries, principal, host, operation, ref verdict))
            {
                return false;
            }
        }

        return verdict == Verdict.Allowed || (verdict == Verdict.NoAcl && allowIfNoAcl);
    }

    /// <summary>Folds <paramref name="entries"/> into <paramref name="verdict"/>; returns true when a deny matches.</summary>
    private static bool Decide(Entry[] entries, KafkaPrincipal principal, string host, AclOperation operation, ref Verdict verdict)
    {
        if (entries.Length > 0 && verdict == Verdict.NoAcl)
        {
            verdict = Verdict.NotAllowed;
        }

        foreach (var entry in entries)
        {
            if (!entry.AppliesTo(principal, host))
            {
                continue;
            }

            if (entry.Permission == AclPermissionType.Deny)
            {
                if (entry.Operation == operation || entry.Operation == AclOperation.All)
                {
                    return true;
                }
            }
            else if (AclOperations.Implies(entry.Operation, operation))
            {
                verdict = Verdict.Allowed;
            }
        }

        return false;
    }

    private enum Verdict
    {
        NoAcl,
        NotAllowed,
        Allowed,
    }

    /// <summary>An access control entry with its principal split, so a check compares strings without building any.</summary>
    private sealed class Entry
    {
        private readonly string? _principalType; // null, with a null name: every principal (User:*, as in Kafka)
        private readonly string? _principalName; // null: every principal of the type
        private readonly string? _host; // null: every host

        private Entry(string? principalType, string? principalName, string? host, AclOperation operation, AclPermissionType permission)
        {
            _principalType = principalType;
            _principalName = principalName;
            _host = host;
            Operation = operation;
            Permission = permission;
        }

        public AclOperation Operation { get; }

        public AclPermissionType Permission { get; }

        public static Entry From(AccessControlEntry entry)
        {
            var colon = entry.Principal.IndexOf(':', StringComparison.Ordinal);
            var name = entry.Principal[(colon + 1)..];
            return new Entry(
                entry.Principal == AccessControlEntry.WildcardPrincipal ? null : entry.Principal[..colon],
                name == "*" ? null : name,
                entry.Host == AccessControlEntry.WildcardHost ? null : entry.Host,
                entry.Operation,
                entry.Permission);
        }

        public bool AppliesTo(KafkaPrincipal principal, string host) =>
            (_principalType is null || string.Equals(_principalType, principal.Type, StringComparison.Ordinal))
            && (_principalName is null || string.Equals(_principalName, principal.Name, StringComparison.Ordinal))
            && (_host is null || string.Equals(_host, host, StringComparison.Ordinal));
    }
}
