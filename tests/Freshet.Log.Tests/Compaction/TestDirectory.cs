namespace Freshet.Log.Tests.Compaction;

/// <summary>A fresh directory under the temp folder, deleted when disposed.</summary>
internal sealed class TestDirectory : IDisposable
{
    public TestDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "freshet-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A retired segment may still be closing; the temp folder is cleaned eventually.
        }
    }
}
