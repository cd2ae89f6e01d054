namespace Freshet.Sql;

/// <summary>
/// A record's bytes do not hold a row of the table's schema in the table's format (JSON that does not parse, a CSV
/// line with the wrong number of fields, a value that does not fit its column's type), or a row cannot be written in
/// the format. Thrown by formats when the format's <c>ignore-parse-errors</c> option is off; a job that reads such a
/// record fails with this exception, whose <see cref="Location"/> names where the record was read
/// (<c>topic/partition offset</c>, or file and line) when the connector knows it.
/// </summary>
public sealed class SqlFormatException : SqlException
{
    /// <summary>Creates an exception about one record.</summary>
    /// <param name="problem">What is wrong with the record ("Field 'price': expected a number but found a string").</param>
    /// <param name="location">Where the record was read, or null when not known.</param>
    /// <param name="innerException">The exception that revealed the problem, or null.</param>
    public SqlFormatException(string problem, string? location = null, Exception? innerException = null)
        : base(problem, location is null ? problem : $"{problem} (record at {location})", innerException)
    {
        Location = location;
    }

    /// <summary>Where the bad record was read (<c>orders/2 offset 41</c>, <c>/data/in.csv line 7</c>), or null.</summary>
    public string? Location { get; }

    /// <summary>This problem with <paramref name="location"/> added, for a connector that knows where the record was.</summary>
    internal SqlFormatException At(string location) => new(Problem, location, this);
}
