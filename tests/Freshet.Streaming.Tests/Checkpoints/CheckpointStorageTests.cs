using System.Text;
using Freshet.Streaming.Checkpoints;

namespace Freshet.Streaming.Tests.Checkpoints;

public sealed class CheckpointStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-chk-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Commit_ThenLoadLatest_ReturnsEveryStateFile()
    {
        var storage = new CheckpointStorage(_root, retainedCheckpoints: 3);
        var writer = storage.Begin(1);
        writer.WriteState("window sums", 0, Encoding.UTF8.GetBytes("alpha"));
        writer.WriteState("window sums", 1, Encoding.UTF8.GetBytes("beta"));
        writer.WriteState("source uid with spaces", 0, []);
        writer.Commit();

        Assert.True(storage.TryLoadLatest(out var checkpoint, out var skipped));
        Assert.Empty(skipped);
        Assert.Equal(1, checkpoint!.CheckpointId);
        Assert.Equal(new[] { "source uid with spaces", "window sums" }, checkpoint.OperatorUids.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { 0, 1 }, checkpoint.SubtasksOf("window sums"));
        Assert.True(checkpoint.TryReadState("window sums", 1, out var beta));
        Assert.Equal("beta", Encoding.UTF8.GetString(beta));
        Assert.True(checkpoint.TryReadState("source uid with spaces", 0, out var empty));
        Assert.Empty(empty);
        Assert.False(checkpoint.TryReadState("window sums", 2, out _));
    }

    [Fact]
    public void TryLoadLatest_NewestHasNoManifest_ReturnsPreviousComplete()
    {
        var storage = new CheckpointStorage(_root, 3);
        Write(storage, 1, "one");
        var partial = storage.Begin(2);
        partial.WriteState("op", 0, "two"u8);

        Assert.True(storage.TryLoadLatest(out var checkpoint, out var skipped));
        Assert.Equal(1, checkpoint!.CheckpointId);
        Assert.Single(skipped);
        Assert.Contains("chk-2", skipped[0], StringComparison.Ordinal);
        Assert.Contains("manifest", skipped[0], StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoadLatest_StateFileBitFlipped_ReturnsPreviousComplete()
    {
        var storage = new CheckpointStorage(_root, 3);
        Write(storage, 1, "one");
        var second = Write(storage, 2, "two");
        var path = Path.Combine(second.Directory, second.Manifest.Files[0].FileName);
        var bytes = File.ReadAllBytes(path);
        bytes[1] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        Assert.True(storage.TryLoadLatest(out var checkpoint, out var skipped));
        Assert.Equal(1, checkpoint!.CheckpointId);
        Assert.Contains("CRC-32C", skipped.Single(), StringComparison.Ordinal);
        Assert.True(checkpoint.TryReadState("op", 0, out var state));
        Assert.Equal("one", Encoding.UTF8.GetString(state));
    }

    [Fact]
    public void TryLoadLatest_StateFileTruncatedOrMissing_ReturnsPreviousComplete()
    {
        var storage = new CheckpointStorage(_root, 5);
        Write(storage, 1, "one");
        var truncated = Write(storage, 2, "two");
        var missing = Write(storage, 3, "three");
        var truncatedPath = Path.Combine(truncated.Directory, truncated.Manifest.Files[0].FileName);
        File.WriteAllBytes(truncatedPath, File.ReadAllBytes(truncatedPath)[..1]);
        File.Delete(Path.Combine(missing.Directory, missing.Manifest.Files[0].FileName));

        Assert.True(storage.TryLoadLatest(out var checkpoint, out var skipped));
        Assert.Equal(1, checkpoint!.CheckpointId);
        Assert.Equal(2, skipped.Count);
        Assert.Contains("missing", skipped[0], StringComparison.Ordinal);
        Assert.Contains("bytes", skipped[1], StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoadLatest_ManifestTornOrEdited_ReturnsPreviousComplete()
    {
        var storage = new CheckpointStorage(_root, 5);
        Write(storage, 1, "one");
        var torn = Write(storage, 2, "two");
        var edited = Write(storage, 3, "three");
        var tornPath = Path.Combine(torn.Directory, CheckpointStorage.ManifestName);
        var tornBytes = File.ReadAllBytes(tornPath);
        File.WriteAllBytes(tornPath, tornBytes[..(tornBytes.Length / 2)]);
        var editedPath = Path.Combine(edited.Directory, CheckpointStorage.ManifestName);
        File.WriteAllText(editedPath, File.ReadAllText(editedPath).Replace("id 3", "id 4", StringComparison.Ordinal));

        Assert.True(storage.TryLoadLatest(out var checkpoint, out var skipped));
        Assert.Equal(1, checkpoint!.CheckpointId);
        Assert.Equal(2, skipped.Count);
    }

    [Fact]
    public void TryLoadLatest_NothingComplete_ReturnsFalse()
    {
        var storage = new CheckpointStorage(_root, 3);
        Assert.False(storage.TryLoadLatest(out var none, out var skipped));
        Assert.Null(none);
        Assert.Empty(skipped);
        storage.Begin(1).WriteState("op", 0, "x"u8);
        Assert.False(storage.TryLoadLatest(out _, out skipped));
        Assert.Single(skipped);
    }

    [Fact]
    public void RemoveExpired_KeepsNewestRetainedCompleteAndNewerPartials()
    {
        var storage = new CheckpointStorage(_root, 2);
        Write(storage, 1, "1");
        storage.Begin(2).WriteState("op", 0, "partial"u8);
        Write(storage, 3, "3");
        Write(storage, 4, "4");
        storage.Begin(5).WriteState("op", 0, "in progress"u8);

        storage.RemoveExpired();

        Assert.Equal(new long[] { 5, 4, 3 }, storage.ListCheckpointIds());
        Assert.True(storage.TryLoadLatest(out var latest, out _));
        Assert.Equal(4, latest!.CheckpointId);
    }

    [Fact]
    public void Abort_DeletesTheDirectoryAndRejectsFurtherWrites()
    {
        var storage = new CheckpointStorage(_root, 2);
        var writer = storage.Begin(1);
        writer.WriteState("op", 0, "x"u8);
        writer.Abort();
        Assert.False(Directory.Exists(writer.Directory));
        Assert.Throws<InvalidOperationException>(() => writer.Commit());
    }

    [Fact]
    public void WriteState_SameOperatorSubtaskTwice_Throws()
    {
        var writer = new CheckpointStorage(_root, 2).Begin(1);
        writer.WriteState("op", 0, "x"u8);
        Assert.Throws<InvalidOperationException>(() => writer.WriteState("op", 0, "y"u8));
    }

    [Fact]
    public void Savepoint_RoundTripsAndRefusesNonEmptyDirectory()
    {
        var directory = Path.Combine(_root, "savepoint-a");
        var writer = CheckpointStorage.BeginSavepoint(7, directory);
        writer.WriteState("op", 3, "saved"u8);
        writer.Commit();

        Assert.True(CheckpointStorage.TryLoad(directory, out var savepoint, out var error), error);
        Assert.Equal(7, savepoint!.CheckpointId);
        Assert.True(savepoint.TryReadState("op", 3, out var state));
        Assert.Equal("saved", Encoding.UTF8.GetString(state));
        Assert.Throws<IOException>(() => CheckpointStorage.BeginSavepoint(8, directory));
    }

    [Fact]
    public void ManifestDecode_RandomTruncationsAndBitFlips_NeverAcceptedAndNeverThrow()
    {
        var manifest = new CheckpointManifest(42, [
            new CheckpointStateFile("a b c", 0, "state-000001-0.bin", 10, 0xDEADBEEF),
            new CheckpointStateFile("ünïcode uid", 7, "state-000002-7.bin", 0, 0),
        ]);
        var bytes = manifest.Encode();
        Assert.True(CheckpointManifest.TryDecode(bytes, out var decoded, out _));
        Assert.Equal(manifest.CheckpointId, decoded!.CheckpointId);
        Assert.Equal(manifest.Files, decoded.Files);

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(CheckpointManifest.TryDecode(bytes.AsSpan(0, length), out _, out _));
        }

        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(CheckpointManifest.TryDecode(flipped, out _, out _), $"bit {bit} flipped was accepted");
        }
    }

    private static CompletedCheckpoint Write(CheckpointStorage storage, long id, string state)
    {
        var writer = storage.Begin(id);
        writer.WriteState("op", 0, Encoding.UTF8.GetBytes(state));
        return writer.Commit();
    }
}
