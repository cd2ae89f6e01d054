using Freshet.Streaming;

namespace Freshet.Sql;

/// <summary>Gives every <see cref="StreamEnvironment"/> its SQL: <c>env.Sql.ExecuteSqlAsync(...)</c>.</summary>
public static class StreamEnvironmentSqlExtensions
{
    extension(StreamEnvironment environment)
    {
        /// <summary>The SQL of this environment (see <see cref="SqlEnvironment"/>), attached with default options on
        /// first use unless <see cref="SqlEnvironment.Create"/> attached it with others.</summary>
        public SqlEnvironment Sql => SqlEnvironment.For(environment);
    }
}
