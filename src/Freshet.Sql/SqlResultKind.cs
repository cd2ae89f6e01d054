namespace Freshet.Sql;

/// <summary>What <see cref="SqlEnvironment.ExecuteSqlAsync"/> produced.</summary>
public enum SqlResultKind
{
    /// <summary>A statement that changed the session or catalog (CREATE, DROP, SET, RESET); see <see cref="SqlResult.Message"/>.</summary>
    Success,

    /// <summary>Rows: the changes of a running query, or the fixed answer of SHOW, DESCRIBE, SET or EXPLAIN.</summary>
    Rows,

    /// <summary>A job that writes into tables (INSERT, EXECUTE STATEMENT SET); see <see cref="SqlResult.Job"/>.</summary>
    Job,
}
