using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Freshet.Sql.Binding;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Tables;

namespace Freshet.Sql;

/// <summary>
/// The result of one statement run by <see cref="SqlEnvironment.ExecuteSqlAsync"/> (Flink's <c>TableResult</c>).
/// A query's rows arrive as changes while its job runs (an unbounded source never ends); disposing the result
/// cancels that job. The rows can be read once. Thread-safe.
/// </summary>
public sealed class SqlResult : IAsyncDisposable
{
    private readonly ChannelReader<Change<Row>>? _changes;
    private readonly IReadOnlyList<Change<Row>>? _fixedRows;
    private readonly Func<ValueTask>? _dispose;
    private int _read;

    private SqlResult(
        SqlResultKind kind,
        IReadOnlyList<SqlColumn> columns,
        IReadOnlyList<Change<Row>>? fixedRows = null,
        ChannelReader<Change<Row>>? changes = null,
        Func<ValueTask>? dispose = null)
    {
        Kind = kind;
        Columns = columns;
        _fixedRows = fixedRows;
        _changes = changes;
        _dispose = dispose;
    }

    /// <summary>What the statement produced.</summary>
    public SqlResultKind Kind { get; }

    /// <summary>The columns of <see cref="ReadChangesAsync"/>'s rows; empty for <see cref="SqlResultKind.Success"/> and <see cref="SqlResultKind.Job"/>.</summary>
    public IReadOnlyList<SqlColumn> Columns { get; }

    /// <summary>Whether the rows only ever insert (append-only) or also update and delete earlier rows.</summary>
    public ChangelogKind Changelog { get; private init; }

    /// <summary>What happened, for <see cref="SqlResultKind.Success"/> (<c>OK</c>, <c>Table 'bid' created</c>).</summary>
    public string? Message { get; private init; }

    /// <summary>The job computing the rows or writing the tables; null for statements that run no job.</summary>
    public JobHandle? Job { get; private init; }

    /// <summary>The result's rows as changes, in the order they were produced; ends when the job (or the fixed answer)
    /// ends, and throws the job's failure if it fails.</summary>
    /// <exception cref="InvalidOperationException">The rows were read already, or the result has none.</exception>
    public async IAsyncEnumerable<Change<Row>> ReadChangesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _read, 1) != 0)
        {
            throw new InvalidOperationException("A result's rows can be read once");
        }

        if (_fixedRows is not null)
        {
            foreach (var row in _fixedRows)
            {
                yield return row;
            }

            yield break;
        }

        if (_changes is null)
        {
            throw new InvalidOperationException($"A {Kind} result has no rows");
        }

        await foreach (var change in _changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _dispose?.Invoke() ?? ValueTask.CompletedTask;

    internal static SqlResult Success(string message) => new(SqlResultKind.Success, []) { Message = message };

    internal static SqlResult Fixed(IReadOnlyList<SqlColumn> columns, IEnumerable<Row> rows) =>
        new(SqlResultKind.Rows, columns, fixedRows: rows.Select(Change.Insert).ToArray());

    internal static SqlResult Query(IReadOnlyList<SqlColumn> columns, ChangelogKind changelog, JobHandle job, ChannelReader<Change<Row>> changes, Func<ValueTask> dispose) =>
        new(SqlResultKind.Rows, columns, changes: changes, dispose: dispose) { Changelog = changelog, Job = job };

    internal static SqlResult Submitted(JobHandle job) => new(SqlResultKind.Job, []) { Job = job, Message = $"Job '{job.JobName}' submitted" };
}
