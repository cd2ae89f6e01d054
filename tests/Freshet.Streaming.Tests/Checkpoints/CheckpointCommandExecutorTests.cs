using System.Text;
using Freshet.Streaming.Checkpoints;

namespace Freshet.Streaming.Tests.Checkpoints;

public sealed class CheckpointCommandExecutorTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-exec-" + Guid.NewGuid().ToString("N"));
    private readonly List<long> _barriers = new();
    private readonly List<long> _notified = new();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void TriggerWriteAcknowledge_WritesCompleteCheckpointAndNotifiesTasks()
    {
        var storage = new CheckpointStorage(Path.Combine(_root, "chk"), 2);
        var executor = NewExecutor(storage);

        executor.Handle(new CheckpointEvent.Tick(1000));
        Assert.Equal(new long[] { 1 }, _barriers);
        AcknowledgeFromBothTasks(executor, 1);

        Assert.Equal(new long[] { 1 }, _notified);
        Assert.True(storage.TryLoadLatest(out var checkpoint, out _));
        Assert.Equal(1, checkpoint!.CheckpointId);
        Assert.True(checkpoint.TryReadState("sums", 1, out var state));
        Assert.Equal("task 1 of 1", Encoding.UTF8.GetString(state));
        Assert.Equal(new CheckpointStatistics(1, 0, 1, 22, 3, 9), executor.Statistics);
        Assert.False(executor.TryGetWriter(1, out _));
    }

    [Fact]
    public void Timeout_AbortsAndDeletesPartialFiles_NextCheckpointStillCompletes()
    {
        var storage = new CheckpointStorage(Path.Combine(_root, "chk"), 2);
        var executor = NewExecutor(storage);
        executor.Handle(new CheckpointEvent.Tick(1000));
        Assert.True(executor.TryGetWriter(1, out var writer));
        writer!.WriteState("sums", 0, "only one task"u8);

        executor.Handle(new CheckpointEvent.Tick(1000 + 5000));

        Assert.False(Directory.Exists(((CheckpointWriter)writer).Directory));
        Assert.Equal(new long[] { 1, 2 }, _barriers);
        Assert.Equal(1, executor.Statistics.Failed);
        AcknowledgeFromBothTasks(executor, 2);
        Assert.True(storage.TryLoadLatest(out var checkpoint, out _));
        Assert.Equal(2, checkpoint!.CheckpointId);
    }

    [Fact]
    public void Retention_KeepsTheNewestTwo()
    {
        var storage = new CheckpointStorage(Path.Combine(_root, "chk"), 2);
        var executor = NewExecutor(storage);
        for (var id = 1; id <= 4; id++)
        {
            executor.Handle(new CheckpointEvent.Tick(id * 1000));
            AcknowledgeFromBothTasks(executor, id);
        }

        Assert.Equal(new long[] { 4, 3 }, storage.ListCheckpointIds());
    }

    [Fact]
    public async Task RequestSavepoint_WritesToTheChosenDirectoryAndCompletesWithItsPath()
    {
        var storage = new CheckpointStorage(Path.Combine(_root, "chk"), 2);
        var executor = NewExecutor(storage);
        var directory = Path.Combine(_root, "savepoints", "before-upgrade");

        var savepoint = executor.RequestSavepoint(directory, 10);
        Assert.Equal(new long[] { 1 }, _barriers);
        Assert.False(savepoint.IsCompleted);
        AcknowledgeFromBothTasks(executor, 1);

        Assert.Equal(Path.GetFullPath(directory), await savepoint);
        Assert.True(CheckpointStorage.TryLoad(directory, out var loaded, out var error), error);
        Assert.Equal(1, loaded!.CheckpointId);
        Assert.Empty(storage.ListCheckpointIds());
    }

    [Fact]
    public async Task RequestSavepoint_NonEmptyDirectory_FailsTheRequestNotTheJob()
    {
        var storage = new CheckpointStorage(Path.Combine(_root, "chk"), 2);
        var executor = NewExecutor(storage);
        var directory = Path.Combine(_root, "occupied");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "other.txt"), "x");

        await Assert.ThrowsAsync<IOException>(() => executor.RequestSavepoint(directory, 10));

        executor.Handle(new CheckpointEvent.Tick(2000));
        AcknowledgeFromBothTasks(executor, _barriers.Last());
        Assert.Equal(1, executor.Statistics.Completed);
    }

    private CheckpointCommandExecutor NewExecutor(CheckpointStorage storage) =>
        new(storage, new CheckpointCoordinatorSettings(1000, 5000, 2), CheckpointCoordinatorState.Initial(0, 0), (id, _) => _barriers.Add(id), _notified.Add);

    private static void AcknowledgeFromBothTasks(CheckpointCommandExecutor executor, long id)
    {
        for (var task = 0; task < 2; task++)
        {
            Assert.True(executor.TryGetWriter(id, out var writer));
            var state = Encoding.UTF8.GetBytes($"task {task} of 1");
            writer!.WriteState("sums", task, state);
            executor.Handle(new CheckpointEvent.Acknowledged(id, task, state.Length, task == 0 ? 3 : 1, task == 0 ? 2 : 9));
        }
    }
}
