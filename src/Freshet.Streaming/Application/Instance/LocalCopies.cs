using Freshet.Streaming.Application.Assignment;
using Freshet.Streaming.Application.Tasks;

namespace Freshet.Streaming.Application.Instance;

/// <summary>
/// Where an instance keeps its tasks' changelog copies on disk (<see cref="TaskChangelogCopy"/>'s file), so that after
/// a restart it restores them from the changelogs' tail: <c>{StateDirectory}/{applicationId}/{GroupInstanceId or
/// "dynamic"}/{task}.copy</c>. One instance at a time uses a directory: it holds an exclusive lock on its
/// <c>.lock</c> file while it runs (released by the OS if the process dies); an instance that finds the directory
/// locked — another instance with the same state directory and instance id on this machine — keeps its copies in
/// memory only. Saving never fails the instance: a copy that cannot be written costs only restore time later.
/// Thread-safe.
/// </summary>
internal sealed class LocalCopies : IDisposable
{
    private const string Extension = ".copy";
    private readonly string _fingerprint;
    private readonly FileStream? _lock;

    public LocalCopies(ApplicationOptions options, string fingerprint)
    {
        _fingerprint = fingerprint;
        Directory = Path.Combine(options.StateDirectory, options.ApplicationId, options.GroupInstanceId is { } id ? "instance-" + Sanitize(id) : "dynamic");
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            _lock = new FileStream(Path.Combine(Directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _lock = null;
        }
    }

    /// <summary>The directory of this instance's copies.</summary>
    public string Directory { get; }

    /// <summary>Whether copies are kept on disk (the directory's lock is held).</summary>
    public bool Enabled => _lock is not null;

    /// <summary>The copies saved for tasks in <paramref name="tasks"/>; files that are unusable (damaged, another job graph) are deleted.</summary>
    public Dictionary<TaskId, TaskChangelogCopy> LoadAll(IEnumerable<TaskId> tasks)
    {
        var copies = new Dictionary<TaskId, TaskChangelogCopy>();
        if (!Enabled)
        {
            return copies;
        }

        foreach (var task in tasks)
        {
            if (TaskChangelogCopy.TryLoad(PathOf(task), _fingerprint, out var problem) is { } copy)
            {
                copies[task] = copy;
            }
            else if (problem is not null)
            {
                Delete(task);
            }
        }

        return copies;
    }

    /// <summary>Saves <paramref name="copy"/> if it moved since it was last saved; called by the copy's owner.</summary>
    public void Save(TaskId task, TaskChangelogCopy copy)
    {
        if (!Enabled)
        {
            return;
        }

        try
        {
            copy.SaveIfChanged(PathOf(task), _fingerprint);
        }
#pragma warning disable CA1031 // A copy that cannot be saved costs only restore time after a restart.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Removes the saved copy of <paramref name="task"/> (no longer assigned here).</summary>
    public void Delete(TaskId task)
    {
        if (!Enabled)
        {
            return;
        }

        try
        {
            File.Delete(PathOf(task));
        }
#pragma warning disable CA1031 // A stale copy left behind is ignored or deleted at the next start.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
#pragma warning restore CA1031
        {
        }
    }

    public void Dispose() => _lock?.Dispose();

    private string PathOf(TaskId task) => Path.Combine(Directory, task + Extension);

    private static string Sanitize(string id) => string.Concat(id.Select(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
