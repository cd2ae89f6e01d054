using System.Text;
using System.Text.Json;
using Freshet.Broker.Cluster;

namespace Freshet.Broker.Security.Authorization;

/// <summary>
/// The ACLs of a broker, kept in <see cref="FileName"/> in its data directory.
/// <para>
/// On disk: a UTF-8 JSON document <c>{"version":1,"acls":[{"resourceType":"Topic","patternType":"Literal",
/// "name":"orders","principal":"User:alice","host":"*","operation":"Read","permission":"Allow"}, ...]}</c> with Kafka's
/// enum names. The file is replaced atomically and durably (temporary file, fsync, rename, fsync of the directory), so
/// after a crash it holds the old or the new set, never a mix; a change returns only once it is durable. A missing file
/// is the empty set. Every writer (the broker's ACL APIs and <c>freshet acls --data</c>, in any process) holds an
/// exclusive lock on <see cref="LockFileName"/> while it reads the current file, applies its change and replaces it, so
/// concurrent changes are serialised and none is lost.
/// </para>
/// Thread-safety: all members are safe from any thread; <see cref="Acls"/> is an immutable snapshot.
/// </summary>
public sealed class AclStore
{
    /// <summary>The name of the ACL file in the data directory.</summary>
    public const string FileName = "acls.json";

    /// <summary>The name of the lock file writers hold while they change <see cref="FileName"/>.</summary>
    public const string LockFileName = "acls.lock";

    private const int FormatVersion = 1;
    private readonly SharedDataFile _file;
    private readonly Lock _writeGate = new();
    private volatile Snapshot _current;

    private AclStore(string directory)
    {
        _file = new SharedDataFile(Path.Combine(directory, FileName), Path.Combine(directory, LockFileName), "the ACLs");
        _current = ReadFile();
    }

    /// <summary>Every ACL, in the order they were added.</summary>
    public IReadOnlyList<AclBinding> Acls => _current.Acls;

    /// <summary>Opens the ACLs of the data directory <paramref name="dataDirectory"/> (which must exist).</summary>
    /// <exception cref="InvalidDataException">The ACL file is not a valid ACL document; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static AclStore Open(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        if (!Directory.Exists(dataDirectory))
        {
            throw new DirectoryNotFoundException($"The data directory '{dataDirectory}' does not exist.");
        }

