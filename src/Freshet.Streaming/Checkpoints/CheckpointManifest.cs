using System.Globalization;
using System.Text;
using Freshet.Log.Records;

namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// The manifest of one checkpoint: its id and the list of its state files. The manifest is the commit point of a
/// checkpoint: it is written last (temp file, fsync, atomic rename, directory fsync) so a directory without it is an
/// incomplete checkpoint.
/// <para>On-disk form (UTF-8 text, one entry per line, fields separated by one space):</para>
/// <code>
/// freshet-checkpoint 1
/// id &lt;checkpoint id&gt;
/// state &lt;subtask&gt; &lt;length&gt; &lt;crc32c hex&gt; &lt;file name&gt; &lt;operator uid (rest of line)&gt;
/// end &lt;crc32c hex of every preceding byte&gt;
/// </code>
/// The trailing CRC makes a torn or edited manifest detectable. Operator uids may hold spaces but no line breaks.
/// </summary>
internal sealed record CheckpointManifest(long CheckpointId, IReadOnlyList<CheckpointStateFile> Files)
{
    private const string Magic = "freshet-checkpoint 1";

    /// <summary>Encodes the manifest in its on-disk form.</summary>
    public byte[] Encode()
    {
        var body = new StringBuilder();
        body.Append(Magic).Append('\n');
        body.Append(CultureInfo.InvariantCulture, $"id {CheckpointId}\n");
        foreach (var file in Files)
        {
            if (file.OperatorUid.Contains('\n', StringComparison.Ordinal) || file.OperatorUid.Contains('\r', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Operator uid '{file.OperatorUid}' contains a line break.", nameof(Files));
            }

            body.Append(CultureInfo.InvariantCulture, $"state {file.Subtask} {file.Length} {file.Crc:x8} {file.FileName} {file.OperatorUid}\n");
        }

        var bodyBytes = Encoding.UTF8.GetBytes(body.ToString());
        var trailer = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"end {Crc32C.Compute(bodyBytes):x8}\n"));
        return [.. bodyBytes, .. trailer];
    }

    /// <summary>Decodes a manifest; false (with the reason) when the bytes are not a complete, intact manifest.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out CheckpointManifest? manifest, out string? error)
    {
        manifest = null;
        var endAt = bytes.Length >= 2 ? bytes[..^1].LastIndexOf((byte)'\n') + 1 : -1;
        if (endAt <= 0 || bytes[^1] != (byte)'\n')
        {
            error = "the manifest is truncated";
            return false;
        }

        var trailer = Encoding.UTF8.GetString(bytes[endAt..^1]);
        if (!trailer.StartsWith("end ", StringComparison.Ordinal)
            || !uint.TryParse(trailer.AsSpan(4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var expectedCrc))
        {
            error = "the manifest has no end line";
            return false;
        }

        var body = bytes[..endAt];
        // Compared as text too: hex parsing ignores case, and a flipped case bit must not pass as intact.
        if (Crc32C.Compute(body) != expectedCrc || trailer != string.Create(CultureInfo.InvariantCulture, $"end {expectedCrc:x8}"))
        {
            error = "the manifest's checksum does not match";
            return false;
        }

        var lines = Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2 || lines[0] != Magic || !lines[1].StartsWith("id ", StringComparison.Ordinal)
            || !long.TryParse(lines[1].AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            error = "the manifest's header is not a Freshet checkpoint header";
            return false;
        }

        var files = new List<CheckpointStateFile>(lines.Length - 2);
        for (var i = 2; i < lines.Length; i++)
        {
            var fields = lines[i].Split(' ', 6);
            if (fields.Length != 6 || fields[0] != "state"
                || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var subtask)
                || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || !uint.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var crc)
                || fields[4].Length == 0 || fields[4].Contains('/', StringComparison.Ordinal) || fields[4].Contains('\\', StringComparison.Ordinal) || fields[4].StartsWith('.'))
            {
                error = $"manifest line {i + 1} is malformed";
                return false;
            }

            files.Add(new CheckpointStateFile(fields[5], subtask, fields[4], length, crc));
        }

        manifest = new CheckpointManifest(id, files);
        error = null;
        return true;
    }
}
