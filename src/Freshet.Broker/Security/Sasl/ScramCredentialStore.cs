using System.Buffers;
using System.Text.Json;
using Freshet.Broker.Cluster;
using Freshet.Log.Segments;

namespace Freshet.Broker.Security.Sasl;

/// <summary>
/// The SASL users of a data directory: salted SCRAM credentials (salt, iterations, StoredKey, ServerKey per user and
/// mechanism), never passwords. PLAIN logins are checked against the same credentials, so there is one user store.
/// <para>
/// On disk: <c>scram-credentials.json</c> in the data directory, UTF-8 JSON
/// <c>{"version":1,"credentials":[{"user":"alice","mechanism":"SCRAM-SHA-256","iterations":4096,"salt":B64,"storedKey":B64,"serverKey":B64}]}</c>,
/// replaced atomically and durably (temporary file, fsync, rename, fsync of the directory): after a crash it holds the
/// old or the new list, never a mix. No file means no users.
/// </para>
/// <para>
/// Writers (a broker serving AlterUserScramCredentials, <c>freshet users --data</c> in another process) serialise on an
/// exclusive lock of <c>scram-credentials.lock</c> and read the file afresh under it, so concurrent changes are never
/// lost. Readers take no lock: each lookup compares the file's timestamp and length with those of the copy in memory
/// and reloads when they differ, so a running broker sees changes made by other processes at its next authentication.
/// A file that does not parse is reported by <see cref="InvalidDataException"/> when opened or changed through this
/// type; a broker that finds one while running keeps the last good copy.
/// </para>
/// Thread-safety: all members are safe from any thread and from several processes.
/// </summary>
public sealed class ScramCredentialStore
{
    /// <summary>The name of the credentials file in the data directory.</summary>
    public const string FileName = "scram-credentials.json";

    /// <summary>The name of the lock file writers hold while they change the credentials.</summary>
    public const string LockFileName = "scram-credentials.lock";

    private const int FormatVersion = 1;
    private readonly SharedDataFile _file;
    private readonly object _reloadLock = new();
    private volatile Snapshot _snapshot = Snapshot.Empty;

    /// <summary>Opens the credentials of <paramref name="dataDirectory"/> (the directory must exist; the file need not).</summary>
    /// <exception cref="InvalidDataException">The credentials file exists but does not parse.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public ScramCredentialStore(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        if (!Directory.Exists(dataDirectory))
        {
            throw new DirectoryNotFoundException($"The data directory '{dataDirectory}' does not exist.");
        }