        return new AclStore(dataDirectory);
    }

    /// <summary>The ACLs <paramref name="filter"/> selects, in the order they were added.</summary>
    public IReadOnlyList<AclBinding> List(AclBindingFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return [.. _current.Acls.Where(filter.Matches)];
    }

    /// <summary>
    /// Adds <paramref name="bindings"/> (ones already present are kept once) and returns once the file is durable.
    /// Returns how many were new.
    /// </summary>
    /// <exception cref="ArgumentException">A binding is invalid (<see cref="AclBinding.ValidationProblem"/>).</exception>
    /// <exception cref="IOException">The file cannot be written, or the lock was not free within 30 s.</exception>
    public int Add(IReadOnlyList<AclBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        foreach (var binding in bindings)
        {
            if (binding.ValidationProblem() is { } problem)
            {
                throw new ArgumentException($"ACL {binding}: {problem}", nameof(bindings));
            }
        }

        var added = 0;
        Change(acls =>
        {
            var present = new HashSet<AclBinding>(acls);
            var result = new List<AclBinding>(acls);
            foreach (var binding in bindings)
            {
                if (present.Add(binding))
                {
                    result.Add(binding);
                    added++;
                }
            }

            return result;
        });
        return added;
    }

    /// <summary>
    /// Removes every ACL that any of <paramref name="filters"/> selects and returns once the file is durable. Returns the
    /// ACLs each filter removed, in the filters' order (an ACL selected by two filters is listed under both).
    /// </summary>
    /// <exception cref="IOException">The file cannot be written, or the lock was not free within 30 s.</exception>
    public IReadOnlyList<IReadOnlyList<AclBinding>> Remove(IReadOnlyList<AclBindingFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var removed = new IReadOnlyList<AclBinding>[filters.Count];
        Change(acls =>
        {
            for (var i = 0; i < filters.Count; i++)
            {
                removed[i] = [.. acls.Where(filters[i].Matches)];
            }

            return [.. acls.Where(a => !filters.Any(f => f.Matches(a)))];
        });
        return removed;
    }

    /// <summary>
    /// Re-reads the file when its timestamp or length differs from the one last read (another process changed it).
    /// Returns whether the ACLs changed. A file that has become unreadable keeps the ACLs last read and is reported by
    /// the exception.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is no longer a valid ACL document.</exception>
    public bool RefreshIfChanged()
    {
        var stamp = _file.Stamp();
        if (stamp == _current.Stamp)
        {
            return false;
        }

        lock (_writeGate)
        {
            if (_file.Stamp() == _current.Stamp)
            {
                return false;
            }

            var fresh = ReadFile();
            var changed = !fresh.Acls.SequenceEqual(_current.Acls);
            _current = fresh;
            return changed;
        }
    }

    private void Change(Func<IReadOnlyList<AclBinding>, IReadOnlyList<AclBinding>> apply)
    {
        lock (_writeGate)
        {
            using var fileLock = _file.AcquireWriterLock();

            // Another process may have changed the file since it was last read: apply the change to what is on disk.
            var onDisk = ReadFile();
            var acls = apply(onDisk.Acls);
            DurableFile.WriteAllText(_file.Path, Serialize(acls));
            _current = new Snapshot(acls, _file.Stamp());
        }
    }

    private Snapshot ReadFile()
    {
        // The stamp is taken before reading: a change racing with the read leaves a newer stamp, so it is read again later.
        var stamp = _file.Stamp();
        string? text;
        try
        {
            text = DurableFile.TryReadAllText(_file.Path);
        }
        catch (FileNotFoundException)
        {
            text = null;
        }

        return new Snapshot(text is null ? [] : Parse(text, _file.Path), stamp);
    }

    /// <summary>Reads an ACL document.</summary>
    /// <exception cref="InvalidDataException">The text is not a valid ACL document.</exception>
    internal static IReadOnlyList<AclBinding> Parse(string text, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || version.GetInt32() != FormatVersion)
            {
                throw new InvalidDataException($"{source}: not an ACL file of version {FormatVersion}.");
            }

            var acls = new List<AclBinding>();
            foreach (var element in root.GetProperty("acls").EnumerateArray())
            {
                var binding = new AclBinding(
                    new ResourcePattern(Enum<AclResourceType>(element, "resourceType"), String(element, "name"), Enum<AclPatternType>(element, "patternType")),
                    new AccessControlEntry(String(element, "principal"), String(element, "host"), Enum<AclOperation>(element, "operation"), Enum<AclPermissionType>(element, "permission")));
                if (binding.ValidationProblem() is { } problem)
                {
                    throw new InvalidDataException($"{source}: ACL {acls.Count + 1} is invalid: {problem}");
                }

                acls.Add(binding);
            }

            return acls;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: not a valid ACL file: {e.Message}", e);
        }
    }

    internal static string Serialize(IReadOnlyList<AclBinding> acls)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteStartArray("acls");
            foreach (var acl in acls)
            {
                writer.WriteStartObject();
                writer.WriteString("resourceType", acl.Pattern.ResourceType.ToString());
                writer.WriteString("patternType", acl.Pattern.PatternType.ToString());
                writer.WriteString("name", acl.Pattern.Name);
                writer.WriteString("principal", acl.Entry.Principal);
                writer.WriteString("host", acl.Entry.Host);
                writer.WriteString("operation", acl.Entry.Operation.ToString());
                writer.WriteString("permission", acl.Entry.Permission.ToString());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string String(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null.");

    private static T Enum<T>(JsonElement element, string name)
        where T : struct, Enum
    {
        var text = String(element, name);
        return System.Enum.TryParse<T>(text, ignoreCase: false, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(text[0])
            ? value
            : throw new FormatException($"'{text}' is not a {typeof(T).Name}.");
    }

    private sealed record Snapshot(IReadOnlyList<AclBinding> Acls, (long Ticks, long Length) Stamp);
}