        _file = new SharedDataFile(Path.Combine(dataDirectory, FileName), Path.Combine(dataDirectory, LockFileName), "the SCRAM credentials");
        _snapshot = Load(_file.Stamp(), throwIfInvalid: true);
    }

    /// <summary>The path of the credentials file.</summary>
    public string FilePath => _file.Path;

    /// <summary>
    /// Creates or replaces <paramref name="user"/>'s credential for <paramref name="mechanism"/> from
    /// <paramref name="password"/>, with a fresh random salt and <paramref name="iterations"/> PBKDF2 iterations.
    /// </summary>
    /// <exception cref="ArgumentException">The user name is empty or holds a NUL, the mechanism is not SCRAM-SHA-256 or SCRAM-SHA-512, the password is empty, or the iterations are outside 4096-16384.</exception>
    /// <exception cref="IOException">The file cannot be written, or another writer held the lock for 10 seconds.</exception>
    public void SetPassword(string user, string mechanism, string password, int iterations = ScramMechanism.MinIterations)
    {
        var problem = UserNameProblem(user) ?? IterationsProblem(iterations);
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }

        if (!ScramMechanism.TryFromName(mechanism, out var scram))
        {
            throw new ArgumentException($"Unknown SCRAM mechanism '{mechanism}': use SCRAM-SHA-256 or SCRAM-SHA-512.", nameof(mechanism));
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new ArgumentException("The password must not be empty.", nameof(password));
        }

        var credential = ScramCredential.FromPassword(scram, password, iterations);
        Update(credentials => credentials[(user, scram.Name)] = credential);
    }

    /// <summary>Deletes <paramref name="user"/>'s credential for <paramref name="mechanism"/>, or all of the user's when null; returns how many were deleted.</summary>
    /// <exception cref="ArgumentException">The mechanism is given and is not SCRAM-SHA-256 or SCRAM-SHA-512.</exception>
    /// <exception cref="IOException">The file cannot be written, or another writer held the lock for 10 seconds.</exception>
    public int Delete(string user, string? mechanism = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (mechanism is not null && !ScramMechanism.TryFromName(mechanism, out _))
        {
            throw new ArgumentException($"Unknown SCRAM mechanism '{mechanism}': use SCRAM-SHA-256 or SCRAM-SHA-512.", nameof(mechanism));
        }

        var deleted = 0;
        Update(credentials =>
        {
            foreach (var scram in ScramMechanism.All)
            {
                if ((mechanism is null || mechanism == scram.Name) && credentials.Remove((user, scram.Name)))
                {
                    deleted++;
                }
            }
        });
        return deleted;
    }

    /// <summary>Every credential, sorted by user (ordinal) then mechanism, as currently on disk.</summary>
    public IReadOnlyList<ScramCredentialInfo> List()
    {
        var snapshot = Current();
        var result = new List<ScramCredentialInfo>(snapshot.Credentials.Count);
        foreach (var ((user, mechanism), credential) in snapshot.Credentials)
        {
            result.Add(new ScramCredentialInfo(user, mechanism, credential.Iterations));
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.User, b.User) is var byUser and not 0 ? byUser : string.CompareOrdinal(a.Mechanism, b.Mechanism));
        return result;
    }

    /// <summary>Finds <paramref name="user"/>'s credential for <paramref name="mechanism"/>, reloading the file first if another process changed it.</summary>
    internal bool TryGet(string user, ScramMechanism mechanism, out ScramCredential credential) =>
        Current().Credentials.TryGetValue((user, mechanism.Name), out credential!);

    /// <summary>
    /// Changes the credentials under the writers' lock: reads the file afresh, lets <paramref name="change"/> edit the
    /// map (keyed by user and mechanism name), and writes the result durably if it differs.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read or written, or another writer held the lock for 10 seconds.</exception>
    /// <exception cref="InvalidDataException">The file on disk does not parse (it is left as it is).</exception>
    internal void Update(Action<Dictionary<(string User, string Mechanism), ScramCredential>> change)
    {
        using var fileLock = _file.AcquireWriterLock();
        lock (_reloadLock)
        {
            var current = Load(_file.Stamp(), throwIfInvalid: true);
            var credentials = new Dictionary<(string, string), ScramCredential>(current.Credentials);
            change(credentials);
            SegmentFiles.WriteAllBytesDurably(_file.Path, Serialize(credentials));
            _snapshot = Load(_file.Stamp(), throwIfInvalid: true);
        }
    }

    private Snapshot Current()
    {
        var snapshot = _snapshot;
        var stamp = _file.Stamp();
        if (stamp == snapshot.Stamp)
        {
            return snapshot;
        }

        lock (_reloadLock)
        {
            if (_snapshot.Stamp != stamp)
            {
                _snapshot = Load(stamp, throwIfInvalid: false) ?? _snapshot;
            }

            return _snapshot;
        }
    }

    private Snapshot Load((long Ticks, long Length) stamp, bool throwIfInvalid)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(_file.Path);
        }
        catch (FileNotFoundException)
        {
            return Snapshot.Empty;
        }
        catch (IOException) when (!throwIfInvalid)
        {
            return _snapshot;
        }

        try
        {
            return new Snapshot(stamp, Parse(bytes));
        }
        catch (InvalidDataException) when (!throwIfInvalid)
        {
            return _snapshot;
        }
    }

    private Dictionary<(string, string), ScramCredential> Parse(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || version.GetInt32() != FormatVersion)
            {
                throw new InvalidDataException($"'{_file.Path}' is not a version {FormatVersion} SCRAM credentials file.");
            }

            var credentials = new Dictionary<(string, string), ScramCredential>();
            foreach (var entry in root.GetProperty("credentials").EnumerateArray())
            {
                var user = entry.GetProperty("user").GetString() ?? "";
                var mechanismName = entry.GetProperty("mechanism").GetString() ?? "";
                var iterations = entry.GetProperty("iterations").GetInt32();
                if (UserNameProblem(user) is not null || !ScramMechanism.TryFromName(mechanismName, out var mechanism) || IterationsProblem(iterations) is not null)
                {
                    throw new InvalidDataException($"'{_file.Path}' holds an invalid credential (user '{user}', mechanism '{mechanismName}', {iterations} iterations).");
                }

                var storedKey = entry.GetProperty("storedKey").GetBytesFromBase64();
                var serverKey = entry.GetProperty("serverKey").GetBytesFromBase64();
                var salt = entry.GetProperty("salt").GetBytesFromBase64();
                if (storedKey.Length != mechanism.KeyBytes || serverKey.Length != mechanism.KeyBytes || salt.Length == 0)
                {
                    throw new InvalidDataException($"'{_file.Path}': the credential of user '{user}' for {mechanismName} has keys of the wrong length or no salt.");
                }

                credentials[(user, mechanism.Name)] = new ScramCredential(mechanism, salt, storedKey, serverKey, iterations);
            }

            return credentials;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{_file.Path}' is not a valid SCRAM credentials file: {e.Message}", e);
        }
    }

    private static byte[] Serialize(Dictionary<(string User, string Mechanism), ScramCredential> credentials)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", FormatVersion);
            writer.WriteStartArray("credentials");
            foreach (var ((user, mechanism), credential) in credentials.OrderBy(static c => c.Key.User, StringComparer.Ordinal).ThenBy(static c => c.Key.Mechanism, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("user", user);
                writer.WriteString("mechanism", mechanism);
                writer.WriteNumber("iterations", credential.Iterations);
                writer.WriteBase64String("salt", credential.Salt);
                writer.WriteBase64String("storedKey", credential.StoredKey);
                writer.WriteBase64String("serverKey", credential.ServerKey);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Why <paramref name="user"/> cannot be a SASL user name, or null if it can.</summary>
    public static string? UserNameProblem(string user) =>
        string.IsNullOrEmpty(user) ? "The user name must not be empty."
        : user.Contains('\0', StringComparison.Ordinal) ? "The user name must not contain a NUL character."
        : user.Length > MaxUserNameLength ? $"The user name must not be longer than {MaxUserNameLength} characters."
        : null;

    /// <summary>Why <paramref name="iterations"/> is not an acceptable iteration count, or null if it is.</summary>
    internal static string? IterationsProblem(int iterations) =>
        iterations < ScramMechanism.MinIterations ? $"Too few iterations: {iterations} (at least {ScramMechanism.MinIterations})."
        : iterations > ScramMechanism.MaxIterations ? $"Too many iterations: {iterations} (at most {ScramMechanism.MaxIterations})."
        : null;

    /// <summary>The longest user name accepted, in UTF-16 characters.</summary>
    internal const int MaxUserNameLength = 1024;

    private sealed record Snapshot((long Ticks, long Length) Stamp, IReadOnlyDictionary<(string User, string Mechanism), ScramCredential> Credentials)
    {
        public static Snapshot Empty { get; } = new((0, -1), new Dictionary<(string, string), ScramCredential>());
    }
}
